/**
 * Executing a judge run (DESIGN §6): items with a verdict are skipped, cache hits are recorded
 * without a call, every other item goes to the backend (the online pool, or the Batch API), and
 * each verdict commits as it arrives, so a killed run never calls a finished item again.
 */
import type { ItemDetail } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { RunView } from '../../../shared/judges'
import type { EvaluationContext } from '../context'
import { batchBackend } from './batch'
import type { LlmClient, LlmResponse } from './llm'
import { buildRequest, cacheKey, costOf, type VersionForRun } from './prompt'
import {
  DEFAULT_RETRY,
  onlineBackend,
  verdictOf,
  type RetryPolicy,
  type RunBackend,
  type RunTask,
  type TaskOutcome,
} from './runner'
import { BATCH_PRICE, options, runView, versionForRun, type RunOptions } from './runs'
import { answerToCache, verdictWriter, type PendingVerdict, type VerdictWriter } from './verdict-writer'

export interface ExecuteOptions {
  client: LlmClient
  signal: AbortSignal
  concurrency: number
  retry?: RetryPolicy
  /** Calls again the items whose verdict is an error (default: only items with no verdict). */
  retryErrors?: boolean
  onProgress?: (run: RunView) => void
  /** The way calls are made; the online pool by default. */
  backend?: RunBackend
  /** Awaited before each verdict is written (the services wait for a running import here). */
  beforeWrite?: () => Promise<void>
  /** A batch run: how often to ask whether the batch has ended (30 s by default). */
  batchPollMs?: number
}

/**
 * Runs (or resumes) a run: items with a verdict are skipped, cache hits are recorded without a
 * call, every other item goes to the backend. Each verdict commits with its cache entry.
 */
export async function executeRun(d: EvaluationContext, runId: number, o: ExecuteOptions): Promise<RunView> {
  const row = d.repos.judges.run(runId)
  if (!row) throw new AppError('not_found', `There is no run with id ${runId}.`)
  if (row.status === 'done' && !o.retryErrors) return runView(row, false)
  const { run } = versionForRun(d, row.judge_version_id)
  const stored = options(row)
  const price = stored.mode === 'batch' ? BATCH_PRICE : 1
  const finished = d.repos.judges.finishedItems(runId, !o.retryErrors)
  const todo = (JSON.parse(row.item_ids_json) as number[]).filter((id) => !finished.has(id))
  d.repos.judges.setStatus(runId, 'running', null)

  // Each verdict is committed before it counts as done, so a killed run never calls a finished
  // item again; the answers of one turn of the event loop commit together (verdict-writer.ts).
  // A verdict can be made again (unlike a human label): it commits with synchronous=NORMAL, which
  // survives the process being killed (WAL) and skips the fsync that labels pay for.
  // A write waits for `beforeWrite` (an import holding the write lock) instead of blocking the
  // process in SQLite's busy timeout.
  const tally = liveTally(d, runId, o)
  const writer = verdictWriter({
    commit: (group) => commitVerdicts(d, runId, group),
    committed: (group) => {
      for (const v of group) tally.add(v.task.itemId, v.result, v.cost)
    },
    beforeWrite: o.beforeWrite,
    maxPending: MAX_GROUP,
  })
  const record = async (task: RunTask, outcome: TaskOutcome): Promise<void> => {
    const result = verdictOf(task.itemId, outcome)
    const cost = result.cached ? 0 : costOf(run.model, result.tokensIn ?? 0, result.tokensOut ?? 0) * price
    await writer.add({ task, outcome, result, cost })
  }
  const backend = o.backend ?? backendOf(d, runId, stored, run, o)
  try {
    await backend.execute(taskSource(d, run, todo, o.signal, writer), record, o.signal)
    d.repos.judges.setStatus(runId, o.signal.aborted ? 'cancelled' : 'done', d.now())
  } catch (error) {
    d.repos.judges.setStatus(runId, 'failed', d.now(), error instanceof Error ? error.message : String(error))
    throw error
  }
  d.repos.project.log('run.end', { runId, status: o.signal.aborted ? 'cancelled' : 'done' }, d.now())
  const view = runView(mustRun(d, runId), false)
  o.onProgress?.(view)
  return view
}

/** The most verdicts one transaction writes. */
const MAX_GROUP = 256

/** Writes a group of verdicts, with the cache entries of their fresh answers, in one transaction. */
function commitVerdicts(d: EvaluationContext, runId: number, group: PendingVerdict[]): void {
  d.repos.judges.relaxed(() =>
    d.transaction(() => {
      const at = d.now()
      for (const v of group) {
        d.repos.judges.addVerdict({ runId, ...v.result, itemId: v.task.itemId, costUsd: v.cost }, at)
        const answer = answerToCache(v)
        if (answer) d.repos.judges.cachePut(v.task.key, v.task.request, answer, at)
      }
    }),
  )
}

/** The run's row, which exists while it executes. */
function mustRun(d: EvaluationContext, runId: number) {
  const row = d.repos.judges.run(runId)
  if (!row) throw new AppError('not_found', `There is no run with id ${runId}.`)
  return row
}

/**
 * The run's counts as verdicts arrive, reported at most ten times a second. They are counted
 * here, not re-aggregated from the verdicts on every report.
 */
function liveTally(d: EvaluationContext, runId: number, o: Pick<ExecuteOptions, 'retryErrors' | 'onProgress'>) {
  const live = runView(mustRun(d, runId), true)
  const replaced = o.retryErrors ? d.repos.judges.errorVerdicts(runId) : new Map<number, never>()
  let lastProgress = 0
  const progress = () => {
    if (!o.onProgress) return
    const t = performance.now()
    if (t - lastProgress < 100) return
    lastProgress = t
    o.onProgress({ ...live })
  }
  return {
    add(itemId: number, r: ReturnType<typeof verdictOf>, cost: number): void {
      const old = replaced.get(itemId)
      if (old) {
        // An error verdict being replaced leaves the counts, its tokens and its cost first.
        replaced.delete(itemId)
        live.errors--
        live.done--
        live.tokensIn -= old.tokensIn
        live.tokensOut -= old.tokensOut
        live.costUsd -= old.costUsd
      }
      live.done++
      live[r.verdict === 'error' ? 'errors' : r.verdict]++
      if (r.cached) live.cached++
      live.tokensIn += r.tokensIn ?? 0
      live.tokensOut += r.tokensOut ?? 0
      live.costUsd += cost
      progress()
    },
  }
}

/** Tasks come lazily, built as a worker is free; a cache hit carries its answer (no call). */
function taskSource(
  d: EvaluationContext,
  run: VersionForRun,
  todo: number[],
  signal: AbortSignal,
  writer: Pick<VerdictWriter, 'pendingAnswer'>,
): Iterator<RunTask> {
  let i = 0
  return {
    next() {
      if (i >= todo.length || signal.aborted) return { done: true, value: undefined }
      const itemId = todo[i++]
      const item: ItemDetail | null = d.repos.items.get(itemId, { assessments: false })
      if (!item)
        return {
          done: false,
          value: {
            itemId,
            request: { model: '', messages: [], params: {}, responseFormat: null },
            key: '',
            problem: 'The item was deleted from the project.',
          },
        }
      const request = buildRequest(run, item)
      const key = cacheKey(run.model.baseUrl, request)
      const waiting = writer.pendingAnswer(key)
      const hit = waiting ? null : d.repos.judges.cacheGet(key)
      const cached = waiting ?? (hit ? (JSON.parse(hit) as LlmResponse) : undefined)
      return { done: false, value: { itemId, request, key, ...(cached ? { cached } : {}) } }
    },
  }
}

/** The Batch API for a batch run (its batch id remembered as soon as it has one); the online pool otherwise. */
function backendOf(
  d: EvaluationContext,
  runId: number,
  stored: RunOptions,
  run: VersionForRun,
  o: ExecuteOptions,
): RunBackend {
  if (stored.mode === 'batch')
    return batchBackend(o.client, {
      batchId: stored.batchId ?? null,
      remember: (batchId) => d.repos.judges.setOptions(runId, { ...stored, batchId: batchId ?? undefined }),
      pollMs: o.batchPollMs ?? 30_000,
    })
  return onlineBackend(o.client, {
    concurrency: o.concurrency,
    // Stored with the version: a snapshot older than the field has none.
    timeoutMs: Number.isFinite(run.model.timeoutMs) ? run.model.timeoutMs : 60_000,
    retry: o.retry ?? DEFAULT_RETRY,
  })
}
