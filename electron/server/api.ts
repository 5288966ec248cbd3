import type { IncomingMessage, ServerResponse } from 'node:http'
import { dispatch } from '../core/dispatch'
import type { Handlers } from '../core/services'
import { bearer, MAX_BODY, readBody, refusal, send, tokenMatches } from './http'
import type { createUploads } from './uploads'

/** What the API routes need of the running server. */
export interface ApiContext {
  handlers: Handlers
  token: string
  uploads: ReturnType<typeof createUploads>
  /** `host:port` names this server answers to (also the origins it accepts). */
  allowedHosts: ReadonlySet<string>
}

/**
 * `POST /api/<method>` and `POST /upload`: refused unless a POST from our own origin with the
 * token (CSRF); then an upload streams to disk, and an API call goes through the one `dispatch`.
 */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: ApiContext): Promise<void> {
  if (req.method !== 'POST') {
    send(res, 405, refusal('Use POST for API calls.'))
    return
  }
  const origin = req.headers.origin
  if (origin && !ctx.allowedHosts.has(origin.replace(/^https?:\/\//, '').toLowerCase())) {
    send(res, 403, refusal(`Refused: cross-origin request from ${origin}.`))
    return
  }
  if (!tokenMatches(bearer(req), ctx.token)) {
    send(res, 401, refusal('Missing or wrong token: open the address with ?token= that `assay serve` printed.'))
    return
  }
  if (url.pathname === '/upload') {
    send(res, 200, await ctx.uploads.receive(req, url.searchParams.get('name') ?? ''))
    return
  }
  const call = await readCall(req, res, url)
  if (call) send(res, 200, await dispatch(ctx.handlers, call.method, call.input))
}

/** The method and input of an API call, or null once a 413 or 400 has been sent. */
async function readCall(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<{ method: string; input: unknown } | null> {
  const body = await readBody(req).catch(() => null)
  if (body === null) {
    send(res, 413, {
      ok: false,
      error: { kind: 'invalid_input', message: `The request is larger than ${MAX_BODY / 1024 / 1024} MB.` },
    })
    return null
  }
  let input: unknown
  try {
    input = body.length ? JSON.parse(body) : {}
  } catch {
    send(res, 400, {
      ok: false,
      error: { kind: 'invalid_input', message: 'The request body is not valid JSON.' },
    })
    return null
  }
  try {
    return { method: decodeURIComponent(url.pathname.slice(5)), input }
  } catch {
    send(res, 400, {
      ok: false,
      error: { kind: 'invalid_input', message: 'The method name in the address is not valid.' },
    })
    return null
  }
}
