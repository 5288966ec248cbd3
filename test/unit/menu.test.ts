import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channelOf, EVENT_CHANNEL } from '../../shared/contract'
import { repoRoot } from '../helpers/paths'

/**
 * The desktop app's menu and what its items do, with `electron` mocked (its binary cannot be
 * downloaded here): File → Export… opens the export dialog in the window and the export is
 * written where the save dialog says; Help → Install the `assay` Command… writes a launcher that
 * runs the app's CLI (Node standing in for Electron run as Node).
 */
type Item = { label?: string; role?: string; accelerator?: string; submenu?: Item[]; click?: () => void }

const mock = vi.hoisted(() => ({
  home: '',
  appPath: '',
  packaged: false,
  menu: [] as { label?: string; role?: string; submenu?: unknown }[],
  sent: [] as unknown[][],
  handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
  saveTo: null as string | null,
  messages: [] as { message: string; detail: string }[],
}))

vi.mock('electron', () => {
  mock.home = mkdtempSync(join(tmpdir(), 'assay-menu-'))
  mock.appPath = mock.home
  class FakeWindow {
    webContents = {
      on: () => undefined,
      once: () => undefined,
      send: (...args: unknown[]) => mock.sent.push(args),
      setWindowOpenHandler: () => undefined,
      session: { setPermissionRequestHandler: () => undefined },
    }
    once() {}
    on() {}
    loadURL() {
      return Promise.resolve()
    }
  }
  return {
    app: {
      getPath: () => mock.home,
      setPath: () => undefined,
      getAppPath: () => mock.appPath,
      getVersion: () => '0.0.0-test',
      get isPackaged() {
        return mock.packaged
      },
      isReady: () => true,
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on: () => undefined,
      once: () => undefined,
      quit: () => undefined,
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
        mock.handlers.set(channel, fn),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: typeof mock.menu) => (mock.menu = m) },
    dialog: {
      showErrorBox: (title: string, message: string) => mock.messages.push({ message: title, detail: message }),
      showMessageBox: (_win: unknown, options: { message: string; detail: string }) => {
        mock.messages.push(options)
        return Promise.resolve({ response: 0 })
      },
      showSaveDialog: () =>
        Promise.resolve(mock.saveTo ? { canceled: false, filePath: mock.saveTo } : { canceled: true }),
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    },
    shell: { openExternal: () => Promise.resolve() },
    webUtils: { getPathForFile: () => '' },
  }
})

const menu = (label: string): Item[] =>
  (mock.menu as Item[]).find((m) => m.label === label || m.role === label)!.submenu!
const item = (menuLabel: string, label: string): Item => menu(menuLabel).find((i) => i.label === label)!
/** Calls a contract method the way the preload does, from the app's own page. */
const invoke = (method: Parameters<typeof channelOf>[0], input: unknown) =>
  mock.handlers.get(channelOf(method))!(
    { senderFrame: { url: pathToFileURL(join(repoRoot, 'renderer/index.html')).href } },
    input,
  ) as Promise<{ ok: boolean; value: unknown }>

describe('the desktop menu (electron mocked)', () => {
  beforeAll(async () => {
    await import('../../electron/main')
    await vi.waitFor(() => expect(mock.menu.length).toBeGreaterThan(0))
  })

  it('File has Export… (Ctrl/Cmd+Shift+E) beside Export Report…, and it opens the export dialog in the window', async () => {
    expect(
      menu('File')
        .map((i) => i.label)
        .filter(Boolean),
    ).toEqual([
      'New Project…',
      'Open Project…',
      'Open Recent',
      'Open Demo Project',
      'Merge Project…',
      'Export…',
      'Export Report…',
      'Quit',
    ])
    expect(item('File', 'Export…').accelerator).toBe('CmdOrCtrl+Shift+E')
    await vi.waitFor(() => expect(mock.handlers.size).toBeGreaterThan(0))
    item('File', 'Export…').click!()
    expect(mock.sent.at(-1)).toEqual([EVENT_CHANNEL, { name: 'app.command', payload: { command: 'export' } }])
    item('File', 'Merge Project…').click!()
    expect(mock.sent.at(-1)).toEqual([EVENT_CHANNEL, { name: 'app.command', payload: { command: 'merge' } }])
  })

  it('writes an export where the save dialog says, from main (the renderer never holds the file)', async () => {
    const project = join(mock.home, 'menu-test.assay')
    expect(await invoke('project.create', { path: project })).toMatchObject({ ok: true })
    mock.saveTo = join(mock.home, 'chosen.csv')
    expect(await invoke('export.run', { what: 'items', format: 'csv' })).toEqual({
      ok: true,
      value: { via: 'saved', path: mock.saveTo, message: `Wrote 0 items to ${mock.saveTo}.` },
    })
    expect(readFileSync(mock.saveTo, 'utf8')).toMatch(
      /^id,dataset,kind,input,output,messages,steps,metadata[^\n]*\r\n$/,
    )
    mock.saveTo = null
    expect(await invoke('export.run', { what: 'history', format: 'jsonl' })).toEqual({
      ok: true,
      value: { via: 'cancelled' },
    })
  })

  it('Help → Install the `assay` Command… explains itself in a development run and writes nothing', async () => {
    expect(menu('help').map((i) => i.label)).toEqual(['Install the `assay` Command…'])
    item('help', 'Install the `assay` Command…').click!()
    await vi.waitFor(() => expect(mock.messages.at(-1)?.detail).toContain('run `npx assay --help`'))
    expect(existsSync(join(mock.home, '.local', 'bin', 'assay'))).toBe(false)
  })

  it('in an installed app, asks, then writes a launcher that runs the bundled CLI with the app as Node', async () => {
    if (process.platform === 'win32') return // the .cmd launcher is checked in cli-launcher.test.ts
    mock.packaged = true
    mock.appPath = repoRoot // stands in for …/resources/app.asar: bin/assay.mjs → out/cli/assay.mjs
    mock.messages.length = 0
    item('help', 'Install the `assay` Command…').click!()
    const launcher = join(mock.home, '.local', 'bin', 'assay')
    await vi.waitFor(() => expect(mock.messages).toHaveLength(2))
    expect(mock.messages[0]).toMatchObject({
      message: 'Install the `assay` command?',
      detail: expect.stringContaining(`It writes ${launcher}, a launcher`),
    })
    expect(mock.messages[1].message).toBe('The `assay` command is installed')
    expect(mock.messages[1].detail).toContain(`Installed the \`assay\` command: ${launcher}.`)
    expect(readFileSync(launcher, 'utf8')).toContain(
      `ELECTRON_RUN_AS_NODE=1 exec '${process.execPath}' '${join(repoRoot, 'bin', 'assay.mjs')}' "$@"`,
    )
    const run = spawnSync(launcher, ['export', '--help'], { encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Usage: assay export PROJECT')
    mock.packaged = false
  })
})
