import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type { Mapping } from '../../../shared/import'
import { openConnection } from '../db/open'
import { importWriter, ROWS_PER_INSERT, type DuplicatePolicy } from '../db/repos/imports'
import { joinOnly, type MapResult } from './mapping'
import { mappedEvents } from './source'
import type { FileFormat, MappedItem, RecordError } from './types'

export interface ImportRequest {
  file: string
  format: FileFormat
  delimiter?: ',' | ';' | '\t' | '|'
  mapping: Mapping
  /** Name of the new dataset; the file's name by default. */
  datasetName?: string
  /** Stop at bad rows (default, nothing is written) or skip them (counted and listed). */
  onError: 'abort' | 'skip'
  duplicates: DuplicatePolicy
}

export interface ImportProgress {
  rows: number
  bytes: number
  total: number
}

export interface ImportReport {
  /** `new`: a new dataset of items; `join`: labels, notes or verdicts added to existing items by id. */
  mode: 'new' | 'join'
  dataset: string | null
  datasetId: number | null
  rows: number
  imported: number
  skipped: number
  duplicates: { count: number; ids: string[] }
  /** Join mode: ids in the file that match no item (reported, never guessed). */
  unmatched: { count: number; ids: string[] }
  errors: RecordError[]
  errorCount: number
  committed: boolean
  cancelled: boolean
}

const MAX_LISTED = 100


/**
 * Imports a file into a project in one transaction on a connection of its own: either every
 * good row is committed, or (cancelled, killed, or stopped at a bad row) nothing is. Rows stream
 * through; memory stays flat except for span exports, whose traces must be assembled whole.
 */
export async function runImport(
  projectPath: string,
  request: ImportRequest,
  options: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; now?: () => Date; nativeBinding?: string } = {},
): Promise<ImportReport> {
  const at = (options.now ?? (() => new Date()))().toISOString()
  const join = joinOnly(request.mapping)
  const report: ImportReport = {
    mode: join ? 'join' : 'new',
    dataset: join ? null : (request.datasetName ?? basename(request.file)),
    datasetId: null,
    rows: 0,
    imported: 0,
    skipped: 0,
    duplicates: { count: 0, ids: [] },
    unmatched: { count: 0, ids: [] },
    errors: [],
    errorCount: 0,
    committed: false,
    cancelled: false,
  }
  const total = statSync(request.file).size // before opening anything: a missing file leaks no handle
  const db = openConnection(projectPath, options.nativeBinding)
  // A big transaction with SQLite's default 2 MB page cache spills pages to the WAL again and
  // again; 64 MB keeps the b-trees in memory (a fixed cap, so memory stays flat in file size).
  db.pragma('cache_size = -65536')
  // Every reference this connection writes is to a row it just wrote or looked up (items of the
  // new dataset, criteria, runs), so the per-row foreign-key lookups only cost time (~30%).
  db.pragma('foreign_keys = OFF')
  let bytes = 0
  let lastProgress = 0
  const progress = (force = false) => {
    const now = Date.now()
    if (!force && now - lastProgress < 100) return
    lastProgress = now
    options.onProgress?.({ rows: report.rows, bytes, total })
  }
  const fail = (error: RecordError) => {
    report.errorCount++
    if (report.errors.length < MAX_LISTED) report.errors.push(error)
  }
  const stopping = () => options.signal?.aborted || (request.onError === 'abort' && report.errorCount >= MAX_LISTED)

  try {
    db.exec('BEGIN IMMEDIATE')
    const write = importWriter(db, at)
    if (!join) {
      report.datasetId = Number(
        db
          .prepare('INSERT INTO datasets (name, source_path, format, mapping_json, row_count, created_at) VALUES (?, ?, ?, ?, 0, ?)')
          .run(report.dataset, request.file, request.format, JSON.stringify(request.mapping), at).lastInsertRowid,
      )
    }

    let candidates = 0 // records offered as items: rows, or assembled traces for span exports
    let unreadable = 0 // rows the reader rejected (ragged, not JSON, …)

    /** The item a mapped row goes to, one row at a time: null when it has none (reported, or skipped by policy). */
    const itemFor = (line: number, item: MappedItem): number | null => {
      if (join) {
        const found = write.find(item.externalId)
        if (found.length === 0) {
          report.unmatched.count++
          if (report.unmatched.ids.length < MAX_LISTED) report.unmatched.ids.push(item.externalId)
          return null
        }
        if (found.length > 1) {
          fail({ line, column: request.mapping.id ?? undefined, message: `id "${item.externalId}" matches items in ${found.length} datasets (${found.map((f) => f.dataset).join(', ')}); import into one project dataset at a time, or make the ids unique.` })
          return null
        }
        return found[0]!.id
      }
      const written = write.item(report.datasetId!, item, request.duplicates === 'abort' ? 'skip' : request.duplicates)
      if (!written || written.duplicate) {
        report.duplicates.count++
        if (report.duplicates.ids.length < MAX_LISTED) report.duplicates.ids.push(item.externalId)
        if (request.duplicates === 'abort') {
          fail({ line, column: request.mapping.id ?? undefined, message: `duplicate id "${item.externalId}": choose to skip, replace or keep both duplicates.` })
          return null
        }
      }
      return written ? written.id : null
    }

    // Mapped rows wait here until a multi-row insert's worth has come (or another event): then
    // they are taken in file order, as if one by one.
    let pending: { line: number; result: MapResult }[] = []
    /** Writes the waiting rows; false when the import stops (see `stopping`) at one of them. */
    const flush = (): boolean => {
      const rows = pending
      pending = []
      // The usual case, a batch of new ids, goes in as one statement. A batch with a duplicate id
      // in it writes nothing there and goes row by row instead, so every policy applies exactly.
      // If the import stops partway, the rows after the stop are written but rolled back.
      const items: MappedItem[] = []
      for (const { result } of rows) if (result.ok) items.push(result.item)
      const ids = join ? null : write.items(report.datasetId!, items)
      let next = 0
      for (const { line, result } of rows) {
        if (stopping()) return false
        candidates++
        if (!result.ok) {
          fail(result.error)
          continue
        }
        const itemId = ids ? ids[next++]! : itemFor(line, result.item)
        if (itemId === null) continue
        for (const label of result.labels) write.label(itemId, label)
        for (const verdict of result.verdicts) write.verdict(itemId, verdict, basename(request.file))
        for (const s of result.splits) write.split(itemId, s.criterion, s.split)
        report.imported++
      }
      return true
    }

    read: for await (const events of mappedEvents(request, options.signal)) {
      for (const event of events) {
        if (event.kind === 'mapped') {
          pending.push(event)
          if (pending.length === ROWS_PER_INSERT && !flush()) break read
          continue
        }
        flush()
        if (stopping()) break read
        if (event.kind === 'progress') {
          report.rows = event.rows
          bytes = event.bytes
          progress()
        } else {
          fail(event.error)
          if (event.error.fatal) break read
          unreadable++
        }
      }
    }
    flush() // what is left when the file ends

    report.cancelled = Boolean(options.signal?.aborted)
    const fatal = report.errors.some((e) => e.fatal)
    // Duplicates under "stop" stop the import whatever the bad-row policy says.
    const duplicatesStop = request.duplicates === 'abort' && report.duplicates.count > 0
    const keep = !report.cancelled && !fatal && !duplicatesStop && (report.errorCount === 0 || request.onError === 'skip') && (report.imported > 0 || join)
    report.skipped = candidates + unreadable - report.imported - (join ? report.unmatched.count : 0)
    if (keep) {
      write.finish()
      if (report.datasetId !== null) db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?').run(report.imported, report.datasetId)
      db.prepare('INSERT INTO events (at, kind, payload_json) VALUES (?, ?, ?)').run(at, 'import', JSON.stringify({ ...report, errors: report.errors.slice(0, 10) }))
      db.exec('COMMIT')
      report.committed = true
    } else {
      db.exec('ROLLBACK')
      if (report.datasetId !== null) report.datasetId = null
    }
    progress(true)
    return report
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    db.close()
  }
}
