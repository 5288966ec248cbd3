import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { channelOf, EVENT_CHANNEL } from '../../shared/contract'
import { buildMenu, LINKS, type MenuActions } from '../../electron/menu'
import { repoRoot } from '../helpers/paths'

/**
 * The desktop app's menu and what its items do, with `electron` mocked (its binary cannot be
 * downloaded here): File → Export… opens the export dialog in the window and the export is
 * written where the save dialog says; Help opens the shortcuts, the project's pages, the update
 * check and About with its versions; Help → Install the `assay` Command… writes a launcher that
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
  opened: [] as string[],
  copied: [] as string[],
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
    isDestroyed() {
      return false
    }
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
      addRecentDocument: () => undefined,
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
        mock.handlers.set(channel, fn),
      on: () => undefined,
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
    shell: { openExternal: (url: string) => (mock.opened.push(url), Promise.resolve()) },
    clipboard: { writeText: (text: string) => void mock.copied.push(text) },
    screen: {
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
    },
    nativeTheme: { themeSource: 'system' },
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

  it('Help: shortcuts, README, issues, updates, the `assay` command, About', () => {
    expect(
      menu('help')
        .map((i) => i.label)
        .filter(Boolean),
    ).toEqual([
      'Keyboard Shortcuts',
      'README',
      'Report an Issue…',
      'Install the `assay` Command…',
      'Check for Updates…',
      'About Assay',
    ])
  })

  it('Help → Keyboard Shortcuts opens the ? overlay in the window', () => {
    item('help', 'Keyboard Shortcuts').click!()
    expect(mock.sent.at(-1)).toEqual([EVENT_CHANNEL, { name: 'app.command', payload: { command: 'shortcuts' } }])
  })

  it('Help → README and Report an Issue… open the project pages in the browser', () => {
    item('help', 'README').click!()
    item('help', 'Report an Issue…').click!()
    expect(mock.opened).toEqual([LINKS.readme, LINKS.issues])
    expect(LINKS.issues).toBe(`${LINKS.home}/issues/new`)
    // One name for the project's home: package.json's homepage, once it has one, must agree.
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { homepage?: string }
    if (pkg.homepage) expect(LINKS.readme.startsWith(pkg.homepage.replace(/#readme$/, ''))).toBe(true)
  })

  it('Help → About Assay shows the versions a bug report needs, SQLite asked of better-sqlite3, and copies them', async () => {
    mock.messages.length = 0
    mock.copied.length = 0
    item('help', 'About Assay').click!() // the mocked box answers 0: Copy
    await vi.waitFor(() => expect(mock.copied).toHaveLength(1))
    const detail = mock.messages[0].detail
    expect(detail.split('\n').map((line) => line.split(':')[0])).toEqual([
      'Version',
      'Electron',
      'Chromium',
      'Node.js',
      'V8',
      'SQLite',
      'OS',
    ])
    expect(detail).toContain('Version: 0.0.0-test')
    expect(detail).toContain(`Node.js: ${process.versions.node}`)
    expect(detail).toMatch(/^SQLite: 3\.\d+\.\d+$/m)
    expect(mock.copied[0]).toBe(detail)
  })

  it('Help → Check for Updates… in a development run says how to update instead of checking', async () => {
    mock.messages.length = 0
    item('help', 'Check for Updates…').click!()
    await vi.waitFor(() => expect(mock.messages).toHaveLength(1))
    expect(mock.messages[0]).toMatchObject({ message: 'Updates come with the installed app' })
  })

  it('on macOS: About, Check for Updates… and Quit in the app menu; Help keeps the rest', () => {
    const actions = Object.fromEntries(
      ['newProject', 'openProject', 'openPath', 'openDemo', 'exportData', 'exportReport', 'installCli']
        .concat(['showShortcuts', 'openLink', 'checkForUpdates', 'about', 'quit'])
        .map((name) => [name, () => undefined]),
    ) as unknown as MenuActions
    const template = buildMenu([], actions, 'darwin') as unknown as Item[]
    const labels = (items: Item[] | undefined) => (items ?? []).map((i) => i.label ?? i.role)
    expect(template[0].role).toBe('appMenu')
    expect(labels(template[0].submenu)).toEqual([
      'About Assay',
      'Check for Updates…',
      undefined,
      'services',
      undefined,
      'hide',
      'hideOthers',
      'unhide',
      undefined,
      'Quit Assay',
    ])
    expect(labels(template.find((m) => m.label === 'File')?.submenu)).not.toContain('Quit')
    expect(labels(template.find((m) => m.role === 'help')?.submenu).filter(Boolean)).toEqual([
      'Keyboard Shortcuts',
      'README',
      'Report an Issue…',
      'Install the `assay` Command…',
    ])
  })

  it('Help → Install the `assay` Command… explains itself in a development run and writes nothing', async () => {
    item('help', 'Install the `assay` Command…').click!()
    await vi.waitFor(() => expect(mock.messages.at(-1)?.detail).toContain('run `npx assay --help`'))
    expect(existsSync(join(mock.home, '.local', 'bin', 'assay'))).toBe(false)
  })

  it('in an installed app, asks, then writes a launcher that runs the app with --assay-cli', async () => {
    if (process.platform === 'win32') return // the .cmd launcher is checked in cli-launcher.test.ts
    mock.packaged = true
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
    // The launcher starts the app with --assay-cli (its run is tested in cli-launcher.test.ts).
    expect(readFileSync(launcher, 'utf8')).toContain(
      `exec '${process.execPath}' --ozone-platform=headless --assay-cli "$@"`,
    )
    mock.packaged = false
  })
})
