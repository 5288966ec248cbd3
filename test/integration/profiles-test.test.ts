/**
 * Settings' "Test connection" tests the profile as typed and saves nothing; a saved key still goes
 * only to its own profile's saved base URL.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { tempDir } from '../helpers/paths'
import { contractCaller } from '../helpers/services'

/** An endpoint that lists one model and records the Authorization header of each request. */
async function modelsServer(): Promise<{ baseUrl: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = []
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({ object: 'list', data: [{ id: 'fake-judge', object: 'model', created: 0, owned_by: 'test' }] }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('profiles.test', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  const call = contractCaller(() => services)
  beforeEach(() => {
    tmp = tempDir()
    services = createServices({
      shell: 'serve',
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date(),
      emit: () => undefined,
      demoPath: tmp.file('home/demo.assay'),
      env: {},
    })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it('tests a profile as typed without saving it, with the key typed beside it', async () => {
    const endpoint = await modelsServer()
    try {
      const profile = { id: 'local', name: 'Local', baseUrl: endpoint.baseUrl, model: 'fake-judge' }
      expect(await call('profiles.test', { profile, apiKey: 'sk-typed' })).toEqual({
        ok: true,
        models: ['fake-judge'],
        message: `Connected to ${endpoint.baseUrl}; model "fake-judge" is there.`,
      })
      expect(endpoint.seen).toEqual(['Bearer sk-typed'])
      expect((await call('profiles.list', {})).profiles).toEqual([])
    } finally {
      await endpoint.close()
    }
  })

  it("a saved key goes to its own profile's base URL only, not to another URL typed in the form", async () => {
    const own = await modelsServer()
    const other = await modelsServer()
    try {
      await call('profiles.save', {
        profile: { id: 'p', name: 'P', baseUrl: own.baseUrl, model: 'fake-judge' },
        apiKey: 'sk-saved',
      })
      await call('profiles.test', { profile: { id: 'p', name: 'P', baseUrl: own.baseUrl, model: 'fake-judge' } })
      expect(own.seen).toEqual(['Bearer sk-saved'])
      const moved = await call('profiles.test', {
        profile: { id: 'p', name: 'P', baseUrl: other.baseUrl, model: 'other-model' },
      })
      expect(other.seen).toHaveLength(1)
      expect(other.seen[0]).not.toContain('sk-saved')
      expect(moved.message).toBe(
        `Connected to ${other.baseUrl}, but it does not list "other-model" (it lists fake-judge): check the model id.`,
      )
      // Still the saved profile: testing changed nothing.
      expect((await call('profiles.list', {})).profiles.map((p) => [p.baseUrl, p.model])).toEqual([
        [own.baseUrl, 'fake-judge'],
      ])
    } finally {
      await own.close()
      await other.close()
    }
  })
})
