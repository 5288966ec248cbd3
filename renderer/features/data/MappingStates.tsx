import type { Mapping } from '../../../shared/import'
import type { FieldPicker } from './mapping-part'

type States = NonNullable<Mapping['states']>

/**
 * Step-wise labels: the columns naming each trace's last successful and first failing state
 * (pipeline steps, or an agent's states such as tool names), and the states' order if the user
 * gives it (else inferred from the data and shown after the import).
 */
export function StatesFields({
  mapping,
  field,
  onChange,
}: {
  mapping: Mapping
  field: FieldPicker
  onChange: (states: Mapping['states']) => void
}) {
  const states = mapping.states ?? null
  const update = (patch: Partial<States>) => {
    const next: States = {
      lastSuccess: null,
      firstFailure: null,
      criterion: 'Overall',
      annotator: mapping.labels[0]?.annotator ?? 'imported',
      order: null,
      ...states,
      ...patch,
    }
    onChange(next.lastSuccess || next.firstFailure ? next : null)
  }
  return (
    <fieldset>
      <legend>Step-wise labels</legend>
      {field(
        states?.lastSuccess ?? null,
        (lastSuccess) => update({ lastSuccess }),
        'Last successful state',
        'per trace: the state (step, tool) that last succeeded',
      )}
      {field(
        states?.firstFailure ?? null,
        (firstFailure) => update({ firstFailure }),
        'First failing state',
        'the first state that failed: the trace is a fail',
      )}
      {states && !mapping.labels.some((l) => l.criterion === states.criterion && l.field !== null) && (
        <label className="map-field">
          <span>Annotator</span>
          <input
            aria-label="Step-wise labels annotator"
            title="Who made these labels (the label column's annotator, when one is mapped for the same criterion)"
            value={states.annotator}
            onChange={(e) => update({ annotator: e.target.value || 'imported' })}
          />
        </label>
      )}
      {states && (
        <label
          className="map-field"
          title="The states in order, separated by commas. Rows naming a state outside it, or a last success not before its first failure, are refused. Empty: the order is inferred from the data."
        >
          <span>State order</span>
          <input
            aria-label="State order"
            placeholder="inferred from the data"
            defaultValue={states.order?.join(', ') ?? ''}
            onChange={(e) => {
              const order = e.target.value
                .split(/,|→|->/)
                .map((v) => v.trim())
                .filter(Boolean)
              update({ order: order.length > 0 ? order : null })
            }}
          />
        </label>
      )}
    </fieldset>
  )
}
