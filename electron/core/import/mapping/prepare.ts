/**
 * What applying a mapping needs before the first row: the verdict lookup, the fields it uses, the
 * tallies it fills, and (span exports) the traces assembled from the whole file.
 */
import type { Mapping, SpanMapping } from '../../../../shared/import'
import { newStateTally, newTally, type FieldWatch, type StateTally, type Tally } from '../checks'
import { isPlainObject } from '../fields'
import { expandLangfuseTraces } from '../langfuse'
import { assembleSpanTrees, expandOtlpRecords, type SpanTrace } from '../spans'
import type { NormalVerdict, RecordError, SourceRecord } from '../types'
import { verdictTable } from './values'

/** Assembled span traces travel to `mapRecord` inside an ordinary record, under this key. */
export const TRACE_KEY = '\u0000assay.trace'

/**
 * Span exports: expands Langfuse traces and OTLP nesting, groups spans into traces (see `assembleSpanTrees`) and
 * returns one record per trace for `mapRecord`. The whole file must be read first.
 */
export function mapSpanRecords(
  records: SourceRecord[],
  mapping: Mapping,
  watch?: FieldWatch,
): { records: SourceRecord[]; errors: RecordError[] } {
  if (!mapping.spans) return { records, errors: [] }
  const langfuse = expandLangfuseTraces(records)
  const spans = expandOtlpRecords(langfuse.records)
  if (watch) for (const span of spans) watch.see(span.fields)
  const { traces, errors } = assembleSpanTrees(spans, mapping.spans, { input: mapping.input, output: mapping.output })
  return {
    records: traces.map((t) => ({ line: t.root.line, fields: { ...t.root.fields, [TRACE_KEY]: t } })),
    errors: [...langfuse.errors, ...errors],
  }
}

/** Whether a value under `TRACE_KEY` is a trace `mapSpanRecords` put there (a file's own field cannot be named so). */
function isSpanTrace(value: unknown): value is SpanTrace {
  return isPlainObject(value) && typeof value.traceId === 'string'
}

/** The record's assembled trace; a record that did not go through `mapSpanRecords` is a trace of one span. */
export function traceOf(record: SourceRecord, spans: SpanMapping, mapping: Mapping): SpanTrace | null {
  const t = record.fields[TRACE_KEY]
  if (isSpanTrace(t)) return t
  return assembleSpanTrees([record], spans, { input: mapping.input, output: mapping.output }).traces[0] ?? null
}

/** What `mapRecord` needs from the mapping alone: worked out once for a file rather than once a row. */
export interface PreparedMapping {
  verdictOf: (key: string) => NormalVerdict | null
  /** Whether an empty cell has a meaning in this value map (not by default). Otherwise it means "no verdict". */
  listsEmpty: boolean
  /** Fields mapped to something; with keepUnmapped, metadata gets every other field. */
  used: Set<string>
  /** What each label and verdict column held, in mapping order, counted over the rows mapped. */
  tallies: { labels: Tally[]; verdicts: Tally[]; states: StateTally }
  /** The position of each state in the order the user gave, if any. */
  stateRank: Map<string, number> | null
}

/** Every field the mapping names (some null). */
function mappedFields(mapping: Mapping): (string | null)[] {
  const spans = mapping.spans
    ? [
        mapping.spans.traceId,
        mapping.spans.spanId,
        mapping.spans.parentId,
        mapping.spans.name,
        mapping.spans.start,
        mapping.spans.order ?? null,
      ]
    : []
  const fields = [
    mapping.id,
    mapping.messages,
    mapping.steps,
    mapping.input,
    mapping.output,
    ...spans,
    ...mapping.metadata,
    ...(mapping.ignore ?? []),
  ]
  for (const l of mapping.labels) fields.push(l.field, l.note, l.annotatorField ?? null, l.timeField ?? null)
  for (const v of mapping.verdicts) fields.push(v.field, v.critique)
  for (const s of mapping.splits) fields.push(s.field)
  if (mapping.states) fields.push(mapping.states.lastSuccess, mapping.states.firstFailure)
  return fields
}

/** See `PreparedMapping`. */
export function prepareMapping(mapping: Mapping): PreparedMapping {
  const verdictOf = verdictTable(mapping.values)
  const order = mapping.states?.order ?? null
  return {
    verdictOf,
    listsEmpty: verdictOf('') !== null,
    used: new Set([TRACE_KEY, ...mappedFields(mapping).filter((f): f is string => Boolean(f))]),
    tallies: {
      labels: mapping.labels.map(newTally),
      verdicts: mapping.verdicts.map(newTally),
      states: newStateTally(),
    },
    stateRank: order && order.length > 0 ? new Map(order.map((name, i) => [name, i])) : null,
  }
}

/** Labels, notes or verdicts for items that exist already: the row needs an id, not a trace. */
export function joinOnly(m: Mapping): boolean {
  return (
    !(m.input || m.output || m.messages || m.steps || m.spans) &&
    m.id !== null &&
    (m.labels.length > 0 || m.verdicts.length > 0 || m.splits.length > 0 || Boolean(m.states))
  )
}
