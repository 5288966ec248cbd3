import { clipboard, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import type { RecentProject } from '../shared/domain'

/**
 * Where Help's links go, named once (the README, the issue tracker, the releases updates come from). Keep
 * it equal to package.json's `homepage` and electron-builder's `publish` (test/unit/menu.test.ts checks).
 */
export const LINKS = {
  home: 'https://github.com/assay-app/assay',
  readme: 'https://github.com/assay-app/assay#readme',
  issues: 'https://github.com/assay-app/assay/issues/new',
  releases: 'https://github.com/assay-app/assay/releases',
} as const

export interface MenuActions {
  newProject: () => void
  openProject: () => void
  openPath: (path: string) => void
  openDemo: () => void
  /** File → Export…: the export dialog (items with labels, the label history, judgy's arrays). */
  exportData: () => void
  /** File → Merge Project…: the merge dialog (another annotator's copy into this project). */
  mergeProject: () => void
  /** File → Export Report: the Report screen, with its HTML, PDF, Markdown and JSON exports. */
  exportReport: () => void
  /** Help → Install the `assay` Command…: says what it writes where, then writes it. */
  installCli: () => void
  /** Help → Keyboard Shortcuts: the renderer's `?` overlay. */
  showShortcuts: () => void
  /** Help → README and Report an Issue…: a page of LINKS in the user's browser. */
  openLink: (url: string) => void
  /** Help (the app menu on macOS) → Check for Updates…. */
  checkForUpdates: () => void
  /** Help (the app menu on macOS) → About Assay: the versions a bug report needs. */
  about: () => void
  quit: () => void
}

/**
 * The application menu: File → New, Open, Open Recent, Open Demo Project, Merge Project…, Export…,
 * Export Report…, Quit;
 * Help → Keyboard Shortcuts, README, Report an Issue…, Check for Updates…, Install the `assay` Command…,
 * About Assay. On macOS, About, Check for Updates… and Quit live in the app menu, as every Mac app has them.
 */
export function buildMenu(recent: RecentProject[], actions: MenuActions, platform: NodeJS.Platform = process.platform) {
  const isMac = platform === 'darwin'
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r) => ({ label: r.path, enabled: r.exists, click: () => actions.openPath(r.path) }))
    : [{ label: 'No recent projects', enabled: false }]
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [appMenu(actions)] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: actions.newProject },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: actions.openProject },
        { label: 'Open Recent', submenu: recentItems },
        { label: 'Open Demo Project', click: actions.openDemo },
        { type: 'separator' },
        { label: 'Merge Project…', click: actions.mergeProject },
        { label: 'Export…', accelerator: 'CmdOrCtrl+Shift+E', click: actions.exportData },
        { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: actions.exportReport },
        ...(isMac
          ? []
          : [{ type: 'separator' as const }, { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: actions.quit }]),
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: helpItems(actions, isMac) },
  ]
  return Menu.buildFromTemplate(template)
}

/** macOS's first menu, named after the app: About, updates, the system's Services/Hide items, Quit. */
function appMenu(actions: MenuActions): MenuItemConstructorOptions {
  return {
    role: 'appMenu',
    submenu: [
      { label: 'About Assay', click: actions.about },
      { label: 'Check for Updates…', click: actions.checkForUpdates },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { label: 'Quit Assay', accelerator: 'Cmd+Q', click: actions.quit },
    ],
  }
}

function helpItems(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  // No accelerator for the shortcuts: `?` is the renderer's own key, and a menu accelerator would toggle twice.
  const common: MenuItemConstructorOptions[] = [
    { label: 'Keyboard Shortcuts', click: actions.showShortcuts },
    { label: 'README', click: () => actions.openLink(LINKS.readme) },
    { label: 'Report an Issue…', click: () => actions.openLink(LINKS.issues) },
    { type: 'separator' },
    { label: 'Install the `assay` Command…', click: actions.installCli },
  ]
  if (isMac) return common
  return [
    ...common,
    { label: 'Check for Updates…', click: actions.checkForUpdates },
    { type: 'separator' },
    { label: 'About Assay', click: actions.about },
  ]
}

/** The versions About shows: the ones a bug report needs (Chromium draws the page, SQLite holds the labels). */
export interface Versions {
  app: string
  electron: string
  chromium: string
  node: string
  v8: string
  sqlite: string
}

/** About's text, one version a line, as it is copied into a bug report. */
export function aboutDetail(v: Versions): string {
  return [
    `Version: ${v.app}`,
    `Electron: ${v.electron}`,
    `Chromium: ${v.chromium}`,
    `Node.js: ${v.node}`,
    `V8: ${v.v8}`,
    `SQLite: ${v.sqlite}`,
    `OS: ${process.platform} ${process.arch}`,
  ].join('\n')
}

/** Help → About Assay: the versions, with a button that copies them for an issue. */
export async function showAbout(win: BrowserWindow | null, versions: Versions): Promise<void> {
  const detail = aboutDetail(versions)
  const box = { type: 'info' as const, message: 'Assay', detail, buttons: ['Copy', 'OK'], defaultId: 1, cancelId: 1 }
  const { response } = win ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box)
  if (response === 0) await clipboard.writeText(detail)
}

/** The native save dialog for an export, suggesting its file name; null when the user cancels. */
export async function pickExportPath(win: BrowserWindow | null, filename: string): Promise<string | null> {
  const ext = filename.split('.').pop() ?? ''
  const name = ext === 'csv' ? 'CSV' : ext === 'jsonl' ? 'JSON Lines' : ext === 'parquet' ? 'Parquet' : 'JSON'
  const options = {
    title: 'Export',
    defaultPath: filename,
    filters: [
      { name, extensions: [ext] },
      { name: 'All files', extensions: ['*'] },
    ],
  }
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}

/** The native open/save dialog for `.assay` files; null when the user cancels. */
export async function pickProjectFile(
  win: BrowserWindow | null,
  mode: 'open' | 'create' | 'import' | 'merge',
): Promise<string | null> {
  const filters =
    mode === 'import'
      ? [
          {
            name: 'Traces (CSV, TSV, JSON, JSONL, Parquet)',
            extensions: ['csv', 'tsv', 'json', 'jsonl', 'ndjson', 'txt', 'parquet'],
          },
          { name: 'All files', extensions: ['*'] },
        ]
      : [{ name: 'Assay project', extensions: ['assay'] }]
  if (mode !== 'create') {
    const options = {
      title: mode === 'import' ? 'Import traces' : mode === 'merge' ? 'Merge a project into this one' : 'Open project',
      filters,
      properties: ['openFile' as const],
    }
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }
  const options = { title: 'New project', filters, defaultPath: 'project.assay' }
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}
