/**
 * File → Export…: saved where the user chooses (a shell with a save dialog), or under `assay
 * serve` a one-time download link, streamed when the browser fetches it.
 */
import type { ExportRequest } from '../../../shared/export'
import type { createDownloads } from '../downloads'
import { exportFile, exportFilename, writeExportFile, type ExportFile } from '../export-file'
import type { Part, Scope } from './types'

export function exportHandlers(
  { project, deps }: Scope,
  downloads: ReturnType<typeof createDownloads>,
): Part<'export'> {
  const fileOf = (request: ExportRequest): ExportFile =>
    exportFile({ ...project(), nativeBinding: deps.nativeBinding }, request)
  return {
    'export.run': async (request) => {
      if (deps.saveFile) {
        // The file is named first: judgy's arrays record that test results were seen,
        // so nothing is computed before the user saves.
        const path = await deps.saveFile(exportFilename(project().path, request))
        return path ? saveExport(fileOf(request), path) : { via: 'cancelled' as const }
      }
      const file = fileOf(request)
      return {
        via: 'download' as const,
        url: `/download/${downloads.add(file)}`,
        filename: file.filename,
        message: file.note,
      }
    },
  }
}

async function saveExport(file: ExportFile, path: string) {
  const rows = await writeExportFile(file, path)
  return {
    via: 'saved' as const,
    path,
    message: [`Wrote ${file.describe(rows)} to ${path}.`, file.note].filter(Boolean).join(' '),
  }
}
