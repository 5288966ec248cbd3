import Database from 'better-sqlite3'
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { AppError } from '../../../shared/errors'
import { quickCheckInBackground } from './integrity'
import { LATEST_VERSION, migrations } from './migrations'

export type Db = Database.Database

// A project on a read-only mount, closed cleanly (no -wal), can only be read with SQLite's
// `immutable=1`, a URI parameter; better-sqlite3 reads SQLITE_USE_URI once, when its addon first
// loads, which is after this module is evaluated. Every path we open is absolute, so no project
// path starting with "file:" is read as a URI by accident.
process.env.SQLITE_USE_URI ??= '1'

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
  /** With `background`: wait for this first (the window's first trace), then `checkDelayMs`. */
  checkAfter?: Promise<unknown>
}

export interface OpenedProject {
  db: Db
  path: string
  /** The file as SQLite opened it: the path, or a `file:` URI for an immutable read-only file. */
  filename: string
  /** The copy made before migrating an older file, if one was made. */
  backupPath: string | null
  migratedFrom: number
  /** With `integrity: 'background'`: the problems `quick_check` finds (empty when sound). */
  integrity: Promise<string[]>
  /** Why the file can only be read (opened read-only: every write fails), or null when it can be written. */
  readOnly: ReadOnly | null
}

/** Why a project can only be read, and what the user can do to change it. */
export interface ReadOnly {
  /** "it is on a read-only file system", … */
  why: string
  /** "copy it to a folder you can write and open the copy", … */
  fix: string
}

/**
 * The one way to open a project file. Pragmas:
 * - `journal_mode = WAL`: readers never block the labeling writer;
 * - `synchronous = FULL`: every commit is fsynced before we acknowledge it, so a label the user
 *   saw saved survives a killed process *and* a power cut. Labels arrive at human pace and bulk
 *   writes are one transaction each, so the extra fsync costs nothing a user can notice;
 * - `foreign_keys = ON`, `busy_timeout = 5000` (a second process, e.g. the CLI, waits instead
 *   of failing);
 * - `mmap_size` 2 GB: reads map the file instead of copying each page through SQLite's cache,
 *   which makes a new search's first read of the index several times faster (`assay bench`).
 *   Writes still go through the journal, so nothing about durability changes.
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
    throw new AppError(
      'not_found',
      `The folder ${dirname(path)} does not exist. Create it first, or choose another place for the project.`,
    )
  }
  if (exists) assertSqliteFile(path)
  const readOnly = exists ? readOnlyReason(path) : null
  if (!exists) {
    const folder = folderReadOnly(dirname(path))
    if (folder) throw new AppError('read_only', `Cannot create ${path}: ${folder}. Choose a folder you can write.`)
  }

  let db: Db | null = null
  try {
    const opened = readOnly
      ? openReadOnly(path, readOnly, options.nativeBinding)
      : { db: new Database(path, { nativeBinding: options.nativeBinding }), filename: path }
    db = opened.db
    applyPragmas(db, readOnly === null)
    const from = db.pragma('user_version', { simple: true }) as number
    assertAssayFile(db, path, from)
    if (readOnly && from < LATEST_VERSION) throw cannotUpgrade(path, from, readOnly)
    const migrating = from > 0 && from < LATEST_VERSION
    // Never migrate (or, by default, open) a damaged file: check it first.
    if (migrating || options.integrity !== 'background') assertSound(path, quickCheck(db))
    const backupPath = migrating ? backup(db, path, from, options.now ?? (() => new Date())) : null
    migrate(db, from)
    const checked = db
    const integrity =
      options.integrity === 'background' && !migrating
        ? quickCheckInBackground(opened.filename, () => (checked.open ? quickCheck(checked) : []), {
            nativeBinding: options.nativeBinding,
            delayMs: options.checkDelayMs,
            after: options.checkAfter,
          })
        : Promise.resolve([])
    return { db, path, filename: opened.filename, backupPath, migratedFrom: from, integrity, readOnly }
  } catch (error) {
    db?.close()
    throw corruptRefusal(error, path) ?? error
  }
}

/**
 * SQLite's own "malformed" errors (raised while opening, or by any later read) become the same
 * actionable refusal as a failed check; null for any other error.
 */
export function corruptRefusal(error: unknown, path: string): AppError | null {
  const code = sqliteCode(error)
  if (!code.startsWith('SQLITE_CORRUPT') && code !== 'SQLITE_NOTADB') return null
  return new AppError('corrupt', `${path} is damaged (${(error as Error).message}). ${RECOVERY(path)}`)
}

/** The SQLite result code of an error better-sqlite3 raised ("SQLITE_CORRUPT", …), or "". */
export const sqliteCode = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : ''
}

const RECOVERY = (path: string) =>
  `Restore it from a backup (Assay keeps one beside the file before every upgrade), or try "sqlite3 ${path} .recover".`

function applyPragmas(db: Db, writable = true): void {
  // The journal mode is stored in the file: a read-only connection keeps the file's own.
  if (writable) db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma(`mmap_size = ${MMAP_BYTES}`)
}

/** SQLite's largest memory map in this build (SQLITE_MAX_MMAP_SIZE), just under 2 GB. */
export const MMAP_BYTES = 0x7fff0000

/**
 * A second connection to a project that `openProject` already opened (and so checked and
 * migrated): a long import writes through it in one transaction while the app keeps reading.
 * It is for writing, so a project that cannot be written is refused here, with the reason.
 */
export function openConnection(path: string, nativeBinding?: string): Db {
  const readOnly = readOnlyReason(path)
  if (readOnly) throw new AppError('read_only', readOnlyRefusal(path, readOnly))
  const db = new Database(path, { nativeBinding, fileMustExist: true })
  applyPragmas(db)
  return db
}

/** Applies migrations `from`..latest, each in its own transaction with its version bump. */
export function migrate(db: Db, from: number, to: number = LATEST_VERSION): void {
  if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`)
  for (let version = from; version < to; version++) {
    const step = migrations.at(version)
    if (!step) throw new Error(`no migration for schema version ${version}`)
    db.transaction(() => {
      db.exec(step.sql)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}

/**
 * Why `path` cannot be written, or null. As root, file mode bits do not stop writes, so only a
 * read-only mount makes a file read-only there; that is also what SQLite will find.
 */
export function readOnlyReason(path: string): ReadOnly | null {
  const name = basename(path)
  const copy = `copy it (with ${name}-wal, if there is one) to a folder you can write and open the copy`
  const onFile = writeDenied(path)
  if (onFile === 'EROFS') return { why: 'it is on a read-only file system', fix: copy }
  if (onFile)
    return { why: 'you have no permission to write it', fix: `make it writable (chmod u+w "${path}"), or ${copy}` }
  const folder = folderReadOnly(dirname(path))
  if (folder)
    return {
      why: `${folder}, and SQLite writes ${name}-wal and ${name}-shm beside the project`,
      fix: `make the folder writable, or ${copy}`,
    }
  return null
}

/** Why a folder cannot be written ("the folder X is on a read-only file system"), or null. */
function folderReadOnly(dir: string): string | null {
  const code = writeDenied(dir)
  if (!code) return null
  return code === 'EROFS'
    ? `the folder ${dir} is on a read-only file system`
    : `you have no permission to write in the folder ${dir}`
}

/** The errno code (EROFS, EACCES, …) that keeps this process from writing `path`, or null. */
function writeDenied(path: string): string | null {
  try {
    accessSync(path, constants.W_OK)
    return null
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EACCES'
  }
}

/** What the app shows while a read-only project is open. */
export const readOnlyNotice = (path: string, r: ReadOnly): string =>
  `${path} is read-only: ${r.why}. You can read, filter and calibrate it and write reports and exports; labels, imports, judge runs and other changes cannot be saved. To change it, ${r.fix}.`

/** The refusal of any change to a read-only project. */
export const readOnlyRefusal = (path: string, r: ReadOnly): string =>
  `${path} is open read-only (${r.why}), so nothing can be changed in it: no labels, imports, judge runs or edits. To change it, ${r.fix}.`

/** Throws the refusal when a project that was opened read-only is about to be written. */
export function assertWritable(p: Pick<OpenedProject, 'path' | 'readOnly'>): void {
  if (p.readOnly) throw new AppError('read_only', readOnlyRefusal(p.path, p.readOnly))
}

/**
 * A read-only connection; refused where a `-journal` beside the file says a write was cut short.
 * With no `-wal` beside the file, nothing has it open in WAL mode and
 * every commit is in the file: it is read `immutable` (no locks, no -shm), because a plain
 * read-only connection would create a -wal and a -shm beside it (owned by this user, with the
 * file's mode: they could stop the file's owner from writing) or, on a read-only mount or
 * folder, fail to open. With a -wal, a writer may be at work or commits may wait in it: the
 * connection shares the -shm index like any reader; where SQLite cannot create a missing -shm,
 * a -wal that holds commits cannot be read at all (immutable would silently leave them out), so
 * the file is refused with what to do. Caveat of immutable: a writer who starts while we read
 * is not seen (nor locked out); a read-only file has none.
 */
function openReadOnly(path: string, r: ReadOnly, nativeBinding?: string): { db: Db; filename: string } {
  const wal = `${path}-wal`
  const journal = `${path}-journal`
  const cannot = (what: string) =>
    new AppError(
      'read_only',
      `${path} cannot be opened where it is: it is read-only (${r.why}), and ${what}. Copy ${[path, wal, journal].filter((f) => existsSync(f)).join(' and ')} to a folder you can write and open the copy.`,
    )
  // A write cut short in rollback-journal mode (a killed import into a new project): the file holds
  // half of it until the journal is played back, which needs write access (immutable would not).
  if (existsSync(journal) && statSync(journal).size > 0)
    throw cannot(`a write that was cut short left ${basename(journal)}, which only a copy you can write can roll back`)
  if (existsSync(wal)) {
    const plain = new Database(path, { readonly: true, fileMustExist: true, nativeBinding })
    try {
      plain.pragma('user_version') // the first read opens the WAL and its -shm: here a read-only folder refuses
      return { db: plain, filename: path }
    } catch (error) {
      plain.close()
      const code = sqliteCode(error)
      if (!code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_READONLY')) throw error
    }
  }
  if (existsSync(wal) && statSync(wal).size > 0)
    throw cannot(
      `its last changes are still in ${basename(wal)}, which SQLite can read only with a ${basename(path)}-shm file it cannot create there`,
    )
  const filename = `${pathToFileURL(path).href}?immutable=1`
  try {
    return { db: new Database(filename, { readonly: true, fileMustExist: true, nativeBinding }), filename }
  } catch (error) {
    throw cannot(`SQLite could not open it read-only (${error instanceof Error ? error.message : String(error)})`)
  }
}

function cannotUpgrade(path: string, from: number, r: ReadOnly): AppError {
  if (from === 0)
    return new AppError(
      'read_only',
      `${path} is empty and read-only (${r.why}): there is no project in it to open. Create the project in a folder you can write.`,
    )
  return new AppError(
    'read_only',
    `${path} was written by an older version of Assay (schema version ${from}) and must be upgraded to open here, which writes to it, but it is read-only (${r.why}). To open it, ${r.fix}.`,
  )
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
    throw new AppError(
      'corrupt',
      `${path} is not an Assay project: it is not a SQLite file. Choose a .assay file, or create a new project.`,
    )
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
    throw new AppError(
      'corrupt',
      `${path} is a SQLite database but not an Assay project. Choose a .assay file, or create a new project.`,
    )
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
