/**
 * Verdicts committed in groups (issue 21): a run at 32 in flight answers hundreds of items a
 * second, and one transaction per answer cost more than the rest of the bookkeeping. Answers
 * wait here until `maxPending` of them are waiting or `maxDelayMs` has passed since the first,
 * then commit together. Nothing counts as done before its commit (`committed` is told only
 * then, and progress comes from there), so a killed run loses at most the answers still
 * waiting, which a resumed run asks again. Answers waiting to be committed are already
 * visible to the run's cache lookups (`pendingAnswer`), so a repeated request in the same run
 * is free whether its twin is committed yet or not.
 */
import type { LlmResponse } from './llm'
import type { RecordedResult, RunTask, TaskOutcome } from './runner'

/** One answer on its way to the file: the task, what came back, its verdict and cost. */
export interface PendingVerdict {
  task: RunTask
  outcome: TaskOutcome
  result: RecordedResult
  cost: number
}

export interface VerdictWriterOptions {
  /** Writes a group in one transaction (throws: nothing of the group is written). */
  commit: (group: PendingVerdict[]) => void
  /** Told of each group after its commit. */
  committed: (group: PendingVerdict[]) => void
  /** Awaited before each commit (the services wait for an import holding the write lock here). */
  beforeWrite?: () => Promise<void>
  /** Told once when a commit fails: the run must stop making calls. */
  onFailure: (error: unknown) => void
  maxPending: number
  maxDelayMs: number
}

export interface VerdictWriter {
  /** Queues an answer; throws the first commit failure, once there has been one. */
  add(v: PendingVerdict): void
  /** The answer to a request whose verdict waits to be committed, as a cache hit would give it. */
  pendingAnswer(key: string): LlmResponse | undefined
  /** Commits what waits now; resolves once it is in the file, throws the first commit failure if there was one. */
  flush(): Promise<void>
}

/** A writer that commits answers in groups, one group at a time, in the order they came. */
export function verdictWriter(o: VerdictWriterOptions): VerdictWriter {
  let pending: PendingVerdict[] = []
  const answers = new Map<string, LlmResponse>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let chain: Promise<void> = Promise.resolve()
  let failure: { error: unknown } | null = null

  const commitWaiting = async (): Promise<void> => {
    if (failure || pending.length === 0) return
    await o.beforeWrite?.()
    const group = pending // answers that came while we waited for the gate go along
    pending = []
    try {
      o.commit(group)
    } catch (error) {
      failure = { error }
      o.onFailure(error)
      return
    }
    for (const v of group) if (answers.get(v.task.key) === answerToCache(v)) answers.delete(v.task.key)
    o.committed(group)
  }
  const commitNow = (): Promise<void> => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    chain = chain.then(commitWaiting).catch((error: unknown) => {
      // the gate or `committed` threw: a failure like a failed commit
      failure ??= { error }
      o.onFailure(error)
    })
    return chain
  }
  return {
    add(v) {
      if (failure) throw failure.error
      pending.push(v)
      const answer = answerToCache(v)
      if (answer) answers.set(v.task.key, answer)
      if (pending.length >= o.maxPending) void commitNow()
      else timer ??= setTimeout(() => void commitNow(), o.maxDelayMs)
    },
    pendingAnswer: (key) => answers.get(key),
    async flush() {
      await commitNow()
      if (failure) throw failure.error
    },
  }
}

/** The answer a verdict puts in the cache: a fresh, usable one (not an error, not itself from the cache). */
export function answerToCache(v: PendingVerdict): LlmResponse | undefined {
  return v.outcome.ok && !v.result.cached && v.result.verdict !== 'error' ? v.outcome.response : undefined
}
