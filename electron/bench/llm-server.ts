/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`) for the judge
 * benchmark and the tests: a fixed latency, and faults asked for by markers in the prompt, so a
 * test says in its data what should go wrong with which item:
 *
 *   [[fail]]         answer Fail (otherwise Pass, unless `failWhen` says Fail)
 *   [[429xN]]        the first N calls get 429 with `retry-after-ms: 50` (`[[429sxN]]`: retry-after: 1, in seconds)
 *   [[500xN]]        the first N calls get 500
 *   [[hangxN]]       the first N calls never answer (the client must time out)
 *   [[malformed]]    the answer is not JSON
 *   [[noverdict]]    JSON with a critique and no verdict
 *
 * `answer` replaces the content of an answer (for prompts that are not judge prompts).
 *
 * Every call is recorded (prompt, headers, time), so tests can count calls per item.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

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

export async function startLlmServer(o: { latencyMs?: number; port?: number; failWhen?: (prompt: string) => boolean; answer?: (prompt: string) => string | null } = {}): Promise<LlmServer> {
  const latency = o.latencyMs ?? 0
  const calls: RecordedCall[] = []
  const seen = new Map<string, number>()
  const hanging = new Set<IncomingMessage>()

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-judge', object: 'model', created: 0, owned_by: 'assay' }] }))
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' })
        return void res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }))
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' })
        return void res.end(JSON.stringify({ error: { message: 'body is not JSON' } }))
      }
      const messages = (body.messages as { content: string }[] | undefined) ?? []
      const prompt = messages.map((m) => m.content).join('\n')
      const count = (seen.get(prompt) ?? 0) + 1
      seen.set(prompt, count)
      const fault = (kind: string): boolean => {
        const m = new RegExp(`\\[\\[${kind}x(\\d+)\\]\\]`).exec(prompt)
        return m !== null && count <= Number(m[1])
      }
      const call: RecordedCall = { prompt, body, authorization: req.headers.authorization, at: Date.now(), status: 200 }
      calls.push(call)
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        call.status = status
        setTimeout(() => {
          if (res.destroyed) return
          res.writeHead(status, { 'content-type': 'application/json', ...headers })
          res.end(JSON.stringify(payload))
        }, latency)
      }
      if (fault('hang')) {
        call.status = 0
        hanging.add(req)
        req.socket.on('close', () => hanging.delete(req))
        return
      }
      if (fault('429')) return send(429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, { 'retry-after-ms': '50' })
      if (fault('429s')) return send(429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, { 'retry-after': '1' })
      if (fault('500')) return send(500, { error: { message: 'The server had an error' } })
      const verdict = prompt.includes('[[fail]]') || o.failWhen?.(prompt) ? 'Fail' : 'Pass'
      const content = o.answer?.(prompt) ?? (prompt.includes('[[malformed]]')
        ? 'I think this output is fine, Pass.'
        : prompt.includes('[[noverdict]]')
          ? JSON.stringify({ critique: 'Looks reasonable.' })
          : JSON.stringify({ critique: `The output ${verdict === 'Pass' ? 'meets' : 'fails'} the criterion.`, result: verdict }))
      send(200, {
        id: `chatcmpl-${calls.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: String(body.model ?? 'fake-judge'),
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: Math.ceil((prompt.length + content.length) / 4) },
      })
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
