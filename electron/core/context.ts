/**
 * The one bag every feature works on: an open project (its connection, repos and whether it can
 * be written) with the clock, who labels, and a write transaction. The app's services, every CLI
 * command, the benchmarks and the tests open it the same way, with `openContext`; a feature takes
 * the context, or the narrow `Pick` of it that it needs (`LabelingContext`, `EvaluationContext`).
 */
import { resolve } from 'node:path'
import { backgroundLister } from './db/background-list'
import { MMAP_BYTES, openProject, type Db, type OpenOptions, type ReadOnly } from './db/open'
import { createRepos, type Repos } from './db/repos'

export interface ProjectContext {
  readonly db: Db
  /** The project file, absolute. */
  readonly path: string
  readonly repos: Repos
  /** Why the file can only be read (every change is refused with it), or null when it can be written. */
  readonly readOnly: ReadOnly | null
  readonly clock: () => Date
  /** The clock's time as stored: ISO 8601. */
  readonly now: () => string
  /** Whose labels this context saves: read at each call, since Settings can rename the annotator. */
  readonly annotator: () => string
  /** A write transaction: everything `fn` writes commits together, or nothing does. */
  readonly transaction: <T>(fn: () => T) => T
  /** Told when a version's test results are shown for the first time (see `revealTest`). */
  readonly onTestRevealed?: (versionId: number) => void
  /** The background integrity check's problems (empty when sound; at once with `integrity: 'now'`). */
  readonly integrity: Promise<string[]>
  /** The copy made before migrating an older file, if one was made. */
  readonly backupPath: string | null
  readonly close: () => void
}

/** What labeling, criteria and the taxonomy use: the repos, the time, who labels, a transaction. */
export type LabelingContext = Pick<ProjectContext, 'repos' | 'transaction' | 'annotator' | 'now'>

/**
 * What judges, calibration, reports and exports use: the connection as well (a read-only one
 * records no viewing of test results), and who hears of a first viewing.
 */
export type EvaluationContext = Pick<ProjectContext, 'db' | 'repos' | 'transaction' | 'now' | 'onTestRevealed'>

export interface ContextOptions extends Pick<
  OpenOptions,
  'nativeBinding' | 'integrity' | 'checkDelayMs' | 'checkAfter'
> {
  /** `open` (default) refuses a missing file; `create` makes a new one and refuses an existing one. */
  mode?: OpenOptions['mode']
  /** The time every change records (and backups are stamped with); the system clock by default. */
  clock?: () => Date
  /** Whose labels are saved; `cli` by default (the command line has no settings). */
  annotator?: () => string
  onTestRevealed?: (versionId: number) => void
}

/** The one way to open a project for work: `openProject` (pragmas, checks, migrations) and its repos. */
export function openContext(path: string, options: ContextOptions = {}): ProjectContext {
  const absolute = resolve(path)
  const clock = options.clock ?? (() => new Date())
  const opened = openProject(absolute, {
    mode: options.mode ?? 'open',
    nativeBinding: options.nativeBinding,
    now: clock,
    integrity: options.integrity,
    checkDelayMs: options.checkDelayMs,
    checkAfter: options.checkAfter,
  })
  const { db } = opened
  try {
    return {
      db,
      path: absolute,
      repos: createRepos(db, backgroundLister(opened.filename, MMAP_BYTES, options.nativeBinding)),
      readOnly: opened.readOnly,
      clock,
      now: () => clock().toISOString(),
      annotator: options.annotator ?? (() => 'cli'),
      transaction: (fn) => db.transaction(fn)(),
      onTestRevealed: options.onTestRevealed,
      integrity: opened.integrity,
      backupPath: opened.backupPath,
      close: () => db.close(),
    }
  } catch (error) {
    db.close()
    throw error
  }
}

/** A change's time and annotator, read once: every row one change writes carries the same ones. */
export interface Stamp {
  readonly repos: Repos
  readonly transaction: ProjectContext['transaction']
  readonly now: string
  readonly annotator: string
}

/** Reads the clock and the annotator for one change (a label, a merge…). */
export const stamp = (d: LabelingContext): Stamp => ({
  repos: d.repos,
  transaction: d.transaction,
  now: d.now(),
  annotator: d.annotator(),
})
