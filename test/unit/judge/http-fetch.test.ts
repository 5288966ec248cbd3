/**
 * The keep-alive `fetch` of judge calls (issue 21) answers as the built-in `fetch` does — status,
 * headers, body, decoding, aborts and refused connections — over one reused connection per
 * worker, and hands what it does not do itself (redirects, non-text bodies) to the real `fetch`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { keepAliveFetch } from '../../../electron/core/judge/http-fetch'

let server: Server
let base: string
let connections: number
let route: (req: IncomingMessage, body: string, res: ServerResponse) => void

beforeEach(async () => {
  connections = 0
  route = (_req, body, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' })
    res.end(JSON.stringify({ echo: body }))
  }
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => route(req, body, res))
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('keepAliveFetch', () => {
  it('answers as fetch does, over one reused connection', async () => {
    const fetch = keepAliveFetch()
    for (let i = 0; i < 5; i++) {
      const [mine, theirs] = await Promise.all([
        fetch(`${base}/v1/x`, { method: 'POST', body: `é ${i}`, headers: { 'content-type': 'text/plain' } }),
        globalThis.fetch(`${base}/v1/x`, { method: 'POST', body: `é ${i}`, headers: { 'content-type': 'text/plain' } }),
      ])
      expect(mine.status).toBe(theirs.status)
      expect(mine.ok).toBe(true)
      expect(mine.headers.get('x-request-id')).toBe('req-1')
      expect(await mine.json()).toEqual(await theirs.json())
      expect(mine.bodyUsed).toBe(true)
      await expect(mine.text()).rejects.toThrow(TypeError)
    }
  })

  it('reuses one connection per request in flight', async () => {
    const fetch = keepAliveFetch()
    for (let i = 0; i < 10; i++) await (await fetch(`${base}/a`, { method: 'POST', body: 'x' })).text()
    expect(connections).toBe(1)
    await Promise.all(Array.from({ length: 4 }, async () => (await fetch(`${base}/a`)).text()))
    expect(connections).toBe(4)
  })

  it('decodes a compressed body, and keeps an empty one empty', async () => {
    route = (req, _body, res) => {
      if (req.url === '/empty') {
        res.writeHead(204)
        res.end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync(JSON.stringify({ result: 'Pass' })))
    }
    const fetch = keepAliveFetch()
    expect(await (await fetch(`${base}/gz`)).json()).toEqual({ result: 'Pass' })
    const empty = await fetch(`${base}/empty`)
    expect([empty.status, empty.body]).toEqual([204, null])
  })

  it('rejects as fetch does: AbortError on abort, TypeError with the cause on a refused connection', async () => {
    route = () => undefined // never answers
    const fetch = keepAliveFetch()
    const controller = new AbortController()
    const pending = fetch(`${base}/hang`, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    const refused = await fetch('http://127.0.0.1:9/v1').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TypeError)
    expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } })
  })

  it('hands redirects and bodies that are not text to the real fetch', async () => {
    route = (req, _body, res) => {
      res.writeHead(req.url === '/old' ? 307 : 200, { location: '/new', 'content-type': 'text/plain' })
      res.end(req.url ?? '')
    }
    const seen: string[] = []
    const fetch = keepAliveFetch((input, init) => {
      seen.push(input instanceof Request ? input.url : input.toString())
      return globalThis.fetch(input, init)
    })
    expect(await (await fetch(`${base}/old`, { method: 'POST', body: 'x' })).text()).toBe('/new')
    await fetch(`${base}/bytes`, { method: 'POST', body: new Uint8Array([1, 2]) })
    expect(seen).toEqual([`${base}/old`, `${base}/bytes`])
  })

  it('carries the openai client: answers, and HTTP errors with their headers', async () => {
    route = (_req, body, res) => {
      if (body.includes('limit')) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '50' })
        res.end(JSON.stringify({ error: { message: 'Rate limit reached' } }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        }),
      )
    }
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'k', maxRetries: 0, fetch: keepAliveFetch() })
    const ask = (content: string) =>
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] })
    expect((await ask('hello')).choices[0].message.content).toBe('ok')
    const error = await ask('over the limit').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after-ms')).toBe('50')
  })
})
