import { describe, expect, it } from 'vitest'
import { orderSession, rank, type Candidate } from '../../../electron/core/queue/order'

const candidate = (id: number, over: Partial<Candidate> = {}): Candidate => ({
  id,
  label: null,
  judge: null,
  stale: false,
  mine: null,
  conflict: false,
  stratum: null,
  length: 100,
  toolCalls: 0,
  ...over,
})
const many = (n: number, over: (id: number) => Partial<Candidate> = () => ({})) =>
  Array.from({ length: n }, (_, i) => candidate(i + 1, over(i + 1)))

describe('session orders', () => {
  it('seeded random is stable when candidates are added (hash-based, not a shuffle)', () => {
    const before = orderSession(many(50), 'random', 4, 50)
    const after = orderSession(many(80), 'random', 4, 80).filter((id) => id <= 50)
    expect(after).toEqual(before)
    expect(orderSession(many(50), 'random', 5, 50)).not.toEqual(before)
    expect(new Set(before).size).toBe(50)
  })

  it('puts unlabeled first, then deferred, then labeled', () => {
    const ids = orderSession(
      many(30, (id) => ({ label: id <= 10 ? 'pass' : id <= 20 ? 'defer' : null })),
      'unlabeled',
      1,
      30,
    )
    expect(ids.slice(0, 10).every((id) => id > 20)).toBe(true)
    expect(ids.slice(10, 20).every((id) => id > 10 && id <= 20)).toBe(true)
  })

  it("unlabeled by me first: another annotator's label does not count, mine does", () => {
    // 1–10: someone else's label only; 11–20: mine; 21–25: deferred by me; 26–30: nobody's.
    const pool = many(30, (id) =>
      id <= 10
        ? { label: 'fail' }
        : id <= 20
          ? { label: 'pass', mine: 'pass' }
          : id <= 25
            ? { label: 'defer', mine: 'defer' }
            : {},
    )
    const ids = orderSession(pool, 'unlabeled-mine', 1, 30)
    expect(ids.slice(0, 15).every((id) => id <= 10 || id > 25)).toBe(true)
    expect(ids.slice(15, 20).every((id) => id > 20 && id <= 25)).toBe(true)
    expect(orderSession(pool, 'unlabeled', 1, 5).every((id) => id > 25)).toBe(true)
  })

  it('takes strata in turn, so a rare value is seen early', () => {
    const ids = orderSession(
      many(40, (id) => ({ stratum: id <= 4 ? 'voice' : 'chat' })),
      'stratified-metadata',
      3,
      8,
    )
    expect(ids.filter((id) => id <= 4)).toHaveLength(4) // every voice item in the first 8, alternating
    const judge = orderSession(
      many(30, (id) => ({ judge: id % 3 === 0 ? 'fail' : 'pass' })),
      'stratified-judge',
      3,
      6,
    )
    expect(judge.filter((id) => id % 3 === 0)).toHaveLength(3)
  })

  it('puts disagreements, stale labels, long traces and tool-heavy traces first', () => {
    const disagree = orderSession(
      many(20, (id) =>
        id === 7 ? { label: 'pass', judge: 'fail' } : id === 8 ? { label: 'pass', judge: 'pass' } : {},
      ),
      'disagreements',
      1,
      1,
    )
    expect(disagree).toEqual([7])
    expect(
      orderSession(
        many(20, (id) => ({ stale: id === 13 })),
        'stale',
        1,
        1,
      ),
    ).toEqual([13])
    expect(
      orderSession(
        many(20, (id) => ({ length: id * 10 })),
        'longest',
        1,
        3,
      ),
    ).toEqual([20, 19, 18])
    expect(
      orderSession(
        many(20, (id) => ({ toolCalls: id === 2 ? 9 : 0 })),
        'tool-calls',
        1,
        1,
      ),
    ).toEqual([2])
  })

  it("re-labels a random 10% of the annotator's own labels; adjudicates only conflicts", () => {
    const relabel = orderSession(
      many(100, (id) => ({ mine: id <= 40 ? 'pass' : null })),
      'relabel',
      1,
      100,
    )
    expect(relabel).toHaveLength(4)
    expect(relabel.every((id) => id <= 40)).toBe(true)
    expect(
      orderSession(
        many(10, (id) => ({ conflict: id === 5 })),
        'adjudicate',
        1,
        100,
      ),
    ).toEqual([5])
  })

  it('rank spreads ids evenly', () => {
    const top = Array.from({ length: 10_000 }, (_, i) => rank(1, i)).filter((h) => h >= 2 ** 31).length
    expect(top).toBeGreaterThan(4_800)
    expect(top).toBeLessThan(5_200)
  })
})
