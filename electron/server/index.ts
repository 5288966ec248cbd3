import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { extname, join, normalize, sep } from 'node:path'
import type { AnyEvent } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { dispatch } from '../core/dispatch'
import type { ExportFile } from '../core/export-file'
import type { Handlers } from '../core/services'
import { createUploads } from './uploads'

export interface ServeOptions {
  handlers: Handlers
  /** The built renderer (out/renderer). */
  rendererDir: string
  port: number
  host: string
  /** Fixed only in tests; a fresh random token per launch otherwise. */
  token?: string
  /** An export's one-time download by its ticket (GET /download/TICKET); null when unknown, used or expired. */
  download?: (ticket: string) => ExportFile | null
}

export interface RunningServer {
  url: string
  port: number
  token: string
  /** Pushes an event to every connected page over server-sent events. */
  emit(event: AnyEvent): void
  close(): Promise<void>
}

const MAX_BODY = 16 * 1024 * 1024
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.')

/**
 * `assay serve`: the built renderer plus the same contract over HTTP (`POST /api/<method>`) and
 * pushed events over server-sent events (`GET /events`). Every API call and the event stream
 * need the per-launch token; a request whose Host header is not ours is refused (DNS
 * rebinding), and a cross-origin POST is refused (CSRF). Not part of the Electron bundle.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const streams = new Set<ServerResponse>()
  const uploads = createUploads()
  let allowedHosts = new Set<string>()

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { kind: 'internal', message: String(error) } })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return send(res, 403, refusal(`Refused: unexpected Host header "${req.headers.host ?? ''}". Open the address Assay printed.`))
    }
    const url = new URL(req.url ?? '/', 'http://assay.invalid')
    if (url.pathname.startsWith('/api/') || url.pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, refusal('Use POST for API calls.'))
      const origin = req.headers.origin
      if (origin && !allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) {
        return send(res, 403, refusal(`Refused: cross-origin request from ${origin}.`))
      }
      if (!tokenMatches(bearer(req), token)) return send(res, 401, refusal('Missing or wrong token: open the address with ?token= that `assay serve` printed.'))
      if (url.pathname === '/upload') return send(res, 200, await uploads.receive(req, url.searchParams.get('name') ?? ''))
      const body = await readBody(req).catch(() => null)
      if (body === null) return send(res, 413, { ok: false, error: { kind: 'invalid_input', message: `The request is larger than ${MAX_BODY / 1024 / 1024} MB.` } })
      let input: unknown
      try {
        input = body.length ? JSON.parse(body) : {}
      } catch {
        return send(res, 400, { ok: false, error: { kind: 'invalid_input', message: 'The request body is not valid JSON.' } })
      }
      let method: string
      try {
        method = decodeURIComponent(url.pathname.slice(5))
      } catch {
        return send(res, 400, { ok: false, error: { kind: 'invalid_input', message: 'The method name in the address is not valid.' } })
      }
      return send(res, 200, await dispatch(options.handlers, method, input))
    }
    if (url.pathname === '/events') {
      if (!tokenMatches(url.searchParams.get('token'), token)) return send(res, 401, refusal('Missing or wrong token.'))
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(': connected\n\n')
      streams.add(res)
      req.on('close', () => streams.delete(res))
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, refusal('Method not allowed.'))
    if (url.pathname.startsWith('/download/')) {
      // A one-time link: a HEAD (a link checker, a prefetch) must not use it up.
      if (req.method !== 'GET') return send(res, 405, refusal('A download is fetched with GET.'), { allow: 'GET' })
      return download(url.pathname.slice('/download/'.length), res)
    }
    return serveStatic(url.pathname, res)
  }

  /**
   * Streams an export to the browser as a file download. The ticket came from an `export.run`
   * call made with the token, works once and for a minute (electron/core/downloads.ts).
   */
  async function download(ticket: string, res: ServerResponse): Promise<void> {
    const file = options.download?.(ticket) ?? null
    if (!file) return send(res, 404, refusal('This download link was used already or has expired: export again (File → Export…, or e on the Data screen).'))
    res.writeHead(200, {
      'content-type': file.mime,
      'content-disposition': `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc5987(file.filename)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    })
    try {
      await file.write(res)
      res.end()
    } catch {
      res.destroy() // the browser shows the download as failed rather than complete and cut short
    }
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return send(res, 400, refusal('Bad address.'))
    }
    const relative = pathname === '/' ? 'index.html' : normalize(decoded).replace(/^[/\\]+/, '')
    const file = join(options.rendererDir, relative)
    if (!file.startsWith(options.rendererDir + sep) || relative.split(/[/\\]/).includes('..')) {
      return send(res, 404, refusal('Not found.'))
    }
    try {
      const content = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
      })
      res.end(content)
    } catch {
      send(res, 404, refusal(`Not found: ${pathname}`))
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostPart = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host
  const wildcard = options.host === '0.0.0.0' || options.host === '::'
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(wildcard ? interfaceAddresses() : isLoopback(options.host) ? [] : [hostPart])]
  allowedHosts = new Set(names.map((h) => `${h}:${port}`.toLowerCase()))
  const shownHost = wildcard || isLoopback(options.host) ? '127.0.0.1' : hostPart

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    emit(event) {
      const data = `data: ${JSON.stringify(event)}\n\n`
      for (const res of streams) res.write(data)
    },
    async close() {
      uploads.clear()
      for (const res of streams) res.end()
      streams.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A header parameter value per RFC 5987 (encodeURIComponent leaves ' ( ) * as they are). */
const rfc5987 = (text: string): string => encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

function refusal(message: string): Envelope<never> {
  return { ok: false, error: { kind: 'forbidden', message } }
}

function send(res: ServerResponse, status: number, body: Envelope<unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers })
  res.end(text)
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? ''
  return header.startsWith('Bearer ') ? header.slice(7) : null
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Every address of this machine, for a server bound to all interfaces. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((a) => (a ? [a.family === 'IPv6' ? `[${a.address}]` : a.address] : []))
}
