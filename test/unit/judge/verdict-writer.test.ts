/**
 * Verdicts commit in groups (issue 21): the answers of one turn of the event loop go into one
 * transaction, each `add` resolves only once its verdict is committed (so nothing counts as done
 * before it is in the file), answers waiting for their commit are visible to cache lookups, and
 * a failed commit stops every later write.
 */
import { describe, expect, it } from 'vitest'
import { verdictWriter, type PendingVerdict } from '../../../electron/core/judge/verdict-writer'

const answer = (itemId: number, verdict: 'pass' | 'error' = 'pass'): PendingVerdict => ({
  task: { itemId, key: `key-${itemId}`, request: { model: 'm', messages: [], params: {}, responseFormat: null } },
  outcome: { ok: true, response: { content: '{}', tokensIn: 1, tokensOut: 1 }, latencyMs: 1, attempts: 1 },
  result: {
    itemId,
    verdict,
    critique: '',
    raw: '{}',
    error: null,
    latencyMs: 1,
    tokensIn: 1,
    tokensOut: 1,
    cached: false,
    attempts: 1,
  },
  cost: 0,
})

describe('verdictWriter', () => {
  it('commits the answers of one turn together, and resolves each add only after its commit', async () => {
    const log: string[] = []
    const w = verdictWriter({
      commit: (g) => log.push(`commit ${g.map((v) => v.task.itemId).join(',')}`),
      committed: (g) => log.push(`done ${g.length}`),
      maxPending: 3,
    })
    const adds = [1, 2, 3, 4].map((i) => w.add(answer(i)).then(() => log.push(`resolved ${i}`)))
    expect(log).toEqual([]) // nothing is written inside the turn
    expect(w.pendingAnswer('key-4')).toEqual({ content: '{}', tokensIn: 1, tokensOut: 1 })
    await Promise.all(adds)
    expect(log).toEqual([
      'commit 1,2,3', // a full group goes at once
      'done 3',
      'resolved 1',
      'resolved 2',
      'resolved 3',
      'commit 4', // the rest when the turn is over
      'done 1',
      'resolved 4',
    ])
    expect(w.pendingAnswer('key-4')).toBeUndefined()
  })

  it('shows no error answer to cache lookups, and waits for the write gate before a commit', async () => {
    let open = false
    const w = verdictWriter({
      commit: () => expect(open).toBe(true),
      committed: () => undefined,
      beforeWrite: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            open = true
            resolve()
          }, 5),
        ),
      maxPending: 10,
    })
    const first = w.add(answer(1, 'error'))
    expect(w.pendingAnswer('key-1')).toBeUndefined()
    await first
  })

  it('a failed commit rejects its answers and every later one, and reports none as done', async () => {
    let commits = 0
    const done: number[] = []
    const w = verdictWriter({
      commit: () => {
        if (++commits === 2) throw new Error('disk full')
      },
      committed: (g) => done.push(...g.map((v) => v.task.itemId)),
      maxPending: 1,
    })
    await w.add(answer(1))
    await expect(w.add(answer(2))).rejects.toThrow('disk full')
    await expect(w.add(answer(3))).rejects.toThrow('disk full')
    expect(done).toEqual([1])
    expect(commits).toBe(2)
  })
})
