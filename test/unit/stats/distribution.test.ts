/**
 * The count-level bootstrap (three binomial draws per iteration) must have the same distribution
 * as judgy's item-by-item index resampling (statistics.md §3.2, test 5).
 */
import { describe, expect, it } from 'vitest'
import { bootstrapDraws, countsToArrays, indexBootstrapDraws } from '../../../shared/stats/bootstrap'
import { exactBootstrapInterval } from '../../../shared/stats/exact'
import { quantileType7 } from '../../../shared/stats/quantile'
import { createRng } from '../../../shared/stats/rng'

const B = 20_000
const CASES = [
  { name: 'fixture a (n = 200)', counts: { tp: 90, fn: 10, tn: 80, fp: 20, k: 700, m: 1000 } },
  { name: 'fixture i (imbalanced n = 100)', counts: { tp: 85, fn: 5, tn: 7, fp: 3, k: 1700, m: 2000 } },
  { name: 'fixture b3 (J = 0.25, draws dropped)', counts: { tp: 13, fn: 7, tn: 12, fp: 8, k: 100, m: 200 } },
]

/** Two-sample Kolmogorov–Smirnov distance between sorted samples. */
function ksDistance(a: Float64Array, b: Float64Array): number {
  let i = 0
  let j = 0
  let d = 0
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j])
    while (i < a.length && a[i] <= x) i++
    while (j < b.length && b[j] <= x) j++
    d = Math.max(d, Math.abs(i / a.length - j / b.length))
  }
  return d
}

describe('multinomial (binomial-hierarchy) draws equal index resampling in distribution', () => {
  it.each(CASES)('$name', ({ counts }) => {
    const { labels, preds } = countsToArrays(counts)
    const index = indexBootstrapDraws(labels, preds, counts.k, counts.m, B, createRng(101))
    const fast = bootstrapDraws(counts, B, createRng(202), { stratified: false, resampleUnlabeled: false })
    const a = index.draws.slice().sort()
    const b = fast.draws.slice().sort()
    // KS critical value at α = 1e-4 for two samples (conservative for the discrete, tied values here).
    const crit = Math.sqrt(-Math.log(1e-4 / 2) / 2) * Math.sqrt((a.length + b.length) / (a.length * b.length))
    expect(ksDistance(a, b)).toBeLessThan(crit)
    // Dropped draws: both are Binomial(B, q) counts; 5 SDs of their difference.
    const q = index.nDropped / B
    expect(Math.abs(index.nDropped - fast.nDropped)).toBeLessThanOrEqual(5 * Math.sqrt(2 * B * q * (1 - q)) + 2)
    // Both percentile intervals sit within Monte-Carlo error of the exact B = ∞ interval.
    const exact = exactBootstrapInterval(counts, 0.95, false)
    for (const sorted of [a, b]) {
      expect(Math.abs(quantileType7(sorted, 0.025) - exact.lower)).toBeLessThan(0.012)
      expect(Math.abs(quantileType7(sorted, 0.975) - exact.upper)).toBeLessThan(0.012)
    }
  })

  it('the KS check notices a different design (unlabeled verdicts also resampled)', () => {
    const counts = { tp: 90, fn: 10, tn: 80, fp: 20, k: 210, m: 300 }
    const judgy = bootstrapDraws(counts, B, createRng(1), { stratified: false, resampleUnlabeled: false })
      .draws.slice()
      .sort()
    const wider = bootstrapDraws(counts, B, createRng(2), { stratified: false, resampleUnlabeled: true })
      .draws.slice()
      .sort()
    const crit = Math.sqrt(-Math.log(1e-4 / 2) / 2) * Math.sqrt(2 / B)
    expect(ksDistance(judgy, wider)).toBeGreaterThan(crit)
  })
})
