/**
 * A local OTLP/HTTP trace receiver (`POST /v1/traces`, JSON or protobuf, optionally gzip) that
 * writes into a project: what `assay collect` and Data → "Receive traces" run. Each request is
 * committed before it is answered 200, so every acknowledged export is on disk; a killed receiver
 * loses only the requests it had not answered, which the exporter sees fail (and retries).
 * Security as `assay serve`: loopback by default, and a request whose Host header is not ours is
 * refused (DNS rebinding); no CORS headers, so a web page cannot post to it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serverHosts } from '../../server/hosts'
import { openConnection, sqliteCode } from '../db/open'
import { encodingOf, MAX_BODY_BYTES, RequestError, requestSpans, unzipBody, type OtlpEncoding } from './otlp-request'
import { createCollector, type BatchResult } from './store'

/** The OTLP/HTTP path for traces. */
export const TRACES_PATH = '/v1/traces'

export interface ReceiverOptions {
  /** A project already opened once (so checked and migrated); the receiver writes through a connection of its own. */
  projectPath: string
  port: number
  host: string
  nativeBinding?: string
  clock?: () => Date
  /** Told after each committed request. */
  onBatch?: (batch: BatchResult) => void
  /** Told of each refused request (status and why), for the log. */
  onRefused?: (status: number, message: string) => void
}

export interface Receiver {
  /** Where exporters send: `http://127.0.0.1:PORT` (OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `${endpoint}/v1/traces`. */
  endpoint: string
  port: number
  host: string
  /** Stops taking requests, waits for the ones being written, and closes the connection. */
  close(): Promise<void>
}

/** Starts the receiver; rejects when the port cannot be had (EADDRINUSE) or the project cannot be written. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const db = openConnection(options.projectPath, options.nativeBinding)
  const collector = createCollector(db, options.clock)
  let allowed = new Set<string>()
  const server = createServer((req, res) => {
    handle(req, res, allowed, collector.write)
      .then((outcome) => {
        if (outcome.kind === 'batch') options.onBatch?.(outcome.batch)
        else if (outcome.kind === 'refused') options.onRefused?.(outcome.status, outcome.message)
      })
      .catch((error: unknown) => {
        options.onRefused?.(500, String(error))
        if (!res.headersSent) res.writeHead(500).end()
      })
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port, options.host, () => resolve())
    })
  } catch (error) {
    db.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const hosts = serverHosts(options.host, port)
  allowed = hosts.allowed
  return {
    endpoint: `http://${hosts.shown}:${port}`,
    port,
    host: options.host,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      db.close()
    },
  }
}

type Outcome =
  { kind: 'batch'; batch: BatchResult } | { kind: 'refused'; status: number; message: string } | { kind: 'other' }

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: Set<string>,
  write: (spans: ReturnType<typeof requestSpans>) => BatchResult,
): Promise<Outcome> {
  const encoding = encodingOf(req.headers['content-type'])
  const refuse = (status: number, message: string, headers: Record<string, string> = {}): Outcome => {
    sendStatus(res, status, message, encoding ?? 'json', headers)
    return { kind: 'refused', status, message }
  }
  if (!allowed.has((req.headers.host ?? '').toLowerCase()))
    return refuse(
      403,
      `Refused: unexpected Host header "${req.headers.host ?? ''}". Send to the address Assay printed.`,
    )
  const path = (req.url ?? '/').split('?')[0]
  if (path !== TRACES_PATH) return refuse(404, `Assay receives traces only, at POST ${TRACES_PATH} (not ${path}).`)
  if (req.method !== 'POST') return refuse(405, `Send traces with POST to ${TRACES_PATH}.`, { allow: 'POST' })
  if (!encoding)
    return refuse(
      415,
      `Content-Type "${req.headers['content-type'] ?? ''}" is not OTLP: send application/json or application/x-protobuf.`,
    )
  try {
    const body = unzipBody(await readBody(req), req.headers['content-encoding'])
    const batch = write(requestSpans(body, encoding))
    sendOk(res, encoding)
    return { kind: 'batch', batch }
  } catch (error) {
    if (error instanceof RequestError) return refuse(error.status, error.message)
    const code = sqliteCode(error)
    // Another writer (an import) holds the project: the exporter retries after a 503.
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return refuse(503, 'The project is busy (an import is writing): try again.', { 'retry-after': '1' })
    throw error
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(413, `The body is larger than ${MAX_BODY_BYTES} bytes: export smaller batches.`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** An empty ExportTraceServiceResponse: no partial success, every span taken. */
function sendOk(res: ServerResponse, encoding: OtlpEncoding): void {
  if (encoding === 'json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.alloc(0))
}

/**
 * OTLP/HTTP error bodies are a google.rpc.Status in the request's encoding: code 3 (INVALID_ARGUMENT),
 * 13 (INTERNAL) or 14 (UNAVAILABLE, which exporters retry).
 */
function sendStatus(
  res: ServerResponse,
  status: number,
  message: string,
  encoding: OtlpEncoding,
  headers: Record<string, string>,
): void {
  const code = status === 503 ? 14 : status >= 500 ? 13 : 3
  if (encoding === 'json') {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ code, message }))
    return
  }
  const text = Buffer.from(message, 'utf8')
  // Status { int32 code = 1; string message = 2 }: tag 0x08, varint; tag 0x12, length, bytes.
  const body = Buffer.concat([Buffer.from([0x08, code, 0x12]), varint(text.length), text])
  res.writeHead(status, { 'content-type': 'application/x-protobuf', ...headers }).end(body)
}

function varint(n: number): Buffer {
  const bytes: number[] = []
  let v = n
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  bytes.push(v)
  return Buffer.from(bytes)
}
