/**
 * PPI++ for a pass rate (statistics.md §7.2): the power-tuned λ and θ̂ by hand and against figures of
 * `ref_estimator.py`, λ = 0 when the judge's verdicts are constant, λ clipped to [0, 1], the reference's normal
 * interval as a candidate, the label-shift flag, and refusals.
 */
import { describe, expect, it } from 'vitest'
import { isStatsError } from '../../../shared/stats/errors'
import {
  PPI_ASSUMPTION,
  PPI_INTERVAL,
  PPI_INTERVALS,
  ppiEstimate,
  ppiPoint,
  ppiWith,
  tQuantile,
} from '../../../shared/stats/ppi'

/** The course's HW3 test split without its error verdicts, and its production verdicts. */
const COURSE = { tp: 31, fn: 0, fp: 2, tn: 9, k: 2056, m: 2400 }

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f()
  } catch (e) {
    if (isStatsError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a StatsError')
}

describe('ppiEstimate', () => {
  it('tunes λ by hand: cov_pop(y, f) / ((1 + n/m)·var₁(f)), and rectifies the production rate', () => {
    // n = 100, ȳ = f̄ = 0.5, cov = 40/100 − 0.25 = 0.15; a = 80/160 = 0.5, var₁ = 160/159 · 0.25;
    // λ = 0.15 / ((1 + 100/60) · var₁) = 0.22359375 (ref_estimator.py gives the same).
    const c = { tp: 40, fn: 10, fp: 10, tn: 40, k: 30, m: 60 }
    const r = ppiEstimate(c)
    expect(r.lambda).toBeCloseTo(0.15 / ((1 + 100 / 60) * ((160 / 159) * 0.25)), 15)
    expect(r.lambda).toBeCloseTo(0.22359375, 12)
    // θ̂ = λ·30/60 + 0.5 − λ·0.5 = 0.5
    expect(r.theta).toBeCloseTo(0.5, 15)
    expect(r.labels).toBe(100)
    expect(r.production).toBe(60)
    expect(r.method).toBe('ppi')
  })

  it('clips λ at 1 on the course data, where θ̂ = k/m + mean(y − f)', () => {
    const r = ppiEstimate(COURSE)
    expect(r.lambda).toBe(1)
    // 2056/2400 + (31/42 − 33/42) = 0.8090476…, as ref_estimator.py
    expect(r.theta).toBeCloseTo(0.8090476190476191, 14)
    expect(r.labeledJudgePass).toBeCloseTo(33 / 42, 15)
    expect(r.productionJudgePass).toBeCloseTo(2056 / 2400, 15)
  })

  it('sets λ = 0 when the judge verdicts are constant everywhere, and when they do not track the labels', () => {
    const constant = ppiPoint({ tp: 0, fn: 0, fp: 3, tn: 5, k: 0, m: 20 })
    expect(constant.lambda).toBe(0)
    expect(constant.theta).toBe(0)
    const negative = ppiEstimate({ tp: 0, fn: 10, fp: 10, tn: 0, k: 50, m: 100 })
    expect(negative.lambda).toBe(0)
    expect(negative.theta).toBe(0.5)
    expect(negative.warnings.map((w) => w.code)).toContain('lambda_zero')
  })

  it("reproduces the reference's normal interval as the candidate of that name", () => {
    // python3 ref_estimator.py with {"method": "ppi", ...COURSE}
    const r = ppiWith(COURSE, 0.95, 'normal')
    expect(r.lower).toBeCloseTo(0.7431345508318391, 12)
    expect(r.upper).toBeCloseTo(0.8749606872633992, 12)
    const mid = ppiWith({ tp: 40, fn: 10, fp: 10, tn: 40, k: 30, m: 60 }, 0.95, 'normal')
    expect(mid.lower).toBeCloseTo(0.40885612832459034, 12)
    expect(mid.upper).toBeCloseTo(0.5911438716754096, 12)
  })

  it('does not claim zero error when the labeled items show no disagreement', () => {
    const r = ppiEstimate({ tp: 30, fn: 0, fp: 0, tn: 10, k: 700, m: 1000 })
    expect(r.interval).toBe(PPI_INTERVAL)
    expect(r.intervalName).toBe(PPI_INTERVALS[PPI_INTERVAL])
    expect(r.upper - r.lower).toBeGreaterThan(0.05)
    expect(r.lower).toBeGreaterThanOrEqual(0)
    expect(r.upper).toBeLessThanOrEqual(1)
    // The reference's normal interval is narrower: with no disagreement seen, var(y − λf) is that of (1 − λ)·f only.
    const normal = ppiWith({ tp: 30, fn: 0, fp: 0, tn: 10, k: 700, m: 1000 }, 0.95, 'normal')
    expect(r.upper - r.lower).toBeGreaterThan(1.3 * (normal.upper - normal.lower))
  })

  it('flags labeled items whose judge pass rate is unlike production (label shift)', () => {
    const shifted = ppiEstimate({ tp: 45, fn: 5, fp: 5, tn: 45, k: 900, m: 1000 })
    expect(shifted.warnings.map((w) => w.code)).toContain('label_shift')
    expect(shifted.warnings.find((w) => w.code === 'label_shift')?.message).toContain('Rogan–Gladen')
    const alike = ppiEstimate({ tp: 80, fn: 5, fp: 8, tn: 7, k: 880, m: 1000 })
    expect(alike.warnings.map((w) => w.code)).not.toContain('label_shift')
  })

  it('states its assumption against Rogan–Gladen’s', () => {
    expect(PPI_ASSUMPTION).toMatch(/random sample/)
    expect(PPI_ASSUMPTION).toMatch(/TPR and TNR/)
  })

  it('refuses bad counts and too few labels', () => {
    expect(refusal(() => ppiEstimate({ ...COURSE, k: 2401 })).code).toBe('bad_counts')
    expect(refusal(() => ppiEstimate({ ...COURSE, tp: -1 })).code).toBe('bad_counts')
    expect(refusal(() => ppiEstimate({ ...COURSE, fn: 0.5 })).code).toBe('bad_counts')
    const few = refusal(() => ppiEstimate({ tp: 1, fn: 0, fp: 0, tn: 0, k: 1, m: 2 }))
    expect(few.code).toBe('too_few')
    expect(few.message).toContain('label more')
    expect(refusal(() => ppiEstimate({ ...COURSE, k: 0, m: 0 })).code).toBe('too_few')
    expect(refusal(() => ppiEstimate(COURSE, 1.5)).code).toBe('bad_confidence')
  })
})

describe('tQuantile', () => {
  it('matches tables of Student t at 0.975', () => {
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.570582, 3)
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 4)
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042272, 5)
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 5)
  })
})
