/**
 * Runs one judge version over a run's items (DESIGN §3.5, §6 reliability): every item ends as
 * pass, fail or error with a reason, each verdict commits as it arrives, and a run resumes over
 * the items that have none, so a killed run never repeats a finished call. A request already
 * answered (same endpoint, model, parameters, prompt) comes from the cache for free.
 *
 * The runner is split in two: it turns items into tasks and records results; a `RunBackend` gets
 * the tasks and calls the model. `onlineBackend` keeps `concurrency` requests in flight with
 * retries; `batchBackend` (batch.ts) uploads them to the Batch API as JSONL (custom_id = item
 * id), polls, and hands each line of the output to the same `sink` — resume and cache unchanged.
 */
import { setMaxListeners } from 'node:events'
import { parseAnswer } from '../../../shared/judges'
import { LlmError, type LlmClient, type LlmRequest, type LlmResponse } from './llm'

export interface RunTask {
  itemId: number
  request: LlmRequest
  key: string
  /** The answer to this exact request from the cache: no call is made, the answer is free. */
  cached?: LlmResponse
  /** Why this item cannot be asked at all (e.g. it was deleted): it becomes an error verdict. */
  problem?: string
}

export type TaskOutcome =
  | { ok: true; response: LlmResponse; latencyMs: number; attempts: number; cached?: boolean }
  | { ok: false; reason: string; latencyMs: number; attempts: number }

export interface RunBackend {
  /**
   * Calls the model for every task (a cached or impossible task goes straight to `sink`) and
   * awaits `sink` for each outcome; stops early when `signal` aborts, and stops every call and
   * rethrows when `sink` throws (a failed write must not leave calls running unseen).
   */
  execute(
    tasks: Iterator<RunTask>,
    sink: (task: RunTask, outcome: TaskOutcome) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>
}

export interface RetryPolicy {
  /** Attempts after the first one, for 429, 5xx, timeouts and refused connections. */
  retries: number
  /** Backoff before retry n is base·2ⁿ⁻¹ with jitter, capped at maxMs; a server's retry-after wins. */
  baseMs: number
  maxMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseMs: 500, maxMs: 30_000 }

/** Calls the endpoint with `concurrency` requests in flight; each retried by `retry`. */
export function onlineBackend(
  client: LlmClient,
  o: { concurrency: number; timeoutMs: number; retry: RetryPolicy; random?: () => number },
): RunBackend {
  const random = o.random ?? Math.random
  return {
    async execute(tasks, sink, signal) {
      // Cancel (the caller's signal) and a failure (a worker's write threw) both stop every worker.
      const stop = new AbortController()
      const relay = () => stop.abort()
      signal.addEventListener('abort', relay, { once: true })
      setMaxListeners(Math.max(10, 2 * o.concurrency), stop.signal) // each worker listens for the stop while it waits
      const failures: unknown[] = [] // the first one stops the run
      const fail = (error: unknown) => {
        if (failures.length === 0) failures.push(error)
        stop.abort()
      }
      // A worker makes its next call while its last answer is being committed (the commit waits
      // for the end of the event loop's turn): the commit is off the path from one answer to the
      // next call. It records one answer at a time, so no more than `concurrency` wait for the file.
      const worker = async (): Promise<void> => {
        let recording: Promise<void> = Promise.resolve()
        try {
          for (let next = tasks.next(); !next.done && !stop.signal.aborted; next = tasks.next()) {
            const task = next.value
            const outcome: TaskOutcome = task.problem
              ? { ok: false, reason: task.problem, latencyMs: 0, attempts: 0 }
              : task.cached
                ? { ok: true, response: task.cached, latencyMs: 0, attempts: 0, cached: true }
                : await callWithRetries(client, task.request, stop.signal, o.timeoutMs, o.retry, random)
            // A call cut short by cancel is not a verdict (resume makes it again); an answer that
            // arrived anyway is kept, so nobody pays for it twice.
            if (isAborted(stop.signal) && !outcome.ok) break
            await recording
            recording = sink(task, outcome)
            recording.catch(fail) // a failed write stops the call already made meanwhile
          }
          await recording
        } catch (error) {
          fail(error)
        }
      }
      try {
        await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker))
      } finally {
        signal.removeEventListener('abort', relay)
      }
      if (failures.length > 0) throw failures[0]
    },
  }
}

async function callWithRetries(
  client: LlmClient,
  request: LlmRequest,
  signal: AbortSignal,
  timeoutMs: number,
  retry: RetryPolicy,
  random: () => number,
): Promise<TaskOutcome> {
  const started = performance.now()
  for (let attempt = 1; ; attempt++) {
    // Each attempt gets its own signal, linked to the run's: whatever listens to it (the HTTP
    // client does) goes away with the attempt instead of piling up on the run's signal.
    const attemptSignal = new AbortController()
    const cancel = () => attemptSignal.abort()
    signal.addEventListener('abort', cancel, { once: true })
    try {
      const response = await client.complete(request, { signal: attemptSignal.signal, timeoutMs })
      return { ok: true, response, latencyMs: Math.round(performance.now() - started), attempts: attempt }
    } catch (error) {
      const e = error instanceof LlmError ? error : new LlmError(String(error), true)
      if (signal.aborted || !e.retryable || attempt > retry.retries) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : ''
        return {
          ok: false,
          reason: `${e.message}${tries}`,
          latencyMs: Math.round(performance.now() - started),
          attempts: attempt,
        }
      }
      const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2)
      const wait =
        e.retryAfterMs !== null ? Math.min(retry.maxMs, e.retryAfterMs) + random() * retry.baseMs * 0.1 : backoff
      await sleep(wait, signal)
      if (isAborted(signal))
        return {
          ok: false,
          reason: 'Cancelled.',
          latencyMs: Math.round(performance.now() - started),
          attempts: attempt,
        }
    } finally {
      signal.removeEventListener('abort', cancel)
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve()
      return
    }
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

export interface RecordedResult {
  itemId: number
  verdict: 'pass' | 'fail' | 'error'
  critique: string
  raw: string
  error: string | null
  latencyMs: number | null
  tokensIn: number | null
  tokensOut: number | null
  cached: boolean
  attempts: number
}

/** The verdict of one outcome: a parsed answer, or an error with the reason and the raw text kept. */
export function verdictOf(itemId: number, outcome: TaskOutcome): RecordedResult {
  const cached = outcome.ok && outcome.cached === true
  const base = { itemId, latencyMs: cached ? null : outcome.latencyMs, attempts: outcome.attempts, cached }
  if (!outcome.ok)
    return { ...base, verdict: 'error', critique: '', raw: '', error: outcome.reason, tokensIn: null, tokensOut: null }
  const { response } = outcome
  const parsed = parseAnswer(response.content)
  const tokens = { tokensIn: response.tokensIn, tokensOut: response.tokensOut }
  if (!parsed.ok)
    return { ...base, ...tokens, verdict: 'error', critique: '', raw: response.content ?? '', error: parsed.reason }
  return {
    ...base,
    ...tokens,
    verdict: parsed.verdict,
    critique: parsed.critique,
    raw: response.content ?? '',
    error: null,
  }
}

/** Whether a signal has fired by now: read through a call, since it changes while we await. */
const isAborted = (signal: AbortSignal): boolean => signal.aborted
