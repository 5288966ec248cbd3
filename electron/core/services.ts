/**
 * The object both shells call: one handler per contract method, over at most one open project.
 * Plain Node: everything it needs comes in through `deps`, so tests build it without Electron.
 * The handlers live by feature in ./handlers; here they are composed, put behind the write gate
 * their methods declare in the contract, and have their SQLite errors said in words.
 */
import type { ProjectInfo } from '../../shared/domain'
import type { ProjectContext } from './context'
import { createDownloads } from './downloads'
import type { ExportFile } from './export-file'
import { calibrateHandlers } from './handlers/calibrate'
import { collectHandlers, createCollectRegistry } from './handlers/collect'
import { criteriaHandlers } from './handlers/criteria'
import { exportHandlers } from './handlers/exports'
import { createGate, gated } from './handlers/gate'
import { importHandlers } from './handlers/imports'
import { itemHandlers } from './handlers/items'
import { createRunRegistry, judgeHandlers } from './handlers/judges'
import { labelHandlers } from './handlers/labels'
import { mergeHandlers } from './handlers/merge'
import { createLifecycle, guarded } from './handlers/lifecycle'
import { profileAccess, profileHandlers } from './handlers/profiles'
import { projectHandlers } from './handlers/project'
import { reportHandlers } from './handlers/reports'
import { settingsHandlers } from './handlers/settings'
import { taxonomyHandlers } from './handlers/taxonomy'
import type { Handlers, Scope, ServiceDeps } from './handlers/types'

export type { Handlers, ServiceDeps } from './handlers/types'

export function createServices(deps: ServiceDeps) {
  const runs = createRunRegistry()
  const receivers = createCollectRegistry()
  const lifecycle = createLifecycle(deps, () => {
    runs.abortAll()
    void receivers.stop()
  })
  const gate = createGate(lifecycle.project)
  const profiles = profileAccess(deps)
  const scope: Scope = { deps, project: lifecycle.project, traceShown: lifecycle.traceShown, gate, profiles }
  // Exports under `assay serve`: a one-time link per export, streamed when the browser fetches it.
  const downloads = createDownloads(deps.clock)
  const handlers: Handlers = {
    ...projectHandlers(deps, lifecycle),
    ...itemHandlers(scope),
    ...settingsHandlers(scope),
    ...criteriaHandlers(scope),
    ...labelHandlers(scope),
    ...taxonomyHandlers(scope),
    ...profileHandlers(deps, profiles),
    ...judgeHandlers(scope, runs),
    ...calibrateHandlers(scope),
    ...reportHandlers(scope),
    ...importHandlers(scope, lifecycle),
    ...exportHandlers(scope, downloads),
    ...collectHandlers(scope, receivers),
    ...mergeHandlers(scope, lifecycle),
  }
  return {
    handlers: guarded(gated(handlers, gate), lifecycle.translate),
    close: lifecycle.close,
    current: (): ProjectContext | null => lifecycle.current(),
    /** An export's one-time download (`assay serve`'s GET /download/TICKET); null when unknown, used or expired. */
    download: (ticket: string): ExportFile | null => downloads.take(ticket),
    /** Opens a project for a shell that starts with one (`assay serve FILE`): checked before anything is served. */
    open: (path: string): ProjectInfo => lifecycle.switchTo(path, 'open', 'now'),
  }
}
export type Services = ReturnType<typeof createServices>
