/**
 * Trace shapes practitioners bring (methodology §7), normalised to what Assay stores: OpenAI-style
 * `ChatMessage[]` and named pipeline steps. Parsers here are tolerant of shape (LangChain, OTel
 * parts, OpenInference's flattened lists, vendor log cells holding JSON) but never invent
 * content: unknown roles are kept as written, unknown parts are kept as JSON, images become a
 * placeholder text and are never fetched.
 */
import type { ChatMessage } from '../../../shared/domain'
import { isEmptyValue, isPlainObject, parseJsonCell, toText, unflatten } from './fields'

type ToolCall = NonNullable<ChatMessage['tool_calls']>[number]
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** A pipeline step as parsed; `messages` is kept when the step was an LLM call (unit = step). */
export interface TraceStep {
  name: string
  input: string
  output: string
  metadata: Record<string, unknown>
  messages: ChatMessage[]
}

// ---------------------------------------------------------------------------------------------
// Chat messages

/** LangChain message `type`s and class names → OpenAI roles. */
const LANGCHAIN_ROLES: Record<string, string | undefined> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'function',
  developer: 'developer',
  HumanMessage: 'user',
  HumanMessageChunk: 'user',
  AIMessage: 'assistant',
  AIMessageChunk: 'assistant',
  SystemMessage: 'system',
  ToolMessage: 'tool',
  FunctionMessage: 'function',
}

/** True for an object that is recognisably one chat message in any of the shapes we read. */
export function isMessageLike(value: unknown): boolean {
  if (!isPlainObject(value)) return false
  if (typeof value.role === 'string') return true
  if (value.lc === 1 && isPlainObject(value.kwargs)) return true
  if (typeof value.type === 'string') {
    if (value.type in LANGCHAIN_ROLES && ('content' in value || isPlainObject(value.data))) return true
    if (value.type === 'function_call' || value.type === 'function_call_output') return true
  }
  if (isPlainObject(value.message) && Object.keys(value).length === 1) return isMessageLike(value.message)
  return 'message.role' in value || 'message.content' in value
}

function flattenNested(list: unknown[], depth = 0): unknown[] {
  // LangSmith wraps batches as [[...]]; one real NurtureBoss cell nests a message list inside the list.
  return list.flatMap((v) => (Array.isArray(v) && depth < 3 ? flattenNested(v, depth + 1) : [v]))
}

/** The raw list of messages inside a value, or null when the value holds none. */
function messageListOf(value: unknown): unknown[] | null {
  const v = parseJsonCell(value)
  if (Array.isArray(v)) {
    // An OpenAI `choices` list (Braintrust logs an LLM span's output so): each choice's message.
    const flat = flattenNested(v).map((c) =>
      isPlainObject(c) && isPlainObject(c.message) && 'finish_reason' in c ? c.message : c,
    )
    return flat.some(isMessageLike) ? flat : null
  }
  if (!isPlainObject(v)) return null
  if (isMessageLike(v)) return [v]
  const inner = parseJsonCell(v.messages)
  if (Array.isArray(inner)) return messageListOf(inner)
  if (Array.isArray(v.choices)) {
    // An OpenAI completion response: the reply is in choices[0].message.
    const first: unknown = v.choices[0]
    if (isPlainObject(first) && isPlainObject(first.message)) return [first.message]
    if (isPlainObject(first) && typeof first.text === 'string') return [{ role: 'assistant', content: first.text }]
  }
  if (Array.isArray(v.generations)) {
    const gens = flattenNested(v.generations).filter(isPlainObject)
    const out = gens.map((g) => (isPlainObject(g.message) ? g.message : { role: 'assistant', content: toText(g.text) }))
    return out.length > 0 ? out : null
  }
  return null
}

/** Whether a cell holds a conversation (used by suggestMapping on sample values). */
export function looksLikeMessages(value: unknown): boolean {
  const list = messageListOf(value)
  return list !== null && list.filter(isPlainObject).length >= 1 && list.filter(isMessageLike).length >= list.length / 2
}

/**
 * Any supported message list (array, JSON string of one, `{messages}`, `{choices}`,
 * `{generations}`, or one message) → ChatMessage[]. Empty values give []; a list entry that is
 * not an object is an error, since guessing what it meant would hide a broken export.
 */
export function normalizeMessages(value: unknown): Parsed<ChatMessage[]> {
  if (isEmptyValue(value)) return { ok: true, value: [] }
  const list = messageListOf(value)
  if (!list) {
    const parsed = parseJsonCell(value)
    if (Array.isArray(parsed) && parsed.length === 0) return { ok: true, value: [] }
    return {
      ok: false,
      error: `is not a list of chat messages (expected a JSON array of {role, content} objects, got ${describe(parsed)})`,
    }
  }
  const out: ChatMessage[] = []
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]
    if (!isPlainObject(entry))
      return { ok: false, error: `message ${i + 1} is ${describe(entry)}, not a {role, content} object` }
    out.push(normalizeMessage(entry))
  }
  return { ok: true, value: out }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** One message in any supported shape → ChatMessage. A message without a role gets `unknown`. */
export function normalizeMessage(raw: Record<string, unknown>): ChatMessage {
  let m = raw
  if (isPlainObject(m.message) && Object.keys(m).length === 1)
    m = m.message // OpenInference {message: {...}}
  else if (Object.keys(m).some((k) => k.startsWith('message.'))) {
    const nested = unflatten(m).message // OpenInference dataframe: {'message.role': ..., 'message.content': ...}
    if (isPlainObject(nested)) m = nested
  }
  if (m.lc === 1 && isPlainObject(m.kwargs)) {
    const id = Array.isArray(m.id) ? m.id : []
    return fromLangChain(m.kwargs, toText(id[id.length - 1]))
  }
  if (typeof m.role !== 'string' && typeof m.type === 'string' && isPlainObject(m.data))
    return fromLangChain(m.data, m.type)
  if (m.type === 'function_call') {
    // OpenAI Responses API items.
    return {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: toText(m.call_id ?? m.id), name: toText(m.name), arguments: argumentsText(m.arguments) }],
    }
  }
  if (m.type === 'function_call_output')
    return { role: 'tool', content: toText(m.output), tool_call_id: toText(m.call_id) }
  if (typeof m.role !== 'string' && typeof m.type === 'string' && m.type in LANGCHAIN_ROLES)
    return fromLangChain(m, m.type)

  const role = typeof m.role === 'string' ? m.role : 'unknown'
  const contentKey = ['content', 'parts', 'contents', 'text'].find((k) => k in m)
  const content = contentOf(contentKey ? m[contentKey] : undefined)
  const known = new Set([
    'role',
    'content',
    'parts',
    'contents',
    'text',
    'name',
    'tool_calls',
    'tool_call_id',
    'function_call',
    'type',
    'id',
  ])
  if (role === 'unknown' && !contentKey && Object.keys(m).some((k) => !known.has(k))) {
    // Nothing we recognise: keep the whole object as text rather than dropping it.
    content.text = JSON.stringify(m)
  }
  return build(role, content, m, [...toolCallsOf(m.tool_calls), ...functionCallOf(m.function_call)])
}

function fromLangChain(kw: Record<string, unknown>, typeOrClass: string): ChatMessage {
  const kwType = typeof kw.type === 'string' ? kw.type : ''
  const role =
    (typeOrClass === 'ChatMessage' || kwType === 'chat') && typeof kw.role === 'string'
      ? kw.role
      : (LANGCHAIN_ROLES[kwType] ?? LANGCHAIN_ROLES[typeOrClass] ?? (typeof kw.role === 'string' ? kw.role : 'unknown'))
  const extra = isPlainObject(kw.additional_kwargs) ? kw.additional_kwargs : {}
  const calls =
    Array.isArray(kw.tool_calls) && kw.tool_calls.length > 0
      ? toolCallsOf(kw.tool_calls)
      : toolCallsOf(extra.tool_calls)
  return build(role, contentOf(kw.content), kw, [...calls, ...functionCallOf(extra.function_call)])
}

function build(role: string, content: Content, m: Record<string, unknown>, calls: ToolCall[]): ChatMessage {
  const msg: ChatMessage = { role, content: content.text }
  if (typeof m.name === 'string' && m.name !== '') msg.name = m.name
  const callId = m.tool_call_id ?? content.toolCallId
  if (typeof callId === 'string' || typeof callId === 'number') msg.tool_call_id = String(callId)
  const all = [...calls, ...content.toolCalls]
  if (all.length > 0) msg.tool_calls = all
  return msg
}

function argumentsText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * OpenAI `{id, type:'function', function:{name, arguments}}`, OpenInference `{tool_call:{...}}`, flat
 * `{id, name, args}`.
 */
function toolCallsOf(value: unknown): ToolCall[] {
  const list = parseJsonCell(value)
  if (!Array.isArray(list)) return []
  return list.map((entry): ToolCall => {
    let c: unknown = entry
    if (isPlainObject(c) && Object.keys(c).some((k) => k.includes('.'))) c = unflatten(c) // OpenInference dataframe: {'tool_call.function.name': ...}
    if (isPlainObject(c) && isPlainObject(c.tool_call)) c = c.tool_call
    if (!isPlainObject(c)) return { id: '', name: '(unreadable tool call)', arguments: toText(entry) }
    const fn = isPlainObject(c.function) ? c.function : c
    return {
      id: toText(c.id ?? c.call_id),
      name: toText(fn.name),
      arguments: argumentsText(fn.arguments ?? fn.args ?? fn.input ?? c.args),
    }
  })
}

/** The legacy `function_call: {name, arguments}` (pre-tools OpenAI); it had no id. */
function functionCallOf(value: unknown): ToolCall[] {
  return isPlainObject(value) ? [{ id: '', name: toText(value.name), arguments: argumentsText(value.arguments) }] : []
}

interface Content {
  text: string | null
  toolCalls: ToolCall[]
  toolCallId?: string
}

/** Content as a string, null, or parts (OpenAI, OTel GenAI, Anthropic) joined into text. */
function contentOf(value: unknown): Content {
  if (value === undefined || value === null) return { text: null, toolCalls: [] }
  if (typeof value === 'string') return { text: value, toolCalls: [] }
  const parts = Array.isArray(value) ? value : [value]
  const out: Content = { text: null, toolCalls: [] }
  const texts: string[] = []
  for (const part of parts) {
    const t = partText(part, out)
    if (t !== null) texts.push(t)
  }
  out.text = texts.length > 0 ? texts.join('\n') : null
  return out
}

function partText(part: unknown, into: Content): string | null {
  if (typeof part === 'string') return part
  if (!isPlainObject(part)) return toText(part)
  const type = typeof part.type === 'string' ? part.type : ''
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return toText(part.text ?? part.content)
    case 'refusal':
      return toText(part.refusal)
    case 'image_url':
    case 'input_image':
    case 'image': {
      const img = part.image_url ?? part.url ?? (isPlainObject(part.source) ? part.source.url : undefined)
      const url = isPlainObject(img) ? img.url : img
      return typeof url === 'string' && url !== '' ? `[image: ${shortUrl(url)}]` : '[image]'
    }
    case 'tool_call':
    case 'tool_use':
      into.toolCalls.push({
        id: toText(part.id),
        name: toText(part.name),
        arguments: argumentsText(part.arguments ?? part.input),
      })
      return null
    case 'tool_call_response':
    case 'tool_result': {
      into.toolCallId = toText(part.id ?? part.tool_use_id)
      const body = part.response ?? part.result ?? part.content
      return Array.isArray(body) ? contentOf(body).text : toText(body)
    }
    case 'reasoning':
    case 'thinking':
      return `[reasoning] ${toText(part.content ?? part.thinking ?? part.text)}`
    default:
      if (typeof part.text === 'string') return part.text
      if (typeof part.content === 'string') return part.content
      return JSON.stringify(part)
  }
}

/** Data URLs can be megabytes; the placeholder keeps only the media type. */
function shortUrl(url: string): string {
  if (url.startsWith('data:')) return `${url.slice(0, Math.max(url.indexOf(','), 0))},…`
  return url
}

const ASSISTANT = /^(a+s+i+s+t+a+n+t+|agent|ai|model|bot|chatbot)$/i

/** Assistant-like roles, including hw5's `agent` and NurtureBoss's typo `asssistant`. */
export function isAssistantRole(role: string): boolean {
  return ASSISTANT.test(role.trim())
}

export function firstUserText(messages: ChatMessage[]): string {
  const m = messages.find((x) => /^(user|human)$/i.test(x.role) && (x.content ?? '') !== '')
  return m?.content ?? ''
}

export function lastAssistantText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (isAssistantRole(m.role) && (m.content ?? '') !== '') return m.content ?? ''
  }
  return ''
}

/**
 * An output cell as messages when it holds some (`{role, content}`, `{choices}`, a list, …), so a
 * log export's reply joins the conversation; null when it is plain text or other JSON.
 */
export function outputMessages(value: unknown): ChatMessage[] | null {
  if (isEmptyValue(value)) return null
  const parsed = parseJsonCell(value)
  if (typeof parsed === 'string' || messageListOf(parsed) === null) return null
  const r = normalizeMessages(parsed)
  return r.ok && r.value.length > 0 ? r.value : null
}

// ---------------------------------------------------------------------------------------------
// Steps

/** A `steps` field: an array of `{name, input, output, ...}` (or a JSON string of one). */
export function normalizeSteps(value: unknown): Parsed<TraceStep[]> {
  if (isEmptyValue(value)) return { ok: true, value: [] }
  let list = parseJsonCell(value)
  if (isPlainObject(list) && Array.isArray(list.steps)) list = list.steps
  if (!Array.isArray(list))
    return {
      ok: false,
      error: `is not a list of steps (expected a JSON array of {name, input, output}, got ${describe(list)})`,
    }
  const steps: TraceStep[] = []
  for (let i = 0; i < list.length; i++) {
    const s: unknown = list[i]
    if (!isPlainObject(s))
      return { ok: false, error: `step ${i + 1} is ${describe(s)}, not a {name, input, output} object` }
    const { name, step, input, inputs, output, outputs, messages, ...rest } = s
    const msgs = messages === undefined ? null : normalizeMessages(messages)
    steps.push({
      name: toText(name ?? step ?? rest.type ?? `step ${i + 1}`) || `step ${i + 1}`,
      input: toText(input ?? inputs),
      output: toText(output ?? outputs),
      metadata: rest,
      messages: msgs?.ok ? msgs.value : [],
    })
  }
  return { ok: true, value: steps }
}

/** The first step with this name (a unit-of-review of kind `step`). */
export function findStep(steps: TraceStep[], name: string): { step: TraceStep; occurrences: number } | null {
  const matches = steps.filter((s) => s.name === name)
  return matches.length === 0 ? null : { step: matches[0], occurrences: matches.length }
}
