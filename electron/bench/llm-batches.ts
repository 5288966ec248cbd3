import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Json, LlmServerOptions, ReplyTo } from './llm-server'

/** The fake Batch API's files (uploaded and produced) and batches, by id. */
export interface BatchStore {
  files: Map<string, string>
  batches: Map<string, { batch: Record<string, unknown>; polls: number }>
}

/** One request of the Batch API, read whole. */
interface BatchRequest {
  req: IncomingMessage
  res: ServerResponse
  url: string
  body: Buffer
  json: Json
}

/**
 * `/v1/files` (multipart upload, content) and `/v1/batches` (create, retrieve), as OpenAI's Batch
 * API has them.
 */
export async function batchRoute(r: BatchRequest, store: BatchStore, o: LlmServerOptions, replyTo: ReplyTo) {
  const { req, url, json } = r
  const content = /\/files\/([^/]+)\/content$/.exec(url)
  if (req.method === 'GET' && content) {
    fileContent(r, store, content[1])
    return
  }
  if (req.method === 'POST' && url.endsWith('/files')) {
    await upload(r, store)
    return
  }
  if (req.method === 'POST' && url.endsWith('/batches')) {
    const { input_file_id: input } = JSON.parse(r.body.toString('utf8')) as { input_file_id: string }
    if (!store.files.has(input)) {
      json(400, { error: { message: `no file ${input}` } })
      return
    }
    json(200, createBatch(store, o, replyTo, input, req.headers.authorization))
    return
  }
  const one = /\/batches\/([^/]+)$/.exec(url)
  const entry = one ? store.batches.get(one[1]) : undefined
  if (req.method === 'GET' && entry) {
    json(200, retrieve(entry, o))
    return
  }
  json(404, { error: { message: `no route ${req.method ?? ''} ${url}` } })
}

/** `GET /v1/files/ID/content`: a file's text. */
function fileContent({ res, json }: BatchRequest, store: BatchStore, id: string): void {
  const text = store.files.get(id)
  if (text === undefined) {
    json(404, { error: { message: `no file ${id}` } })
    return
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream' })
  res.end(text)
}

/** `POST /v1/files`: a multipart upload of the batch's JSONL. */
async function upload({ req, body, json }: BatchRequest, store: BatchStore): Promise<void> {
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
  const id = `file-in-${store.files.size + 1}`
  store.files.set(id, await file.text())
  const purpose = form.get('purpose')
  json(200, {
    id,
    object: 'file',
    bytes: file.size,
    created_at: Math.floor(Date.now() / 1000),
    filename: 'batch.jsonl',
    purpose: typeof purpose === 'string' ? purpose : 'null', // the client always sends one as text
    status: 'processed',
  })
}

/** `GET /v1/batches/ID`: in progress until polled enough, then completed (or expired, or failed). */
function retrieve(entry: { batch: Record<string, unknown>; polls: number }, o: LlmServerOptions) {
  entry.polls++
  const polls = o.batch?.polls ?? 2
  if (o.batch?.fail)
    return {
      ...entry.batch,
      status: 'failed',
      output_file_id: null,
      error_file_id: null,
      errors: { object: 'list', data: [{ code: 'invalid', message: o.batch.fail, line: 1 }] },
    }
  return entry.polls >= polls
    ? { ...entry.batch, status: o.batch?.expire ? 'expired' : 'completed' }
    : { ...entry.batch, status: 'in_progress', output_file_id: null, error_file_id: null }
}

/**
 * A batch over an uploaded JSONL file: every line answered now, the results shown once it has
 * been polled enough.
 */
function createBatch(
  store: BatchStore,
  o: LlmServerOptions,
  replyTo: ReplyTo,
  inputFileId: string,
  authorization: string | undefined,
): Record<string, unknown> {
  const id = `batch_${store.batches.size + 1}`
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
  const { output, errors } = o.batch?.fail
    ? { output: [], errors: [] }
    : answerLines(store.files.get(inputFileId) ?? '', replyTo, authorization)
  const file = (lines: string[]) => {
    if (lines.length === 0) return null
    const fileId = `file-out-${store.files.size + 1}`
    store.files.set(fileId, `${lines.join('\n')}\n`)
    return fileId
  }
  store.batches.set(id, {
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

/** Every line of a batch's input answered: the output file's lines, and the error file's. */
function answerLines(
  jsonl: string,
  replyTo: ReplyTo,
  authorization: string | undefined,
): { output: string[]; errors: string[] } {
  const output: string[] = []
  const errors: string[] = []
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue
    const request = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> }
    const r = replyTo(request.body, authorization)
    if (r === 'hang') continue // an answer that never came: the line is missing from both files
    const row = JSON.stringify({
      id: `batch_req_${output.length + errors.length}`,
      custom_id: request.custom_id,
      response: { status_code: r.status, request_id: 'r', body: r.payload },
      error: null,
    })
    ;(r.status === 200 ? output : errors).push(row)
  }
  return { output, errors }
}
