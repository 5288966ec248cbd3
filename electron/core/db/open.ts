import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../../shared/errors'
import { quickCheckInBackground } from './integrity'
import { LATEST_VERSION, migrations } from './migrations'

export type Db = Database.Database

/** 'ASAY' in the SQLite header, so a file can be told apart from any other SQLite database. */
export const APPLICATION_ID = 0x41534159

export interface OpenOptions {
  /** `create` makes a new file and refuses an existing one; `open` refuses a missing one. */
  mode: 'open' | 'create'
  /** Path of a better-sqlite3 addon built for another ABI (Electron's); Node's copy otherwise. */
  nativeBinding?: string
  /** Stamp for backup file names; injected so tests are deterministic. */
  now?: () => Date
  /**
   * `now` (default) runs `quick_check` before returning; `background` runs it in a worker thread
   * and hands back its promise, for the app's open path where a large file must show at once.
   */
  integrity?: 'now' | 'background'
  /** With `background`: wait this long before checking, so the first page draws first. */
  checkDelayMs?: number
}

export interface OpenedProject {
  db: Db
  path: string
  /** The copy made before migrating an older file, if one was made. */
  backupPath: string | null
  migratedFrom: number
  /** With `integrity: 'background'`: the problems `quick_check` finds (empty when sound). */
  integrity: Promise<string[]>
}

/**
 * The one way to open a project file. Pragmas:
 * - `journal_mode = WAL`: readers never block the labeling writer;
 * - `synchronous = FULL`: every commit is fsynced before we acknowledge it, so a label the user
 *   saw saved survives a killed process *and* a power cut. Labels arrive at human pace and bulk
 *   writes are one transaction each, so the extra fsync costs nothing a user can notice;
 * - `foreign_keys = ON`, `busy_timeout = 5000` (a second process, e.g. the CLI, waits instead
 *   of failing).
 * Then `PRAGMA quick_check` (the O(n) integrity check without the index cross-check, to keep
 * opening a 100k-item project fast) and migrations by `PRAGMA user_version`.
 */
export function openProject(path: string, options: OpenOptions): OpenedProject {
  const exists = existsSync(path)
  if (options.mode === 'open' && !exists) {
    throw new AppError('not_found', `No project file at ${path}. Check the path, or create a new project there.`)
  }
  if (options.mode === 'create' && exists) {
    throw new AppError('conflict', `${path} already exists. Open it instead, or choose another file name.`)
  }
  if (!existsSync(dirname(path))) {
    throw new AppError('not_found', `The folder ${dirname(path)} does not exist. Create it first, or choose another place for the project.`)
  }
  if (exists) assertSqliteFile(path)

  const db = new Database(path, { nativeBinding: options.nativeBinding })
  try {
    applyPragmas(db)
    const from = db.pragma('user_version', { simple: true }) as number
    assertAssayFile(db, path, from)
    const migrating = from > 0 && from < LATEST_VERSION
    // Never migrate (or, by default, open) a damaged file: check it first.
    if (migrating || options.integrity !== 'background') assertSound(path, quickCheck(db))
    const backupPath = migrating ? backup(db, path, from, options.now ?? (() => new Date())) : null
    migrate(db, from)
    const integrity =
      options.integrity === 'background' && !migrating
        ? quickCheckInBackground(path, () => (db.open ? quickCheck(db) : []), { nativeBinding: options.nativeBinding, delayMs: options.checkDelayMs })
        : Promise.resolve([])
    return { db, path, backupPath, migratedFrom: from, integrity }
  } catch (error) {
    db.close()
    throw asCorrupt(error, path)
  }
}

/** SQLite's own "malformed" errors become the same actionable refusal as a failed check. */
function asCorrupt(error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code ?? ''
  if (!code.startsWith('SQLITE_CORRUPT') && code !== 'SQLITE_NOTADB') return error
  return new AppError('corrupt', `${path} is damaged (${(error as Error).message}). ${RECOVERY(path)}`)
}

const RECOVERY = (path: string) =>
  `Restore it from a backup (Assay keeps one beside the file before every upgrade), or try "sqlite3 ${path} .recover".`

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
}

/**
 * A second connection to a project that `openProject` already opened (and so checked and
 * migrated): a long import writes through it in one transaction while the app keeps reading.
 */
export function openConnection(path: string, nativeBinding?: string): Db {
  const db = new Database(path, { nativeBinding, fileMustExist: true })
  applyPragmas(db)
  return db
}

/** Applies migrations `from`..latest, each in its own transaction with its version bump. */
export function migrate(db: Db, from: number, to: number = LATEST_VERSION): void {
  if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`)
  for (let version = from; version < to; version++) {
    const step = migrations[version]
    if (!step) throw new Error(`no migration for schema version ${version}`)
    db.transaction(() => {
      db.exec(step.sql)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}

function assertSqliteFile(path: string): void {
  if (statSync(path).size === 0) return
  const header = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, header, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (header.toString('latin1') !== 'SQLite format 3\0') {
    throw new AppError('corrupt', `${path} is not an Assay project: it is not a SQLite file. Choose a .assay file, or create a new project.`)
  }
}

function assertAssayFile(db: Db, path: string, version: number): void {
  if (version > LATEST_VERSION) {
    throw new AppError(
      'newer_version',
      `${path} was written by a newer version of Assay (schema version ${version}; this version understands up to ${LATEST_VERSION}). Update Assay to open it; the file was not changed.`,
    )
  }
  const appId = db.pragma('application_id', { simple: true }) as number
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n
  if ((version === 0 && tables > 0) || (version > 0 && appId !== APPLICATION_ID)) {
    throw new AppError('corrupt', `${path} is a SQLite database but not an Assay project. Choose a .assay file, or create a new project.`)
  }
}

function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[]
  return rows.map((r) => r.quick_check).filter((r) => r !== 'ok')
}

/** Throws the user-facing refusal when an integrity check found problems. */
export function assertSound(path: string, problems: string[]): void {
  if (problems.length > 0) throw new AppError('corrupt', integrityMessage(path, problems))
}

export const integrityMessage = (path: string, problems: string[]): string =>
  `${path} failed SQLite's integrity check (${problems.join('; ')}). ${RECOVERY(path)}`

function backup(db: Db, path: string, from: number, now: () => Date): string {
  const stamp = now().toISOString().replace(/[:.]/g, '-')
  let target = `${path}.v${from}-${stamp}.bak`
  for (let i = 2; existsSync(target); i++) target = `${path}.v${from}-${stamp}-${i}.bak`
  db.prepare('VACUUM INTO ?').run(target)
  return target
}
