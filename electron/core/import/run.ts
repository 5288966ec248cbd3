/**
 * The import itself: a file into a project, in one transaction on a connection of its own. The
 * rows' writes are `ImportRun`'s (import-run.ts); this module opens, reads, commits or rolls back.
 */
import { statSync } from 'node:fs'
import type {
  Delimiter,
  DuplicatePolicy,
  ExistingPolicy,
  FileFormat,
  ImportReport,
  ImportStart,
  Mapping,
  SplitName,
} from '../../../shared/import'
import { openConnection, sqliteCode, type Db } from '../db/open'
import { createRepos } from '../db/repos'
import { ImportRun } from './import-run'
import { prepareMapping } from './mapping/prepare'
import { mappedEvents } from './source'

/** What to import, and how (the core's side of the contract's `ImportStart`). */
export interface ImportRequest {
  file: string
  format: FileFormat
  delimiter?: Delimiter
  /** `json-records`: the key of the records array, when the object holds several. */
  recordsKey?: string
  mapping: Mapping
  /** Name of the new dataset; the file's name by default. */
  datasetName?: string
  /** Stop at bad rows (default, nothing is written) or skip them (counted and listed). */
  onError: ImportStart['onError']
  duplicates: DuplicatePolicy
  /** Rows whose id is already an item of the project: join them (default) or import a copy. */
  existing?: ExistingPolicy
  /** "These items are the test set": each imported item with a human label goes to this split. */
  split?: SplitName | null
  /** Label columns the caller left out of the mapping and offers instead (see `offerLabels`): echoed in the report. */
  offered?: ImportReport['offered']
}

/** How far the import has read. */
export interface ImportProgress {
  rows: number
  bytes: number
  total: number
}

/** How `runImport` is run: cancelled by a signal, told of progress, and (tests) on a clock and a native binding. */
export interface ImportOptions {
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
  now?: () => Date
  nativeBinding?: string
}

/**
 * Imports a file into a project in one transaction on a connection of its own: either every
 * good row is committed, or (cancelled, killed, or stopped at a bad row) nothing is. Rows stream
 * through; memory stays flat except for span exports, whose traces must be assembled whole.
 *
 * A row whose id is an item of the project already joins it (unless `existing: 'copy'`): its
 * labels, verdicts, split and new metadata go to that item, and its trace text, if different, is
 * reported and not written. Anything that would make wrong data stops the import with where and
 * why: a mapped field no row has, a label or verdict column with no verdict in it, repeated ids, a
 * verdict that contradicts the one the item has in the same judge version.
 */
export async function runImport(
  projectPath: string,
  request: ImportRequest,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const at = (options.now ?? (() => new Date()))().toISOString()
  const total = statSync(request.file).size // before opening anything: a missing file leaks no handle
  const db = importConnection(projectPath, options.nativeBinding)
  let direct = false
  try {
    direct = writesOnce(db)
    // Prepared before the transaction: a repository prepares pragmas, which SQLite refuses inside one.
    const repos = createRepos(db)
    db.exec('BEGIN IMMEDIATE')
    const prepared = prepareMapping(request.mapping)
    const run = new ImportRun(db, repos, request, prepared, at)
    const progress = progressReporter(run, total, options.onProgress)
    await readInto(run, request, prepared, progress, options.signal)
    const report = run.end(Boolean(options.signal?.aborted))
    if (report.committed) {
      repos.project.log('import', { ...report, errors: report.errors.slice(0, 10) }, at)
      db.exec('COMMIT')
    } else {
      db.exec('ROLLBACK')
      report.datasetId = null
      // Where each repeated id first appeared: the file is read again, after the write lock is let go.
      if (run.duplicateErrors.length > 0)
        run.locateFirsts(
          await firstLines(
            request,
            run.duplicateErrors.filter((d) => d.first === null).map((d) => d.id),
          ),
        )
    }
    progress.report(true)
    return report
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    if (direct) backToWal(db)
    db.close()
  }
}

/**
 * Whether the import writes its pages once, straight into the file: true for a project with no
 * items that no other connection has open (a new project filled by `assay import`). In WAL mode
 * each page goes to the WAL and again into the file at the checkpoint (1.5 s of 9 at a million
 * rows); with a rollback journal, pages the file did not have are written once and journaled not
 * at all. SQLite refuses to leave WAL mode while another connection has the file open (the app
 * importing into its own project), and then nothing changes. Atomic either way: a killed import
 * leaves a journal that the next open rolls back. `backToWal` ends it after the commit.
 */
function writesOnce(db: Db): boolean {
  if (db.prepare('SELECT EXISTS (SELECT 1 FROM items)').pluck().get() === 1) return false
  const busy = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 0')
  try {
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return false
    // Reads of what it wrote would now come through the memory map, which counts the whole file
    // into the process's memory (443 MB at a million rows); through the 64 MB page cache instead.
    db.pragma('mmap_size = 0')
    return true
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_BUSY') return false
    throw error
  } finally {
    db.pragma(`busy_timeout = ${busy}`)
  }
}

/** WAL mode again (see `writesOnce`); whatever stops it (a reader holding the file), the next open sets it. */
function backToWal(db: Db): void {
  try {
    db.pragma('journal_mode = WAL')
  } catch {
    // The import itself is committed or rolled back already: nothing of it depends on the mode.
  }
}

/** The import's own connection, tuned for one long write. */
function importConnection(projectPath: string, nativeBinding: string | undefined): Db {
  const db = openConnection(projectPath, nativeBinding)
  // A big transaction with SQLite's default 2 MB page cache spills pages to the WAL again and
  // again; 64 MB keeps the b-trees in memory (a fixed cap, so memory stays flat in file size).
  db.pragma('cache_size = -65536')
  // Every reference this connection writes is to a row it just wrote or looked up (items of the
  // new dataset, criteria, runs), so the per-row foreign-key lookups only cost time (~30%).
  db.pragma('foreign_keys = OFF')
  return db
}

/** Progress, told at most every 100 ms (or when forced). */
function progressReporter(run: ImportRun, total: number, onProgress: ImportOptions['onProgress']) {
  let lastProgress = 0
  let bytes = 0
  return {
    read(rows: number, read: number): void {
      run.report.rows = rows
      bytes = read
    },
    report(force = false): void {
      const now = Date.now()
      if (!force && now - lastProgress < 100) return
      lastProgress = now
      onProgress?.({ rows: run.report.rows, bytes, total })
    },
  }
}

/** Reads the file's mapped rows into the run, until the file ends or the run stops. */
async function readInto(
  run: ImportRun,
  request: ImportRequest,
  prepared: ReturnType<typeof prepareMapping>,
  progress: ReturnType<typeof progressReporter>,
  signal: AbortSignal | undefined,
): Promise<void> {
  read: for await (const events of mappedEvents(request, signal, prepared)) {
    for (const event of events) {
      if (event.kind === 'mapped') {
        if (!run.add(event.line, event.result)) break read
        continue
      }
      if (!run.flush() || run.stopping(signal)) break read
      if (event.kind === 'progress') {
        progress.read(event.rows, event.bytes)
        progress.report()
      } else if (!run.unreadable(event.error)) break read
    }
  }
  run.flush() // what is left when the file ends
}

/**
 * The line where each of `ids` first appears in the file: read again, only after an import
 * stopped at repeated ids, so that the import itself keeps no id → line table for every row.
 */
async function firstLines(request: ImportRequest, ids: string[]): Promise<Map<string, number>> {
  const wanted = new Set(ids)
  const found = new Map<string, number>()
  for await (const events of mappedEvents(request)) {
    for (const event of events) {
      if (event.kind !== 'mapped' || !event.result.ok) continue
      const id = event.result.item.externalId
      if (wanted.has(id) && !found.has(id)) found.set(id, event.line)
    }
    if (found.size === wanted.size) break
  }
  return found
}
