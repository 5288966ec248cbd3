import { app, BrowserWindow, shell, type WebContents } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

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

/**
 * The main window, locked down per Electron's security checklist: context isolation, sandbox,
 * no Node in the page, no navigation away from the app, no new windows (links to the web open
 * in the user's browser only when they are plain https links). The CSP is in index.html.
 */
export function createMainWindow(mainDir: string): BrowserWindow {
  const { url, isTrusted } = rendererLocation(mainDir)
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    title: 'Assay',
    show: false,
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
  win.once('ready-to-show', () => win.show())
  void win.loadURL(url)
  return win
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
