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
    const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers)
    given.forEach((value, name) => {
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
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
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
        responseOf(res, Buffer.concat(chunks), url.href).then(
          (response) => finish(response),
          (error: unknown) => finish(new TypeError('fetch failed', { cause: error })),
        )
      })
    })
    request.end(body ?? undefined)
  })
}

/** The `Response` of a message read whole, its body decoded as `fetch` decodes it. */
async function responseOf(res: IncomingMessage, raw: Buffer, url: string): Promise<Response> {
  const status = res.statusCode ?? 0
  if (status < 200 || status > 599) throw new RangeError(`status ${status} is not a final HTTP status`)
  const headers = new Headers()
  const h = res.rawHeaders
  for (let i = 0; i + 1 < h.length; i += 2) headers.append(h[i], h[i + 1])
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase()
  // A coding `fetch` does not know is passed on as it came, as `fetch` does.
  const decode = DECODE[encoding]
  const bytes = decode && raw.length > 0 ? await decode(raw) : raw
  // A copy of its own: a Buffer may share a pooled ArrayBuffer, which a body must not
  const body = NULL_BODY.has(status) ? null : Uint8Array.from(bytes)
  return new BufferedResponse(body, status, res.statusMessage ?? '', headers, url)
}

/** A promise of `make()`'s value, rejected with what it throws (as the body methods of `fetch` answer). */
const settle = <T>(make: () => T): Promise<T> => new Promise<T>((resolve) => resolve(make()))

const utf8 = new TextDecoder() // as `fetch` reads text: UTF-8, a leading BOM dropped, bad bytes replaced

/**
 * A `Response` whose body is already in memory. The built-in one wraps every body in a web
 * stream, which costs more than the rest of reading an answer; this one makes a stream only if
 * someone asks for `body`.
 */
class BufferedResponse implements Response {
  readonly type = 'default'
  readonly redirected = false
  readonly ok: boolean
  #used = false
  #stream: Response['body'] | undefined

  readonly #data: Uint8Array<ArrayBuffer> | null

  constructor(
    data: Uint8Array<ArrayBuffer> | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {
    this.#data = data
    this.ok = status >= 200 && status < 300
  }

  get body(): Response['body'] {
    if (this.#data === null) return null
    this.#stream ??= new Response(this.#data).body
    return this.#stream
  }

  get bodyUsed(): boolean {
    return this.#used
  }

  /** The body, once: reading it twice fails as it does with `fetch`. */
  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used || this.#stream !== undefined) throw new TypeError('Body is unusable: Body has already been read')
    this.#used = true
    return this.#data ?? new Uint8Array(0)
  }

  text(): Promise<string> {
    return settle(() => utf8.decode(this.#take()))
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return settle(() => this.#take().slice().buffer)
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return settle(() => this.#take().slice())
  }

  blob(): Promise<Blob> {
    return settle(() => new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' }))
  }

  async formData(): Promise<FormData> {
    return new Response(this.#take(), { headers: this.headers }).formData()
  }

  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.')
    return new BufferedResponse(this.#data, this.status, this.statusText, this.headers, this.url)
  }
}

/** What `fetch` rejects with on abort: the signal's reason, an `AbortError` by default. */
function abortReason(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError')
}
