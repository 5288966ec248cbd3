import Database from 'better-sqlite3'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, shell } from 'electron'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENT_CHANNEL, type AnyEvent } from '../shared/contract'
import { createServices } from './core/services'
import { createSettingsStore, type SettingsStore } from './core/settings'
import { onLabelingReport, registerIpc } from './ipc'
import { safeKeyStore } from './secrets'
import { defaultBinDir, installLauncher, type LauncherTarget } from './core/cli-launcher'
import { buildMenu, pickExportPath, pickProjectFile, showAbout, type MenuActions, type Versions } from './menu'
import { createUpdater } from './app-updater'
import {
  createMainWindow,
  initialPlacement,
  linuxWindowIcon,
  rememberPlacement,
  rendererLocation,
  themeSource,
  watchRenderer,
} from './window'
import { runCliIfAsked } from './core/cli-launcher'

// First: `assay …` through the installed app (Help → Install the `assay` Command…) runs the CLI
// bundle and exits here — no single-instance lock, no window, no app state.
await runCliIfAsked(app, process.argv, new URL('../cli/assay.mjs', import.meta.url))

/**
 * App lifecycle only: build the services, register IPC, create the window and the menu, and
 * open a project given on the command line or by the OS (`.assay` file association). The
 * updater is created here and nowhere else, so `assay serve` and the CLI never load it.
 */
const mainDir = dirname(fileURLToPath(import.meta.url))
let win: BrowserWindow | null = null

// In development `npm start` builds better-sqlite3 for Electron's ABI into .electron-native/,
// leaving node_modules' copy (built for Node, used by `npm test` and the CLI) untouched.
const devBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')
const nativeBinding = !app.isPackaged && existsSync(devBinding) ? devBinding : undefined

// ASSAY_HOME moves all per-user state (recent projects, the demo) elsewhere: each e2e test gets its own.
if (process.env.ASSAY_HOME) app.setPath('userData', process.env.ASSAY_HOME)
const store = createSettingsStore(app.getPath('userData'))
// The same store, telling the shell when the user changes a setting (the theme follows at once).
const settings: SettingsStore = {
  ...store,
  setUser(change) {
    const user = store.setUser(change)
    nativeTheme.themeSource = themeSource(user)
    return user
  },
}
/** The project the window shows, so the OS's recent documents get each project once per opening. */
let shownProject: string | null = null
const services = createServices({
  shell: 'electron',
  version: app.getVersion(),
  settings,
  clock: () => new Date(),
  emit: (event: AnyEvent) => {
    win?.webContents.send(EVENT_CHANNEL, event)
    if (event.name !== 'project.changed') return
    const path = event.payload.project?.path ?? null
    // Opened or created (an import re-sends the same project): the recent list of the Dock and the taskbar.
    if (path !== null && path !== shownProject) app.addRecentDocument(path)
    shownProject = path
    refreshMenu()
  },
  demoPath: join(app.getPath('userData'), 'demo.assay'),
  nativeBinding,
  keys: safeKeyStore(join(app.getPath('userData'), 'keys')),
  printPdf,
  pickFile: (mode) => pickProjectFile(win, mode),
  saveFile: (filename) => pickExportPath(win, filename),
})

/** A report's HTML to PDF in a hidden window that runs no script and loads nothing else. */
async function printPdf(html: string): Promise<Buffer> {
  const page = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, javascript: false, contextIsolation: true },
  })
  try {
    await page.loadURL(`data:text/html;base64,${Buffer.from(html).toString('base64')}`)
    return await page.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
  } finally {
    page.destroy()
  }
}

const updater = createUpdater({ window: () => win, checkAtStart: () => settings.user().checkForUpdates })

/** A menu command for the page; on macOS with no window open, it opens one and sends once the page is there. */
function send(event: AnyEvent): void {
  if (win) win.webContents.send(EVENT_CHANNEL, event)
  else ensureWindow().webContents.once('did-finish-load', () => win?.webContents.send(EVENT_CHANNEL, event))
}

function refreshMenu(): void {
  Menu.setApplicationMenu(buildMenu(settings.recent(), menuActions()))
}

function menuActions(): MenuActions {
  return {
    newProject: () =>
      void pickProjectFile(win, 'create').then(
        (path) => path && openOrReport(() => services.handlers['project.create']({ path })),
      ),
    openProject: () => void pickProjectFile(win, 'open').then((path) => path && openPath(path)),
    openPath,
    openDemo: () => openOrReport(() => services.handlers['project.openDemo']({})),
    exportData: () => send({ name: 'app.command', payload: { command: 'export' } }),
    mergeProject: () => send({ name: 'app.command', payload: { command: 'merge' } }),
    exportReport: () => send({ name: 'app.navigate', payload: { screen: 'report' } }),
    installCli: () => void installCli(),
    showShortcuts: () => send({ name: 'app.command', payload: { command: 'shortcuts' } }),
    openLink: (url) => void shell.openExternal(url),
    checkForUpdates: () => void updater.checkNow(),
    about: () => void showAbout(win, versions()),
    quit: () => app.quit(),
  }
}

/** What About shows; SQLite's version is asked of the same better-sqlite3 build the projects use. */
function versions(): Versions {
  return {
    app: app.getVersion(),
    electron: process.versions.electron,
    chromium: process.versions.chrome,
    node: process.versions.node,
    v8: process.versions.v8,
    sqlite: sqliteVersion(),
  }
}

function sqliteVersion(): string {
  try {
    const db = new Database(':memory:', { nativeBinding })
    try {
      const version: unknown = db.prepare('select sqlite_version()').pluck().get()
      return typeof version === 'string' ? version : 'unknown'
    } finally {
      db.close()
    }
  } catch {
    return 'unknown'
  }
}

/**
 * The main window, where it was last closed on a connected display. A crash or hang gets a dialog; a
 * fresh page (a reload) or a closed window has no labeling session open any more.
 */
function ensureWindow(): BrowserWindow {
  if (win) return win
  const userData = app.getPath('userData')
  const created = createMainWindow(mainDir, {
    placement: initialPlacement(userData),
    icon: linuxWindowIcon(app.getAppPath(), app.isPackaged ? process.resourcesPath : undefined),
  })
  rememberPlacement(created, userData)
  watchRenderer(created, () => app.quit())
  created.webContents.on('did-navigate', () => updater.setLabeling(false))
  created.on('closed', () => {
    win = null
    updater.setLabeling(false)
  })
  win = created
  return created
}

/**
 * Help → Install the `assay` Command…: says what will be written where, then writes the launcher
 * (electron/core/cli-launcher.ts) and says how to call it. A development checkout has `npx assay`.
 */
async function installCli(): Promise<void> {
  const show = (message: string, detail: string, buttons = ['OK']) =>
    win
      ? dialog.showMessageBox(win, {
          type: 'info',
          message,
          detail,
          buttons,
          defaultId: 0,
          cancelId: buttons.length - 1,
        })
      : dialog.showMessageBox({ type: 'info', message, detail, buttons, defaultId: 0, cancelId: buttons.length - 1 })
  if (!app.isPackaged) {
    await show(
      'The `assay` command',
      'This is a development run of Assay: in its folder, run `npx assay --help` (or `node bin/assay.mjs --help`). Installed copies of the app write an `assay` command with Help → Install the `assay` Command….',
    )
    return
  }
  const target: LauncherTarget = {
    platform: process.platform,
    execPath: process.execPath,
    appImage: process.env.APPIMAGE,
    binDir: defaultBinDir(process.platform, app.getPath('home'), app.getPath('userData')),
  }
  const asked = await show(
    'Install the `assay` command?',
    `It writes ${join(target.binDir, process.platform === 'win32' ? 'assay.cmd' : 'assay')}, a launcher that runs this app's command-line tool (assay export, import, report, estimate, serve, …) with the app itself: no Node.js needed.`,
    ['Install', 'Cancel'],
  )
  if (asked.response !== 0) return
  try {
    const { message } = installLauncher(target, process.env.PATH)
    await show('The `assay` command is installed', message)
  } catch (error) {
    dialog.showErrorBox(
      'Could not install the `assay` command',
      `${error instanceof Error ? error.message : String(error)}. Check that ${target.binDir} can be written.`,
    )
  }
}

function openPath(path: string): void {
  openOrReport(() => services.handlers['project.open']({ path }))
}

function openOrReport(open: () => unknown): void {
  try {
    open()
  } catch (error) {
    dialog.showErrorBox('Could not open the project', error instanceof Error ? error.message : String(error))
  }
}

const projectArg = (argv: string[]): string | undefined => argv.slice(1).find((a) => a.endsWith('.assay'))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv) => {
    const path = projectArg(argv)
    if (path) openPath(path)
    const shown = ensureWindow()
    if (shown.isMinimized()) shown.restore()
    shown.focus()
  })
  app.on('open-file', (event, path) => {
    event.preventDefault()
    // macOS may send a file to the app while it has no window (it stays open without one): open one.
    if (app.isReady()) {
      ensureWindow()
      openPath(path)
    } else app.once('ready', () => openPath(path))
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })
  // macOS apps stay open with their last window closed (the menu bar and the Dock icon remain); `activate` reopens one.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (app.isReady()) ensureWindow()
  })
  app.on('will-quit', () => services.close())

  void app.whenReady().then(() => {
    nativeTheme.themeSource = themeSource(settings.user())
    const { isTrusted } = rendererLocation(mainDir)
    registerIpc(ipcMain, services.handlers, isTrusted)
    onLabelingReport(ipcMain, isTrusted, (open) => updater.setLabeling(open))
    refreshMenu()
    const shown = ensureWindow()
    const path = projectArg(process.argv)
    if (path) shown.webContents.once('did-finish-load', () => openPath(path))
    void updater.start()
  })
}
