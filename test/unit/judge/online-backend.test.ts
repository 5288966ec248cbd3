/**
 * The online pool (issue 21): a worker makes its next call while its last answer is being
 * recorded, so the commit is off the path from one answer to the next call; it records one answer
 * at a time, and a failed record stops the call made meanwhile and fails the run.
 */
import { describe, expect, it } from 'vitest'
import type { LlmClient, LlmRequest } from '../../../electron/core/judge/llm'
import { onlineBackend, type RunTask } from '../../../electron/core/judge/runner'

const request: LlmRequest = { model: 'm', messages: [], params: {}, responseFormat: null }
const tasks = (n: number): Iterator<RunTask> =>
  Array.from({ length: n }, (_, i) => ({ itemId: i + 1, request, key: `k${i + 1}` }))[Symbol.iterator]()
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A client answering after `ms`, logging each call and each abort; an aborted call rejects. */
function client(log: string[], ms: number): LlmClient {
  let n = 0
  return {
    complete: (_request, { signal }) =>
      new Promise((resolve, reject) => {
        const call = ++n
        log.push(`call ${call}`)
        const timer = setTimeout(() => resolve({ content: '{}', tokensIn: 1, tokensOut: 1 }), ms)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          log.push(`aborted ${call}`)
          reject(new Error('aborted'))
        })
      }),
  } as LlmClient
}

const retry = { retries: 0, baseMs: 1, maxMs: 1 }

describe('onlineBackend', () => {
  it('makes the next call while the last answer is recorded, and records one answer at a time', async () => {
    const log: string[] = []
    const backend = onlineBackend(client(log, 10), { concurrency: 1, timeoutMs: 1000, retry })
    await backend.execute(
      tasks(3),
      async (task) => {
        log.push(`record ${task.itemId}`)
        await wait(30)
        log.push(`recorded ${task.itemId}`)
      },
      new AbortController().signal,
    )
    expect(log).toEqual([
      'call 1',
      'record 1',
      'call 2', // before item 1's record is done
      'recorded 1',
      'record 2',
      'call 3',
      'recorded 2',
      'record 3',
      'recorded 3', // the run ends only once the last answer is recorded
    ])
  })

  it('a failed record stops the call made meanwhile and fails the run', async () => {
    const log: string[] = []
    const backend = onlineBackend(client(log, 50), { concurrency: 1, timeoutMs: 1000, retry })
    const run = backend.execute(
      tasks(5),
      async () => {
        await wait(10)
        throw new Error('disk full')
      },
      new AbortController().signal,
    )
    await expect(run).rejects.toThrow('disk full')
    expect(log).toEqual(['call 1', 'call 2', 'aborted 2'])
  })
})
