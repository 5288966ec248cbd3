/**
 * The production audit's estimator (statistics.md §7.1): θ̂ = Σ W_h·p̂_h with hand-checked numbers, the FPC
 * (a census has no error), p̂_h = 0 or 1, the reference's MOVER-Wilson interval as a candidate, and refusals
 * that say what to do.
 */
import { describe, expect, it } from 'vitest'
import { isStatsError } from '../../../shared/stats/errors'
import {
  AUDIT_INTERVAL,
  AUDIT_INTERVALS,
  stratifiedEstimate,
  stratifiedWith,
  type Stratum,
} from '../../../shared/stats/stratified'

/** The issue's example: 798 judged pass (37 of 40 labeled pass), 402 judged fail (5 of 30). */
const ISSUE: Stratum[] = [
  { name: 'judge pass', N: 798, n: 40, humanPass: 37 },
  { name: 'judge fail', N: 402, n: 30, humanPass: 5 },
]

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f()
  } catch (e) {
    if (isStatsError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a StatsError')
}

describe('stratifiedEstimate', () => {
  it('weights each stratum by its share of production (the issue example, by hand)', () => {
    const r = stratifiedEstimate(ISSUE)
    // 798/1200 · 37/40 + 402/1200 · 5/30 = 0.665 · 0.925 + 0.335 · 0.1666… = 0.6709583…
    expect(r.theta).toBeCloseTo(0.6709583333333333, 15)
    // √(0.665² · (1 − 40/798) · 0.925 · 0.075/39 + 0.335² · (1 − 30/402) · (1/6)(5/6)/29)
    expect(r.se).toBeCloseTo(0.03527867700218033, 14)
    expect(r.labels).toBe(70)
    expect(r.population).toBe(1200)
    expect(r.strata.map((s) => s.weight)).toEqual([798 / 1200, 402 / 1200])
    expect(r.strata.map((s) => s.p)).toEqual([37 / 40, 5 / 30])
    expect(r.method).toBe('stratified')
    expect(r.interval).toBe(AUDIT_INTERVAL)
    expect(r.intervalName).toBe(AUDIT_INTERVALS[AUDIT_INTERVAL])
    expect(r.confidence).toBe(0.95)
    expect(r.lower).toBeLessThan(r.theta)
    expect(r.upper).toBeGreaterThan(r.theta)
    for (const s of r.strata) {
      expect(s.lower).toBeLessThanOrEqual(s.p)
      expect(s.upper).toBeGreaterThanOrEqual(s.p)
    }
  })

  it("reproduces the reference's MOVER-Wilson-FPC interval as the candidate of that name", () => {
    // python3 ref_estimator.py with {"method": "stratified", "strata": ISSUE}
    const r = stratifiedWith(ISSUE, 0.95, 'mover-wilson-fpc')
    expect(r.lower).toBeCloseTo(0.5853081745105855, 12)
    expect(r.upper).toBeCloseTo(0.7341187396990364, 12)
  })

  it('has no error when every stratum is a census (n_h = N_h), with every candidate interval', () => {
    const census = [
      { name: 'a', N: 12, n: 12, humanPass: 9 },
      { name: 'b', N: 5, n: 5, humanPass: 1 },
    ]
    for (const id of Object.keys(AUDIT_INTERVALS) as (keyof typeof AUDIT_INTERVALS)[]) {
      const r = stratifiedWith(census, 0.95, id)
      expect(r.theta).toBeCloseTo(10 / 17, 15)
      expect(r.lower, id).toBeCloseTo(r.theta, 12)
      expect(r.upper, id).toBeCloseTo(r.theta, 12)
      expect(r.se).toBe(0)
    }
  })

  it('a census stratum adds no width: only the sampled stratum does', () => {
    const partly = stratifiedEstimate([
      { name: 'all', N: 50, n: 50, humanPass: 40 },
      { name: 'some', N: 500, n: 30, humanPass: 15 },
    ])
    const census = partly.strata[0]
    expect(census.lower).toBe(census.p)
    expect(census.upper).toBe(census.p)
    expect(partly.upper - partly.lower).toBeGreaterThan(0.05)
  })

  it('keeps a real interval when every p̂_h is 0 or 1', () => {
    const r = stratifiedEstimate([
      { name: 'judge pass', N: 900, n: 30, humanPass: 30 },
      { name: 'judge fail', N: 100, n: 15, humanPass: 0 },
    ])
    expect(r.theta).toBeCloseTo(0.9, 15)
    expect(r.se).toBe(0)
    expect(r.lower).toBeLessThan(0.9)
    expect(r.upper).toBeGreaterThan(0.9)
    expect(r.upper).toBeLessThanOrEqual(1)
    expect(r.lower).toBeGreaterThan(0.7)
  })

  it('stays inside [0, 1] at the bounds', () => {
    const zero = stratifiedEstimate([{ name: 'x', N: 100, n: 20, humanPass: 0 }])
    expect(zero.theta).toBe(0)
    expect(zero.lower).toBe(0)
    expect(zero.upper).toBeGreaterThan(0)
    const one = stratifiedEstimate([{ name: 'x', N: 100, n: 20, humanPass: 20 }])
    expect(one.upper).toBe(1)
    expect(one.lower).toBeLessThan(1)
  })

  it('narrows with more labels and widens with more confidence', () => {
    const w = (s: Stratum[], c = 0.95) => {
      const r = stratifiedEstimate(s, c)
      return r.upper - r.lower
    }
    const more = ISSUE.map((s) => ({ ...s, n: s.n * 4, humanPass: s.humanPass * 4 }))
    expect(w(more)).toBeLessThan(w(ISSUE))
    expect(w(ISSUE, 0.99)).toBeGreaterThan(w(ISSUE, 0.9))
  })

  it('warns about a stratum with fewer than 10 labels', () => {
    const r = stratifiedEstimate([
      { name: 'judge pass', N: 900, n: 40, humanPass: 38 },
      { name: 'judge fail', N: 100, n: 4, humanPass: 1 },
    ])
    expect(r.warnings.map((w) => w.code)).toContain('small_stratum')
    expect(r.warnings.find((w) => w.code === 'small_stratum')?.message).toContain('judge fail')
  })

  it('refuses bad input with the reference codes and a message that says what to do', () => {
    expect(refusal(() => stratifiedEstimate([])).code).toBe('no_strata')
    const over = refusal(() => stratifiedEstimate([{ name: 'a', N: 5, n: 6, humanPass: 1 }]))
    expect(over.code).toBe('bad_stratum')
    expect(over.message).toContain('humanPass <= n <= N')
    expect(refusal(() => stratifiedEstimate([{ name: 'a', N: 5, n: 3, humanPass: 4 }])).code).toBe('bad_stratum')
    expect(refusal(() => stratifiedEstimate([{ name: 'a', N: 0, n: 0, humanPass: 0 }])).code).toBe('bad_stratum')
    expect(refusal(() => stratifiedEstimate([{ name: 'a', N: 5.5, n: 3, humanPass: 1 }])).code).toBe('bad_stratum')
    const empty = refusal(() => stratifiedEstimate([ISSUE[0], { name: 'judge fail', N: 40, n: 0, humanPass: 0 }]))
    expect(empty.code).toBe('empty_stratum')
    expect(empty.message).toContain('strata[1] ("judge fail")')
    expect(empty.message).toContain('label at least one item')
    expect(refusal(() => stratifiedEstimate(ISSUE, 1)).code).toBe('bad_confidence')
    expect(refusal(() => stratifiedEstimate(ISSUE, 0)).code).toBe('bad_confidence')
  })
})
