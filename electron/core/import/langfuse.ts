/**
 * Langfuse traces as the public API returns them (`GET /api/public/traces/{id}`: a trace with its
 * `observations` and `scores` inlined; a file of such traces, or `{data: [...]}`) made into the
 * span records the span grouping reads: the trace is the root, each observation a span under it.
 * Scores become flat fields a verdict column can name: `score.<name>` and `score.<name>.comment`.
 */
import { isPlainObject, toText } from './fields'
import type { RecordError, SourceRecord } from './types'

/** The field a Langfuse trace's score of this name is read from (its comment: `.comment` after it). */
export const scoreField = (name: string): string => `score.${name}`

/** Whether a record is a Langfuse trace with its observations or scores inline (not a bare observation). */
export function isLangfuseTrace(fields: Record<string, unknown>): boolean {
  if (typeof fields.id !== 'string' || 'traceId' in fields || 'parentObservationId' in fields) return false
  const objects = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isPlainObject)
  return objects(fields.observations) || (objects(fields.scores) && 'input' in fields)
}

/**
 * Each Langfuse trace record → the trace (root, `parentObservationId: null`) and its observations
 * (top-level ones under the trace). Scores on the trace become its `score.*` fields; scores on an
 * observation are kept in the trace's `observationScores`. Two different scores of one name on a
 * trace refuse it: a judge has one verdict per item. Other records pass through.
 */
export function expandLangfuseTraces(records: SourceRecord[]): { records: SourceRecord[]; errors: RecordError[] } {
  const errors: RecordError[] = []
  const out: SourceRecord[] = []
  for (const r of records) {
    if (!isLangfuseTrace(r.fields)) {
      out.push(r)
      continue
    }
    const { observations, scores, ...trace } = r.fields
    const traceId = toText(trace.id)
    const list = Array.isArray(scores) ? scores.filter(isPlainObject) : []
    const own = traceScores(
      list.filter((s) => isEmptyId(s.observationId)),
      traceId,
    )
    if (typeof own === 'string') {
      errors.push({ line: r.line, column: 'scores', message: own })
      continue // the whole trace is refused, not imported without the verdict
    }
    const onObservations = list.filter((s) => !isEmptyId(s.observationId))
    const root: Record<string, unknown> = { ...trace, traceId, parentObservationId: null, ...own }
    if (onObservations.length > 0) root.observationScores = onObservations
    if (Array.isArray(observations) && !observations.every(isPlainObject)) root.observations = observations
    out.push({ line: r.line, fields: root })
    for (const o of Array.isArray(observations) ? observations.filter(isPlainObject) : []) {
      const parent = isEmptyId(o.parentObservationId) ? traceId : o.parentObservationId
      out.push({ line: r.line, fields: { ...o, traceId, parentObservationId: parent } })
    }
  }
  return { records: out, errors }
}

const isEmptyId = (v: unknown) => v === undefined || v === null || v === ''

/**
 * A trace's own scores as `score.<name>` fields: NUMERIC and BOOLEAN scores by `value` (BOOLEAN is
 * 1/0), CATEGORICAL by `stringValue`. A message when one name has two different values.
 */
function traceScores(scores: Record<string, unknown>[], traceId: string): Record<string, unknown> | string {
  const fields: Record<string, unknown> = {}
  for (const s of scores) {
    const name = toText(s.name).trim()
    if (name === '') continue
    const value = s.dataType === 'CATEGORICAL' && !isEmptyId(s.stringValue) ? s.stringValue : s.value
    const key = scoreField(name)
    if (key in fields && toText(fields[key]) !== toText(value))
      return `trace "${traceId}" has two scores named "${name}" (${toText(fields[key])} and ${toText(value)}); a judge gives one verdict per trace: keep one score per name in the export`
    fields[key] = value
    if (typeof s.comment === 'string' && s.comment.trim() !== '') fields[`${key}.comment`] = s.comment
  }
  return fields
}
