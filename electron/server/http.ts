import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Envelope } from '../../shared/errors'

// What every route of `assay serve` shares: JSON envelopes, refusals and the token check.

/** The largest API request body read into memory (uploads stream to disk instead). */
export const MAX_BODY = 16 * 1024 * 1024

/** A refused request as the envelope the page shows: what was wrong and what to do. */
export function refusal(message: string): Envelope<never> {
  return { ok: false, error: { kind: 'forbidden', message } }
}

/** Writes an envelope as an uncached JSON response. */
export function send(
  res: ServerResponse,
  status: number,
  body: Envelope<unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? ''
  return header.startsWith('Bearer ') ? header.slice(7) : null
}

/** Whether `given` is the launch's token, compared in constant time. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The request body as text; rejects past `MAX_BODY` bytes. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}
