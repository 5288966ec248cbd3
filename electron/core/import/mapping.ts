/**
 * Applying a `Mapping` (shared/import.ts) to source records: each record becomes an item plus
 * its labels, judge verdicts and split, or an error that names the line, the column and what to
 * do. `suggestMapping` proposes a mapping from column names and sample values; it is only a
 * starting point the user sees and edits.
 */
import type { ChatMessage } from '../../../shared/domain'
import { EMPTY_MAPPING, type Mapping, type SpanMapping, type ValueMap } from '../../../shared/import'
import { assertShallow, getField, isEmptyValue, isPlainObject, NestingError, parseJsonCell, toText } from './fields'
import { newStateTally, newTally, noteExample, type FieldWatch, type StateTally, type Tally } from './checks'
import { assembleSpanTrees, expandOtlpRecords, type SpanTrace } from './spans'
import {
  findStep,
  firstUserText,
  isAssistantRole,
  lastAssistantText,
  looksLikeMessages,
  normalizeMessages,
  normalizeSteps,
  outputMessages,
  type TraceStep,
} from './traces'
import { assayExportMapping } from './assay-export'
import type { Detected, LabelStates, MappedItem, NormalVerdict, RecordError, SourceRecord } from './types'

export interface MappedLabel {
  /** Which of the mapping's label columns it came from (-1: made by the step-wise columns alone). */
  column: number
  /** Made or completed by the step-wise columns (`Mapping.states`): counted with them. */
  byStates?: boolean
  /** The step-wise label it carries (see `LabelStates`). */
  states?: LabelStates
  criterion: string
  /** `defer` = a note with no verdict (a notes-only label entry, or an empty verdict cell that the value map does not list). */
  verdict: NormalVerdict | 'defer'
  note: string
  annotator: string
  /** When the label was made, if the file says (else the import's time). */
  createdAt?: string
}
export interface MappedVerdict {
  judge: string
  criterion: string
  verdict: NormalVerdict
  critique: string
  /** Which of the mapping's verdict columns it came from. */
  column: number
}
export type MapResult =
  | {
      ok: true
      item: MappedItem
      labels: MappedLabel[]
      verdicts: MappedVerdict[]
      splits: { criterion: string; split: 'train' | 'dev' | 'test' }[]
    }
  | { ok: false; error: RecordError }

// ---------------------------------------------------------------------------------------------
// Verdict values

function verdictKey(value: unknown): string {
  let s = toText(value).trim()
  // A cell that kept its quotes (`"PASS"`) means the same as PASS.
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1).trim()
  return s.toLowerCase()
}

/**
 * A value map as a lookup from verdict key to verdict, built once per import rather than per cell.
 * A key listed under several verdicts takes the first of pass, fail, error.
 */
function verdictTable(values: ValueMap): (key: string) => NormalVerdict | null {
  const table = new Map<string, NormalVerdict>()
  for (const verdict of ['pass', 'fail', 'error'] as const) {
    for (const v of values[verdict]) {
      const k = verdictKey(v)
      if (!table.has(k)) table.set(k, verdict)
    }
  }
  return (key) =>
    table.get(key) ?? (key !== '' && Number.isFinite(Number(key)) ? table.get(String(Number(key))) : undefined) ?? null
}

/**
 * A cell → pass / fail / error by the value map (trimmed, case-insensitive; booleans and numbers
 * by their text, so `true`, `1` and `1.0` all read as "1"/"true"). Null when the map lists the value
 * nowhere: the caller reports the row, never guesses.
 */
export function normalizeVerdict(value: unknown, values: ValueMap): NormalVerdict | null {
  if (Array.isArray(value) || isPlainObject(value)) return null
  return verdictTable(values)(verdictKey(value))
}

const DEFER = new Set(['defer', 'deferred'])

// A Map, not an object literal: a cell reading "constructor" or "__proto__" must not find Object's members.
const SPLITS = new Map<string, 'train' | 'dev' | 'test'>(
  Object.entries({
    train: 'train',
    training: 'train',
    dev: 'dev',
    val: 'dev',
    valid: 'dev',
    validation: 'dev',
    development: 'dev',
    test: 'test',
    testing: 'test',
    holdout: 'test',
  } as const),
)

// ---------------------------------------------------------------------------------------------
// Records → items

/** Assembled span traces travel to `mapRecord` inside an ordinary record, under this key. */
export const TRACE_KEY = '\u0000assay.trace'

/**
 * Span exports: expands OTLP nesting, groups spans into traces (see `assembleSpanTrees`) and
 * returns one record per trace for `mapRecord`. The whole file must be read first.
 */
export function mapSpanRecords(
  records: SourceRecord[],
  mapping: Mapping,
  watch?: FieldWatch,
): { records: SourceRecord[]; errors: RecordError[] } {
  if (!mapping.spans) return { records, errors: [] }
  const spans = expandOtlpRecords(records)
  if (watch) for (const span of spans) watch.see(span.fields)
  const { traces, errors } = assembleSpanTrees(spans, mapping.spans, { input: mapping.input, output: mapping.output })
  return { records: traces.map((t) => ({ line: t.root.line, fields: { ...t.root.fields, [TRACE_KEY]: t } })), errors }
}

function traceOf(record: SourceRecord, spans: SpanMapping, mapping: Mapping): SpanTrace | null {
  const t = record.fields[TRACE_KEY]
  if (isPlainObject(t) && typeof t.traceId === 'string') return t as unknown as SpanTrace
  // A record that did not go through mapSpanRecords: a trace of one span.
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

/** See `PreparedMapping`. */
export function prepareMapping(mapping: Mapping): PreparedMapping {
  const spans = mapping.spans
    ? [mapping.spans.traceId, mapping.spans.spanId, mapping.spans.parentId, mapping.spans.name, mapping.spans.start]
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
  const verdictOf = verdictTable(mapping.values)
  const order = mapping.states?.order ?? null
  return {
    verdictOf,
    listsEmpty: verdictOf('') !== null,
    used: new Set([TRACE_KEY, ...fields.filter((f): f is string => Boolean(f))]),
    tallies: {
      labels: mapping.labels.map(newTally),
      verdicts: mapping.verdicts.map(newTally),
      states: newStateTally(),
    },
    stateRank: order && order.length > 0 ? new Map(order.map((name, i) => [name, i])) : null,
  }
}

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
    return mapOne(record, mapping, prepared)
  } catch (error) {
    if (!(error instanceof NestingError || error instanceof RangeError)) throw error
    const message = error instanceof NestingError ? error.message : new NestingError().message
    return { ok: false, error: { line: record.line, message: `this row cannot be imported: ${message}` } }
  }
}

function mapOne(record: SourceRecord, mapping: Mapping, prepared: PreparedMapping): MapResult {
  const { verdictOf, listsEmpty, used, tallies } = prepared
  const fields = record.fields
  const fail = (column: string | undefined, message: string): MapResult => ({
    ok: false,
    error: { line: record.line, column, message },
  })
  const read = (path: string | null): unknown => (path ? getField(fields, path) : undefined)

  let trace: SpanTrace | null = null
  if (mapping.spans) {
    trace = traceOf(record, mapping.spans, mapping)
    if (!trace)
      return fail(mapping.spans.traceId, `span column "${mapping.spans.traceId}" is empty: every span needs a trace id`)
  }

  // Id
  let externalId: string
  const rawId = read(mapping.id)
  if (trace) externalId = isEmptyValue(rawId) ? trace.traceId : toText(rawId).trim()
  else if (mapping.id === null) externalId = `row-${record.line}`
  else if (isEmptyValue(rawId) || typeof rawId === 'object') {
    return fail(
      mapping.id,
      `id column "${mapping.id}" is ${isEmptyValue(rawId) ? 'empty' : 'not a single value'} on this row; fill it in, or map another id column (none = row numbers)`,
    )
  } else externalId = toText(rawId).trim()

  // Content
  let messages: ChatMessage[] = []
  let steps: TraceStep[] = []
  let input = ''
  let output = ''
  if (trace) {
    messages = trace.messages
    steps = trace.steps
    input = trace.input
    output = trace.output
  } else {
    if (mapping.messages) {
      const r = normalizeMessages(read(mapping.messages))
      if (!r.ok)
        return fail(
          mapping.messages,
          `messages column "${mapping.messages}" ${r.error}; fix the cell or map another column`,
        )
      messages = r.value
    }
    if (mapping.steps) {
      const r = normalizeSteps(read(mapping.steps))
      if (!r.ok)
        return fail(mapping.steps, `steps column "${mapping.steps}" ${r.error}; fix the cell or map another column`)
      steps = r.value
    }
    const rawInput = read(mapping.input)
    input = mapping.input === mapping.messages ? '' : toText(rawInput)
    const rawOutput = read(mapping.output)
    const replyMessages = mapping.output === mapping.messages ? null : outputMessages(rawOutput)
    if (replyMessages) {
      // A log export's reply (`{role, content}`, `{choices}`, …) completes the conversation.
      messages = [...messages, ...replyMessages]
      output = lastAssistantText(replyMessages)
    } else if (mapping.output !== mapping.messages) {
      output = toText(rawOutput)
      const last = messages.at(-1)
      if (
        messages.length > 0 &&
        output.trim() !== '' &&
        !(last && isAssistantRole(last.role) && (last.content ?? '').trim() === output.trim())
      ) {
        // The conversation so far plus the reply in its own column: show the reply in the chat too.
        messages = [...messages, { role: 'assistant', content: output }]
      }
    }
  }
  if (input.trim() === '' && messages.length > 0) input = firstUserText(messages)
  if (output.trim() === '' && messages.length > 0) output = lastAssistantText(messages)

  // Labels, verdicts, split
  const labels: MappedLabel[] = []
  for (const [i, l] of mapping.labels.entries()) {
    const tally = tallies.labels[i]
    const note = l.note ? toText(read(l.note)).trim() : ''
    const who = (l.annotatorField && toText(read(l.annotatorField)).trim()) || l.annotator
    const when = l.timeField ? toText(read(l.timeField)).trim() : ''
    if (when !== '' && Number.isNaN(Date.parse(when)))
      return fail(
        l.timeField!,
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
    if (l.field === null) {
      if (note !== '') labels.push(label('defer', note))
      continue
    }
    const raw = read(l.field)
    if (isEmptyValue(raw) && !listsEmpty) {
      // No label; a note written without a verdict is still a note (kept as a deferred label, as a notes column is).
      tally.empty++
      noteExample(tally, '')
      if (note !== '') labels.push(label('defer', note))
      continue
    }
    const key = verdictKey(raw)
    // A human may defer an item (Assay's own export writes "defer"): kept as a deferred label.
    if (DEFER.has(key)) {
      tally.defer++
      labels.push(label('defer', note))
      continue
    }
    let verdict = isContainer(raw) ? null : verdictOf(key)
    if (verdict === null) return fail(l.field, unknownValue('label', l.field, raw))
    if (verdict === 'error') noteExample(tally, toText(raw).trim())
    if (l.invert && verdict !== 'error') verdict = verdict === 'pass' ? 'fail' : 'pass'
    tally[verdict]++ // as labels: a failure-mode column's 1 is a fail
    labels.push(label(verdict, note))
  }
  const verdicts: MappedVerdict[] = []
  for (const [i, v] of mapping.verdicts.entries()) {
    const tally = tallies.verdicts[i]
    const raw = read(v.field)
    const critique = v.critique ? toText(read(v.critique)).trim() : ''
    if (isEmptyValue(raw) && !listsEmpty) {
      tally.empty++
      noteExample(tally, '')
      continue
    }
    const verdict = isContainer(raw) ? null : verdictOf(verdictKey(raw))
    if (verdict === null) return fail(v.field, unknownValue('verdict', v.field, raw))
    tally[verdict]++
    verdicts.push({ judge: v.judge, criterion: v.criterion, verdict, critique, column: i })
  }
  const splits: { criterion: string; split: 'train' | 'dev' | 'test' }[] = []
  for (const column of mapping.splits) {
    const raw = read(column.field)
    if (isEmptyValue(raw)) continue
    const s = SPLITS.get(verdictKey(raw))
    if (!s)
      return fail(
        column.field,
        `split column "${column.field}": value "${toText(raw)}" is not train, dev or test; fix the cell or unmap the split`,
      )
    splits.push({ criterion: column.criterion, split: s })
  }

  // Metadata
  const metadata: Record<string, unknown> = trace ? { ...trace.metadata } : {}
  for (const path of mapping.metadata) {
    const v = getField(fields, path)
    if (v !== undefined) metadata[path] = parseJsonCell(v)
  }
  if (mapping.keepUnmapped) {
    const source = trace ? trace.rootFields : fields
    for (const key of Object.keys(source)) {
      const value = source[key]
      if (used.has(key) || key in metadata || value === undefined || value === null || value === '') continue
      const parsed = parseJsonCell(value)
      // A field named "metadata" that holds an object (log exports, Assay's own export) is the
      // metadata itself: spread it rather than nesting it one level down.
      if (key.toLowerCase() === 'metadata' && isPlainObject(parsed)) Object.assign(metadata, parsed)
      else metadata[key] = parsed
    }
  }

  let item: MappedItem = {
    externalId,
    kind: messages.length > 0 ? 'chat' : steps.length > 0 ? 'pipeline' : 'text',
    input,
    output,
    messages,
    steps: steps.map((s) => ({ name: s.name, input: s.input, output: s.output, metadata: s.metadata })),
    metadata,
  }

  if (mapping.unit.kind === 'step') {
    const name = mapping.unit.step
    const found = findStep(steps, name)
    if (!found) {
      const column = mapping.spans ? (mapping.spans.name ?? undefined) : (mapping.steps ?? undefined)
      return fail(
        column,
        `trace "${externalId}" has no step named "${name}" (it has: ${[...new Set(steps.map((s) => s.name))].join(', ') || 'no steps'}); skip it, or review whole traces`,
      )
    }
    const { step, occurrences } = found
    item = {
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
  } else if (
    !joinOnly(mapping) &&
    item.input.trim() === '' &&
    item.output.trim() === '' &&
    item.messages.length === 0 &&
    item.steps.length === 0
  ) {
    return fail(
      mapping.input ?? mapping.output ?? mapping.messages ?? undefined,
      'this row has nothing to review under the mapping (no input, output, messages or steps); map the columns that hold the trace, or check that this is a trace file',
    )
  }
  if (mapping.states && (mapping.states.lastSuccess || mapping.states.firstFailure)) {
    const problem = stepwiseLabel(mapping, mapping.states, read, labels, item, prepared)
    if (problem) return fail(problem.column, problem.message)
  }
  // Stored as JSON and drawn by the trace view: both recurse, so the depth is checked here.
  assertShallow(item.messages)
  assertShallow(item.metadata)
  for (const step of item.steps) assertShallow(step.metadata)
  return { ok: true, item, labels, verdicts, splits }
}

const isContainer = (value: unknown) => Array.isArray(value) || isPlainObject(value)

// ---------------------------------------------------------------------------------------------
// Step-wise labels

/** Cells that name no state: an empty first failure is "did not fail"; an empty last success, "failed at the first state". */
const NO_STATE = new Set(['', 'none', 'null', 'nan', 'n/a', '-'])
const START_NAMES = new Set(['(start)', 'start'])

/**
 * Reads the row's last successful and first failing states into the label of their criterion (a
 * fail when a state failed; made when no label column gave one), checked against the label's
 * verdict, the order the user gave, and the trace's steps. Returns what is wrong, or null.
 */
function stepwiseLabel(
  mapping: Mapping,
  states: NonNullable<Mapping['states']>,
  read: (path: string | null) => unknown,
  labels: MappedLabel[],
  item: MappedItem,
  prepared: PreparedMapping,
): { column?: string; message: string } | null {
  const tally = prepared.tallies.states
  const cell = (field: string | null, start: boolean): string | null | { column: string; message: string } => {
    const raw = read(field)
    if (isContainer(raw))
      return {
        column: field!,
        message: `state column "${field}" holds ${Array.isArray(raw) ? 'a list' : 'an object'}, not a state name; map the column that names the state`,
      }
    const text = isEmptyValue(raw) ? '' : toText(raw).trim()
    return NO_STATE.has(text.toLowerCase()) || (start && START_NAMES.has(text.toLowerCase())) ? null : text
  }
  const last = cell(states.lastSuccess, true)
  const first = cell(states.firstFailure, false)
  if (last !== null && typeof last === 'object') return last
  if (first !== null && typeof first === 'object') return first
  // A row without the first-failure field says nothing of a failure (a field no row has stops the import).
  const absent = states.firstFailure !== null && read(states.firstFailure) === undefined
  if ((last === null && first === null) || absent) {
    tally.empty++
    return null
  }
  if (first !== null) tally.failed++
  else tally.lastOnly++
  const firstCol = states.firstFailure ?? undefined
  const lastCol = states.lastSuccess ?? undefined
  if (mapping.unit.kind === 'step') {
    return {
      column: firstCol ?? lastCol,
      message:
        'step-wise labels are about whole traces, and this import reviews one step of each; review whole traces, or unmap the state columns',
    }
  }

  const rank = prepared.stateRank
  if (rank) {
    for (const [name, column] of [
      [last, lastCol],
      [first, firstCol],
    ] as const) {
      if (name !== null && !rank.has(name))
        return {
          column,
          message: `state "${name}" is not in the state order you gave (${[...rank.keys()].join(', ')}); add it to the order, or fix the cell`,
        }
    }
    if (last !== null && first !== null && rank.get(last)! >= rank.get(first)!) {
      return {
        column: firstCol,
        message: `the last successful state "${last}" does not come before the first failing state "${first}" in the state order you gave (${[...rank.keys()].join(' → ')}); fix the cells, or the order`,
      }
    }
  }

  const own = labels.find((l) => l.criterion === states.criterion)
  if (first !== null && own && own.verdict === 'pass') {
    return {
      column: firstCol,
      message: `the first failing state is "${first}" but the label of "${states.criterion}" says pass: a trace that passed has no failing state; fix one of the cells`,
    }
  }
  if (first === null && (!own || own.verdict !== 'pass')) {
    const column = mapping.labels.some((l) => l.criterion === states.criterion && l.field !== null)
    const says = own
      ? ` and the label of "${states.criterion}" says ${own.verdict}`
      : column
        ? ` and the label of "${states.criterion}" is empty`
        : ''
    return {
      column: firstCol ?? lastCol,
      message: `the last successful state is "${last}" but no first failing state is named${says}: name the state that failed first, or ${column ? 'label the trace pass' : 'map a label column that says the trace passed'}`,
    }
  }
  if (own && own.verdict === 'error')
    return {
      column: firstCol,
      message: `the first failing state is "${first}" but the label of "${states.criterion}" is not a verdict ("error"): a trace with a failing state is a fail; fix one of the cells`,
    }

  const resolved = resolveStates(
    item.steps.map((s) => s.name),
    last,
    first,
  )
  if ('error' in resolved)
    return { column: firstCol ?? lastCol, message: `trace "${item.externalId}" ${resolved.error}` }
  if (own) {
    own.verdict = first !== null ? 'fail' : own.verdict
    own.states = resolved.states
    own.byStates = true
  } else {
    // The criterion's label column, when its cell was empty: its first labels' splits are gathered by column.
    const column = mapping.labels.findIndex((l) => l.criterion === states.criterion && l.field !== null)
    const l = column >= 0 ? mapping.labels[column] : null
    const annotator = (l?.annotatorField && toText(read(l.annotatorField)).trim()) || l?.annotator || states.annotator
    labels.push({
      column,
      byStates: true,
      criterion: states.criterion,
      verdict: 'fail',
      note: '',
      annotator,
      states: resolved.states,
    })
  }
  return null
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

/** Labels, notes or verdicts for items that exist already: the row needs an id, not a trace. */
export function joinOnly(m: Mapping): boolean {
  return (
    !(m.input || m.output || m.messages || m.steps || m.spans) &&
    m.id !== null &&
    (m.labels.length > 0 || m.verdicts.length > 0 || m.splits.length > 0 || Boolean(m.states))
  )
}

function unknownValue(what: 'label' | 'verdict', column: string, raw: unknown): string {
  const shown = toText(raw)
  return `${what} column "${column}": value "${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}" is not a known pass/fail/error value; add it to the value map or fix the cell`
}

// ---------------------------------------------------------------------------------------------
// Suggestions

const ID_NAMES = [
  'id',
  'trace_id',
  'conversation_id',
  'context.trace_id',
  'uuid',
  'traceid',
  'session_id',
  'thread_id',
  'record_id',
  'row_id',
  'example_id',
  'item_id',
  'run_id',
  'request_id',
  'span_id',
  'context.span_id',
  'lsmith_id',
]
const MESSAGES_NAMES = ['messages', 'conversation', 'chat', 'chat_history', 'history', 'dialog', 'dialogue', 'turns']
const INPUT_NAMES = [
  'input',
  'attributes.input.value',
  'input.value',
  'inputs',
  'query',
  'question',
  'user_query',
  'user_input',
  'user_message',
  'prompt',
  'request',
  'instruction',
]
const OUTPUT_NAMES = [
  'output',
  'attributes.output.value',
  'output.value',
  'outputs',
  'response',
  'answer',
  'completion',
  'generation',
  'bot_response',
  'assistant_response',
  'model_output',
  'model_response',
  'reply',
]
const STEPS_NAMES = ['steps', 'pipeline_steps', 'trace_steps']
/** Human-label columns, best first: one becomes the Overall label. */
const LABEL_NAMES = [
  'human_label',
  'label',
  'ground_truth_label',
  'true_label',
  'gold_label',
  'expected_label',
  'human_verdict',
  'ground_truth',
  'gold',
  'annotation',
  'verdict',
  'pass_fail',
  'status',
  'result',
  'outcome',
  'grade',
  'is_correct',
  'correct',
  'success',
]
const JUDGE_NAME =
  /(^|[_.\s-])(pred|preds|predicted|prediction|judge|llm|model|auto|eval|evaluator|ai|gpt)([_.\s-]|$)|judge|predict/i
const EXPLANATION = /(^|[_.\s-])(reasoning|reason|explanation|critique|rationale|justification)$/i
const NOTE_NAMES = [
  'notes',
  'note',
  'z_note',
  'open_code_notes',
  'open_code',
  'open_codes',
  'open_coding',
  'comments',
  'comment',
  'human_notes',
  'annotator_notes',
  'annotation_notes',
]
const SPLIT_NAMES = ['split', 'set', 'partition', 'fold', 'subset', 'dataset_split', 'data_split']
/** Names of 0/1 columns that mark a failure being present (HW2 axial coding spreadsheets). */
const FAILURE_NAME =
  /fail|error|missing|violat|ignor|lack|inconsisten|wrong|incorrect|hallucinat|mismatch|issue|problem|unsafe|toxic|harm|refus|omi(t|ssion)|leak/i

const SPAN_CANDIDATES = {
  traceId: ['context.trace_id', 'trace_id', 'traceId', 'context.traceId', 'trace.id'],
  spanId: ['context.span_id', 'span_id', 'spanId', 'context.spanId', 'span.id'],
  parentId: [
    'parent_id',
    'parentSpanId',
    'parent_span_id',
    'parentId',
    'context.parent_id',
    'parent.span_id',
    'parentObservationId',
  ],
  name: ['name', 'span_name', 'span.name'],
  start: ['start_time', 'startTimeUnixNano', 'startTime', 'start', 'timestamp'],
}

/**
 * A first mapping from column names and sample values. Conservative: a column is used only when
 * its name says what it is and its values agree (a label column's values must all be in the
 * pass/fail vocabulary); anything else stays in metadata for the user to map.
 */
export function suggestMapping(detected: Detected): Mapping {
  const own = assayExportMapping(detected.columns)
  if (own) return own
  const m: Mapping = structuredClone(EMPTY_MAPPING)
  const sample = detected.sample.map((r) => r.fields)
  const columns = detected.columns.filter((c) => c !== '')
  const valuesOf = (col: string) => sample.map((f) => getField(f, col)).filter((v) => v !== undefined)
  const filled = (col: string) => valuesOf(col).filter((v) => !isEmptyValue(v))
  const present = (col: string) => sample.some((f) => getField(f, col) !== undefined)
  const taken = new Set<string>()
  const take = (col: string | null) => {
    if (col) taken.add(col)
    return col
  }
  /** Columns named like one of `names` (case-insensitive), best name first; then by last dotted segment. */
  const byName = (names: string[]) => {
    const lower = (s: string) => s.toLowerCase()
    const exact = names.flatMap((n) => columns.filter((c) => lower(c) === n))
    const tail = names.flatMap((n) =>
      columns.filter((c) => c.includes('.') && lower(c.slice(c.lastIndexOf('.') + 1)) === n),
    )
    return [...new Set([...exact, ...tail])].filter((c) => !taken.has(c))
  }

  // OTLP JSON (resourceSpans → scopeSpans → spans): the standard field names.
  if (columns.includes('resourceSpans') || columns.includes('scopeSpans')) {
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

  // Span exports: trace, span and parent ids, several rows per trace.
  const findPath = (cands: string[]) => cands.find((c) => present(c)) ?? null
  const traceCol = findPath(SPAN_CANDIDATES.traceId)
  const parentCol = findPath(SPAN_CANDIDATES.parentId)
  const spanCol = parentCol === 'parentObservationId' ? (present('id') ? 'id' : null) : findPath(SPAN_CANDIDATES.spanId)
  if (traceCol && spanCol && parentCol) {
    const ids = filled(traceCol).map((v) => toText(v))
    if (new Set(ids).size < ids.length) {
      m.spans = {
        traceId: traceCol,
        spanId: spanCol,
        parentId: parentCol,
        name: findPath(SPAN_CANDIDATES.name),
        start: findPath(SPAN_CANDIDATES.start),
      }
      for (const c of Object.values(m.spans)) take(c)
      m.id = traceCol
    }
  }

  if (!m.spans) {
    const unique = (col: string) => {
      const vs = valuesOf(col)
      if (vs.length === 0 || vs.length < sample.length || vs.some((v) => isEmptyValue(v) || typeof v === 'object'))
        return false
      return new Set(vs.map((v) => toText(v).trim())).size === vs.length
    }
    const idLike = columns.filter((c) => /(^|[_.\s-])id$|Id$|ID$/.test(c) && !/parent/i.test(c))
    // A column named as an id is the id even when its values repeat: the import then stops at the
    // repeats with their lines, rather than numbering the rows and keeping the real id as metadata.
    const scalar = (col: string) => filled(col).some((v) => typeof v !== 'object')
    const idColumns = [...new Set([...byName(ID_NAMES), ...idLike])]
    m.id = take(idColumns.find(unique) ?? idColumns.find(scalar) ?? null)

    const conversation = (col: string) => {
      const vs = filled(col)
      return vs.length > 0 && vs.filter(looksLikeMessages).length >= vs.length / 2
    }
    m.messages = take(
      byName(MESSAGES_NAMES).find(conversation) ??
        byName(INPUT_NAMES).find(conversation) ??
        columns.filter((c) => !taken.has(c)).find(conversation) ??
        null,
    )
    m.steps = take(
      byName(STEPS_NAMES).find((c) =>
        filled(c).some((v) => {
          const p = parseJsonCell(v)
          return Array.isArray(p) && p.every(isPlainObject)
        }),
      ) ?? null,
    )
    const text = (col: string) => filled(col).length > 0 && !conversation(col)
    m.input = take(byName(INPUT_NAMES).find(text) ?? null)
    m.output = take(byName(OUTPUT_NAMES).find((c) => filled(c).length > 0) ?? null)
  } else {
    m.input = take(byName(['attributes.input.value', 'input.value', 'input']).find((c) => filled(c).length > 0) ?? null)
    m.output = take(
      byName(['attributes.output.value', 'output.value', 'output']).find((c) => filled(c).length > 0) ?? null,
    )
  }

  suggestStates(
    m,
    columns.filter((c) => !taken.has(c)),
    filled,
    take,
  )
  suggestJudgements(
    m,
    columns.filter((c) => !taken.has(c)),
    filled,
  )
  return m
}

const LAST_SUCCESS =
  /^last[_\s.-]?(success|successful|succeeded|ok|good|passed|passing)([_\s.-]?(state|step|stage|node|tool))?$/i
const FIRST_FAILURE =
  /^first[_\s.-]?(failure|failing|failed|fail|error|broken)([_\s.-]?(state|step|stage|node|tool))?$/i

/** Step-wise label columns (`last_success_state`, `first_failure_state`): named so, and holding names (text), not flags. */
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

/** Labels (human and 0/1 failure modes), judge verdicts, critiques, notes and the split. */
function suggestJudgements(m: Mapping, columns: string[], filled: (col: string) => unknown[]): void {
  const lower = (c: string) => c.toLowerCase()
  const verdictValues = (col: string, needPassFail: boolean) => {
    const vs = filled(col)
    if (vs.length === 0) return false
    const normal = vs.map((v) => normalizeVerdict(v, m.values))
    // A column named like a verdict keeps its suggestion when a few cells hold odd values
    // ("MAYBE"): the import then reports those rows instead of silently keeping them as metadata.
    const known = normal.filter((v) => v !== null).length
    return known >= 0.5 * normal.length && (!needPassFail || normal.some((v) => v !== null && v !== 'error'))
  }
  const stem = (c: string) =>
    lower(c)
      .replace(
        /[_.\s-]?(label|verdict|prediction|pred|reasoning|reason|explanation|critique|rationale|justification)$/,
        '',
      )
      .replace(/[_.\s-]+$/, '')

  // A judge's 0/1 column named like a failure ("llm_hallucination") has the opposite polarity and
  // verdicts cannot be inverted: it is left for the user rather than imported backwards.
  const judgeCols = columns.filter(
    (c) =>
      JUDGE_NAME.test(c) &&
      !EXPLANATION.test(c) &&
      verdictValues(c, false) &&
      !(FAILURE_NAME.test(c) && isBinaryOnly(filled(c))),
  )
  const labelRank = (c: string) => {
    const i = LABEL_NAMES.indexOf(lower(c))
    return i >= 0 ? i : /(_label|_verdict)$/i.test(c) ? LABEL_NAMES.indexOf('ground_truth_label') + 0.5 : -1
  }
  const labelCols = columns
    .filter((c) => !judgeCols.includes(c) && labelRank(c) >= 0 && verdictValues(c, true))
    .sort((a, b) => labelRank(a) - labelRank(b))
  const failureCols = columns.filter(
    (c) => !judgeCols.includes(c) && !labelCols.includes(c) && FAILURE_NAME.test(c) && isBinaryOnly(filled(c)),
  )

  const explanations = columns.filter((c) => EXPLANATION.test(c) && filled(c).length > 0)
  const paired = new Set<string>()
  const pairOf = (col: string) => {
    const s = stem(col)
    const e = s === '' ? undefined : explanations.find((x) => !paired.has(x) && stem(x) === s)
    if (e) paired.add(e)
    return e ?? null
  }
  const nearest = (col: string) => {
    const i = columns.indexOf(col)
    const free = explanations.filter((x) => !paired.has(x))
    const after = free.filter((x) => columns.indexOf(x) > i).sort((a, b) => columns.indexOf(a) - columns.indexOf(b))[0]
    const before = free.filter((x) => columns.indexOf(x) < i).sort((a, b) => columns.indexOf(b) - columns.indexOf(a))[0]
    const e = after ?? before
    if (e) paired.add(e)
    return e ?? null
  }

  const labelCol = labelCols[0] ?? null
  const labelPair = labelCol ? pairOf(labelCol) : null
  const judgePairs = judgeCols.map((c) => pairOf(c))
  m.verdicts = judgeCols.map((c, i) => ({
    field: c,
    judge: c,
    criterion: 'Overall',
    critique: judgePairs[i] ?? nearest(c),
  }))

  const notes = columns
    .filter((c) => NOTE_NAMES.includes(lower(c)) || /(^|_)notes?$/i.test(c))
    .map((c) => ({ c, n: filled(c).filter((v) => typeof v === 'string').length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)
  const noteCol = notes[0]?.c ?? null

  if (labelCol) {
    m.labels.push({
      field: labelCol,
      criterion: 'Overall',
      note: noteCol ?? labelPair ?? nearest(labelCol),
      annotator: 'imported',
    })
  } else if (noteCol) {
    // Open-coding notes with no verdict column: kept as deferred labels that carry the note.
    m.labels.push({ field: null, criterion: 'Overall', note: noteCol, annotator: 'imported' })
  }
  for (const c of failureCols) {
    // 1 = this failure mode is present, i.e. the trace fails this criterion.
    m.labels.push({ field: c, criterion: humanize(c), note: null, annotator: 'imported', invert: true })
  }

  const splitCol = columns.find(
    (c) => SPLIT_NAMES.includes(lower(c)) && filled(c).length > 0 && filled(c).every((v) => SPLITS.has(verdictKey(v))),
  )
  if (splitCol) m.splits = [{ field: splitCol, criterion: m.labels[0]?.criterion ?? 'Overall' }]
}

/** Values that are all 0/1 (or true/false): a flag column rather than a pass/fail word. */
function isBinaryOnly(values: unknown[]): boolean {
  if (values.length === 0) return false
  return values.every((v) => {
    const k = verdictKey(v)
    return ['0', '1', 'true', 'false'].includes(k) || (Number.isFinite(Number(k)) && [0, 1].includes(Number(k)))
  })
}

/** `Failure_Mode_Time_Effort_Mismatch` → `Time effort mismatch`; `MissingResponseContent` → `Missing response content`. */
export function humanize(column: string): string {
  const words = column
    .slice(column.lastIndexOf('.') + 1)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s-]+/)
    .filter(Boolean)
  if (words.length > 2 && /^failure$/i.test(words[0]) && /^modes?$/i.test(words[1])) words.splice(0, 2)
  const text = words.map((w) => (/^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1) || column
}
