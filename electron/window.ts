import { app, BrowserWindow, dialog, screen, shell, type WebContents } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  DEFAULT_SIZE,
  placeWindow,
  readWindowState,
  rememberWindow,
  writeWindowState,
  type Placement,
} from './window-state'

/** Where the renderer comes from: the built file, or electron-vite's dev server in `dev`. */
export function rendererLocation(mainDir: string): { url: string; isTrusted: (url: string) => boolean } {
  // Only a development run may load the renderer from elsewhere (electron-vite's dev server).
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  if (devUrl) {
    const origin = new URL(devUrl).origin
    return { url: devUrl, isTrusted: (url) => safeOrigin(url) === origin }
  }
  const file = pathToFileURL(join(mainDir, '../renderer/index.html')).href
  return { url: file, isTrusted: (url) => url.split(/[?#]/)[0] === file }
}

/** How the main window opens: where (window-state.ts) and, on Linux, with which icon. */
export interface MainWindowOptions {
  placement?: Placement
  icon?: string
}

/**
 * The main window, locked down per Electron's security checklist: context isolation, sandbox,
 * no Node in the page, no navigation away from the app, no new windows (links to the web open
 * in the user's browser only when they are plain https links). The CSP is in index.html.
 */
export function createMainWindow(mainDir: string, options: MainWindowOptions = {}): BrowserWindow {
  const { url, isTrusted } = rendererLocation(mainDir)
  const win = new BrowserWindow({
    ...(options.placement?.bounds ?? DEFAULT_SIZE),
    minWidth: 800,
    minHeight: 500,
    title: 'Assay',
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: join(mainDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  guardNavigation(win.webContents, isTrusted)
  win.once('ready-to-show', () => {
    // maximize() shows a hidden window, so it waits for the first paint like show() does.
    if (options.placement?.maximized) win.maximize()
    win.show()
  })
  void win.loadURL(url)
  return win
}

/** Where the main window opens: the saved place on a connected display, or centred on the primary one. */
export function initialPlacement(userData: string): Placement {
  return placeWindow(readWindowState(userData), screen.getAllDisplays(), screen.getPrimaryDisplay())
}

/** Saves the window's normal bounds and maximized state for its display when it closes. */
export function rememberPlacement(win: BrowserWindow, userData: string): void {
  win.on('close', () => {
    try {
      const closed = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
      writeWindowState(userData, rememberWindow(readWindowState(userData), closed, screen.getAllDisplays(), new Date()))
    } catch (error) {
      console.warn(`Could not save the window's place: ${error instanceof Error ? error.message : String(error)}`)
    }
  })
}

/**
 * The window's icon on Linux (Windows and macOS take theirs from the executable and the app bundle):
 * build/icon.png beside the app in development, resources/icon.png or the one in the asar when installed.
 * Undefined when none is there (Electron's own icon then), so a checkout without the rendered icon still runs.
 */
export function linuxWindowIcon(appPath: string, resourcesPath: string | undefined): string | undefined {
  if (process.platform !== 'linux') return undefined
  // electron-builder packs build/icons/512x512.png into the asar (scripts/icons.mjs renders it at build time).
  const candidates = [
    ...(resourcesPath ? [join(resourcesPath, 'icon.png')] : []),
    join(appPath, 'build', 'icons', '512x512.png'),
  ]
  return candidates.find((path) => existsSync(path))
}

/**
 * `nativeTheme.themeSource` for the user's settings: the dark-mode setting (`theme`) read defensively, so a
 * settings object without it (or with a value from a newer version) makes the window follow the system.
 */
export function themeSource(user: object): 'system' | 'light' | 'dark' {
  const theme: unknown = Reflect.get(user, 'theme')
  return theme === 'light' || theme === 'dark' ? theme : 'system'
}

/** Why labels survive a crash or hang, said in both dialogs. */
export const LABELS_ARE_SAFE =
  'Your labels are safe: each label is committed to the project file before Assay shows it as saved.'

/**
 * A crashed or hung page must not leave a blank window: a dialog says the labels are safe and offers to
 * reload (a hang may also be waited out; it closes itself if the page answers again).
 */
export function watchRenderer(win: BrowserWindow, quit: () => void): void {
  let asking = false
  let reloading = false
  const ask = async (box: Electron.MessageBoxOptions): Promise<string | undefined> => {
    if (asking || win.isDestroyed()) return undefined
    asking = true
    const { response } = await dialog.showMessageBox(win, box)
    asking = false
    return box.buttons?.[response]
  }
  const act = (choice: string | undefined) => {
    if (choice === 'Quit') quit()
    if (choice !== 'Reload' || win.isDestroyed()) return
    reloading = true
    win.webContents.reload()
  }
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || reloading) return
    const box = {
      type: 'error' as const,
      message: "Assay's window stopped working",
      detail: `The page crashed (${details.reason}). ${LABELS_ARE_SAFE} Reload the window to carry on.`,
      buttons: ['Reload', 'Quit'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    }
    void ask(box).then(act)
  })
  win.webContents.on('did-finish-load', () => (reloading = false))
  let answered: AbortController | null = null
  win.on('unresponsive', () => {
    answered = new AbortController()
    const box = {
      type: 'warning' as const,
      message: "Assay's window is not responding",
      detail: `It may be busy with a long task. ${LABELS_ARE_SAFE} Wait for it, or reload the window.`,
      buttons: ['Reload', 'Wait', 'Quit'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
      signal: answered.signal,
    }
    void ask(box).then((choice) => {
      // A hung page does not reload by itself: end it first (its render-process-gone is ours, not a crash).
      if (choice === 'Reload' && !win.isDestroyed()) {
        reloading = true
        win.webContents.forcefullyCrashRenderer()
      }
      act(choice)
    })
  })
  // The page answered again: the question is moot, so the dialog closes as if "Wait" was chosen.
  win.on('responsive', () => answered?.abort())
}

function guardNavigation(contents: WebContents, isTrusted: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrusted(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isTrusted(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    // Trace links reach here only after the user confirmed them; open web and mail links outside.
    if (/^(https?:|mailto:)/i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}
