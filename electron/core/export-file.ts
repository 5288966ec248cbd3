import { createWriteStream, rmSync } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { ExportRequest } from '../../shared/export'
import { openConnection, type Db } from './db/open'
import { exportHistory, exportItems } from './export'
import type { EvaluationContext, ProjectContext } from './context'
import { judgyArrays, judgyErrorsMessage } from './report/judgy'
import { projectName } from './settings'

/** An export as both shells hand it on: a name to suggest, then the content, streamed. */
export interface ExportFile {
  filename: string
  mime: string
  /** Says what the file holds beyond its rows (judgy: what became of error verdicts); '' for nothing. */
  note: string
  /** Streams the content into `out` (the chosen file, or an HTTP download); resolves to its row count. */
  write(out: Writable): Promise<number>
  /** "1 200 items", "3 456 labels", "judgy's arrays of …" — for "Wrote … to PATH." */
  describe(rows: number): string
}

const MIME = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
}

/** The project to export: its file (the rows are read on a connection of their own, below) and how to open it. */
export type ExportSource = EvaluationContext &
  Pick<ProjectContext, 'path' | 'readOnly'> & {
    nativeBinding?: string
  }

/**
 * The file name an export suggests: `recipes-items.csv`, `recipes-label-history.jsonl`, `recipes-judgy-Overall
 * judge.json`.
 */
export function exportFilename(project: string, request: Pick<ExportRequest, 'what' | 'format' | 'judge'>): string {
  const base = projectName(project)
  if (request.what === 'judgy') return `${base}-judgy-${(request.judge ?? 'judge').replace(/[\\/:*?"<>|]+/g, '-')}.json`
  return `${base}-${request.what === 'items' ? 'items' : 'label-history'}.${request.format}`
}

/**
 * The same files as `assay export` (electron/core/export.ts, report/judgy.ts), for the app.
 * Items and history stream from a read connection of their own: on the app's connection, an
 * open row iterator would refuse every label saved while a large export is being written (SQLite
 * through better-sqlite3 allows no write on a connection that is iterating), and WAL gives the
 * second connection one consistent snapshot. A read-only project has no writer: its own
 * connection serves. judgy's arrays are computed when this is called (it records that test
 * results were seen, as `assay export --judgy` does), so call it once the user has chosen to save.
 */
export function exportFile(source: ExportSource, request: ExportRequest): ExportFile {
  const filename = exportFilename(source.path, request)
  if (request.what === 'judgy') {
    const { arrays, errors } = judgyArrays(source, request.judge ?? '', request.errors)
    const text = `${JSON.stringify(arrays)}\n`
    return {
      filename,
      mime: 'application/json',
      note: judgyErrorsMessage(errors, request.errors, 'app'),
      write: (out) => {
        out.write(text)
        return Promise.resolve(arrays.test_labels.length)
      },
      describe: () =>
        `judgy's arrays for "${request.judge}" (${arrays.test_labels.length} test pairs, ${arrays.unlabeled_preds.length} production verdicts)`,
    }
  }
  const stream = request.what === 'items' ? exportItems : exportHistory
  return {
    filename,
    mime: MIME[request.format],
    note: '',
    write: async (out) => {
      const reader: Db = source.readOnly ? source.db : openConnection(source.path, source.nativeBinding)
      try {
        return await stream(reader, out, request.format)
      } finally {
        if (reader !== source.db) reader.close()
      }
    },
    describe: (rows) =>
      `${rows.toLocaleString('en-US')} ${request.what === 'items' ? (rows === 1 ? 'item' : 'items') : rows === 1 ? 'label (the full history)' : 'labels (the full history)'}`,
  }
}

/** Writes an export to a file; a failed export leaves no half-written file behind. Resolves to its row count. */
export async function writeExportFile(file: ExportFile, path: string): Promise<number> {
  const out = createWriteStream(path)
  try {
    const rows = await file.write(out)
    out.end()
    await once(out, 'finish')
    return rows
  } catch (error) {
    out.destroy()
    rmSync(path, { force: true })
    throw error
  }
}
