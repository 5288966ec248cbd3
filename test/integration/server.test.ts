import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnyEvent } from '../../shared/contract'
import { writeDemoProject } from '../../electron/core/demo'
import { createServices } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { startServer, type RunningServer } from '../../electron/server'
import { repoRoot, tempDir } from '../helpers/paths'
import { join } from 'node:path'

interface Reply {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

/** A raw HTTP request, so tests can send any Host header (fetch would not let them). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('assay serve (HTTP shell)', () => {
  const tmp = tempDir()
  const project = tmp.file('demo.assay')
  let server: RunningServer
  const api = (method: string, input: unknown, token = server.token, headers: Record<string, string> = {}) =>
    send(server.port, `/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(input),
    })

  beforeAll(async () => {
    writeDemoProject(project, { unlabeled: 1000 })
    const services = createServices({
      shell: 'serve',
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date(),
      emit: (event) => server.emit(event),
      demoPath: tmp.file('home/demo.assay'),
    })
    server = await startServer({
      handlers: services.handlers,
      rendererDir: join(repoRoot, 'out/renderer'),
      port: 0,
      host: '127.0.0.1',
    })
  })
  afterAll(async () => {
    await server.close()
    tmp.cleanup()
  })

  it('prints a loopback address with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  })

  it('serves the renderer with a strict CSP, without a token', async () => {
    const page = await send(server.port, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect((await send(server.port, '/../package.json')).status).toBe(404)
    expect((await send(server.port, '/%2e%2e/package.json')).status).toBe(404)
  })

  it('refuses API calls without the token, with a wrong one, or from a foreign Host or Origin', async () => {
    expect((await api('app.info', {}, '')).status).toBe(401)
    expect((await api('app.info', {}, 'x'.repeat(32))).status).toBe(401)
    const rebinding = await send(server.port, '/api/app.info', {
      method: 'POST',
      headers: { host: `evil.example:${server.port}`, authorization: `Bearer ${server.token}` },
      body: '{}',
    })
    expect(rebinding.status).toBe(403)
    expect((await send(server.port, '/', { headers: { host: 'evil.example' } })).status).toBe(403)
    expect((await api('app.info', {}, server.token, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await send(server.port, `/events?token=nope`)).status).toBe(401)
  })

  it('answers the contract: envelopes for values, bad input and unknown methods', async () => {
    const opened = JSON.parse((await api('project.open', { path: project })).body)
    expect(opened).toMatchObject({
      ok: true,
      value: { name: 'demo', synthetic: true, itemCount: 1350, labeledCount: 120 },
    })
    const page = JSON.parse((await api('items.list', { offset: 0, limit: 3 })).body) as {
      value: { total: number; rows: { externalId: string }[] }
    }
    expect(page.value.total).toBe(1350)
    expect(page.value.rows.map((r: { externalId: string }) => r.externalId)).toEqual([
      'chat-00001',
      'chat-00002',
      'chat-00003',
    ])
    expect(JSON.parse((await api('items.list', { offset: 0, limit: 5000 })).body).error.kind).toBe('invalid_input')
    expect(JSON.parse((await api('nope.nothing', {})).body).error).toEqual({
      kind: 'not_found',
      message: 'Unknown API method "nope.nothing".',
    })
    const notJson = await send(server.port, '/api/app.info', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` },
      body: '{oops',
    })
    expect(JSON.parse(notJson.body).error.kind).toBe('invalid_input')
  })

  it('pushes events over server-sent events', async () => {
    const received = new Promise<AnyEvent>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/events?token=${server.token}`,
          headers: { host: `127.0.0.1:${server.port}` },
        },
        (res) => {
          let buffer = ''
          res.on('data', (chunk: Buffer) => {
            buffer += chunk.toString()
            const data = buffer.split('\n').find((line) => line.startsWith('data: '))
            if (data) {
              resolve(JSON.parse(data.slice(6)) as AnyEvent)
              req.destroy()
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
      setTimeout(() => void api('project.open', { path: project }), 100)
    })
    const event = await received
    expect(event.name).toBe('project.changed')
    expect(event.name === 'project.changed' && event.payload.project?.name).toBe('demo')
  })
})
