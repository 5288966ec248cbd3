/**
 * Checks of a mapping against the file it is applied to, so that a mapping that reads nothing
 * stops the import with what was wrong instead of importing empty or made-up values: a mapped
 * field that no record has, and a label or verdict column that holds no verdict at all.
 */
import type { ColumnTally, Mapping } from '../../../shared/import'
import { getField } from './fields'
import type { RecordError } from './types'

/** One field the mapping reads, and what for (in the user's words). */
export interface MappedField {
  field: string
  role: string
}

/** Every field `mapping` reads, each once, with its first role. */
export function mappedFields(mapping: Mapping): MappedField[] {
  const out: MappedField[] = []
  const add = (field: string | null | undefined, role: string) => {
    if (field && !out.some((f) => f.field === field)) out.push({ field, role })
  }
  add(mapping.id, 'the id')
  if (mapping.spans) {
    add(mapping.spans.traceId, 'the trace id of each span')
    add(mapping.spans.spanId, 'the span id')
    add(mapping.spans.parentId, 'the parent span id')
    add(mapping.spans.name, 'the span name')
    add(mapping.spans.start, 'the span start time')
  }
  add(mapping.input, 'the input')
  add(mapping.output, 'the output')
  add(mapping.messages, 'the chat messages')
  add(mapping.steps, 'the pipeline steps')
  for (const l of mapping.labels) {
    add(l.field, `the human label of "${l.criterion}"`)
    add(l.note, `the note of "${l.criterion}"`)
    add(l.annotatorField, `the annotator of "${l.criterion}"`)
    add(l.timeField, `the label time of "${l.criterion}"`)
  }
  for (const v of mapping.verdicts) {
    add(v.field, `the verdicts of judge "${v.judge}"`)
    add(v.critique, `the critiques of judge "${v.judge}"`)
  }
  for (const s of mapping.splits) add(s.field, `the split of "${s.criterion}"`)
  if (mapping.states) {
    add(mapping.states.lastSuccess, `the last successful state (of "${mapping.states.criterion}")`)
    add(mapping.states.firstFailure, `the first failing state (of "${mapping.states.criterion}")`)
  }
  for (const m of mapping.metadata) add(m, 'metadata')
  return out
}

/** How many field names `FieldWatch` keeps for "the file's fields" (a JSON file may have thousands of keys). */
const KEPT_NAMES = 200

/**
 * Watches records for the fields a mapping reads, and collects top-level names (up to
 * `KEPT_NAMES`) for the message about a missing one. Once every field has been seen it costs nothing.
 */
export class FieldWatch {
  private readonly unseen: MappedField[]
  private readonly names = new Set<string>()

  constructor(mapping: Mapping) {
    this.unseen = mappedFields(mapping)
  }

  see(fields: Record<string, unknown>): void {
    if (this.unseen.length === 0) return
    if (this.names.size < KEPT_NAMES) for (const key in fields) if (this.names.size < KEPT_NAMES) this.names.add(key)
    for (let i = this.unseen.length - 1; i >= 0; i--)
      if (getField(fields, this.unseen[i].field) !== undefined) this.unseen.splice(i, 1)
  }

  /**
   * Mapped fields no record had, each as a located error. With `impossibleOnly`, only those that
   * no later record can have either: not among the `known` fields, nor a path into one of them.
   */
  errors(
    file: string,
    known: readonly string[] = [...this.names],
    impossibleOnly = false,
    where = 'in any row',
  ): RecordError[] {
    const possible = (field: string) => known.some((k) => field === k || field.startsWith(`${k}.`))
    return this.unseen
      .filter((f) => !impossibleOnly || !possible(f.field))
      .map((f) => missingField(f, file, known, where))
  }
}

/**
 * The error for a mapped field the file does not have: the field, what it was for, the fields there
 * are, the closest one.
 */
export function missingField(
  f: MappedField,
  file: string,
  known: readonly string[],
  where = 'in any row',
): RecordError {
  const near = closest(f.field, known)
  const list =
    known.length === 0
      ? 'none'
      : `${known
          .slice(0, 30)
          .map((k) => `"${k}"`)
          .join(', ')}${known.length > 30 ? ', …' : ''}`
  return {
    line: 1,
    column: f.field,
    fatal: true,
    message: `${file} has no field "${f.field}" (mapped as ${f.role}) ${where}.${near ? ` Did you mean "${near}"?` : ''} Its fields: ${list}. Map one of them, or unmap ${f.role}.`,
  }
}

/** The known name nearest to `name` (case, `_`/`-`/`.`/space ignored), if any is near enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_.-]+/g, '')
  const target = norm(name)
  let best: string | null = null
  let bestDistance = Infinity
  for (const candidate of known) {
    const c = norm(candidate)
    const d =
      c === target
        ? 0
        : c.includes(target) || target.includes(c)
          ? Math.abs(c.length - target.length) / 2
          : distance(c, target)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== null && bestDistance <= Math.max(2, target.length / 3) ? best : null
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}

/** What one label or verdict column held, counted by `mapRecord` (see `ColumnTally`), with a few of its values. */
export interface Tally {
  pass: number
  fail: number
  error: number
  defer: number
  empty: number
  /** Notes with no verdict beside them (a notes column alone, or an empty label cell): kept as deferred labels. */
  notes: number
  /** Up to 5 distinct values that were not pass or fail, for the message when the column holds no verdict. */
  examples: string[]
}

export const newTally = (): Tally => ({ pass: 0, fail: 0, error: 0, defer: 0, empty: 0, notes: 0, examples: [] })

/** What the step-wise columns held: rows naming a first failing state, only a last successful one, or neither. */
export interface StateTally {
  failed: number
  lastOnly: number
  empty: number
}

export const newStateTally = (): StateTally => ({ failed: 0, lastOnly: 0, empty: 0 })

/** Keeps `value` among a column's examples (at most 5 distinct). */
export function noteExample(tally: Tally, value: string): void {
  if (tally.examples.length < 5 && !tally.examples.includes(value)) tally.examples.push(value)
}

/**
 * A label column with no pass, fail or defer in any row, or a verdict column with no verdict at
 * all (pass, fail or error), was mapped to the wrong field: an error that shows what it holds.
 */
export function emptyColumnError(
  column: Pick<ColumnTally, 'kind' | 'field' | 'criterion' | 'judge'>,
  tally: Tally,
): RecordError | null {
  const verdicts =
    column.kind === 'label' ? tally.pass + tally.fail + tally.defer : tally.pass + tally.fail + tally.error
  const rows = tally.pass + tally.fail + tally.error + tally.defer + tally.empty
  if (verdicts > 0 || rows === 0) return null
  const what =
    column.kind === 'label'
      ? `label column "${column.field}" (of "${column.criterion}")`
      : `verdict column "${column.field}" (of judge "${column.judge}")`
  const held =
    tally.examples.length === 0
      ? 'only empty cells'
      : `only ${tally.examples.map((e) => (e === '' ? 'empty cells' : `"${e}"`)).join(', ')}`
  const wanted = column.kind === 'label' ? 'pass or fail' : 'pass, fail or error'
  return {
    line: 1,
    column: column.field,
    fatal: true,
    message: `${what} holds no ${wanted} value in ${rows} row${rows === 1 ? '' : 's'}: it has ${held}. Map the column that holds the verdicts, add its values to the value map, or unmap it.`,
  }
}

/**
 * The label and verdict columns of a mapping that hold no verdict (see `emptyColumnError`),
 * leaving out those already reported as missing (a fatal error on the field) and, in Assay's
 * own export, the columns of criteria and judge versions that simply have none.
 */
export function emptyColumnErrors(
  mapping: Mapping,
  tallies: { labels: Tally[]; verdicts: Tally[]; states?: StateTally },
  reported: RecordError[] = [],
): RecordError[] {
  if (mapping.assayExport) return []
  const missing = new Set(reported.filter((e) => e.fatal).map((e) => e.column))
  const errors: RecordError[] = []
  for (const [i, l] of mapping.labels.entries()) {
    const error =
      l.field === null || missing.has(l.field)
        ? null
        : emptyColumnError({ kind: 'label', field: l.field, criterion: l.criterion, judge: null }, tallies.labels[i])
    if (error) errors.push(error)
  }
  for (const [i, v] of mapping.verdicts.entries()) {
    const error = missing.has(v.field)
      ? null
      : emptyColumnError(
          { kind: 'verdict', field: v.field, criterion: v.criterion, judge: v.judge },
          tallies.verdicts[i],
        )
    if (error) errors.push(error)
  }
  const states = mapping.states
  const fields = states ? [states.lastSuccess, states.firstFailure].filter((f): f is string => f !== null) : []
  if (states && tallies.states && fields.length > 0 && !fields.some((f) => missing.has(f))) {
    const t = tallies.states
    if (t.failed + t.lastOnly === 0 && t.empty > 0) {
      const names = fields.map((f) => `"${f}"`).join(' and ')
      errors.push({
        line: 1,
        column: fields[0],
        fatal: true,
        message: `state column${fields.length > 1 ? 's' : ''} ${names} (step-wise labels of "${states.criterion}") name${fields.length > 1 ? '' : 's'} no state in ${t.empty} row${t.empty === 1 ? '' : 's'}: only empty cells. Map the columns that name the last successful and first failing states, or unmap them.`,
      })
    }
  }
  return errors
}
