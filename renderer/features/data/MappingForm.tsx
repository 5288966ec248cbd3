import { useState, type ReactNode } from 'react'
import type { Mapping } from '../../../shared/import'

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
  const field = (value: string | null, update: (v: string | null) => void, label: string, hint?: string) => (
    <label className="map-field">
      <span>{label}</span>
      <select value={value ?? NONE} onChange={(e) => update(e.target.value === NONE ? null : e.target.value)} aria-label={label}>
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
  const list = (values: string[]) => values.join(', ')
  const parseList = (text: string) => text.split(',').map((v) => v.trim().toLowerCase())

  return (
    <div className="mapping">
      <fieldset>
        <legend>Trace</legend>
        {field(mapping.id, (id) => set({ id }), 'Id', 'stable id; row number when none')}
        {field(mapping.input, (input) => set({ input }), 'Input')}
        {field(mapping.output, (output) => set({ output }), 'Output')}
        {field(mapping.messages, (messages) => set({ messages }), 'Chat messages', 'OpenAI-style messages (array or JSON text)')}
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
          {/* Typed fields update the mapping as they change (the preview waits 150 ms): Ctrl/⌘+Enter from within one imports what was typed. */}
          <input
            aria-label="Step name"
            placeholder="or type a step name"
            defaultValue={mapping.unit.kind === 'step' ? mapping.unit.step : ''}
            onChange={(e) => set({ unit: e.target.value.trim() ? { kind: 'step', step: e.target.value.trim() } : { kind: 'trace' } })}
          />
        </label>
        {mapping.spans && (
          <p className="muted">
            Span export: rows are grouped into traces by <code>{mapping.spans.traceId}</code>, with <code>{mapping.spans.parentId ?? 'no parent'}</code> as parent; child spans become named steps.{' '}
            <button type="button" className="link" onClick={() => set({ spans: null })}>
              Treat each row as a trace instead
            </button>
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>Human labels</legend>
        {mapping.labels.map((l, i) => (
          <div className="map-row" key={i}>
            {field(l.field, (v) => v && set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, field: v } : x)) }), 'Label column')}
            <label className="map-field">
              <span>Criterion</span>
              <input aria-label="Criterion" value={l.criterion} onChange={(e) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, criterion: e.target.value } : x)) })} />
            </label>
            {field(l.note, (note) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, note } : x)) }), 'Note column')}
            <label className="map-field">
              <span>Annotator</span>
              <input aria-label="Annotator" title="Who made these labels: another annotator's name, to compare with yours (Cohen's κ)" value={l.annotator} onChange={(e) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, annotator: e.target.value || 'imported' } : x)) })} />
            </label>
            {field(l.annotatorField ?? null, (annotatorField) => set({ labels: mapping.labels.map((x, j) => (j === i ? { ...x, annotatorField } : x)) }), 'Annotator column')}
            <button type="button" onClick={() => set({ labels: mapping.labels.filter((_, j) => j !== i) })} aria-label="Remove this label column">
              Remove
            </button>
          </div>
        ))}
        {offered}
        <button type="button" disabled={columns.length === 0} onClick={() => set({ labels: [...mapping.labels, { field: columns[0]!, criterion: 'Overall', note: null, annotator: 'imported' }] })}>
          Add a label column
        </button>
      </fieldset>

      <StatesFields mapping={mapping} field={field} onChange={(states) => set({ states })} />

      <fieldset>
        <legend>Judge verdicts</legend>
        {mapping.verdicts.map((v, i) => (
          <div className="map-row" key={i}>
            {field(v.field, (f) => f && set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, field: f } : x)) }), 'Verdict column')}
            <label className="map-field">
              <span>Judge name</span>
              <input aria-label="Judge name" value={v.judge} onChange={(e) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, judge: e.target.value } : x)) })} />
            </label>
            <label className="map-field">
              <span>Criterion</span>
              <input aria-label="Verdict criterion" value={v.criterion} onChange={(e) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, criterion: e.target.value } : x)) })} />
            </label>
            {field(v.critique, (critique) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, critique } : x)) }), 'Critique column')}
            <VersionField version={v.version} onChange={(version) => set({ verdicts: mapping.verdicts.map((x, j) => (j === i ? { ...x, version } : x)) })} />
            <button type="button" onClick={() => set({ verdicts: mapping.verdicts.filter((_, j) => j !== i) })} aria-label="Remove this verdict column">
              Remove
            </button>
          </div>
        ))}
        <button type="button" disabled={columns.length === 0} onClick={() => set({ verdicts: [...mapping.verdicts, { field: columns[0]!, judge: 'imported judge', criterion: 'Overall', critique: null }] })}>
          Add a verdict column
        </button>
      </fieldset>

      <fieldset>
        <legend>Split, metadata and values</legend>
        {field(
          mapping.splits[0]?.field ?? null,
          (f) => set({ splits: f ? [{ field: f, criterion: mapping.splits[0]?.criterion ?? 'Overall' }, ...mapping.splits.slice(1)] : mapping.splits.slice(1) }),
          'Split column (train/dev/test)',
          mapping.splits.length > 1 ? `also ${mapping.splits.slice(1).map((s) => `${s.field} → ${s.criterion}`).join(', ')}` : undefined,
        )}
        <label className="map-check">
          <input type="checkbox" checked={mapping.keepUnmapped} onChange={(e) => set({ keepUnmapped: e.target.checked })} /> Keep every other field as metadata
        </label>
        <div className="values">
          {(['pass', 'fail', 'error'] as const).map((k) => (
            <label className="map-field" key={k}>
              <span>Values meaning {k}</span>
              <input aria-label={`Values meaning ${k}`} defaultValue={list(mapping.values[k])} onChange={(e) => set({ values: { ...mapping.values, [k]: parseList(e.target.value) } })} />
            </label>
          ))}
          <small className="muted">Case is ignored; an empty cell is no label or verdict. Any other value stops the import with its line, unless you choose to skip bad rows.</small>
        </div>
      </fieldset>
    </div>
  )
}

type States = NonNullable<Mapping['states']>
type FieldPicker = (value: string | null, update: (v: string | null) => void, label: string, hint?: string) => ReactNode

/**
 * Step-wise labels: the columns naming each trace's last successful and first failing state
 * (pipeline steps, or an agent's states such as tool names), and the states' order if the user
 * gives it (else inferred from the data and shown after the import).
 */
function StatesFields({ mapping, field, onChange }: { mapping: Mapping; field: FieldPicker; onChange: (states: Mapping['states']) => void }) {
  const states = mapping.states ?? null
  const update = (patch: Partial<States>) => {
    const next: States = { lastSuccess: null, firstFailure: null, criterion: 'Overall', annotator: mapping.labels[0]?.annotator ?? 'imported', order: null, ...states, ...patch }
    onChange(next.lastSuccess || next.firstFailure ? next : null)
  }
  return (
    <fieldset>
      <legend>Step-wise labels</legend>
      {field(states?.lastSuccess ?? null, (lastSuccess) => update({ lastSuccess }), 'Last successful state', 'per trace: the state (step, tool) that last succeeded')}
      {field(states?.firstFailure ?? null, (firstFailure) => update({ firstFailure }), 'First failing state', 'the first state that failed: the trace is a fail')}
      {states && !mapping.labels.some((l) => l.criterion === states.criterion && l.field !== null) && (
        <label className="map-field">
          <span>Annotator</span>
          <input aria-label="Step-wise labels annotator" title="Who made these labels (the label column's annotator, when one is mapped for the same criterion)" value={states.annotator} onChange={(e) => update({ annotator: e.target.value || 'imported' })} />
        </label>
      )}
      {states && (
        <label className="map-field" title="The states in order, separated by commas. Rows naming a state outside it, or a last success not before its first failure, are refused. Empty: the order is inferred from the data.">
          <span>State order</span>
          <input
            aria-label="State order"
            placeholder="inferred from the data"
            defaultValue={states.order?.join(', ') ?? ''}
            onChange={(e) => {
              const order = e.target.value.split(/,|→|->/).map((v) => v.trim()).filter(Boolean)
              update({ order: order.length > 0 ? order : null })
            }}
          />
        </label>
      )}
    </fieldset>
  )
}

type Version = Mapping['verdicts'][number]['version']

const versionText = (v: Version) => (v === undefined ? '' : v === 'new' ? 'new' : String(v))

/** Which version a verdict column adds to: empty (the newest imported), "new", or a number; what it holds is what the mapping says. */
function VersionField({ version, onChange }: { version: Version; onChange: (version: Version) => void }) {
  const [text, setText] = useState(versionText(version))
  const [shown, setShown] = useState(version)
  if (shown !== version) {
    // The mapping changed under the field (a row removed or re-detected): show what it says now.
    setShown(version)
    setText(versionText(version))
  }
  const parse = (raw: string): Version | null => {
    const t = raw.trim().toLowerCase().replace(/^v/, '')
    if (t === '') return undefined
    if (t === 'new') return 'new'
    return /^\d+$/.test(t) && Number(t) >= 1 ? Number(t) : null
  }
  const parsed = parse(text)
  return (
    <label className="map-field" title="Which version of the judge these verdicts add to: by default its newest imported version (a new one if it has none), so a test file and a production file form one version.">
      <span>Add to version</span>
      <input
        aria-label="Judge version"
        aria-invalid={parsed === null}
        placeholder="newest imported"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const next = parse(e.target.value)
          if (next !== null && next !== version) {
            setShown(next)
            onChange(next)
          }
        }}
      />
      {parsed === null && <small className="muted">a number, "new", or empty</small>}
    </label>
  )
}
