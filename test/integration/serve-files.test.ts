/**
 * Files in and out of `assay serve` over real HTTP: an export's one-time download link, and a
 * file dropped on the page, uploaded for the import wizard.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { startServer, type RunningServer } from '../../electron/server'
import { runCli } from '../helpers/cli'
import { repoRoot, tempDir } from '../helpers/paths'

describe('assay serve: downloads and uploads', () => {
  const tmp = tempDir()
  const project = tmp.file('demo.assay')
  let server: RunningServer
  let services: Services
  const base = () => `http://127.0.0.1:${server.port}`
  const api = async (method: string, input: unknown) =>
    (await (
      await fetch(`${base()}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}` },
        body: JSON.stringify(input),
      })
    ).json()) as { ok: boolean; value: Record<string, string>; error?: { message: string } }

  beforeAll(async () => {
    writeDemoProject(project, { unlabeled: 100 })
    services = createServices({
      shell: 'serve',
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date(),
      emit: () => undefined,
      demoPath: tmp.file('home/demo.assay'),
    })
    services.open(project)
    server = await startServer({
      handlers: services.handlers,
      rendererDir: join(repoRoot, 'out/renderer'),
      port: 0,
      host: '127.0.0.1',
      download: (ticket) => services.download(ticket),
    })
  })
  afterAll(async () => {
    await server.close()
    services.close()
    tmp.cleanup()
  })

  it('streams an export as an attachment once; the link then says it was used', async () => {
    const link = await api('export.run', { what: 'items', format: 'csv' })
    expect(link).toMatchObject({ ok: true, value: { via: 'download', filename: 'demo-items.csv' } })
    // A HEAD (a link checker, a prefetch) is refused and leaves the link for the download.
    const head = await fetch(`${base()}${link.value.url}`, { method: 'HEAD' })
    expect([head.status, head.headers.get('allow')]).toEqual([405, 'GET'])
    const res = await fetch(`${base()}${link.value.url}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="demo-items.csv"; filename*=UTF-8''demo-items.csv`,
    )
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect((await runCli(['export', project, '--out', tmp.file('cli.csv')], tmp.dir)).code).toBe(0)
    expect(await res.text()).toBe(readFileSync(tmp.file('cli.csv'), 'utf8'))

    const again = await fetch(`${base()}${link.value.url}`)
    expect(again.status).toBe(404)
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      'This download link was used already or has expired: export again (File → Export…, or e on the Data screen).',
    )
  })

  it('takes a dropped file as an upload (token and same origin only) that the import wizard can read, and removes it when it stops', async () => {
    const content = 'id,question,answer\nq1,"How long do I boil an egg?","Nine minutes,\nthen cold water."\n'
    const upload = (headers: Record<string, string>) =>
      fetch(`${base()}/upload?name=${encodeURIComponent('my traces.csv')}`, { method: 'POST', headers, body: content })

    expect((await upload({})).status).toBe(401)
    expect((await upload({ authorization: `Bearer ${server.token}`, origin: 'http://evil.example' })).status).toBe(403)
    const res = await upload({ authorization: `Bearer ${server.token}` })
    const { ok, value } = (await res.json()) as { ok: boolean; value: { path: string } }
    expect(ok).toBe(true)
    expect(value.path.endsWith('/my traces.csv')).toBe(true)
    expect(readFileSync(value.path, 'utf8')).toBe(content)

    const detected = await api('import.detect', { path: value.path })
    expect(detected).toMatchObject({
      ok: true,
      value: { detected: { format: 'csv', columns: ['id', 'question', 'answer'] } },
    })

    const traversal = (await (
      await fetch(`${base()}/upload?name=${encodeURIComponent('../../etc/x.csv')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}` },
        body: 'a\n1\n',
      })
    ).json()) as { value: { path: string } }
    expect(traversal.value.path.endsWith('/x.csv')).toBe(true)
    expect(dirname(traversal.value.path)).not.toBe(dirname(value.path))

    await server.close()
    expect(existsSync(value.path)).toBe(false)
    server = await startServer({
      handlers: services.handlers,
      rendererDir: join(repoRoot, 'out/renderer'),
      port: 0,
      host: '127.0.0.1',
    })
  })
})
