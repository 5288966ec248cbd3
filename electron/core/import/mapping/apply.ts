/**
 * Applying a `Mapping` (shared/import.ts) to source records: each record becomes an item plus
 * its labels, judge verdicts and split, or an error that names the line, the column and what to
 * do. Each part of the row is read by its own function, in the order the checks report.
 */
import type { ChatMessage } from '../../../../shared/domain'
import type { Mapping, SplitName } from '../../../../shared/import'
import { assertShallow, getField, isEmptyValue, isPlainObject, NestingError, parseJsonCell, toText } from '../fields'
import { noteExample } from '../checks'
import type { SpanTrace } from '../spans'
import {
  findStep,
  firstUserText,
  isAssistantRole,
  lastAssistantText,
  normalizeMessages,
  normalizeSteps,
  outputMessages,
  type TraceStep,
} from '../traces'
import type { MappedItem, NormalVerdict, RecordError, SourceRecord } from '../types'
import { joinOnly, prepareMapping, traceOf, type PreparedMapping } from './prepare'
import { Problem, type MappedLabel, type Row } from './row'
import { stepwiseLabel } from './stepwise'
import { scoreVerdict, unknownValue, unknownVerdict } from './scores'
import { DEFER, isContainer, SPLITS, verdictKey } from './values'

export type { MappedLabel } from './row'
/** A judge's verdict a row gives, with the verdict column it came from. */
export interface MappedVerdict {
  judge: string
  criterion: string
  verdict: NormalVerdict
  critique: string
  /** Which of the mapping's verdict columns it came from. */
  column: number
}
/** A split the row names for its item, on one criterion. */
export interface MappedSplit {
  criterion: string
  split: SplitName
}
/** A mapped row, or the error that refuses it. */
export type MapResult =
  | { ok: true; item: MappedItem; labels: MappedLabel[]; verdicts: MappedVerdict[]; splits: MappedSplit[] }
  | { ok: false; error: RecordError }

/**
 * One record → an item with its labels, verdicts and split, or an error saying what to fix.
 * `prepared` (from `prepareMapping(mapping)`) saves that work when mapping a whole file, and
 * counts what the label and verdict columns held. A value nested too deep is refused with the
 * row's line (see `MAX_NESTING`) — and so is one that would overflow the stack some other way.
 */
export function mapRecord(
  record: SourceRecord,
  mapping: Mapping,
  prepared: PreparedMapping = prepareMapping(mapping),
): MapResult {
  try {
    const result = mapOne(record, mapping, prepared)
    if (result instanceof Problem)
      return { ok: false, error: { line: record.line, column: result.column, message: result.message } }
    return result
  } catch (error) {
    if (!(error instanceof NestingError || error instanceof RangeError)) throw error
    const message = error instanceof NestingError ? error.message : new NestingError().message
    return { ok: false, error: { line: record.line, message: `this row cannot be imported: ${message}` } }
  }
}

function mapOne(record: SourceRecord, mapping: Mapping, prepared: PreparedMapping): MapResult | Problem {
  const fields = record.fields
  const row: Row = {
    line: record.line,
    fields,
    mapping,
    prepared,
    read: (path) => (path ? getField(fields, path) : undefined),
  }
  const trace = readTrace(record, mapping)
  if (trace instanceof Problem) return trace
  const externalId = readId(row, trace)
  if (externalId instanceof Problem) return externalId
  const content = trace ? traceContent(trace) : columnContent(row)
  if (content instanceof Problem) return content
  const labels = readLabels(row)
  if (labels instanceof Problem) return labels
  const verdicts = readVerdicts(row)
  if (verdicts instanceof Problem) return verdicts
  const splits = readSplits(row)
  if (splits instanceof Problem) return splits
  const item = reviewedItem(row, externalId, content, readMetadata(row, trace))
  if (item instanceof Problem) return item
  if (mapping.states && (mapping.states.lastSuccess || mapping.states.firstFailure)) {
    const problem = stepwiseLabel(row, mapping.states, labels, item)
    if (problem) return problem
  }
  // Stored as JSON and drawn by the trace view: both recurse, so the depth is checked here.
  assertShallow(item.messages)
  assertShallow(item.metadata)
  for (const step of item.steps) assertShallow(step.metadata)
  return { ok: true, item, labels, verdicts, splits }
}

/** A span export's trace of this record (null for other files). */
function readTrace(record: SourceRecord, mapping: Mapping): SpanTrace | null | Problem {
  if (!mapping.spans) return null
  const trace = traceOf(record, mapping.spans, mapping)
  if (trace) return trace
  const column = mapping.spans.traceId
  return new Problem(column, `span column "${column}" is empty: every span needs a trace id`)
}

function readId(row: Row, trace: SpanTrace | null): string | Problem {
  const { mapping } = row
  const rawId = row.read(mapping.id)
  if (trace) return isEmptyValue(rawId) ? trace.traceId : toText(rawId).trim()
  if (mapping.id === null) return `row-${row.line}`
  if (isEmptyValue(rawId) || typeof rawId === 'object') {
    return new Problem(
      mapping.id,
      `id column "${mapping.id}" is ${isEmptyValue(rawId) ? 'empty' : 'not a single value'} on this row; fill it in, or map another id column (none = row numbers)`,
    )
  }
  return toText(rawId).trim()
}

/** The trace to review: its conversation, its pipeline steps, and the text of its input and output. */
interface Content {
  messages: ChatMessage[]
  steps: TraceStep[]
  input: string
  output: string
}

/** Fills an empty input or output from the conversation. */
function completed(content: Content): Content {
  const { messages } = content
  if (messages.length === 0) return content
  return {
    ...content,
    input: content.input.trim() === '' ? firstUserText(messages) : content.input,
    output: content.output.trim() === '' ? lastAssistantText(messages) : content.output,
  }
}

function traceContent(trace: SpanTrace): Content {
  // A root span whose input is a conversation and whose output is text (Braintrust): the reply joins the chat.
  const messages = withReply(trace.messages, trace.output)
  return completed({ messages, steps: trace.steps, input: trace.input, output: trace.output })
}

/** The content of a row mapped column by column (not a span export). */
function columnContent(row: Row): Content | Problem {
  const { mapping, read } = row
  let messages: ChatMessage[] = []
  let steps: TraceStep[] = []
  if (mapping.messages) {
    const r = normalizeMessages(read(mapping.messages))
    if (!r.ok)
      return new Problem(
        mapping.messages,
        `messages column "${mapping.messages}" ${r.error}; fix the cell or map another column`,
      )
    messages = r.value
  }
  if (mapping.steps) {
    const r = normalizeSteps(read(mapping.steps))
    if (!r.ok)
      return new Problem(
        mapping.steps,
        `steps column "${mapping.steps}" ${r.error}; fix the cell or map another column`,
      )
    steps = r.value
  }
  const input = mapping.input === mapping.messages ? '' : toText(read(mapping.input))
  if (mapping.output === mapping.messages) return completed({ messages, steps, input, output: '' })
  const rawOutput = read(mapping.output)
  const replyMessages = outputMessages(rawOutput)
  // A log export's reply (`{role, content}`, `{choices}`, …) completes the conversation.
  if (replyMessages)
    return completed({
      messages: [...messages, ...replyMessages],
      steps,
      input,
      output: lastAssistantText(replyMessages),
    })
  const output = toText(rawOutput)
  return completed({ messages: withReply(messages, output), steps, input, output })
}

/** The conversation so far plus the reply in its own column: the reply is shown in the chat too. */
function withReply(messages: ChatMessage[], output: string): ChatMessage[] {
  const last = messages.at(-1)
  if (messages.length === 0 || output.trim() === '') return messages
  if (last && isAssistantRole(last.role) && (last.content ?? '').trim() === output.trim()) return messages
  return [...messages, { role: 'assistant', content: output }]
}

function readLabels(row: Row): MappedLabel[] | Problem {
  const labels: MappedLabel[] = []
  for (const [i, l] of row.mapping.labels.entries()) {
    const label = readLabel(row, l, i)
    if (label instanceof Problem) return label
    if (label) labels.push(label)
  }
  return labels
}

/** One label column's label on this row, if it gives one, and its tally. */
function readLabel(row: Row, l: Mapping['labels'][number], i: number): MappedLabel | null | Problem {
  const { read } = row
  const tally = row.prepared.tallies.labels[i]
  const note = l.note ? toText(read(l.note)).trim() : ''
  const who = (l.annotatorField && toText(read(l.annotatorField)).trim()) || l.annotator
  const when = l.timeField ? toText(read(l.timeField)).trim() : ''
  if (l.timeField && when !== '' && Number.isNaN(Date.parse(when)))
    return new Problem(
      l.timeField,
      `label time column "${l.timeField}": "${when}" is not a date and time (ISO 8601, e.g. 2026-01-15T09:00:00Z); fix the cell or unmap the column`,
    )
  const label = (verdict: MappedLabel['verdict'], text: string): MappedLabel => ({
    column: i,
    criterion: l.criterion,
    verdict,
    note: text,
    annotator: who,
    ...(when ? { createdAt: new Date(when).toISOString() } : {}),
  })
  const raw = l.field === null ? undefined : read(l.field)
  if (l.field === null || (isEmptyValue(raw) && !row.prepared.listsEmpty)) {
    // No label; a note written without a verdict is still a note (kept as a deferred label, as a notes column is).
    tally.empty += l.field === null ? 0 : 1
    if (l.field !== null) noteExample(tally, '')
    if (note === '') return null
    tally.notes++
    return label('defer', note)
  }
  const key = verdictKey(raw)
  // A human may defer an item (Assay's own export writes "defer"): kept as a deferred label.
  if (DEFER.has(key)) {
    tally.defer++
    return label('defer', note)
  }
  let verdict = isContainer(raw) ? null : row.prepared.verdictOf(key)
  if (verdict === null) return new Problem(l.field, unknownValue('label', l.field, raw))
  if (verdict === 'error') noteExample(tally, toText(raw).trim())
  if (l.invert && verdict !== 'error') verdict = verdict === 'pass' ? 'fail' : 'pass'
  tally[verdict]++ // as labels: a failure-mode column's 1 is a fail
  return label(verdict, note)
}

function readVerdicts(row: Row): MappedVerdict[] | Problem {
  const { read, prepared } = row
  const verdicts: MappedVerdict[] = []
  for (const [i, v] of row.mapping.verdicts.entries()) {
    const tally = prepared.tallies.verdicts[i]
    const raw = read(v.field)
    const critique = v.critique ? toText(read(v.critique)).trim() : ''
    if (isEmptyValue(raw) && !prepared.listsEmpty) {
      tally.empty++
      noteExample(tally, '')
      continue
    }
    const scored = scoreVerdict(v, raw, critique)
    const verdict = scored?.verdict ?? (isContainer(raw) ? null : prepared.verdictOf(verdictKey(raw)))
    if (verdict === null) return new Problem(v.field, unknownVerdict(v, raw))
    tally[verdict]++
    verdicts.push({
      judge: v.judge,
      criterion: v.criterion,
      verdict,
      critique: scored?.critique ?? critique,
      column: i,
    })
  }
  return verdicts
}

function readSplits(row: Row): MappedSplit[] | Problem {
  const splits: MappedSplit[] = []
  for (const column of row.mapping.splits) {
    const raw = row.read(column.field)
    if (isEmptyValue(raw)) continue
    const s = SPLITS.get(verdictKey(raw))
    if (!s)
      return new Problem(
        column.field,
        `split column "${column.field}": value "${toText(raw)}" is not train, dev or test; fix the cell or unmap the split`,
      )
    splits.push({ criterion: column.criterion, split: s })
  }
  return splits
}

/** The mapped metadata fields and, with keepUnmapped, every field the mapping does not use. */
function readMetadata(row: Row, trace: SpanTrace | null): Record<string, unknown> {
  const { mapping, fields } = row
  const metadata: Record<string, unknown> = trace ? { ...trace.metadata } : {}
  for (const path of mapping.metadata) {
    const v = getField(fields, path)
    if (v !== undefined) metadata[path] = parseJsonCell(v)
  }
  if (!mapping.keepUnmapped) return metadata
  const source = trace ? trace.rootFields : fields
  for (const key of Object.keys(source)) {
    const value = source[key]
    if (row.prepared.used.has(key) || key in metadata || value === undefined || value === null || value === '') continue
    const parsed = parseJsonCell(value)
    // A field named "metadata" that holds an object (log exports, Assay's own export) is the
    // metadata itself: spread it rather than nesting it one level down.
    if (key.toLowerCase() === 'metadata' && isPlainObject(parsed)) Object.assign(metadata, parsed)
    else metadata[key] = parsed
  }
  return metadata
}

/** The item under review: the whole trace, or (unit `step`) the named step of it. */
function reviewedItem(
  row: Row,
  externalId: string,
  content: Content,
  metadata: Record<string, unknown>,
): MappedItem | Problem {
  const { mapping } = row
  const { messages, steps } = content
  if (mapping.unit.kind === 'step') return stepItem(row, externalId, steps, metadata, mapping.unit.step)
  const item: MappedItem = {
    externalId,
    kind: messages.length > 0 ? 'chat' : steps.length > 0 ? 'pipeline' : 'text',
    input: content.input,
    output: content.output,
    messages,
    steps: steps.map((s) => ({ name: s.name, input: s.input, output: s.output, metadata: s.metadata })),
    metadata,
  }
  const empty =
    item.input.trim() === '' && item.output.trim() === '' && item.messages.length === 0 && item.steps.length === 0
  if (empty && !joinOnly(mapping)) return nothingToReview(row)
  return item
}

/**
 * A row with no trace under the mapping. When the fields mapped as the trace are not in the row at
 * all (a field name mistyped, a guess), the message names them and the fields there are.
 */
function nothingToReview({ mapping, read, fields }: Row): Problem {
  const roles = { input: mapping.input, output: mapping.output, messages: mapping.messages }
  const absent = Object.entries(roles).filter(([, field]) => field && read(field) === undefined)
  const column = mapping.input ?? mapping.output ?? mapping.messages ?? undefined
  if (absent.length === 0)
    return new Problem(
      column,
      'this row has nothing to review under the mapping (no input, output, messages or steps); map the columns that hold the trace, or check that this is a trace file',
    )
  const names = absent.map(([role, field]) => `"${field}" (mapped as ${role})`).join(' or ')
  const known = Object.keys(fields)
    .slice(0, 30)
    .map((key) => `"${key}"`)
    .join(', ')
  return new Problem(
    column,
    `this row has no field ${names}, so nothing to review. Its fields: ${known || 'none'}. Map the ones that hold the trace, or check that this is a trace file`,
  )
}

/** One pipeline step of the trace as the item (unit `step`), with the trace's metadata. */
function stepItem(
  row: Row,
  externalId: string,
  steps: TraceStep[],
  metadata: Record<string, unknown>,
  name: string,
): MappedItem | Problem {
  const found = findStep(steps, name)
  if (!found) {
    const { mapping } = row
    const column = mapping.spans ? (mapping.spans.name ?? undefined) : (mapping.steps ?? undefined)
    return new Problem(
      column,
      `trace "${externalId}" has no step named "${name}" (it has: ${[...new Set(steps.map((s) => s.name))].join(', ') || 'no steps'}); skip it, or review whole traces`,
    )
  }
  const { step, occurrences } = found
  return {
    externalId: `${externalId}/${name}`,
    kind: step.messages.length > 0 ? 'chat' : 'text',
    input: step.input,
    output: step.output,
    messages: step.messages,
    steps: [],
    metadata: {
      ...metadata,
      ...step.metadata,
      traceId: externalId,
      step: name,
      ...(occurrences > 1 ? { stepOccurrences: occurrences } : {}),
    },
  }
}
