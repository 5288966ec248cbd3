/**
 * The open project's life in the services: at most one open at a time, switched in one step
 * (a file refused while opening never replaces the current one), closed when its background check
 * finds damage, and every SQLite error of a call on it said in words a user can act on.
 */
import { resolve } from 'node:path'
import type { Method } from '../../../shared/contract'
import type { ProjectInfo } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { openContext, type ProjectContext } from '../context'
import { LATEST_VERSION } from '../db/migrations'
import { corruptRefusal, integrityMessage, readOnlyNotice, readOnlyRefusal, sqliteCode } from '../db/open'
import { indexInBackground } from '../db/search-index'
import { projectName } from '../settings'
import type { Handlers, ServiceDeps } from './types'

export type Lifecycle = ReturnType<typeof createLifecycle>

/** The open project as the screens show it: its name, whether it can be written, its counts. */
const info = (p: ProjectContext): ProjectInfo => ({
  path: p.path,
  name: projectName(p.path),
  schemaVersion: LATEST_VERSION,
  synthetic: p.repos.project.meta('synthetic') === '1',
  readOnly: p.readOnly ? readOnlyNotice(p.path, p.readOnly) : null,
  ...p.repos.project.counts(),
})

/** The current project and how it changes; `onClose` runs first whenever it closes (judge runs stop). */
export function createLifecycle(deps: ServiceDeps, onClose: () => void) {
  let current: ProjectContext | null = null
  let indexing: { stop: () => void } | null = null
  // Told when a window reads a trace of the open project: its first lets the background check start.
  let traceShown: () => void = () => undefined

  const project = (): ProjectContext => {
    if (!current) throw new AppError('no_project', 'No project is open. Open or create one from the Start screen.')
    return current
  }

  const close = (): void => {
    onClose()
    indexing?.stop()
    indexing = null
    current?.close()
    current = null
  }

  /** Closes a project found damaged after it opened, takes it out of Recent, and tells every window why. */
  const refuse = (p: ProjectContext, message: string): void => {
    if (current !== p) return // already closed or replaced: nothing is served from it
    close()
    deps.settings.forgetRecent(p.path)
    deps.emit({ name: 'project.changed', payload: { project: null } })
    deps.emit({ name: 'project.problem', payload: { path: p.path, message } })
  }

  /**
   * Opens a project in place of the current one. A file refused while opening (damaged, newer…)
   * never becomes current nor enters Recent; one whose damage the background check finds later
   * is closed then (`refuse`). `integrity: 'now'` checks before answering (the CLI's `serve FILE`).
   */
  const switchTo = (
    path: string,
    mode: 'open' | 'create',
    integrity: 'now' | 'background' = 'background',
  ): ProjectInfo => {
    const absolute = resolve(path)
    const trace = firstTrace()
    let next: ProjectContext | null = null
    let result: ProjectInfo
    try {
      next = openContext(absolute, {
        mode,
        nativeBinding: deps.nativeBinding,
        clock: deps.clock,
        annotator: () => deps.settings.user().annotator,
        onTestRevealed: (versionId) => deps.emit({ name: 'test.revealed', payload: { versionId } }),
        integrity,
        ...checkTiming(deps.integrityDelayMs, trace.settled),
      })
      if (mode === 'create') next.repos.project.setMeta('created_at', deps.clock().toISOString())
      result = info(next) // the first reads of the file: a damaged one may fail here
    } catch (error) {
      next?.close()
      const refusal = corruptRefusal(error, absolute) ?? error
      // A damaged file leaves Recent too (it was there from an earlier, sound, opening).
      if (refusal instanceof AppError && refusal.kind === 'corrupt') deps.settings.forgetRecent(absolute)
      throw refusal
    }
    const opened = next
    close()
    current = opened
    traceShown = trace.shown
    // The search index catches up between requests, after the first page has been drawn.
    if (!opened.readOnly) indexing = indexInBackground(opened.db, { delayMs: deps.integrityDelayMs ?? 1500 })
    void opened.integrity.then((problems) => {
      if (problems.length > 0) refuse(opened, integrityMessage(absolute, problems))
    })
    deps.settings.touchRecent(absolute, deps.clock())
    deps.emit({ name: 'project.changed', payload: { project: result } })
    return result
  }

  /**
   * What a SQLite error from any call means for the user: damage closes the project (as the
   * background check does) and says what to do; a refused write says why the file cannot be
   * written. Anything else passes unchanged.
   */
  const translate = (error: unknown): unknown => {
    const p = current
    const code = sqliteCode(error)
    if (!p || !code) return error
    const damaged = corruptRefusal(error, p.path)
    if (damaged) {
      refuse(p, damaged.message)
      return damaged
    }
    if (!code.startsWith('SQLITE_READONLY')) return error
    return new AppError(
      'read_only',
      p.readOnly
        ? readOnlyRefusal(p.path, p.readOnly)
        : `${p.path} could not be written (${(error as Error).message}). Check that the file and its folder are writable, or copy it to a folder you can write and open the copy.`,
    )
  }

  return { current: () => current, project, info, close, switchTo, translate, traceShown: () => traceShown() }
}

/**
 * When the background integrity check starts: it takes a core for seconds, so the app's waits for
 * the window's first trace (then a second); tests and benches set a fixed delay after opening.
 */
const checkTiming = (fixedMs: number | undefined, trace: Promise<void>) =>
  fixedMs === undefined ? { checkDelayMs: CHECK_AFTER_TRACE_MS, checkAfter: trace } : { checkDelayMs: fixedMs }

/** After the window's first trace, the moment the background integrity check starts. */
const CHECK_AFTER_TRACE_MS = 1000
/** The latest the check waits for a first trace (a served project no browser has opened yet). */
const CHECK_LATEST_MS = 10_000

/** The first trace a window reads of a newly opened project, or the latest the check waits for it. */
function firstTrace(): { shown: () => void; settled: Promise<void> } {
  let shown: () => void = () => undefined
  const read = new Promise<void>((resolve) => (shown = resolve))
  const latest = new Promise<void>((resolve) => setTimeout(resolve, CHECK_LATEST_MS).unref())
  return { shown, settled: Promise.race([read, latest]) }
}

/** Methods that open another file: their errors are about that file, never the current project. */
const OPENING: ReadonlySet<Method> = new Set<Method>(['project.open', 'project.create', 'project.openDemo'])

type AnyHandler = (input: unknown) => unknown

/** Every handler on the current project, with what it throws passed through `translate` (sync and async alike). */
export function guarded(handlers: Handlers, translate: (error: unknown) => unknown): Handlers {
  const out: Partial<Record<Method, AnyHandler>> = {}
  for (const method of Object.keys(handlers) as Method[]) {
    const handler = handlers[method] as AnyHandler
    out[method] = OPENING.has(method) ? handler : translating(handler, translate)
  }
  return out as Handlers
}

function translating(handler: AnyHandler, translate: (error: unknown) => unknown): AnyHandler {
  return (input) => {
    try {
      const result = handler(input)
      if (!(result instanceof Promise)) return result
      return result.catch((error: unknown) => {
        throw translate(error)
      })
    } catch (error) {
      throw translate(error)
    }
  }
}
