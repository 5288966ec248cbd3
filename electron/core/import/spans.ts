/**
 * Span exports (OpenInference / Phoenix, OpenTelemetry GenAI, OTLP JSON, Langfuse observations)
 * assembled into traces: one tree per trace id, children ordered by start time, descendants as
 * named pipeline steps.
 */
import type { ChatMessage } from '../../../shared/domain'
import type { SpanMapping } from '../../../shared/import'
import { asContainer, collectIndexed, getField, isEmptyValue, isPlainObject, parseJsonCell, toText } from './fields'
import {
  firstUserText,
  lastAssistantText,
  looksLikeMessages,
  normalizeMessage,
  normalizeMessages,
  outputMessages,
  type TraceStep,
} from './traces'
import type { RecordError, SourceRecord } from './types'

/** One trace assembled from its spans. `rootFields` is the root's record minus what the assembly consumed. */
export interface SpanTrace {
  traceId: string
  root: SourceRecord
  rootFields: Record<string, unknown>
  input: string
  output: string
  messages: ChatMessage[]
  steps: TraceStep[]
  metadata: Record<string, unknown>
}

interface SpanNode {
  record: SourceRecord
  index: number
  traceId: string
  spanId: string
  parentId: string
  name: string
  start: number | null
  children: SpanNode[]
  orphanOf?: string
}

/**
 * OTLP JSON files nest spans as resourceSpans → scopeSpans → spans; each span becomes one record
 * (with the resource's `service.name` kept). Records already flat pass through unchanged.
 */
export function expandOtlpRecords(records: SourceRecord[]): SourceRecord[] {
  return records.flatMap((r) => {
    const resourceSpans = Array.isArray(r.fields.resourceSpans)
      ? r.fields.resourceSpans
      : Array.isArray(r.fields.scopeSpans)
        ? [r.fields]
        : null
    if (!resourceSpans) return [r]
    const out: SourceRecord[] = []
    for (const rs of resourceSpans) {
      if (!isPlainObject(rs)) continue
      const resource = isPlainObject(rs.resource) ? (asContainer(rs.resource.attributes) ?? {}) : {}
      for (const ss of Array.isArray(rs.scopeSpans) ? rs.scopeSpans : []) {
        if (!isPlainObject(ss) || !Array.isArray(ss.spans)) continue
        for (const span of ss.spans) {
          if (!isPlainObject(span)) continue
          const service = resource['service.name']
          out.push({
            line: r.line,
            fields: service === undefined ? span : { ...span, 'resource.service.name': service },
          })
        }
      }
    }
    return out
  })
}

const isNullId = (id: string) => id === '' || /^0+$/.test(id) || /^(none|null|nan|undefined)$/i.test(id)

/**
 * Groups span records by trace id, links them by parent id, orders siblings by start time and
 * makes one trace per trace id. Decisions: a single root gives the trace its input and output and
 * its descendants become steps, depth first in start order; several roots (a partial export, or
 * one root per turn) stay one trace, since labels join on the trace id: every root becomes a
 * step with its subtree, the trace takes the first root's input and the last root's output.
 * Spans whose parent is not in the file attach to the root with `metadata.orphan` saying so;
 * with no root at all, the earliest such span is the root.
 */
export function assembleSpanTrees(
  records: SourceRecord[],
  spans: SpanMapping,
  io: { input?: string | null; output?: string | null } = {},
): { traces: SpanTrace[]; errors: RecordError[] } {
  const errors: RecordError[] = []
  const byTrace = new Map<string, SpanNode[]>()
  records.forEach((record, index) => {
    const traceId = toText(getField(record.fields, spans.traceId)).trim()
    if (traceId === '') {
      errors.push({
        line: record.line,
        column: spans.traceId,
        message: `span column "${spans.traceId}" is empty: every span needs a trace id (check the trace id column of the span mapping)`,
      })
      return
    }
    const parentId = spans.parentId ? toText(getField(record.fields, spans.parentId)).trim() : ''
    const node: SpanNode = {
      record,
      index,
      traceId,
      spanId: toText(getField(record.fields, spans.spanId)).trim(),
      parentId: isNullId(parentId) ? '' : parentId,
      name: spans.name ? toText(getField(record.fields, spans.name)).trim() : '',
      start: spans.start ? timeKey(getField(record.fields, spans.start), /nano/i.test(spans.start)) : null,
      children: [],
    }
    const list = byTrace.get(traceId) ?? []
    list.push(node)
    byTrace.set(traceId, list)
  })
  const traces = [...byTrace.values()].map((nodes) => assembleOne(nodes, spans, io))
  return { traces, errors }
}

const byStart = (a: SpanNode, b: SpanNode) => (a.start ?? Infinity) - (b.start ?? Infinity) || a.index - b.index

function assembleOne(
  nodes: SpanNode[],
  spans: SpanMapping,
  io: { input?: string | null; output?: string | null },
): SpanTrace {
  const byId = new Map<string, SpanNode>()
  for (const n of nodes) if (n.spanId !== '' && !byId.has(n.spanId)) byId.set(n.spanId, n)
  const roots: SpanNode[] = []
  const orphans: SpanNode[] = []
  for (const n of nodes) {
    const parent = n.parentId === '' ? undefined : byId.get(n.parentId)
    if (n.parentId === '') roots.push(n)
    else if (parent && parent !== n) parent.children.push(n)
    else orphans.push(n)
  }
  const notes: string[] = []
  orphans.sort(byStart)
  if (roots.length === 0) {
    const first = orphans.shift() ?? [...nodes].sort(byStart)[0]
    roots.push(first)
    notes.push(
      `no root span in the file; span "${first.name || first.spanId}" (earliest without a parent in the file) is used as the root`,
    )
  }
  roots.sort(byStart)
  for (const o of orphans) {
    o.orphanOf = o.parentId
    roots[0].children.push(o)
  }
  if (orphans.length > 0)
    notes.push(`${orphans.length} span(s) name a parent that is not in the file; they are attached to the root`)

  const seen = new Set<SpanNode>()
  const steps: TraceStep[] = []
  // Depth first, children in start order; iterative, since a hostile file can chain spans thousands deep.
  const visit = (root: SpanNode, rootDepth: number) => {
    const stack: [SpanNode, number][] = [[root, rootDepth]]
    while (stack.length > 0) {
      const [n, depth] = stack.pop()!
      if (seen.has(n)) continue
      seen.add(n)
      if (depth >= 0) steps.push(stepOf(n, depth, io))
      const children = [...n.children].sort(byStart)
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1])
    }
  }
  const single = roots.length === 1
  for (const r of roots) visit(r, single ? -1 : 0)
  // Spans caught in a parent cycle are unreachable from any root: keep them, flagged.
  const unreached = nodes.filter((n) => !seen.has(n)).sort(byStart)
  for (const n of unreached) {
    n.orphanOf = n.parentId
    visit(n, single ? 0 : 1)
  }
  if (unreached.length > 0) notes.push(`${unreached.length} span(s) form a parent cycle; they are attached to the root`)

  const first = spanContent(roots[0].record, io)
  const last = single ? first : spanContent(roots[roots.length - 1].record, io)
  const messages = single ? [...first.inputMessages, ...first.outputMessages] : []
  const metadata: Record<string, unknown> = { spanCount: nodes.length, rootSpanId: roots[0].spanId, ...first.meta }
  if (!single) metadata.roots = roots.length
  if (notes.length > 0) metadata.importNotes = notes

  const rootFields = { ...roots[0].record.fields }
  for (const f of [spans.traceId, spans.spanId, spans.parentId, spans.name, spans.start]) if (f) delete rootFields[f]
  const used = new Set(first.used)
  for (const k of Object.keys(rootFields)) if (used.has(k) || isIndexedOf(k, used)) delete rootFields[k]
  if (first.attributes && 'attributes' in rootFields) {
    const slim = Object.fromEntries(
      Object.entries(first.attributes).filter(
        ([k]) => !first.usedAttributes.has(k) && !isIndexedOf(k, first.usedAttributes),
      ),
    )
    if (Object.keys(slim).length > 0) rootFields.attributes = slim
    else delete rootFields.attributes
  }

  return {
    traceId: nodes[0].traceId,
    root: roots[0].record,
    rootFields,
    input: first.input,
    output: last.output,
    messages,
    steps,
    metadata,
  }
}

const isIndexedOf = (key: string, used: Set<string>) =>
  [...used].some((u) => key.startsWith(`${u}.`) && /^\d/.test(key.slice(u.length + 1)))

function stepOf(n: SpanNode, depth: number, io: { input?: string | null; output?: string | null }): TraceStep {
  const c = spanContent(n.record, io)
  const metadata: Record<string, unknown> = { spanId: n.spanId, depth }
  if (n.parentId !== '') metadata.parentId = n.parentId
  for (const [k, v] of Object.entries(c.meta)) if (v !== undefined) metadata[k] = v
  if (n.orphanOf !== undefined) metadata.orphan = `parent span "${n.orphanOf}" is not in the file; attached to the root`
  // A step keeps only text, so a span whose input/output are messages keeps them whole (as JSON) unless one plain message says it all.
  const input = c.inputFromMessages ? messagesText(c.inputMessages) : c.input
  const output = c.outputFromMessages ? messagesText(c.outputMessages) : c.output
  return {
    name: n.name || toText(c.meta.kind) || 'span',
    input,
    output,
    metadata,
    messages: [...c.inputMessages, ...c.outputMessages],
  }
}

function messagesText(messages: ChatMessage[]): string {
  if (messages.length === 0) return ''
  const [m] = messages
  return messages.length === 1 && !m.tool_calls && m.content !== null ? m.content : JSON.stringify(messages)
}

interface SpanContent {
  input: string
  output: string
  /** The text above was derived from the messages (the span had no input/output value of its own). */
  inputFromMessages: boolean
  outputFromMessages: boolean
  inputMessages: ChatMessage[]
  outputMessages: ChatMessage[]
  meta: Record<string, unknown>
  /** Top-level fields consumed. */
  used: string[]
  /** Keys consumed inside the `attributes` object, when the span has one. */
  usedAttributes: Set<string>
  attributes: Record<string, unknown> | null
}

const INPUT_MESSAGES = ['llm.input_messages', 'gen_ai.input.messages', 'gen_ai.prompt', 'gen_ai.request.messages']
const OUTPUT_MESSAGES = [
  'llm.output_messages',
  'gen_ai.output.messages',
  'gen_ai.completion',
  'gen_ai.response.messages',
]
const META: [string, string[]][] = [
  ['kind', ['span_kind', 'openinference.span.kind', 'gen_ai.operation.name', 'type', 'kind']],
  ['model', ['llm.model_name', 'gen_ai.request.model', 'gen_ai.response.model', 'model']],
  ['tool', ['tool.name', 'gen_ai.tool.name']],
  ['status', ['status_code', 'status.code', 'status', 'level']],
  ['promptTokens', ['llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'usage.input']],
  ['completionTokens', ['llm.token_count.completion', 'gen_ai.usage.output_tokens', 'usage.output']],
  ['totalTokens', ['llm.token_count.total', 'usage.total']],
]
const START = ['start_time', 'startTimeUnixNano', 'startTime', 'start']
const END = ['end_time', 'endTimeUnixNano', 'endTime', 'end']

/** What one span says: its input/output text and messages, kind, model, timing and tokens. */
function spanContent(record: SourceRecord, io: { input?: string | null; output?: string | null }): SpanContent {
  const f = record.fields
  const attributes = 'attributes' in f ? asContainer(f.attributes) : null
  const used: string[] = []
  const usedAttributes = new Set<string>()
  /** An attribute, whether flat (`attributes.x` column), nested, in an OTLP list, or indexed. */
  const attr = (key: string): unknown => {
    if (attributes) {
      const v = Object.hasOwn(attributes, key)
        ? attributes[key]
        : (collectIndexed(attributes, key) ?? getField(attributes, key))
      if (v !== undefined) {
        usedAttributes.add(key)
        return v
      }
    }
    for (const path of [`attributes.${key}`, key]) {
      const v = Object.hasOwn(f, path) ? f[path] : collectIndexed(f, path)
      if (v !== undefined) {
        used.push(path)
        return v
      }
    }
    return undefined
  }
  const firstOf = (keys: string[]) => {
    for (const k of keys) {
      const v = attr(k)
      if (!isEmptyValue(v)) return v
    }
    return undefined
  }
  const messagesFrom = (keys: string[], read: (v: unknown) => ChatMessage[] | null): ChatMessage[] => {
    for (const k of keys) {
      const v = attr(k)
      const m = isEmptyValue(v) ? null : read(v)
      if (m && m.length > 0) return m
    }
    return []
  }
  const asMessages = (v: unknown) => {
    if (!looksLikeMessages(v)) return null
    const r = normalizeMessages(v)
    return r.ok ? r.value : null
  }

  // `input.value` / `input` / `gen_ai.prompt` hold either text or (Langfuse generation, an LLM span's raw request) a conversation.
  const inputValue = firstOf([...(io.input ? [io.input] : []), 'input.value', 'input', 'gen_ai.prompt'])
  const outputValue = firstOf([...(io.output ? [io.output] : []), 'output.value', 'output', 'gen_ai.completion'])
  const inputIsMessages = inputValue !== undefined && looksLikeMessages(inputValue)
  const outputAsMessages = outputValue === undefined ? null : outputMessages(outputValue)
  const inMsgs = { messages: messagesFrom(INPUT_MESSAGES, asMessages) }
  const outMsgs = { messages: messagesFrom(OUTPUT_MESSAGES, asMessages) }
  if (inMsgs.messages.length === 0 && inputIsMessages) inMsgs.messages = asMessages(inputValue) ?? []
  if (outMsgs.messages.length === 0 && outputAsMessages) outMsgs.messages = outputAsMessages
  const system = attr('gen_ai.system_instructions')
  if (!isEmptyValue(system) && inMsgs.messages.length > 0 && inMsgs.messages[0].role !== 'system') {
    const parsed = parseJsonCell(system)
    const text = typeof parsed === 'string' ? parsed : normalizeMessage({ role: 'system', parts: parsed }).content
    inMsgs.messages.unshift({ role: 'system', content: text })
  }

  // The text shown for the span: its own input/output value, unless that value is the conversation itself.
  const inputFromMessages = inputValue === undefined || inputIsMessages
  const outputFromMessages = outputValue === undefined || outputAsMessages !== null
  const input = inputFromMessages ? firstUserText(inMsgs.messages) : toText(inputValue)
  const output = outputFromMessages ? lastAssistantText(outMsgs.messages) : toText(outputValue)

  const meta: Record<string, unknown> = {}
  for (const [name, keys] of META) {
    const v = firstOf(keys)
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) meta[name] = v
  }
  const startKey = START.find((k) => !isEmptyValue(attr(k)))
  const endKey = END.find((k) => !isEmptyValue(attr(k)))
  const startRaw = startKey && attr(startKey)
  const endRaw = endKey && attr(endKey)
  const start = timeKey(startRaw, startKey?.endsWith('UnixNano'))
  const end = timeKey(endRaw, endKey?.endsWith('UnixNano'))
  if (startRaw !== undefined) meta.start = toText(startRaw)
  if (endRaw !== undefined) meta.end = toText(endRaw)
  if (start !== null && end !== null) meta.durationMs = Math.round((end - start) / 10) / 100
  return {
    input,
    output,
    inputFromMessages,
    outputFromMessages,
    inputMessages: inMsgs.messages,
    outputMessages: outMsgs.messages,
    meta,
    used,
    usedAttributes,
    attributes,
  }
}

/**
 * A timestamp as microseconds since the epoch, for ordering: ISO strings (Phoenix keeps
 * microseconds: `2025-07-24 22:03:39.939923+00:00`), OTLP nanosecond strings (`*UnixNano` fields
 * say so), or numbers in s / ms / µs / ns judged by magnitude. Null when unreadable.
 */
export function timeKey(value: unknown, nanoseconds = false): number | null {
  if (
    nanoseconds &&
    ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^\d+$/.test(value.trim())))
  ) {
    const ns = BigInt(typeof value === 'number' ? Math.round(value) : value.trim())
    return Number(ns / 1000n) + Number(ns % 1000n) / 1000
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    const a = Math.abs(value)
    return a > 1e17 ? value / 1000 : a > 1e14 ? value : a > 1e11 ? value * 1000 : value * 1e6
  }
  if (typeof value !== 'string' || value.trim() === '') return null
  const s = value.trim()
  if (/^\d+$/.test(s)) return s.length >= 18 ? Number(BigInt(s) / 1000n) : timeKey(Number(s))
  if (/^\d+\.\d+$/.test(s)) return timeKey(Number(s))
  const ms = Date.parse(s)
  if (Number.isNaN(ms)) return null
  const frac = /:\d{2}\.(\d+)/.exec(s)
  const micro = frac ? Number(`${frac[1]}000000`.slice(3, 6)) : 0
  return ms * 1000 + micro
}
