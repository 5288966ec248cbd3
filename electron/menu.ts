import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import type { RecentProject } from '../shared/domain'

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
  quit: () => void
}

/**
 * The application menu: File → New, Open, Open Recent, Open Demo Project, Merge Project…, Export…, Export
 * Report…, Quit; Help → Install the `assay` Command….
 */
export function buildMenu(recent: RecentProject[], actions: MenuActions) {
  const isMac = process.platform === 'darwin'
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r) => ({ label: r.path, enabled: r.exists, click: () => actions.openPath(r.path) }))
    : [{ label: 'No recent projects', enabled: false }]
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
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
        { type: 'separator' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: actions.quit },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Install the `assay` Command…', click: actions.installCli }] },
  ]
  return Menu.buildFromTemplate(template)
}

/** The native save dialog for an export, suggesting its file name; null when the user cancels. */
export async function pickExportPath(win: BrowserWindow | null, filename: string): Promise<string | null> {
  const ext = filename.split('.').pop() ?? ''
  const name = ext === 'csv' ? 'CSV' : ext === 'jsonl' ? 'JSON Lines' : 'JSON'
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
          { name: 'Traces (CSV, TSV, JSON, JSONL)', extensions: ['csv', 'tsv', 'json', 'jsonl', 'ndjson', 'txt'] },
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
