/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`, batches) for the
 * judge benchmark and the tests: a fixed latency, and faults asked for by markers in the prompt, so a
 * test says in its data what should go wrong with which item:
 *
 *   [[fail]]         answer Fail (otherwise Pass, unless `failWhen` says Fail); in a judge prompt only
 *                    the item it judges counts (after "## The item to judge"), not its few-shot examples
 *   [[429xN]]        the first N calls get 429 with `retry-after-ms: 50` (`[[429sxN]]`: retry-after: 1,
 *                    in seconds)
 *   [[500xN]]        the first N calls get 500
 *   [[hangxN]]       the first N calls never answer (the client must time out)
 *   [[malformed]]    the answer is not JSON
 *   [[noverdict]]    JSON with a critique and no verdict
 *   [[echo-key]]     a verdict whose critique repeats the request's Authorization header (an
 *                    endpoint that echoes the API key: the key must still reach no file)
 *
 * `answer` replaces the content of an answer (for prompts that are not judge prompts).
 *
 * The Batch API too (`POST /v1/files`, `POST /v1/batches`, `GET /v1/batches/ID`,
 * `GET /v1/files/ID/content`): every line is answered (markers and all) when the batch is
 * created, and the batch shows as completed from its `batch.polls`-th retrieve on; a 500 goes to
 * the error file, a hang leaves the line out of both.
 *
 * Every call is recorded (prompt, headers, time), so tests can count calls per item.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { batchRoute, type BatchStore } from './llm-batches'

/** Where the default judge template puts the item it judges, after the few-shot examples. */
const ITEM_HEADING = '## The item to judge'

export interface RecordedCall {
  prompt: string
  body: Record<string, unknown>
  authorization: string | undefined
  at: number
  status: number
}

export interface LlmServer {
  baseUrl: string
  calls: RecordedCall[]
  /** Calls whose prompt contains `text`. */
  callsWith(text: string): RecordedCall[]
  close(): Promise<void>
}

/** How the fake model behaves: its latency, port, which prompts fail, and the Batch API's course. */
export interface LlmServerOptions {
  latencyMs?: number
  port?: number
  failWhen?: (prompt: string) => boolean
  answer?: (prompt: string) => string | null
  /**
   * Batch API: retrieves before a batch ends (default 2); a reason to fail every batch; or end
   * them `expired` (24 h passed) instead of completed.
   */
  batch?: { polls?: number; fail?: string; expire?: boolean }
}

/** A reply of the fake model: an HTTP status and JSON body, or `hang` (never answer). */
export type Reply = { status: number; payload: unknown; headers?: Record<string, string> } | 'hang'

/** Answers one chat request as the fake model would, faults included; records it as a call. */
export type ReplyTo = (body: Record<string, unknown>, authorization: string | undefined) => Reply

/** Writes a JSON response. */
export type Json = (status: number, payload: unknown) => void

/** Starts the fake model on 127.0.0.1 (a free port unless `o.port`). */
export async function startLlmServer(o: LlmServerOptions = {}): Promise<LlmServer> {
  const calls: RecordedCall[] = []
  const hanging = new Set<IncomingMessage>()
  const replyTo = fakeModel(o, calls)
  const store: BatchStore = { files: new Map(), batches: new Map() }

  const server: Server = createServer((req, res) => {
    // The latency counts from the request's arrival: reading and answering it take none of it.
    const due = performance.now() + (o.latencyMs ?? 0)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks), { o, replyTo, store, hanging, due })
    })
  })

  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    callsWith: (text) => calls.filter((c) => c.prompt.includes(text)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const req of hanging) req.socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** One request, read whole: the model list, the Batch API, or a chat completion (after the latency). */
function handle(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  s: { o: LlmServerOptions; replyTo: ReplyTo; store: BatchStore; hanging: Set<IncomingMessage>; due: number },
): void {
  const json: Json = (status, payload) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(payload))
  }
  const url = req.url ?? ''
  if (req.method === 'GET' && url.endsWith('/models')) {
    json(200, {
      object: 'list',
      data: [{ id: 'fake-judge', object: 'model', created: 0, owned_by: 'assay' }],
    })
    return
  }
  if (url.includes('/files') || url.includes('/batches')) {
    batchRoute({ req, res, url, body: raw, json }, s.store, s.o, s.replyTo).catch((error: unknown) => {
      json(500, { error: { message: String(error) } })
    })
    return
  }
  if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
    json(404, { error: { message: `no route ${req.method ?? ''} ${url}` } })
    return
  }
  let body: Record<string, unknown>
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
  } catch {
    json(400, { error: { message: 'body is not JSON' } })
    return
  }
  const r = s.replyTo(body, req.headers.authorization)
  if (r === 'hang') {
    s.hanging.add(req)
    req.socket.on('close', () => s.hanging.delete(req))
    return
  }
  // Whole milliseconds: timers of one duration share one list in Node, a fraction would make a list each.
  const wait = Math.max(0, Math.round(s.due - performance.now()))
  setTimeout(() => {
    if (res.destroyed) return
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers })
    res.end(JSON.stringify(r.payload))
  }, wait)
}

/** The `xN` fault markers: the first N calls of a prompt get the fault. */
const FAULT = {
  hang: /\[\[hangx(\d+)\]\]/,
  '429': /\[\[429x(\d+)\]\]/,
  '429s': /\[\[429sx(\d+)\]\]/,
  '500': /\[\[500x(\d+)\]\]/,
}

const RATE_LIMITED = { error: { message: 'Rate limit reached', type: 'rate_limit' } }

/** The fake model: counts each prompt's calls (for the `xN` faults) and records every call. */
function fakeModel(o: LlmServerOptions, calls: RecordedCall[]): ReplyTo {
  const seen = new Map<string, number>()
  return (body, authorization) => {
    const messages = (body.messages as { content: string }[] | undefined) ?? []
    const prompt = messages.map((m) => m.content).join('\n')
    const count = (seen.get(prompt) ?? 0) + 1
    seen.set(prompt, count)
    const fault = (kind: keyof typeof FAULT): boolean => {
      const m = FAULT[kind].exec(prompt)
      return m !== null && count <= Number(m[1])
    }
    const call: RecordedCall = { prompt, body, authorization, at: Date.now(), status: 200 }
    calls.push(call)
    const answer = (r: Reply): Reply => {
      call.status = r === 'hang' ? 0 : r.status
      return r
    }
    if (fault('hang')) return answer('hang')
    if (fault('429')) return answer({ status: 429, payload: RATE_LIMITED, headers: { 'retry-after-ms': '50' } })
    if (fault('429s')) return answer({ status: 429, payload: RATE_LIMITED, headers: { 'retry-after': '1' } })
    if (fault('500')) return answer({ status: 500, payload: { error: { message: 'The server had an error' } } })
    const judged = prompt.slice(Math.max(0, prompt.lastIndexOf(ITEM_HEADING)))
    const verdict = judged.includes('[[fail]]') || o.failWhen?.(prompt) ? 'Fail' : 'Pass'
    const content = o.answer?.(prompt) ?? judgeAnswer(prompt, verdict, authorization)
    return answer({ status: 200, payload: completion(body, prompt, content, calls.length) })
  }
}

/** What the fake judge writes: JSON with a critique and the verdict, unless a marker asks otherwise. */
function judgeAnswer(prompt: string, verdict: 'Pass' | 'Fail', authorization: string | undefined): string {
  if (prompt.includes('[[malformed]]')) return 'I think this output is fine, Pass.'
  if (prompt.includes('[[noverdict]]')) return JSON.stringify({ critique: 'Looks reasonable.' })
  const meets = verdict === 'Pass' ? 'meets' : 'fails'
  if (prompt.includes('[[echo-key]]'))
    return JSON.stringify({
      critique: `You called me with "${authorization ?? ''}"; the output ${meets} the criterion.`,
      result: verdict,
    })
  return JSON.stringify({ critique: `The output ${meets} the criterion.`, result: verdict })
}

/** A chat completion as OpenAI returns it, with token counts of about 4 characters a token. */
function completion(body: Record<string, unknown>, prompt: string, content: string, n: number) {
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof body.model === 'string' ? body.model : 'fake-judge',
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
    ],
    usage: {
      prompt_tokens: Math.ceil(prompt.length / 4),
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: Math.ceil((prompt.length + content.length) / 4),
    },
  }
}
