/**
 * The OpenAI Batch API as a run backend (issue 7, "big production runs"): the tasks that missed
 * the cache go up as one JSONL file (`custom_id` = item id), the batch is polled until it ends
 * (OpenAI answers within 24 hours, at half the price), and each line of its output and error
 * files goes to the same `sink` as an online answer. The batch's id is kept with the run as soon
 * as it exists, so a cancelled or killed run resumes by polling the same batch: nothing is asked
 * or paid for twice. Cached items and items that cannot be asked never go up.
 */
import { LlmError, responseOf, type LlmClient } from './llm'
import type { RunBackend, RunTask, TaskOutcome } from './runner'

export interface BatchOptions {
  /** The batch this run started before (resume), or null to start one. */
  batchId: string | null
  /** Keeps the batch's id with the run (null once its answers are recorded). */
  remember: (batchId: string | null) => void
  /** How often to ask whether the batch has ended. */
  pollMs: number
}

/** Polls that may fail in a row (a network blip) before the run stops; it resumes from the same batch. */
const POLL_FAILURES = 5

export function batchBackend(client: LlmClient, o: BatchOptions): RunBackend {
  return {
    async execute(tasks, sink, signal) {
      const asked = new Map<string, RunTask>()
      for (let next = tasks.next(); !next.done; next = tasks.next()) {
        const task = next.value
        if (task.problem) await sink(task, { ok: false, reason: task.problem, latencyMs: 0, attempts: 0 })
        else if (task.cached)
          await sink(task, { ok: true, response: task.cached, latencyMs: 0, attempts: 0, cached: true })
        else asked.set(String(task.itemId), task)
      }
      if (asked.size === 0 || signal.aborted) return
      const started = Date.now()
      let state = o.batchId ? await client.batches.status(o.batchId) : null
      if (!state) {
        const lines = [...asked.values()].map((t) =>
          JSON.stringify({
            custom_id: String(t.itemId),
            method: 'POST',
            url: '/v1/chat/completions',
            body: chatBody(t),
          }),
        )
        state = await client.batches.submit(`${lines.join('\n')}\n`)
        o.remember(state.id)
      }
      // Cancel stops the waiting, not the batch: its answers are paid for, and resume collects them.
      for (let failures = 0; !['completed', 'failed', 'expired', 'cancelled'].includes(state.status);) {
        if (!(await sleep(o.pollMs, signal))) return
        try {
          state = await client.batches.status(state.id)
          failures = 0
        } catch (error) {
          if (!(error instanceof LlmError && error.retryable) || ++failures >= POLL_FAILURES) throw error
        }
      }

      const latencyMs = Date.now() - started
      const answered = new Map<string, TaskOutcome>()
      for (const fileId of [state.outputFileId, state.errorFileId]) {
        if (!fileId) continue
        for (const line of (await client.batches.file(fileId)).split('\n')) {
          if (line.trim() === '') continue
          const parsed = outcomeOfLine(line, latencyMs)
          if (parsed && asked.has(parsed.customId)) answered.set(parsed.customId, parsed.outcome)
        }
      }
      const ended =
        state.status === 'failed'
          ? `The batch ${state.id} failed${state.problem ? `: ${state.problem}` : ''}.`
          : `The batch ${state.id} ended (${state.status}) without an answer for this item.`
      for (const [customId, task] of asked)
        await sink(task, answered.get(customId) ?? { ok: false, reason: ended, latencyMs, attempts: 1 })
      o.remember(null)
    },
  }
}

/** The chat request of a task as the Batch API's `body` (the same JSON the online call sends). */
function chatBody(t: RunTask): Record<string, unknown> {
  const r = t.request
  return {
    ...r.params,
    model: r.model,
    messages: r.messages,
    ...(r.responseFormat ? { response_format: r.responseFormat } : {}),
  }
}

/** One line of a batch's output or error file: its item, and the answer or why there is none. */
function outcomeOfLine(line: string, latencyMs: number): { customId: string; outcome: TaskOutcome } | null {
  let row: {
    custom_id?: unknown
    response?: { status_code?: number; body?: unknown } | null
    error?: { message?: string; code?: string } | null
  }
  try {
    row = JSON.parse(line) as typeof row
  } catch {
    return null
  }
  if (typeof row.custom_id !== 'string') return null
  const fail = (reason: string) => ({
    customId: row.custom_id as string,
    outcome: { ok: false as const, reason, latencyMs, attempts: 1 },
  })
  if (row.error)
    return fail(`The batch could not answer this item: ${row.error.message ?? row.error.code ?? 'no reason given'}.`)
  const status = row.response?.status_code
  const body = row.response?.body as (Parameters<typeof responseOf>[0] & { error?: { message?: string } }) | undefined
  if (status !== 200 || !body)
    return fail(`HTTP ${status ?? '?'} in the batch: ${body?.error?.message ?? 'no answer'}.`)
  const response = responseOf(body)
  if (!response) return fail('The batch answered with no choices.')
  return { customId: row.custom_id, outcome: { ok: true, response, latencyMs, attempts: 1 } }
}

/** Waits `ms`; false when `signal` aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(value)
    }
    const onAbort = () => done(false)
    const timer = setTimeout(() => done(true), ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
