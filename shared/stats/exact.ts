/**
 * The ideal bootstrap (B → ∞) by enumeration (statistics.md §3.2): every resampled confusion
 * matrix (P*, TP*, TN*) weighted by its exact probability, invalid ones dropped and the rest
 * renormalised, quantiles read as inf{x : F(x) ≥ q}. It is the limit of judgy's interval and
 * needs no random numbers. The work grows like n³, hence the limit on n.
 */
import { binomialPmf, type BinomialPmf } from './binomial'
import type { CalibrationCounts } from './confusion'

/** Largest test set `exact` enumerates (about 2·10⁶ weighted cells at n = 300). */
export const EXACT_MAX_N = 300

/** Tolerance on the quantile level, as in the reference: F(x) ≥ q − 1e-12. */
const LEVEL_SLACK = 1e-12
const BUCKETS = 1 << 16

/** The exact interval and the probability that a resample is valid (judgy keeps it). */
export interface ExactInterval {
  lower: number
  upper: number
  pValid: number
}

/**
 * Exact percentile interval of the clipped θ̂* under the joint (judgy) or stratified bootstrap,
 * unlabeled set fixed. Counts must be validated and n ≤ EXACT_MAX_N (the caller checks).
 */
export function exactBootstrapInterval(c: CalibrationCounts, confidence: number, stratified: boolean): ExactInterval {
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  const n = pos + neg
  const tpr = c.tp / pos
  const tnr = c.tn / neg
  const posPmf: BinomialPmf = stratified ? { n, p: 1, lo: pos, pmf: Float64Array.of(1) } : binomialPmf(n, pos / n)

  const tables = []
  let cells = 0
  for (let i = 0; i < posPmf.pmf.length; i++) {
    const ps = posPmf.lo + i
    const ns = n - ps
    if (ps === 0 || ns === 0) continue
    const tp = binomialPmf(ps, tpr)
    const tn = binomialPmf(ns, tnr)
    tables.push({ ps, ns, w: posPmf.pmf[i], tp, tn })
    cells += tp.pmf.length * tn.pmf.length
  }
  const vals = new Float64Array(cells)
  const probs = new Float64Array(cells)
  const pObs = c.k / c.m
  let used = 0
  let pValid = 0
  for (const { ps, ns, w, tp, tn } of tables) {
    for (let a = 0; a < tp.pmf.length; a++) {
      const wTp = w * tp.pmf[a]
      const tprStar = (tp.lo + a) / ps
      for (let b = 0; b < tn.pmf.length; b++) {
        // Same operations as resampleTheta, inlined: this loop runs up to ~10^6 times.
        const tnrStar = (tn.lo + b) / ns
        const denom = tprStar + tnrStar - 1
        if (denom <= 0) continue
        const theta = (pObs + tnrStar - 1) / denom
        const weight = wTp * tn.pmf[b]
        vals[used] = theta < 0 ? 0 : theta > 1 ? 1 : theta
        probs[used++] = weight
        pValid += weight
      }
    }
  }
  const alpha = 1 - confidence
  const [lower, upper] = weightedQuantiles(vals.subarray(0, used), probs.subarray(0, used), pValid, [
    alpha / 2,
    1 - alpha / 2,
  ])
  return { lower, upper, pValid }
}

/**
 * inf{x : F(x) ≥ level} for each level, for atoms in [0, 1] with weights summing to `total`, in
 * O(cells): find the histogram bucket where F crosses a level, then sort only that bucket's atoms.
 */
export function weightedQuantiles(
  vals: Float64Array,
  probs: Float64Array,
  total: number,
  levels: readonly number[],
): number[] {
  const bucketOf = new Int32Array(vals.length)
  const mass = new Float64Array(BUCKETS)
  for (let i = 0; i < vals.length; i++) {
    const b = Math.min(BUCKETS - 1, Math.floor(vals[i] * BUCKETS))
    bucketOf[i] = b
    mass[b] += probs[i]
  }
  return levels.map((level) => {
    const target = (level - LEVEL_SLACK) * total
    let before = 0
    let bucket = 0
    while (bucket < BUCKETS - 1 && before + mass[bucket] < target) before += mass[bucket++]
    const inBucket: number[] = []
    for (let i = 0; i < vals.length; i++) if (bucketOf[i] === bucket) inBucket.push(i)
    inBucket.sort((x, y) => vals[x] - vals[y])
    let cum = before
    for (const i of inBucket) {
      cum += probs[i]
      if (cum >= target) return vals[i]
    }
    // Rounding left the target just out of reach: the answer is the largest atom.
    let max = 0
    for (let i = 0; i < vals.length; i++) if (vals[i] > max) max = vals[i]
    return max
  })
}
