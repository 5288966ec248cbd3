import type { StateCreator } from 'zustand'
import type { Input } from '../../../shared/contract'
import { call, errorText } from '../../api'
import type { Store } from '../index'

/** A line the export dialog shows: progress, where the file went, or why it did not. */
export interface ExportStatus {
  ok: boolean
  message: string
}

/** The export dialog: the judges it offers, whether an export runs, and its outcome. */
export interface ExportSlice {
  /** The project's judge names, for judgy's arrays (empty when they cannot be had). */
  exportJudges: string[]
  exportStatus: ExportStatus | null
  exporting: boolean
  /** The dialog opened: a fresh status, and the judges listed again. */
  openExportDialog: () => void
  /** Runs an export; errors show in the dialog's status line, not the banner. */
  runExport: (request: Input<'export.run'>) => Promise<void>
  setExportStatus: (status: ExportStatus | null) => void
}

/** Hands the browser a one-time link to download (`assay serve`): it saves the file itself. */
function download(url: string, filename: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
}

/** The export slice (File → Export…). */
export const createExportSlice: StateCreator<Store, [], [], ExportSlice> = (set, get) => ({
  exportJudges: [],
  exportStatus: null,
  exporting: false,
  openExportDialog() {
    set({ exportStatus: null, exporting: false })
    call('judges.list', {}).then(
      (list) => set({ exportJudges: list.map((j) => j.name) }),
      () => set({ exportJudges: [] }),
    )
  },
  async runExport(request) {
    if (get().exporting) return
    set({ exporting: true })
    const waiting = get().shell === 'electron' ? 'Choose where to save it…' : 'Preparing the download…'
    set({ exportStatus: { ok: true, message: waiting } })
    try {
      const result = await call('export.run', request)
      if (result.via === 'cancelled') set({ exportStatus: null })
      else if (result.via === 'saved') set({ exportStatus: { ok: true, message: result.message } })
      else {
        download(result.url, result.filename)
        const message = [`Downloading ${result.filename} (your browser saves it).`, result.message]
          .filter(Boolean)
          .join(' ')
        set({ exportStatus: { ok: true, message } })
      }
    } catch (error) {
      set({ exportStatus: { ok: false, message: errorText(error) } })
    } finally {
      set({ exporting: false })
    }
  },
  setExportStatus: (exportStatus) => set({ exportStatus }),
})
