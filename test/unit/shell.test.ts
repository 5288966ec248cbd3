import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channelOf, LABELING_CHANNEL, methodNames } from '../../shared/contract'
import { linuxWindowIcon, themeSource } from '../../electron/window'
import { repoRoot } from '../helpers/paths'

/**
 * The Electron shell with `electron` mocked (its binary cannot be downloaded here): main.ts must
 * register one handler per method and create a locked-down window where it was last closed, give
 * the OS each opened project, turn a crash or hang into a dialog that reloads, and follow macOS's
 * conventions; preload.ts must expose one function per method and nothing else.
 */
const mock = vi.hoisted(() => {
  const windows: FakeWindow[] = []
  type Fn = (...args: unknown[]) => void
  class FakeWindow {
    options: Record<string, unknown>
    listeners = new Map<string, Fn>()
    windowListeners = new Map<string, Fn>()
    openHandler: ((details: { url: string }) => { action: string }) | null = null
    loaded: string | null = null
    reloads = 0
    crashes = 0
    maximized = false
    webContents = {
      on: (event: string, fn: Fn) => this.listeners.set(event, fn),
      once: () => undefined,
      send: () => undefined,
      reload: () => {
        this.reloads++
      },
      forcefullyCrashRenderer: () => {
        this.crashes++
      },
      setWindowOpenHandler: (fn: (details: { url: string }) => { action: string }) => (this.openHandler = fn),
      session: { setPermissionRequestHandler: () => undefined },
    }
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this)
    }
    once(event: string, fn: Fn) {
      this.windowListeners.set(event, fn)
    }
    on(event: string, fn: Fn) {
      this.windowListeners.set(event, fn)
    }
    isDestroyed() {
      return false
    }
    maximize() {
      this.maximized = true
    }
    show() {}
    loadURL(url: string) {
      this.loaded = url
      return Promise.resolve()
    }
  }
  return {
    windows,
    FakeWindow,
    handled: [] as string[],
    handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
    on: new Map<string, Fn>(),
    appListeners: new Map<string, Fn>(),
    quits: 0,
    recentDocuments: [] as string[],
    boxes: [] as { message: string; detail: string; buttons: string[] }[],
    response: 0,
    theme: { themeSource: 'unset' },
    exposed: null as null | { key: string; api: Record<string, unknown> },
    invoked: [] as unknown[][],
    sent: [] as unknown[][],
  }
})

/** One display (id 7) whose remembered window was maximized; the test checks main opens it there. */
vi.mock('electron', () => {
  const home = mkdtempSync(join(tmpdir(), 'assay-shell-'))
  const saved = {
    bounds: { x: 300, y: 200, width: 1000, height: 700 },
    maximized: true,
    savedAt: '2026-12-01T00:00:00Z',
  }
  writeFileSync(join(home, 'window-state.json'), JSON.stringify({ version: 1, displays: { '7': saved } }))
  const display = { id: 7, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }
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
      on: (event: string, fn: () => void) => mock.appListeners.set(event, fn),
      once: () => undefined,
      quit: () => {
        mock.quits++
      },
      addRecentDocument: (path: string) => mock.recentDocuments.push(path),
    },
    BrowserWindow: mock.FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => {
        mock.handled.push(channel)
        mock.handlers.set(channel, fn)
      },
      on: (channel: string, fn: () => void) => mock.on.set(channel, fn),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    dialog: {
      showErrorBox: () => undefined,
      showMessageBox: (_win: unknown, box: (typeof mock.boxes)[number]) => {
        mock.boxes.push(box)
        return Promise.resolve({ response: mock.response })
      },
    },
    screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display },
    nativeTheme: mock.theme,
    shell: { openExternal: () => Promise.resolve() },
    clipboard: { writeText: () => undefined },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (mock.exposed = { key, api }) },
    webUtils: { getPathForFile: (file: { name: string }) => `/home/me/Downloads/${file.name}` },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (mock.invoked.push(args), Promise.resolve({ ok: true, value: null })),
      send: (...args: unknown[]) => mock.sent.push(args),
      on: () => undefined,
      removeListener: () => undefined,
    },
  }
})

/** Calls a contract method the way the preload does, from the app's own page. */
const invoke = (method: Parameters<typeof channelOf>[0], input: unknown) =>
  mock.handlers.get(channelOf(method))!(
    { senderFrame: { url: pathToFileURL(join(repoRoot, 'renderer/index.html')).href } },
    input,
  ) as Promise<{ ok: boolean; value: unknown }>
/** Lets the dialogs' promises settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

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

  it('opens the window where it was closed on a connected display, maximized again once painted', () => {
    const win = mock.windows[0]
    expect(win.options).toMatchObject({ x: 300, y: 200, width: 1000, height: 700 })
    expect(win.maximized).toBe(false)
    win.windowListeners.get('ready-to-show')!()
    expect(win.maximized).toBe(true)
  })

  it('gives the window the rendered icon on Linux when there is one, and none when not (a fresh checkout)', () => {
    expect('icon' in mock.windows[0].options).toBe(false)
    if (process.platform !== 'linux') return
    const app = mkdtempSync(join(tmpdir(), 'assay-icon-'))
    const resources = mkdtempSync(join(tmpdir(), 'assay-resources-'))
    expect(linuxWindowIcon(app, resources)).toBeUndefined()
    mkdirSync(join(app, 'build', 'icons'), { recursive: true })
    writeFileSync(join(app, 'build', 'icons', '512x512.png'), '') // what electron-builder packs
    expect(linuxWindowIcon(app, undefined)).toBe(join(app, 'build', 'icons', '512x512.png'))
    writeFileSync(join(resources, 'icon.png'), '')
    expect(linuxWindowIcon(app, resources)).toBe(join(resources, 'icon.png'))
  })

  it('follows the system theme unless the settings say light or dark', () => {
    expect(mock.theme.themeSource).toBe('system')
    expect(themeSource({ annotator: 'a', theme: 'dark' })).toBe('dark')
    expect(themeSource({ theme: 'light' })).toBe('light')
    expect(themeSource({ theme: 'sepia' })).toBe('system')
    expect(themeSource({})).toBe('system')
  })

  it('gives the OS each project opened or created (recent documents), once per opening', async () => {
    const home = (await import('electron')).app.getPath('userData')
    const path = join(home, 'recent.assay')
    expect(await invoke('project.create', { path })).toMatchObject({ ok: true })
    expect(await invoke('project.close', {})).toMatchObject({ ok: true })
    expect(await invoke('project.open', { path })).toMatchObject({ ok: true })
    expect(mock.recentDocuments).toEqual([path, path])
    expect(await invoke('project.open', { path })).toMatchObject({ ok: true }) // already shown: not added again
    expect(mock.recentDocuments).toEqual([path, path])
    expect(await invoke('project.close', {})).toMatchObject({ ok: true })
  })

  it('a crashed page gets a dialog that says the labels are committed, and Reload reloads the window', async () => {
    const win = mock.windows[0]
    mock.boxes.length = 0
    mock.response = 0
    win.listeners.get('render-process-gone')!({}, { reason: 'crashed', exitCode: 11 })
    await settle()
    expect(mock.boxes).toHaveLength(1)
    expect(mock.boxes[0].message).toBe("Assay's window stopped working")
    expect(mock.boxes[0].detail).toBe(
      'The page crashed (crashed). Your labels are safe: each label is committed to the project file before Assay shows it as saved. Reload the window to carry on.',
    )
    expect(mock.boxes[0].buttons).toEqual(['Reload', 'Quit'])
    expect(win.reloads).toBe(1)
    win.listeners.get('did-finish-load')!()
    // A clean exit (the window closing) is no crash.
    win.listeners.get('render-process-gone')!({}, { reason: 'clean-exit', exitCode: 0 })
    await settle()
    expect(mock.boxes).toHaveLength(1)
  })

  it('a hung page may be waited out, or reloaded (ended first, without a second dialog for its end)', async () => {
    const win = mock.windows[0]
    mock.boxes.length = 0
    mock.response = 1 // Wait
    win.windowListeners.get('unresponsive')!()
    await settle()
    expect(mock.boxes[0]).toMatchObject({
      message: "Assay's window is not responding",
      buttons: ['Reload', 'Wait', 'Quit'],
      detail: expect.stringContaining('each label is committed to the project file'),
    })
    expect([win.crashes, win.reloads]).toEqual([0, 1])
    mock.response = 0 // Reload
    win.windowListeners.get('unresponsive')!()
    await settle()
    expect([win.crashes, win.reloads]).toEqual([1, 2])
    win.listeners.get('render-process-gone')!({}, { reason: 'killed', exitCode: 0 })
    await settle()
    expect(mock.boxes).toHaveLength(2)
    win.listeners.get('did-finish-load')!()
  })

  it('listens for the labeling-session report from the page (the updater waits for a session to end)', () => {
    expect(mock.on.has(LABELING_CHANNEL)).toBe(true)
  })

  it('on macOS stays open with its last window closed, and reopens a window on activate', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    Object.defineProperty(process, 'platform', { value: 'darwin' })
    try {
      mock.windows[0].windowListeners.get('closed')!()
      mock.appListeners.get('window-all-closed')!()
      expect(mock.quits).toBe(0)
      mock.appListeners.get('activate')!()
      expect(mock.windows).toHaveLength(2)
    } finally {
      Object.defineProperty(process, 'platform', platform)
    }
    mock.appListeners.get('window-all-closed')!()
    expect(mock.quits).toBe(1)
  })
})

describe('electron/preload.ts', () => {
  beforeAll(async () => {
    await import('../../electron/preload')
  })

  it('exposes window.assay with one function per method, grouped by namespace, an event hook, the path of a dropped file and the labeling report', () => {
    expect(mock.exposed?.key).toBe('assay')
    const api = mock.exposed!.api as Record<string, Record<string, unknown>>
    const exposed = Object.entries(api).flatMap(([ns, fns]) =>
      typeof fns === 'function' ? [ns] : Object.keys(fns).map((leaf) => `${ns}.${leaf}`),
    )
    expect(exposed.sort()).toEqual([...methodNames, 'onEvent', 'pathForFile', 'reportLabeling'].sort())
    expect('invoke' in api).toBe(false)
  })

  it('reports a labeling session opening and closing on its own one-way channel', () => {
    const api = mock.exposed!.api as { reportLabeling: (open: boolean) => void }
    api.reportLabeling(true)
    api.reportLabeling(false)
    expect(mock.sent).toEqual([
      [LABELING_CHANNEL, true],
      [LABELING_CHANNEL, false],
    ])
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
