/**
 * Verdicts committed in groups (issue 21): a run at 32 in flight answers hundreds of items a
 * second, and one transaction per answer cost more than the rest of the bookkeeping. The answers
 * that arrive in one turn of the event loop (up to `maxPending`) commit together when the turn's
 * I/O is done (`setImmediate`), and each one's `add` resolves only then: nothing counts as done
 * before its commit (`committed` is told then, and progress comes from there). A worker makes its
 * next call meanwhile but records its next answer only after this one's commit. So a killed run
 * loses no more than one turn's answers, and a resumed run never calls an item whose verdict it
 * reported.
 * Answers waiting for their commit are already visible to the run's cache lookups
 * (`pendingAnswer`), so a repeated request in the same run is free either way.
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
  /** The most answers one transaction takes. */
  maxPending: number
}

export interface VerdictWriter {
  /** Queues an answer; resolves once it is committed, rejects with the failure of a commit. */
  add(v: PendingVerdict): Promise<void>
  /** The answer to a request whose verdict waits to be committed, as a cache hit would give it. */
  pendingAnswer(key: string): LlmResponse | undefined
}

interface Group {
  items: PendingVerdict[]
  done: Promise<void>
  settle: (error?: Error) => void
}

/** A writer that commits answers in groups, one group at a time, in the order they came. */
export function verdictWriter(o: VerdictWriterOptions): VerdictWriter {
  const answers = new Map<string, LlmResponse>()
  let open: Group | null = null
  let chain: Promise<void> = Promise.resolve()
  let failure: Error | null = null

  const commitGroup = async (g: Group): Promise<void> => {
    try {
      if (failure) throw failure
      await o.beforeWrite?.()
      o.commit(g.items)
      for (const v of g.items) if (answers.get(v.task.key) === answerToCache(v)) answers.delete(v.task.key)
      o.committed(g.items)
      g.settle()
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error)) // the run stops: no later group is written
      g.settle(failure)
    }
  }
  const close = (g: Group) => {
    if (open === g) open = null
    chain = chain.then(() => commitGroup(g))
  }
  const newGroup = (): Group => {
    let settle: Group['settle'] = () => undefined
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error))
    })
    const g: Group = { items: [], done, settle }
    setImmediate(() => {
      if (open === g) close(g)
    })
    return g
  }
  return {
    add(v) {
      if (failure) return Promise.reject(failure)
      const g = (open ??= newGroup())
      g.items.push(v)
      const answer = answerToCache(v)
      if (answer) answers.set(v.task.key, answer)
      if (g.items.length >= o.maxPending) close(g)
      return g.done
    },
    pendingAnswer: (key) => answers.get(key),
  }
}

/** The answer a verdict puts in the cache: a fresh, usable one (not an error, not itself from the cache). */
export function answerToCache(v: PendingVerdict): LlmResponse | undefined {
  return v.outcome.ok && !v.result.cached && v.result.verdict !== 'error' ? v.outcome.response : undefined
}
