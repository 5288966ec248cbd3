/**
 * The `fetch` the `openai` client's chat calls go through (issue 21): node:http(s) over keep-alive
 * agents, so a run at 32 in flight reuses 32 connections, and each call skips the WHATWG machinery
 * of Node's built-in fetch (streams, body mixins), which cost about as much CPU per call as
 * everything else a judge call does. It is `fetch` as far as the client can tell: the same
 * request, a `Response` with status, headers and body, an `AbortError` on abort (timeout or
 * cancel) and `TypeError('fetch failed', { cause })` when the connection fails, so the client's
 * errors and ours read the same. Whatever it does not do itself (a body that is not text, a
 * `Request`, a redirect, another scheme) goes to the real `fetch` unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Statuses whose response has no body (the `Response` constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])
const REDIRECT = new Set([301, 302, 303, 307, 308])
const DECODE: Record<string, ((b: Buffer) => Promise<Buffer>) | undefined> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
}

/** A keep-alive `fetch` for one client; `fallback` (the real `fetch`) takes what it does not handle. */
export function keepAliveFetch(fallback: Fetch = globalThis.fetch): Fetch {
  // Idle sockets are unref'd by the agents: they never keep the process alive.
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, maxFreeSockets: 1024 }),
    'https:': new HttpsAgent({ keepAlive: true, maxFreeSockets: 1024 }),
  }
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : null
    const body = init.body ?? null
    if (!url || (body !== null && typeof body !== 'string') || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      return fallback(input, init)
    const response = await send(url, init, body, url.protocol === 'https:' ? agents['https:'] : agents['http:'])
    // A redirect is followed as `fetch` follows it (method, body and all): the server did not act on it.
    return REDIRECT.has(response.status) && response.headers.has('location') ? fallback(input, init) : response
  }
}

/** One request on a pooled connection, its whole answer read into a `Response`. */
function send(url: URL, init: RequestInit, body: string | null, agent: HttpAgent): Promise<Response> {
  const signal = init.signal ?? null
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal))
      return
    }
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value
    })
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body))
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: (init.method ?? 'GET').toUpperCase(),
      headers,
      agent,
    })
    let settled = false
    const finish = (outcome: Error | Response) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      if (outcome instanceof Response) resolve(outcome)
      else reject(outcome)
    }
    const onAbort = () => {
      request.destroy()
      finish(abortReason(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    request.on('error', (error) => finish(new TypeError('fetch failed', { cause: error })))
    request.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => finish(new TypeError('terminated', { cause: error })))
      res.on('close', () => {
        if (!res.complete) finish(new TypeError('terminated'))
      })
      res.on('end', () => {
        responseOf(res, Buffer.concat(chunks)).then(
          (response) => finish(response),
          (error: unknown) => finish(new TypeError('fetch failed', { cause: error })),
        )
      })
    })
    request.end(body ?? undefined)
  })
}

/** The `Response` of a message read whole, its body decoded as `fetch` decodes it. */
async function responseOf(res: IncomingMessage, raw: Buffer): Promise<Response> {
  const status = res.statusCode ?? 0
  const headers = new Headers()
  const h = res.rawHeaders
  for (let i = 0; i + 1 < h.length; i += 2) headers.append(h[i], h[i + 1])
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase()
  // A coding `fetch` does not know is passed on as it came, as `fetch` does.
  const decode = DECODE[encoding]
  const bytes = decode && raw.length > 0 ? await decode(raw) : raw
  return new Response(NULL_BODY.has(status) ? null : bytes, { status, statusText: res.statusMessage ?? '', headers })
}

/** What `fetch` rejects with on abort: the signal's reason, an `AbortError` by default. */
function abortReason(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError')
}
