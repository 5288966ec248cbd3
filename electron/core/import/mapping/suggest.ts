/**
 * `suggestMapping` proposes a mapping from column names and sample values; it is only a starting
 * point the user sees and edits. Conservative by design: see `suggestMapping`.
 */
import { EMPTY_MAPPING, type Mapping } from '../../../../shared/import'
import { assayExportMapping } from '../assay-export'
import { getField, isEmptyValue, isPlainObject, parseJsonCell, toText } from '../fields'
import { looksLikeMessages } from '../traces'
import type { Detected } from '../types'
import {
  FIRST_FAILURE,
  ID_NAMES,
  INPUT_NAMES,
  LAST_SUCCESS,
  MESSAGES_NAMES,
  OUTPUT_NAMES,
  SPAN_CANDIDATES,
  STEPS_NAMES,
} from './names'
import { suggestInterop } from './suggest-interop'
import { suggestEvalMapping } from './suggest-evals'
import { suggestJudgements } from './suggest-judgements'

/** The sample's columns, what they hold, and which the suggestion has taken already. */
class SampleColumns {
  readonly columns: string[]
  private readonly rows: Record<string, unknown>[]
  private readonly taken = new Set<string>()

  constructor(detected: Detected) {
    this.rows = detected.sample.map((r) => r.fields)
    this.columns = detected.columns.filter((c) => c !== '')
  }

  /** The column's values on the rows that have it. */
  valuesOf(col: string): unknown[] {
    return this.rows.map((f) => getField(f, col)).filter((v) => v !== undefined)
  }

  /** The column's values that are not empty. */
  readonly filled = (col: string): unknown[] => this.valuesOf(col).filter((v) => !isEmptyValue(v))

  /** Whether any sample row has the field (a column, or a path into nested JSON). */
  present(col: string): boolean {
    return this.rows.some((f) => getField(f, col) !== undefined)
  }

  get sampleSize(): number {
    return this.rows.length
  }

  /** Marks a column as mapped, so that no later part of the suggestion maps it again. */
  readonly take = (col: string | null): string | null => {
    if (col) this.taken.add(col)
    return col
  }

  /** The columns not taken yet. */
  free(): string[] {
    return this.columns.filter((c) => !this.taken.has(c))
  }

  /** Columns named like one of `names` (case-insensitive), best name first; then by last dotted segment. */
  byName(names: string[]): string[] {
    const lower = (s: string) => s.toLowerCase()
    const exact = names.flatMap((n) => this.columns.filter((c) => lower(c) === n))
    const tail = names.flatMap((n) =>
      this.columns.filter((c) => c.includes('.') && lower(c.slice(c.lastIndexOf('.') + 1)) === n),
    )
    return [...new Set([...exact, ...tail])].filter((c) => !this.taken.has(c))
  }
}

/**
 * A first mapping from column names and sample values. Conservative: a column is used only when
 * its name says what it is and its values agree (a label column's values must all be in the
 * pass/fail vocabulary); anything else stays in metadata for the user to map.
 */
export function suggestMapping(detected: Detected): Mapping {
  const own = assayExportMapping(detected.columns) ?? suggestEvalMapping(detected)
  if (own) return own
  const m: Mapping = structuredClone(EMPTY_MAPPING)
  const sample = new SampleColumns(detected)
  // OTLP JSON (resourceSpans → scopeSpans → spans): the standard field names.
  if (sample.columns.includes('resourceSpans') || sample.columns.includes('scopeSpans')) {
    m.spans = {
      traceId: 'traceId',
      spanId: 'spanId',
      parentId: 'parentSpanId',
      name: 'name',
      start: 'startTimeUnixNano',
    }
    m.id = 'traceId'
    return m
  }
  const interop = suggestInterop(detected)
  if (interop) return interop
  suggestSpans(m, sample)
  if (m.spans) suggestSpanText(m, sample)
  else suggestTrace(m, sample)
  suggestStates(m, sample.free(), sample.filled, sample.take)
  suggestJudgements(m, sample.free(), sample.filled)
  return m
}

/** Span exports: trace, span and parent ids, several rows per trace. */
function suggestSpans(m: Mapping, sample: SampleColumns): void {
  const findPath = (cands: string[]) => cands.find((c) => sample.present(c)) ?? null
  const traceCol = findPath(SPAN_CANDIDATES.traceId)
  const parentCol = findPath(SPAN_CANDIDATES.parentId)
  const spanCol =
    parentCol === 'parentObservationId' ? (sample.present('id') ? 'id' : null) : findPath(SPAN_CANDIDATES.spanId)
  if (!(traceCol && spanCol && parentCol)) return
  const ids = sample.filled(traceCol).map((v) => toText(v))
  if (new Set(ids).size === ids.length) return
  m.spans = {
    traceId: traceCol,
    spanId: spanCol,
    parentId: parentCol,
    name: findPath(SPAN_CANDIDATES.name),
    start: findPath(SPAN_CANDIDATES.start),
  }
  const { traceId, spanId, parentId, name, start } = m.spans
  for (const c of [traceId, spanId, parentId, name, start]) sample.take(c)
  m.id = traceCol
}

/** A span export's input and output columns (OpenInference's first). */
function suggestSpanText(m: Mapping, sample: SampleColumns): void {
  const hasValues = (c: string) => sample.filled(c).length > 0
  m.input = sample.take(sample.byName(['attributes.input.value', 'input.value', 'input']).find(hasValues) ?? null)
  m.output = sample.take(sample.byName(['attributes.output.value', 'output.value', 'output']).find(hasValues) ?? null)
}

/** A row-per-trace file's id, conversation, steps, input and output columns. */
function suggestTrace(m: Mapping, sample: SampleColumns): void {
  const { filled, take } = sample
  m.id = take(suggestId(sample))
  const conversation = (col: string) => {
    const vs = filled(col)
    return vs.length > 0 && vs.filter(looksLikeMessages).length >= vs.length / 2
  }
  m.messages = take(
    sample.byName(MESSAGES_NAMES).find(conversation) ??
      sample.byName(INPUT_NAMES).find(conversation) ??
      sample.free().find(conversation) ??
      null,
  )
  m.steps = take(
    sample.byName(STEPS_NAMES).find((c) =>
      filled(c).some((v) => {
        const p = parseJsonCell(v)
        return Array.isArray(p) && p.every(isPlainObject)
      }),
    ) ?? null,
  )
  const text = (col: string) => filled(col).length > 0 && !conversation(col)
  m.input = take(sample.byName(INPUT_NAMES).find(text) ?? null)
  m.output = take(sample.byName(OUTPUT_NAMES).find((c) => filled(c).length > 0) ?? null)
}

/** The id column: one named as an id whose values are unique, else any named as an id with single values. */
function suggestId(sample: SampleColumns): string | null {
  const unique = (col: string) => {
    const vs = sample.valuesOf(col)
    if (vs.length === 0 || vs.length < sample.sampleSize || vs.some((v) => isEmptyValue(v) || typeof v === 'object'))
      return false
    return new Set(vs.map((v) => toText(v).trim())).size === vs.length
  }
  const idLike = sample.columns.filter((c) => /(^|[_.\s-])id$|Id$|ID$/.test(c) && !/parent/i.test(c))
  // A column named as an id is the id even when its values repeat: the import then stops at the
  // repeats with their lines, rather than numbering the rows and keeping the real id as metadata.
  const scalar = (col: string) => sample.filled(col).some((v) => typeof v !== 'object')
  const idColumns = [...new Set([...sample.byName(ID_NAMES), ...idLike])]
  return idColumns.find(unique) ?? idColumns.find(scalar) ?? null
}

/**
 * Step-wise label columns (`last_success_state`, `first_failure_state`): named so, and holding
 * names (text), not flags.
 */
function suggestStates(
  m: Mapping,
  columns: string[],
  filled: (col: string) => unknown[],
  take: (col: string | null) => string | null,
): void {
  const names = (col: string) => {
    const vs = filled(col)
    return (
      vs.length > 0 &&
      vs.every((v) => typeof v === 'string' || typeof v === 'number') &&
      vs.some((v) => typeof v === 'string' && !/^(true|false|[01])$/i.test(v.trim()))
    )
  }
  const tail = (c: string) => c.slice(c.lastIndexOf('.') + 1)
  const last = columns.find((c) => LAST_SUCCESS.test(tail(c)) && names(c)) ?? null
  const first = columns.find((c) => FIRST_FAILURE.test(tail(c)) && names(c)) ?? null
  if (!first) return // a last success alone says no trace failed: not a step-wise label
  m.states = {
    lastSuccess: take(last),
    firstFailure: take(first),
    criterion: 'Overall',
    annotator: 'imported',
    order: null,
  }
}
