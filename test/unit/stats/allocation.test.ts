/**
 * Where the next labels go: Neyman allocation over the judge-verdict strata (sums, caps, the proportional pilot
 * with at least 10 per stratum, a prior that keeps p̂ = 0/1 strata alive), the audit's "label next", and
 * Rogan–Gladen's.
 */
import { describe, expect, it } from 'vitest'
import { auditNext, neymanAllocation, rgNext } from '../../../shared/stats/allocation'
import { labelingAdvice } from '../../../shared/stats/advice'
import { isStatsError } from '../../../shared/stats/errors'
import { langReiczigelInterval } from '../../../shared/stats/lang-reiczigel'
import { stratifiedEstimate } from '../../../shared/stats/stratified'

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('neymanAllocation', () => {
  it('tops every stratum up to 10, then shares the rest proportionally while a stratum has < 10 labels', () => {
    // 46 labels, N = 800 / 400, nothing labeled: 10 + 10, then 26 split 2:1 = 17.33 / 8.67 → 17 / 9.
    expect(
      neymanAllocation(
        [
          { N: 800, n: 0, humanPass: 0 },
          { N: 400, n: 0, humanPass: 0 },
        ],
        46,
      ),
    ).toEqual([27, 19])
  })

  it('allocates n_h ∝ N_h·S_h once every stratum has 10 labels, with S_h from (y + 1)/(n + 2)', () => {
    // S = √(0.5·0.5) = 0.5 and √(21/22 · 1/22) = 0.2083: 100 labels split 70.6 / 29.4.
    const a = neymanAllocation(
      [
        { N: 1000, n: 20, humanPass: 10 },
        { N: 1000, n: 20, humanPass: 20 },
      ],
      100,
    )
    expect(a).toEqual([71, 29])
    // A stratum with p̂ = 1 keeps labels coming (the prior), one with p̂ = 0 likewise.
    const zero = neymanAllocation(
      [
        { N: 1000, n: 20, humanPass: 10 },
        { N: 1000, n: 20, humanPass: 0 },
      ],
      100,
    )
    expect(zero[1]).toBeGreaterThan(0)
  })

  it('never draws more than N_h − n_h and sums to min(size, room)', () => {
    const strata = [
      { N: 25, n: 20, humanPass: 10 },
      { N: 1000, n: 20, humanPass: 15 },
      { N: 3, n: 0, humanPass: 0 },
    ]
    for (const size of [0, 1, 7, 30, 200, 5000]) {
      const a = neymanAllocation(strata, size)
      expect(sum(a)).toBe(Math.min(size, 5 + 980 + 3))
      strata.forEach((s, h) => {
        expect(a[h]).toBeGreaterThanOrEqual(0)
        expect(a[h]).toBeLessThanOrEqual(s.N - s.n)
      })
    }
    expect(neymanAllocation(strata, 5000)).toEqual([5, 980, 3])
  })

  it('splits a budget smaller than the pilot between the strata that need labels', () => {
    const a = neymanAllocation(
      [
        { N: 100, n: 0, humanPass: 0 },
        { N: 100, n: 0, humanPass: 0 },
      ],
      5,
    )
    expect(sum(a)).toBe(5)
    expect(Math.min(...a)).toBe(2)
    expect(neymanAllocation([{ N: 100, n: 0, humanPass: 0 }], 3, 2)).toEqual([3])
  })

  it('refuses a budget that is not a non-negative integer', () => {
    for (const size of [-1, 2.5, Number.NaN]) {
      let code = ''
      try {
        neymanAllocation([{ N: 10, n: 0, humanPass: 0 }], size)
      } catch (e) {
        if (isStatsError(e)) code = e.code
      }
      expect(code).toBe('bad_counts')
    }
  })
})

describe('auditNext', () => {
  const strata = [
    { name: 'judge pass', N: 1000, n: 30, humanPass: 29 },
    { name: 'judge fail', N: 1000, n: 30, humanPass: 15 },
  ]

  it('picks the stratum with the largest variance reduction per label (the uncertain one)', () => {
    expect(auditNext(strata, 20).stratum).toBe(1)
    // The same rates, but the sure stratum is 20 times larger: its weight wins.
    const big = [{ ...strata[0], N: 20_000 }, strata[1]]
    expect(auditNext(big, 20).stratum).toBe(0)
  })

  it('goes to a stratum with no label first, and says the audit is a census when nothing is left', () => {
    expect(auditNext([strata[0], { name: 'errors', N: 12, n: 0, humanPass: 0 }], 10).stratum).toBe(1)
    const census = auditNext([{ name: 'a', N: 5, n: 5, humanPass: 3 }], 10)
    expect(census.stratum).toBeNull()
    expect(census.message).toContain('census')
    expect(census.widthNow).toBe(0)
  })

  it('projects the width: now equals the estimate, after more labels it shrinks', () => {
    const now = stratifiedEstimate(strata)
    const r = auditNext(strata, 60)
    expect(r.widthNow).toBeCloseTo(now.upper - now.lower, 15)
    expect(r.widthAfter).toBeLessThan(r.widthNow)
    expect(auditNext(strata, 0).widthAfter).toBeCloseTo(r.widthNow, 15)
    expect(r.message).toContain('judge fail')
    expect(r.message).toContain('60 more labels')
  })
})

describe('rgNext', () => {
  const counts = { tp: 45, fn: 5, tn: 6, fp: 2, k: 700, m: 1000 }

  it("names the class Lee et al.'s split asks for and projects the Lang–Reiczigel width", () => {
    const r = rgNext(counts, 50)
    expect(r.nextClass).toBe(labelingAdvice(counts, 0).nextClass)
    expect(r.nextClass).toBe('fail')
    const lr = langReiczigelInterval(counts, 0.95)
    expect(r.widthNow).toBeCloseTo(lr.upper - lr.lower, 15)
    expect(r.widthAfter).toBeLessThan(r.widthNow)
    expect(r.message).toContain('Fail items next')
  })

  it('asks for production verdicts first when there are none', () => {
    const r = rgNext({ ...counts, k: 0, m: 0 }, 10)
    expect(r.nextClass).toBeNull()
    expect(r.message).toContain('production')
  })
})
