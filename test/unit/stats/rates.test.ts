import { describe, expect, it } from 'vitest'
import { agreement } from '../../../shared/stats/agreement'
import { multinomial } from '../../../shared/stats/binomial'
import { confusionFromVerdicts } from '../../../shared/stats/confusion'
import { judgeRates, secondaryMetrics, wilsonInterval } from '../../../shared/stats/rates'
import { createRng } from '../../../shared/stats/rng'

describe('Wilson interval', () => {
  it('matches textbook values', () => {
    // 0 of 10: [0, 0.2775]; 10 of 10: [0.7225, 1]; 8 of 10: [0.4902, 0.9433] (z = 1.96).
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.27753, 5)
    expect(wilsonInterval(0, 10).lower).toBe(0)
    expect(wilsonInterval(10, 10).lower).toBeCloseTo(0.72247, 5)
    const w = wilsonInterval(8, 10)
    expect([w.lower, w.upper].map((x) => +x.toFixed(4))).toEqual([0.4902, 0.9433])
    expect(wilsonInterval(0, 0)).toMatchObject({ estimate: null, lower: 0, upper: 1 })
  })

  it('TPR and TNR from a confusion matrix', () => {
    const r = judgeRates({ tp: 90, fn: 10, tn: 80, fp: 20 })
    expect(r.tpr.estimate).toBe(0.9)
    expect(r.tnr.estimate).toBe(0.8)
    expect(r.tpr.lower).toBeLessThan(0.9)
    expect(r.tpr.upper).toBeGreaterThan(0.9)
  })
})

describe('secondary metrics', () => {
  it('accuracy, precision, recall, F1, balanced accuracy, MCC, J', () => {
    const m = secondaryMetrics({ tp: 90, fn: 10, tn: 80, fp: 20 })
    expect(m.accuracy).toBe(0.85)
    expect(m.precision).toBeCloseTo(90 / 110, 15)
    expect(m.recall).toBe(0.9)
    expect(m.f1).toBeCloseTo(180 / 210, 15)
    expect(m.balancedAccuracy).toBeCloseTo(0.85, 15)
    expect(m.mcc).toBeCloseTo((90 * 80 - 20 * 10) / Math.sqrt(110 * 100 * 100 * 90), 15)
    expect(m.youdenJ).toBeCloseTo(0.7, 15)
    expect(secondaryMetrics({ tp: 0, fn: 0, tn: 5, fp: 0 })).toMatchObject({ precision: null, recall: null, mcc: null })
  })

  it('counts paired verdicts with pass as positive and rejects anything but 0/1', () => {
    expect(confusionFromVerdicts([1, 1, 0, 0, true], [1, 0, 0, 1, false])).toEqual({ tp: 1, fn: 2, tn: 1, fp: 1 })
    expect(() => confusionFromVerdicts([1, 0.9], [1, 0])).toThrow(/test_labels\[1\] is 0.9/)
    expect(() => confusionFromVerdicts([1], [1, 0])).toThrow(/same length/)
  })
})

describe("agreement between two annotators (Cohen's κ, PABAK, AC1)", () => {
  it('κ, PABAK and AC1 on a worked example', () => {
    // 100 items: both Pass 40, A Pass/B Fail 10, A Fail/B Pass 5, both Fail 45.
    const a = agreement({ tp: 40, fn: 10, fp: 5, tn: 45 })
    expect(a.observed).toBeCloseTo(0.85, 15)
    expect(a.chance).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.55, 15)
    expect(a.kappa).toBeCloseTo((0.85 - 0.5) / 0.5, 14)
    expect(a.pabak).toBeCloseTo(0.7, 14)
    const pi = (0.5 + 0.45) / 2
    expect(a.ac1).toBeCloseTo((0.85 - 2 * pi * (1 - pi)) / (1 - 2 * pi * (1 - pi)), 14)
    expect(a.lower!).toBeLessThan(a.kappa!)
    expect(a.upper!).toBeGreaterThan(a.kappa!)
  })

  it('the Fleiss–Cohen–Everitt SE matches the bootstrap SD of κ', () => {
    const table = { tp: 60, fn: 15, fp: 10, tn: 115 }
    const n = 200
    const a = agreement(table)
    const rng = createRng(8)
    const probs = [table.tp / n, table.fn / n, table.fp / n, table.tn / n]
    const kappas: number[] = []
    for (let b = 0; b < 20_000; b++) {
      const [tp, fn, fp, tn] = multinomial(rng, n, probs)
      kappas.push(agreement({ tp, fn, fp, tn }).kappa!)
    }
    const mean = kappas.reduce((s, x) => s + x, 0) / kappas.length
    const sd = Math.sqrt(kappas.reduce((s, x) => s + (x - mean) ** 2, 0) / (kappas.length - 1))
    expect(Math.abs(sd / a.se! - 1)).toBeLessThan(0.05)
  })

  it('the kappa paradox: high agreement, low κ under skewed prevalence; AC1 and PABAK stay high', () => {
    const a = agreement({ tp: 90, fn: 4, fp: 4, tn: 2 })
    expect(a.observed).toBeCloseTo(0.92, 14)
    expect(a.kappa!).toBeLessThan(0.4)
    expect(a.ac1!).toBeGreaterThan(0.9)
    expect(a.pabak!).toBeCloseTo(0.84, 14)
    expect(agreement({ tp: 10, fn: 0, fp: 0, tn: 0 }).kappa).toBeNull()
  })
})
