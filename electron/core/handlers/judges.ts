/**
 * The Judges screen's methods: judges and their versions, prompt previews, cost estimates, splits,
 * and runs — which go on in the background, one registry of them per services, so a run can be
 * cancelled and closing the project stops them all.
 */
import { AppError } from '../../../shared/errors'
import { ModelSnapshot, type RunView } from '../../../shared/judges'
import { listJudges } from '../judge/context'
import { createJudge, judgeDetail, previewPrompt, saveVersion, verdictsOf, versionDiff } from '../judge/judges'
import { clientFor } from '../judge/keys'
import type { LlmClient } from '../judge/llm'
import { executeRun } from '../judge/execute'
import { createRun, estimateRun, runOf, scopeCounts, versionForRun } from '../judge/runs'
import { setSplitRatios } from '../judge/splits'
import type { Part, Scope } from './types'

/** Judge runs in progress, by run id: cancel aborts one; closing the project aborts them all. */
export type RunRegistry = ReturnType<typeof createRunRegistry>

export function createRunRegistry() {
  const running = new Map<number, AbortController>()
  return {
    ids: (): Set<number> => new Set(running.keys()),
    /** A controller for a run that starts now; the conflict refusal when it is already running. */
    start(runId: number): AbortController {
      if (running.has(runId)) throw new AppError('conflict', `Run ${runId} is already running.`)
      const controller = new AbortController()
      running.set(runId, controller)
      return controller
    },
    end: (runId: number): boolean => running.delete(runId),
    cancel(runId: number): boolean {
      const controller = running.get(runId)
      controller?.abort()
      return controller !== undefined
    },
    abortAll(): void {
      for (const controller of running.values()) controller.abort()
      running.clear()
    },
  }
}

export function judgeHandlers(scope: Scope, runs: RunRegistry): Part<'judges'> {
  const { project, profiles } = scope
  /** The client for a version's endpoint, checked before anything is written (no key: no run). */
  const clientOf = (versionId: number) =>
    clientFor(versionForRun(project(), versionId).run.model, profiles.keySources())
  /** Runs (or resumes) in the background; progress and the end are `judge.run` events. */
  const launch = (runId: number, client: LlmClient, concurrency: number, retryErrors: boolean): RunView => {
    const d = project()
    const controller = runs.start(runId)
    const emit = (payload: RunView) => scope.deps.emit({ name: 'judge.run', payload })
    void executeRun(d, runId, {
      client,
      signal: controller.signal,
      concurrency,
      retryErrors,
      onProgress: emit,
      beforeWrite: () => scope.gate.untilImported(),
    })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        try {
          emit({ ...runOf(d, runId, false), status: 'failed', error: message })
        } catch {
          // the project was closed meanwhile: nothing left to report to
        }
      })
      .finally(() => runs.end(runId))
    return runOf(d, runId, true)
  }
  return {
    'judges.list': () => listJudges(project()),
    'judges.create': ({ criterionId, name, profileId }) => {
      const p = profiles.profile(profileId)
      return createJudge(project(), { criterionId, name, model: ModelSnapshot.parse(p), params: p.params })
    },
    // It may give new labels their splits: declared to wait for an import.
    'judges.get': ({ id, revealVersion }) => judgeDetail(project(), id, { revealVersion, activeRuns: runs.ids() }),
    'judges.save': ({ profileId, ...input }) =>
      saveVersion(project(), { ...input, model: ModelSnapshot.parse(profiles.profile(profileId)) }),
    'judges.diff': ({ from, to }) => versionDiff(project(), from, to),
    'judges.preview': (input) => previewPrompt(project(), input),
    'judges.estimate': (input) => estimateRun(project(), input),
    'judges.scopes': ({ versionId }) => scopeCounts(project(), versionId),
    'judges.run': ({ concurrency, ...input }) => {
      const client = clientOf(input.versionId)
      return launch(createRun(project(), { ...input, concurrency }), client, concurrency, false)
    },
    'judges.resume': ({ runId, retryErrors, concurrency }) =>
      launch(runId, clientOf(runOf(project(), runId, false).versionId), concurrency, retryErrors),
    'judges.cancel': ({ runId }) => ({ cancelled: runs.cancel(runId) }),
    'judges.verdicts': ({ versionId }) => verdictsOf(project(), versionId),
    'judges.splits': ({ criterionId, ratios }) => setSplitRatios(project(), criterionId, ratios),
  }
}
