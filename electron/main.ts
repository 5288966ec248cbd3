import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENT_CHANNEL, type AnyEvent } from '../shared/contract'
import { createServices } from './core/services'
import { createSettingsStore } from './core/settings'
import { registerIpc } from './ipc'
import { safeKeyStore } from './secrets'
import { defaultBinDir, installLauncher, type LauncherTarget } from './core/cli-launcher'
import { buildMenu, pickExportPath, pickProjectFile } from './menu'
import { createMainWindow, rendererLocation } from './window'

/**
 * App lifecycle only: build the services, register IPC, create the window and the menu, and
 * open a project given on the command line or by the OS (`.assay` file association).
 */
const mainDir = dirname(fileURLToPath(import.meta.url))
let win: BrowserWindow | null = null

// In development `npm start` builds better-sqlite3 for Electron's ABI into .electron-native/,
// leaving node_modules' copy (built for Node, used by `npm test` and the CLI) untouched.
const devBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node')
const nativeBinding = !app.isPackaged && existsSync(devBinding) ? devBinding : undefined

// ASSAY_HOME moves all per-user state (recent projects, the demo) elsewhere: each e2e test gets its own.
if (process.env.ASSAY_HOME) app.setPath('userData', process.env.ASSAY_HOME)
const settings = createSettingsStore(app.getPath('userData'))
const services = createServices({
  shell: 'electron',
  version: app.getVersion(),
  settings,
  clock: () => new Date(),
  emit: (event: AnyEvent) => {
    win?.webContents.send(EVENT_CHANNEL, event)
    if (event.name === 'project.changed') refreshMenu()
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

function refreshMenu(): void {
  Menu.setApplicationMenu(
    buildMenu(settings.recent(), {
      newProject: () =>
        void pickProjectFile(win, 'create').then(
          (path) => path && openOrReport(() => services.handlers['project.create']({ path })),
        ),
      openProject: () => void pickProjectFile(win, 'open').then((path) => path && openPath(path)),
      openPath,
      openDemo: () => openOrReport(() => services.handlers['project.openDemo']({})),
      exportData: () =>
        win?.webContents.send(EVENT_CHANNEL, {
          name: 'app.command',
          payload: { command: 'export' },
        } satisfies AnyEvent),
      mergeProject: () =>
        win?.webContents.send(EVENT_CHANNEL, {
          name: 'app.command',
          payload: { command: 'merge' },
        } satisfies AnyEvent),
      exportReport: () =>
        win?.webContents.send(EVENT_CHANNEL, {
          name: 'app.navigate',
          payload: { screen: 'report' },
        } satisfies AnyEvent),
      installCli: () => void installCli(),
      quit: () => app.quit(),
    }),
  )
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
    appPath: app.getAppPath(),
    appImage: process.env.APPIMAGE,
    binDir: defaultBinDir(process.platform, app.getPath('home'), app.getPath('userData')),
    userData: app.getPath('userData'),
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
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (app.isReady()) openPath(path)
    else app.once('ready', () => openPath(path))
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })
  app.on('window-all-closed', () => {
    services.close()
    app.quit()
  })

  void app.whenReady().then(() => {
    registerIpc(ipcMain, services.handlers, rendererLocation(mainDir).isTrusted)
    refreshMenu()
    win = createMainWindow(mainDir)
    win.on('closed', () => (win = null))
    const path = projectArg(process.argv)
    if (path) win.webContents.once('did-finish-load', () => openPath(path))
  })
}
