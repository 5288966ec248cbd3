import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channelOf, methodNames } from '../../shared/contract'
import { repoRoot } from '../helpers/paths'

/**
 * The Electron shell with `electron` mocked (its binary cannot be downloaded here): main.ts must
 * register one handler per method and create a locked-down window; preload.ts must expose one
 * function per method and nothing else.
 */
const mock = vi.hoisted(() => {
  const windows: FakeWindow[] = []
  class FakeWindow {
    options: Record<string, unknown>
    listeners = new Map<string, (...args: unknown[]) => void>()
    openHandler: ((details: { url: string }) => { action: string }) | null = null
    loaded: string | null = null
    webContents = {
      on: (event: string, fn: (...args: unknown[]) => void) => this.listeners.set(event, fn),
      once: () => undefined,
      send: () => undefined,
      setWindowOpenHandler: (fn: (details: { url: string }) => { action: string }) => (this.openHandler = fn),
      session: { setPermissionRequestHandler: () => undefined },
    }
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this)
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded = url
      return Promise.resolve()
    }
  }
  return {
    windows,
    FakeWindow,
    handled: [] as string[],
    exposed: null as null | { key: string; api: Record<string, unknown> },
    invoked: [] as unknown[][],
  }
})

vi.mock('electron', () => {
  const home = mkdtempSync(join(tmpdir(), 'assay-shell-'))
  return {
    app: {
      getPath: () => home,
      setPath: () => undefined,
      getAppPath: () => home,
      getVersion: () => '0.0.0-test',
      isPackaged: false,
      isReady: () => true,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on: () => undefined,
      once: () => undefined,
      quit: () => undefined,
    },
    BrowserWindow: mock.FakeWindow,
    ipcMain: { handle: (channel: string) => mock.handled.push(channel) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    dialog: { showErrorBox: () => undefined },
    shell: { openExternal: () => Promise.resolve() },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (mock.exposed = { key, api }) },
    webUtils: { getPathForFile: (file: { name: string }) => `/home/me/Downloads/${file.name}` },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (mock.invoked.push(args), Promise.resolve({ ok: true, value: null })),
      on: () => undefined,
      removeListener: () => undefined,
    },
  }
})

describe('electron/main.ts', () => {
  beforeAll(async () => {
    await import('../../electron/main')
    await vi.waitFor(() => expect(mock.windows).toHaveLength(1))
  })

  it('registers one IPC handler per contract method', () => {
    expect([...mock.handled].sort()).toEqual(methodNames.map(channelOf).sort())
  })

  it('creates a sandboxed, context-isolated window without Node and loads the built renderer', () => {
    const win = mock.windows[0]
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    })
    // Paths are relative to the main bundle (out/main → out/preload, out/renderer); here, to the source.
    expect((win.options.webPreferences as { preload: string }).preload).toBe(join(repoRoot, 'preload/index.cjs'))
    expect(win.loaded).toBe(pathToFileURL(join(repoRoot, 'renderer/index.html')).href)
  })

  it('blocks navigation away from the app and every new window', () => {
    const win = mock.windows[0]
    const navigate = win.listeners.get('will-navigate')!
    let prevented = false
    navigate({ preventDefault: () => (prevented = true) }, 'https://evil.example/')
    expect(prevented).toBe(true)
    expect(win.openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    expect(win.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
  })
})

describe('electron/preload.ts', () => {
  beforeAll(async () => {
    await import('../../electron/preload')
  })

  it('exposes window.assay with one function per method, grouped by namespace, an event hook and the path of a dropped file', () => {
    expect(mock.exposed?.key).toBe('assay')
    const api = mock.exposed!.api as Record<string, Record<string, unknown>>
    const exposed = Object.entries(api).flatMap(([ns, fns]) =>
      typeof fns === 'function' ? [ns] : Object.keys(fns).map((leaf) => `${ns}.${leaf}`),
    )
    expect(exposed.sort()).toEqual([...methodNames, 'onEvent', 'pathForFile'].sort())
    expect('invoke' in api).toBe(false)
  })

  it('tells where a dropped file is (webUtils.getPathForFile: a File has no path under context isolation)', () => {
    const api = mock.exposed!.api as { pathForFile: (file: { name: string }) => string }
    expect(api.pathForFile({ name: 'traces.csv' })).toBe('/home/me/Downloads/traces.csv')
  })

  it('sends each call on its own channel', async () => {
    const api = mock.exposed!.api as { items: { list: (input: unknown) => Promise<unknown> } }
    await api.items.list({ offset: 0, limit: 5 })
    expect(mock.invoked.at(-1)).toEqual(['assay:items.list', { offset: 0, limit: 5 }])
  })
})
