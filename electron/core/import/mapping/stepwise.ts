/**
 * Step-wise labels (`Mapping.states`): a row's last successful and first failing states, read
 * into the label of their criterion and checked against that label, the order the user gave,
 * and the trace's steps.
 */
import type { Mapping } from '../../../../shared/import'
import { isEmptyValue, toText } from '../fields'
import type { LabelStates, MappedItem } from '../types'
import { Problem, type MappedLabel, type Row } from './row'
import { isContainer } from './values'

type States = NonNullable<Mapping['states']>
/** The columns a problem with the states points at. */
interface StateColumns {
  last: string | undefined
  first: string | undefined
}

/**
 * Cells that name no state: an empty first failure is "did not fail"; an empty last success,
 * "failed at the first state".
 */
const NO_STATE = new Set(['', 'none', 'null', 'nan', 'n/a', '-'])
const START_NAMES = new Set(['(start)', 'start'])

/**
 * Reads the row's last successful and first failing states into the label of their criterion (a
 * fail when a state failed; made when no label column gave one), checked against the label's
 * verdict, the order the user gave, and the trace's steps. Returns what is wrong, or null.
 */
export function stepwiseLabel(row: Row, states: States, labels: MappedLabel[], item: MappedItem): Problem | null {
  const tally = row.prepared.tallies.states
  const last = stateCell(row, states.lastSuccess, true)
  const first = stateCell(row, states.firstFailure, false)
  if (last instanceof Problem) return last
  if (first instanceof Problem) return first
  // A row without the first-failure field says nothing of a failure (a field no row has stops the import).
  const absent = states.firstFailure !== null && row.read(states.firstFailure) === undefined
  if ((last === null && first === null) || absent) {
    tally.empty++
    return null
  }
  if (first !== null) tally.failed++
  else tally.lastOnly++
  const columns: StateColumns = { first: states.firstFailure ?? undefined, last: states.lastSuccess ?? undefined }
  if (row.mapping.unit.kind === 'step') {
    return new Problem(
      columns.first ?? columns.last,
      'step-wise labels are about whole traces, and this import reviews one step of each; review whole traces, or unmap the state columns',
    )
  }
  const own = labels.find((l) => l.criterion === states.criterion)
  const problem =
    orderProblem(row.prepared.stateRank, last, first, columns) ?? labelProblem(row, states, own, last, first, columns)
  if (problem) return problem
  const resolved = resolveStates(
    item.steps.map((s) => s.name),
    last,
    first,
  )
  if ('error' in resolved)
    return new Problem(columns.first ?? columns.last, `trace "${item.externalId}" ${resolved.error}`)
  if (own) {
    own.verdict = first !== null ? 'fail' : own.verdict
    own.states = resolved.states
    own.byStates = true
  } else labels.push(madeLabel(row, states, resolved.states))
  return null
}

/** A state column's cell: the state it names, null for none, or a problem when it holds a list or an object. */
function stateCell(row: Row, field: string | null, start: boolean): string | null | Problem {
  if (field === null) return null
  const raw = row.read(field)
  if (isContainer(raw))
    return new Problem(
      field,
      `state column "${field}" holds ${Array.isArray(raw) ? 'a list' : 'an object'}, not a state name; map the column that names the state`,
    )
  const text = isEmptyValue(raw) ? '' : toText(raw).trim()
  return NO_STATE.has(text.toLowerCase()) || (start && START_NAMES.has(text.toLowerCase())) ? null : text
}

/** The states checked against the order the user gave, if any. */
function orderProblem(
  rank: Map<string, number> | null,
  last: string | null,
  first: string | null,
  columns: StateColumns,
): Problem | null {
  if (!rank) return null
  for (const [name, column] of [
    [last, columns.last],
    [first, columns.first],
  ] as const) {
    if (name !== null && !rank.has(name))
      return new Problem(
        column,
        `state "${name}" is not in the state order you gave (${[...rank.keys()].join(', ')}); add it to the order, or fix the cell`,
      )
  }
  if (last !== null && first !== null && (rank.get(last) ?? 0) >= (rank.get(first) ?? 0)) {
    return new Problem(
      columns.first,
      `the last successful state "${last}" does not come before the first failing state "${first}" in the state order you gave (${[...rank.keys()].join(' → ')}); fix the cells, or the order`,
    )
  }
  return null
}

/** The states checked against the criterion's label on the same row (`own`), if any. */
function labelProblem(
  row: Row,
  states: States,
  own: MappedLabel | undefined,
  last: string | null,
  first: string | null,
  columns: StateColumns,
): Problem | null {
  if (first !== null && own && own.verdict === 'pass') {
    return new Problem(
      columns.first,
      `the first failing state is "${first}" but the label of "${states.criterion}" says pass: a trace that passed has no failing state; fix one of the cells`,
    )
  }
  if (first === null && (!own || own.verdict !== 'pass')) {
    const column = row.mapping.labels.some((l) => l.criterion === states.criterion && l.field !== null)
    const says = own
      ? ` and the label of "${states.criterion}" says ${own.verdict}`
      : column
        ? ` and the label of "${states.criterion}" is empty`
        : ''
    return new Problem(
      columns.first ?? columns.last,
      `the last successful state is "${last}" but no first failing state is named${says}: name the state that failed first, or ${column ? 'label the trace pass' : 'map a label column that says the trace passed'}`,
    )
  }
  if (own && own.verdict === 'error')
    return new Problem(
      columns.first,
      `the first failing state is "${first}" but the label of "${states.criterion}" is not a verdict ("error"): a trace with a failing state is a fail; fix one of the cells`,
    )
  return null
}

/** The fail a first failing state makes when no label column of its criterion gave a label on this row. */
function madeLabel(row: Row, states: States, resolved: LabelStates): MappedLabel {
  // The criterion's label column, when its cell was empty: its first labels' splits are gathered by column.
  const column = row.mapping.labels.findIndex((l) => l.criterion === states.criterion && l.field !== null)
  const l = column >= 0 ? row.mapping.labels[column] : null
  const annotator = (l?.annotatorField && toText(row.read(l.annotatorField)).trim()) || l?.annotator || states.annotator
  return {
    column,
    byStates: true,
    criterion: states.criterion,
    verdict: 'fail',
    note: '',
    annotator,
    states: resolved,
  }
}

/**
 * A step-wise label as stored for a trace with these steps (none: the states by name). A
 * pipeline's first failing state must be one of its steps — the first of that name right after
 * the last successful one, when that is given — and is stored as the step's index.
 */
export function resolveStates(
  steps: readonly string[],
  last: string | null,
  first: string | null,
): { states: LabelStates } | { error: string } {
  if (steps.length === 0) return { states: { firstFailingStep: null, lastSuccess: last, firstFailure: first } }
  const list = `its steps: ${steps.join(', ')}`
  if (first === null) {
    if (last !== null && !steps.includes(last))
      return { error: `has no step named "${last}" (${list}); fix the cell, or map the column that names its steps` }
    return { states: { firstFailingStep: null, lastSuccess: null, firstFailure: null } }
  }
  const at = steps.findIndex((name, i) => name === first && (last === null || (i > 0 && steps[i - 1] === last)))
  if (at < 0) {
    const why = !steps.includes(first)
      ? `has no step named "${first}"`
      : `has no step "${first}" right after a step "${last}"`
    return { error: `${why} (${list}); fix the cell, or map the column that names its steps` }
  }
  return { states: { firstFailingStep: at, lastSuccess: null, firstFailure: null } }
}
