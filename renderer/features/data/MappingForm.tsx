import type { ReactNode } from 'react'
import type { Mapping } from '../../../shared/import'
import type { FieldPicker } from './mapping-part'
import { MappingGrouping } from './MappingGrouping'
import { MappingLabels } from './MappingLabels'
import { MappingOther } from './MappingOther'
import { StatesFields } from './MappingStates'
import { MappingVerdicts } from './MappingVerdicts'

interface Props {
  columns: string[]
  mapping: Mapping
  onChange: (mapping: Mapping) => void
  /** Label columns the suggestion left out, shown with the human labels. */
  offered?: ReactNode
}

const NONE = ''

/** The mapping editor: which field is the id, the input, the output, the trace, labels, verdicts. */
export function MappingForm({ columns, mapping, onChange, offered }: Props) {
  const set = (patch: Partial<Mapping>) => onChange({ ...mapping, ...patch })
  const field: FieldPicker = (value, update, label, hint) => (
    <label className="map-field">
      <span>{label}</span>
      <select
        value={value ?? NONE}
        onChange={(e) => update(e.target.value === NONE ? null : e.target.value)}
        aria-label={label}
      >
        <option value={NONE}>— none —</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
        {value && !columns.includes(value) && <option value={value}>{value}</option>}
      </select>
      {hint && <small className="muted">{hint}</small>}
    </label>
  )

  return (
    <div className="mapping">
      <fieldset>
        <legend>Trace</legend>
        {field(mapping.id, (id) => set({ id }), 'Id', 'stable id; row number when none')}
        {field(mapping.input, (input) => set({ input }), 'Input')}
        {field(mapping.output, (output) => set({ output }), 'Output')}
        {field(
          mapping.messages,
          (messages) => set({ messages }),
          'Chat messages',
          'OpenAI-style messages (array or JSON text)',
        )}
        {field(mapping.steps, (steps) => set({ steps }), 'Pipeline steps', 'array of {name, input, output}')}
        <label className="map-field">
          <span>Unit of review</span>
          <select
            aria-label="Unit of review"
            value={mapping.unit.kind === 'trace' ? '' : mapping.unit.step}
            onChange={(e) => set({ unit: e.target.value ? { kind: 'step', step: e.target.value } : { kind: 'trace' } })}
          >
            <option value="">whole trace</option>
            {mapping.unit.kind === 'step' && <option value={mapping.unit.step}>step “{mapping.unit.step}”</option>}
          </select>
          {/* Typed fields (here, MappingOther, MappingStates) update as typed: Ctrl/⌘+Enter imports them. */}
          <input
            aria-label="Step name"
            placeholder="or type a step name"
            defaultValue={mapping.unit.kind === 'step' ? mapping.unit.step : ''}
            onChange={(e) =>
              set({ unit: e.target.value.trim() ? { kind: 'step', step: e.target.value.trim() } : { kind: 'trace' } })
            }
          />
        </label>
        {mapping.spans && (
          <p className="muted" data-testid="span-grouping">
            {mapping.spans.source ?? 'Span export'}: rows are grouped into traces by{' '}
            <code>{mapping.spans.traceId}</code>, with <code>{mapping.spans.parentId ?? 'no parent'}</code> as parent;
            child spans become named steps.{' '}
            <button type="button" className="link" onClick={() => set({ spans: null })}>
              Treat each row as a trace instead
            </button>
          </p>
        )}
        <MappingGrouping mapping={mapping} set={set} field={field} />
      </fieldset>

      <MappingLabels columns={columns} mapping={mapping} set={set} field={field} offered={offered} />

      <StatesFields mapping={mapping} field={field} onChange={(states) => set({ states })} />

      <MappingVerdicts columns={columns} mapping={mapping} set={set} field={field} />

      <MappingOther mapping={mapping} set={set} field={field} />
    </div>
  )
}
