import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AnyEvent } from '../../shared/contract'
import type { ExportFile } from '../core/export-file'
import type { Handlers } from '../core/services'
import { handleApi, type ApiContext } from './api'
import { sendDownload } from './download'
import { createEventStreams } from './events'
import { serverHosts } from './hosts'
import { refusal, send } from './http'
import { serveStatic } from './static'
import { createUploads } from './uploads'

export { isLoopback } from './hosts'

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

/**
 * `assay serve`: the built renderer plus the same contract over HTTP (`POST /api/<method>`) and
 * pushed events over server-sent events (`GET /events`). Every API call and the event stream
 * need the per-launch token; a request whose Host header is not ours is refused (DNS
 * rebinding), and a cross-origin POST is refused (CSRF). Not part of the Electron bundle.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const events = createEventStreams(token)
  const uploads = createUploads()
  // The allowed hosts are known once the port is: until then every request is refused.
  const ctx: ApiContext = { handlers: options.handlers, token, uploads, allowedHosts: new Set<string>() }

  const server = createServer((req, res) => {
    route(req, res, options, ctx, events).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { kind: 'internal', message: String(error) } })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hosts = serverHosts(options.host, port)
  ctx.allowedHosts = hosts.allowed

  return {
    url: `http://${hosts.shown}:${port}/?token=${token}`,
    port,
    token,
    emit(event) {
      events.emit(event)
    },
    async close() {
      uploads.clear()
      events.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Sends a request to its route, once its Host header is one of ours. */
async function route(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeOptions,
  ctx: ApiContext,
  events: ReturnType<typeof createEventStreams>,
): Promise<void> {
  if (!ctx.allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
    send(
      res,
      403,
      refusal(`Refused: unexpected Host header "${req.headers.host ?? ''}". Open the address Assay printed.`),
    )
    return
  }
  const url = new URL(req.url ?? '/', 'http://assay.invalid')
  if (url.pathname.startsWith('/api/') || url.pathname === '/upload') return handleApi(req, res, url, ctx)
  if (url.pathname === '/events') {
    events.open(req, res, url)
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, refusal('Method not allowed.'))
    return
  }
  if (url.pathname.startsWith('/download/')) {
    // A one-time link: a HEAD (a link checker, a prefetch) must not use it up.
    if (req.method !== 'GET') {
      send(res, 405, refusal('A download is fetched with GET.'), { allow: 'GET' })
      return
    }
    return sendDownload(url.pathname.slice('/download/'.length), res, options.download)
  }
  return serveStatic(options.rendererDir, url.pathname, res)
}
