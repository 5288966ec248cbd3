/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`, batches) for the judge
 * benchmark and the tests: a fixed latency, and faults asked for by markers in the prompt, so a
 * test says in its data what should go wrong with which item:
 *
 *   [[fail]]         answer Fail (otherwise Pass, unless `failWhen` says Fail); in a judge prompt only the item
 *                    it judges counts (after "## The item to judge"), not its few-shot examples
 *   [[429xN]]        the first N calls get 429 with `retry-after-ms: 50` (`[[429sxN]]`: retry-after: 1, in seconds)
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
import { createServer, type IncomingMessage, type Server } from 'node:http'
/** Where the default judge template puts the item it judges, after the few-shot examples. */
const ITEM_HEADING = '## The item to judge'
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

/** A reply of the fake model: an HTTP status and JSON body, or `hang` (never answer). */
type Reply = { status: number; payload: unknown; headers?: Record<string, string> } | 'hang'

export async function startLlmServer(
  o: {
    latencyMs?: number
    port?: number
    failWhen?: (prompt: string) => boolean
    answer?: (prompt: string) => string | null
    /** Batch API: retrieves before a batch ends (default 2); a reason to fail every batch; or end them `expired` (24 h passed) instead of completed. */
    batch?: { polls?: number; fail?: string; expire?: boolean }
  } = {},
): Promise<LlmServer> {
  const latency = o.latencyMs ?? 0
  const calls: RecordedCall[] = []
  const seen = new Map<string, number>()
  const hanging = new Set<IncomingMessage>()
  const files = new Map<string, string>()
  const batches = new Map<string, { batch: Record<string, unknown>; polls: number }>()

  /** Answers one chat request as the fake model would, faults included; records it as a call. */
  const reply = (
    body: Record<string, unknown>,
    authorization: string | undefined,
  ): { call: RecordedCall; reply: Reply } => {
    const messages = (body.messages as { content: string }[] | undefined) ?? []
    const prompt = messages.map((m) => m.content).join('\n')
    const count = (seen.get(prompt) ?? 0) + 1
    seen.set(prompt, count)
    const fault = (kind: string): boolean => {
      const m = new RegExp(`\\[\\[${kind}x(\\d+)\\]\\]`).exec(prompt)
      return m !== null && count <= Number(m[1])
    }
    const call: RecordedCall = { prompt, body, authorization, at: Date.now(), status: 200 }
    calls.push(call)
    const answer = (r: Reply) => {
      call.status = r === 'hang' ? 0 : r.status
      return { call, reply: r }
    }
    if (fault('hang')) return answer('hang')
    if (fault('429'))
      return answer({
        status: 429,
        payload: { error: { message: 'Rate limit reached', type: 'rate_limit' } },
        headers: { 'retry-after-ms': '50' },
      })
    if (fault('429s'))
      return answer({
        status: 429,
        payload: { error: { message: 'Rate limit reached', type: 'rate_limit' } },
        headers: { 'retry-after': '1' },
      })
    if (fault('500')) return answer({ status: 500, payload: { error: { message: 'The server had an error' } } })
    const judged = prompt.slice(Math.max(0, prompt.lastIndexOf(ITEM_HEADING)))
    const verdict = judged.includes('[[fail]]') || o.failWhen?.(prompt) ? 'Fail' : 'Pass'
    const content =
      o.answer?.(prompt) ??
      (prompt.includes('[[malformed]]')
        ? 'I think this output is fine, Pass.'
        : prompt.includes('[[noverdict]]')
          ? JSON.stringify({ critique: 'Looks reasonable.' })
          : prompt.includes('[[echo-key]]')
            ? JSON.stringify({
                critique: `You called me with "${authorization ?? ''}"; the output ${verdict === 'Pass' ? 'meets' : 'fails'} the criterion.`,
                result: verdict,
              })
            : JSON.stringify({
                critique: `The output ${verdict === 'Pass' ? 'meets' : 'fails'} the criterion.`,
                result: verdict,
              }))
    return answer({
      status: 200,
      payload: {
        id: `chatcmpl-${calls.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: String(body.model ?? 'fake-judge'),
        choices: [
          { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null },
        ],
        usage: {
          prompt_tokens: Math.ceil(prompt.length / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil((prompt.length + content.length) / 4),
        },
      },
    })
  }

  /** A batch over an uploaded JSONL file: every line answered now, the results shown once it has been polled enough. */
  const createBatch = (inputFileId: string, authorization: string | undefined): Record<string, unknown> => {
    const id = `batch_${batches.size + 1}`
    const batch: Record<string, unknown> = {
      id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: inputFileId,
      completion_window: '24h',
      status: 'validating',
      created_at: Math.floor(Date.now() / 1000),
      output_file_id: null,
      error_file_id: null,
      errors: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
    }
    const output: string[] = []
    const errors: string[] = []
    if (!o.batch?.fail) {
      for (const line of (files.get(inputFileId) ?? '').split('\n')) {
        if (line.trim() === '') continue
        const request = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> }
        const { reply: r } = reply(request.body, authorization)
        if (r === 'hang') continue // an answer that never came: the line is missing from both files
        const row = JSON.stringify({
          id: `batch_req_${output.length + errors.length}`,
          custom_id: request.custom_id,
          response: { status_code: r.status, request_id: 'r', body: r.payload },
          error: null,
        })
        ;(r.status === 200 ? output : errors).push(row)
      }
    }
    const file = (lines: string[]) => {
      if (lines.length === 0) return null
      const fileId = `file-out-${files.size + 1}`
      files.set(fileId, `${lines.join('\n')}\n`)
      return fileId
    }
    batches.set(id, {
      batch: {
        ...batch,
        output_file_id: file(output),
        error_file_id: file(errors),
        request_counts: { total: output.length + errors.length, completed: output.length, failed: errors.length },
      },
      polls: 0,
    })
    return batch
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const json = (status: number, payload: unknown) => {
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
      if (url.includes('/files') || url.includes('/batches'))
        return void batchRoute(req, url, Buffer.concat(chunks), json, res).catch((error: unknown) =>
          json(500, { error: { message: String(error) } }),
        )
      if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
        json(404, { error: { message: `no route ${req.method} ${url}` } })
        return
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        json(400, { error: { message: 'body is not JSON' } })
        return
      }
      const { reply: r } = reply(body, req.headers.authorization)
      if (r === 'hang') {
        hanging.add(req)
        req.socket.on('close', () => hanging.delete(req))
        return
      }
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers })
        res.end(JSON.stringify(r.payload))
      }, latency)
    })
  })

  /** `/v1/files` (multipart upload, content) and `/v1/batches` (create, retrieve), as OpenAI's Batch API has them. */
  const batchRoute = async (
    req: IncomingMessage,
    url: string,
    body: Buffer,
    json: (status: number, payload: unknown) => void,
    res: import('node:http').ServerResponse,
  ) => {
    const content = /\/files\/([^/]+)\/content$/.exec(url)
    if (req.method === 'GET' && content) {
      const text = files.get(content[1])
      if (text === undefined) {
        json(404, { error: { message: `no file ${content[1]}` } })
        return
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(text)
    }
    if (req.method === 'POST' && url.endsWith('/files')) {
      const form = await new Request('http://local/files', {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: new Uint8Array(body),
      }).formData()
      const file = form.get('file') as Blob | null
      if (!file) {
        json(400, { error: { message: 'no file in the upload' } })
        return
      }
      const id = `file-in-${files.size + 1}`
      files.set(id, await file.text())
      json(200, {
        id,
        object: 'file',
        bytes: file.size,
        created_at: Math.floor(Date.now() / 1000),
        filename: 'batch.jsonl',
        purpose: String(form.get('purpose')),
        status: 'processed',
      })
      return
    }
    if (req.method === 'POST' && url.endsWith('/batches')) {
      const { input_file_id: input } = JSON.parse(body.toString('utf8')) as { input_file_id: string }
      if (!files.has(input)) {
        json(400, { error: { message: `no file ${input}` } })
        return
      }
      json(200, createBatch(input, req.headers.authorization))
      return
    }
    const one = /\/batches\/([^/]+)$/.exec(url)
    const entry = one ? batches.get(one[1]) : undefined
    if (req.method === 'GET' && entry) {
      entry.polls++
      const polls = o.batch?.polls ?? 2
      if (o.batch?.fail) {
        json(200, {
          ...entry.batch,
          status: 'failed',
          output_file_id: null,
          error_file_id: null,
          errors: { object: 'list', data: [{ code: 'invalid', message: o.batch.fail, line: 1 }] },
        })
        return
      }
      json(
        200,
        entry.polls >= polls
          ? { ...entry.batch, status: o.batch?.expire ? 'expired' : 'completed' }
          : { ...entry.batch, status: 'in_progress', output_file_id: null, error_file_id: null },
      )
      return
    }
    json(404, { error: { message: `no route ${req.method} ${url}` } })
  }

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
