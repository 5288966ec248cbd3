/**
 * What one span of a span export says: its input and output (text and messages), kind, model,
 * timing and tokens, read from the attribute names of OpenInference, OpenTelemetry GenAI and
 * Langfuse, whether flat columns, nested objects, OTLP attribute lists or indexed keys.
 */
import type { ChatMessage } from '../../../shared/domain'
import { asContainer, collectIndexed, getField, isEmptyValue, isPlainObject, parseJsonCell, toText } from './fields'
import {
  firstUserText,
  lastAssistantText,
  looksLikeMessages,
  normalizeMessage,
  normalizeMessages,
  outputMessages,
} from './traces'
import type { SourceRecord } from './types'

/** The fields the mapping names for input and output, tried before the conventional ones. */
export interface SpanIo {
  input?: string | null
  output?: string | null
}

/** What `spanContent` read from a span, and which of its fields that used up. */
export interface SpanContent {
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
  ['kind', ['span_kind', 'openinference.span.kind', 'gen_ai.operation.name', 'run_type', 'type', 'kind']],
  ['model', ['llm.model_name', 'gen_ai.request.model', 'gen_ai.response.model', 'model']],
  ['tool', ['tool.name', 'gen_ai.tool.name']],
  ['status', ['status_code', 'status.code', 'status', 'level']],
  ['error', ['error', 'statusMessage']],
  ['promptTokens', ['llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'usage.input']],
  ['completionTokens', ['llm.token_count.completion', 'gen_ai.usage.output_tokens', 'usage.output']],
  ['totalTokens', ['llm.token_count.total', 'usage.total']],
]
const START = ['start_time', 'startTimeUnixNano', 'startTime', 'start']
const END = ['end_time', 'endTimeUnixNano', 'endTime', 'end']

/** A span's attributes, read by name, noting which fields and attribute keys were used. */
class SpanAttributes {
  readonly used: string[] = []
  readonly usedAttributes = new Set<string>()
  readonly attributes: Record<string, unknown> | null

  constructor(private readonly fields: Record<string, unknown>) {
    this.attributes = 'attributes' in fields ? asContainer(fields.attributes) : null
  }

  /** An attribute, whether flat (`attributes.x` column), nested, in an OTLP list, or indexed. */
  get(key: string): unknown {
    const { attributes, fields } = this
    if (attributes) {
      const v = Object.hasOwn(attributes, key)
        ? attributes[key]
        : (collectIndexed(attributes, key) ?? getField(attributes, key))
      if (v !== undefined) {
        this.usedAttributes.add(key)
        return v
      }
    }
    for (const path of [`attributes.${key}`, key]) {
      const v = Object.hasOwn(fields, path) ? fields[path] : collectIndexed(fields, path)
      if (v !== undefined) {
        this.used.push(path)
        return v
      }
    }
    return undefined
  }

  /** A nested path of the record itself (not an attribute). */
  nested(path: string): unknown {
    return getField(this.fields, path)
  }

  /** The first of these attributes that is not empty. */
  firstOf(keys: string[]): unknown {
    for (const k of keys) {
      const v = this.get(k)
      if (!isEmptyValue(v)) return v
    }
    return undefined
  }

  /** The first of these attributes that holds a conversation. */
  messagesFrom(keys: string[]): ChatMessage[] {
    for (const k of keys) {
      const v = this.get(k)
      const m = isEmptyValue(v) ? null : asMessages(v)
      if (m && m.length > 0) return m
    }
    return []
  }
}

const asMessages = (v: unknown): ChatMessage[] | null => {
  if (!looksLikeMessages(v)) return null
  const r = normalizeMessages(v)
  return r.ok ? r.value : null
}

/** What one span says: its input/output text and messages, kind, model, timing and tokens. */
export function spanContent(record: SourceRecord, io: SpanIo): SpanContent {
  const attrs = new SpanAttributes(record.fields)
  const text = spanText(attrs, io)
  return {
    ...text,
    meta: spanMeta(attrs),
    used: attrs.used,
    usedAttributes: attrs.usedAttributes,
    attributes: attrs.attributes,
  }
}

function spanText(
  attrs: SpanAttributes,
  io: SpanIo,
): Pick<
  SpanContent,
  'input' | 'output' | 'inputFromMessages' | 'outputFromMessages' | 'inputMessages' | 'outputMessages'
> {
  // `input.value` / `input` / `gen_ai.prompt` hold either text or (Langfuse generation, an LLM
  // span's raw request) a conversation.
  const inputValue = unwrapSingle(
    attrs.firstOf([...(io.input ? [io.input] : []), 'input.value', 'input', 'gen_ai.prompt']),
  )
  const outputValue = unwrapSingle(
    attrs.firstOf([...(io.output ? [io.output] : []), 'output.value', 'output', 'gen_ai.completion']),
  )
  const inputIsMessages = inputValue !== undefined && looksLikeMessages(inputValue)
  const outputAsMessages = outputValue === undefined ? null : outputMessages(outputValue)
  let inputMessages = attrs.messagesFrom(INPUT_MESSAGES)
  let outMessages = attrs.messagesFrom(OUTPUT_MESSAGES)
  if (inputMessages.length === 0 && inputIsMessages) inputMessages = asMessages(inputValue) ?? []
  if (outMessages.length === 0 && outputAsMessages) outMessages = outputAsMessages
  addSystem(attrs, inputMessages)

  // The text shown for the span: its own input/output value, unless that value is the conversation itself.
  const inputFromMessages = inputValue === undefined || inputIsMessages
  const outputFromMessages = outputValue === undefined || outputAsMessages !== null
  return {
    input: inputFromMessages ? firstUserText(inputMessages) : toText(inputValue),
    output: outputFromMessages ? lastAssistantText(outMessages) : toText(outputValue),
    inputFromMessages,
    outputFromMessages,
    inputMessages,
    outputMessages: outMessages,
  }
}

/**
 * LangSmith and Braintrust keep a run's inputs and outputs as a keyed object: `{"question": "…"}`,
 * `{"output": {AIMessage}}`. One key holding text or a message is that text or message; anything
 * richer stays whole (shown as JSON).
 */
function unwrapSingle(value: unknown): unknown {
  if (!isPlainObject(value)) return value
  const keys = Object.keys(value)
  if (keys.length !== 1) return value
  const inner = value[keys[0]]
  return typeof inner === 'string' || looksLikeMessages(inner) ? inner : value
}

/** OpenTelemetry GenAI keeps the system prompt apart: it opens the conversation (in place). */
function addSystem(attrs: SpanAttributes, messages: ChatMessage[]): void {
  const system = attrs.get('gen_ai.system_instructions')
  if (isEmptyValue(system) || messages.length === 0 || messages[0].role === 'system') return
  const parsed = parseJsonCell(system)
  const text = typeof parsed === 'string' ? parsed : normalizeMessage({ role: 'system', parts: parsed }).content
  messages.unshift({ role: 'system', content: text })
}

/** The span's kind, model, tool, status and tokens, and its start, end and duration. */
function spanMeta(attrs: SpanAttributes): Record<string, unknown> {
  const meta: Record<string, unknown> = {}
  for (const [name, keys] of META) {
    const v = attrs.firstOf(keys)
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) meta[name] = v
  }
  // Braintrust nests a span's kind: `span_attributes: {name, type}`.
  const nestedKind = meta.kind === undefined ? attrs.nested('span_attributes.type') : undefined
  if (typeof nestedKind === 'string' && nestedKind !== '') meta.kind = nestedKind
  const startKey = START.find((k) => !isEmptyValue(attrs.get(k)))
  const endKey = END.find((k) => !isEmptyValue(attrs.get(k)))
  const startRaw = startKey && attrs.get(startKey)
  const endRaw = endKey && attrs.get(endKey)
  const start = timeKey(startRaw, startKey?.endsWith('UnixNano'))
  const end = timeKey(endRaw, endKey?.endsWith('UnixNano'))
  if (startRaw !== undefined) meta.start = toText(startRaw)
  if (endRaw !== undefined) meta.end = toText(endRaw)
  if (start !== null && end !== null) meta.durationMs = Math.round((end - start) / 10) / 100
  return meta
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
