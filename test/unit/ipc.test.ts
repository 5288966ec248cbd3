import { describe, expect, it } from 'vitest'
import { channelOf, LABELING_CHANNEL, methodNames } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { onLabelingReport, registerIpc, type IpcMainEventsLike, type IpcMainLike } from '../../electron/ipc'
import { createServices } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { tempDir } from '../helpers/paths'

type Listener = Parameters<IpcMainLike['handle']>[1]

function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) }
  const invoke = (channel: string, url: string | null, input: unknown) =>
    handlers.get(channel)!({ senderFrame: url === null ? null : ({ url } as never) }, input) as Promise<
      Envelope<unknown>
    >
  return { ipcMain, handlers, invoke }
}

describe('registerIpc', () => {
  const tmp = tempDir()
  const services = createServices({
    shell: 'electron',
    version: 'test',
    settings: createSettingsStore(tmp.dir),
    clock: () => new Date('2026-01-01T00:00:00Z'),
    emit: () => undefined,
    demoPath: tmp.file('demo.assay'),
  })
  const trusted = 'file:///app/out/renderer/index.html'
  const { ipcMain, handlers, invoke } = fakeIpcMain()
  registerIpc(ipcMain, services.handlers, (url) => url.split(/[?#]/)[0] === trusted)

  it('registers exactly one channel per contract method', () => {
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(channelOf).sort())
  })

  it('answers a valid call from our own window with a value envelope', async () => {
    expect(await invoke('assay:app.info', trusted, {})).toEqual({
      ok: true,
      value: { version: 'test', shell: 'electron', canPickFiles: false, demoPath: tmp.file('demo.assay') },
    })
  })

  it('refuses a foreign sender before looking at the payload', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', null]) {
      const result = await invoke('assay:project.open', url, { path: tmp.file('x.assay') })
      expect(result).toEqual({
        ok: false,
        error: { kind: 'forbidden', message: expect.stringContaining("Assay's own window") },
      })
    }
  })

  it('answers a bad payload with invalid_input naming the field', async () => {
    const result = await invoke('assay:items.list', trusted, { offset: -1, limit: 'ten' })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid_input')
      expect(result.error.message).toMatch(/offset/)
      expect(result.error.message).toMatch(/limit/)
    }
    const extra = await invoke('assay:project.close', trusted, { sneaky: true })
    expect(extra.ok ? null : extra.error.kind).toBe('invalid_input')
  })

  it('turns a service refusal into an error envelope with its kind and message', async () => {
    expect(await invoke('assay:items.get', trusted, { id: 1 })).toEqual({
      ok: false,
      error: { kind: 'no_project', message: 'No project is open. Open or create one from the Start screen.' },
    })
    const missing = await invoke('assay:project.open', trusted, { path: tmp.file('missing.assay') })
    expect(missing.ok ? null : missing.error.kind).toBe('not_found')
  })
})

describe('onLabelingReport', () => {
  const trusted = 'file:///app/out/renderer/index.html'
  const listeners = new Map<string, Parameters<IpcMainEventsLike['on']>[1]>()
  const reports: boolean[] = []
  onLabelingReport(
    { on: (channel, listener) => void listeners.set(channel, listener) },
    (url) => url === trusted,
    (open) => reports.push(open),
  )
  const send = (url: string | null, value: unknown) =>
    listeners.get(LABELING_CHANNEL)!({ senderFrame: url === null ? null : ({ url } as never) }, value)

  it('passes on a session opening and closing from our own window', () => {
    send(trusted, true)
    send(trusted, false)
    expect(reports).toEqual([true, false])
  })

  it('ignores a foreign sender and anything but a boolean', () => {
    reports.length = 0
    send('https://evil.example/', false)
    send(null, false)
    for (const value of ['false', 0, null, undefined, { open: true }]) send(trusted, value)
    expect(reports).toEqual([])
  })
})
