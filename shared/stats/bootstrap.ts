/**
 * Count-level bootstrap of the Rogan–Gladen estimate (statistics.md §3.2). A resample of the n
 * test pairs matters only through its cell counts, which are Multinomial(n; TP/n, FN/n, TN/n,
 * FP/n): drawn here as P* ~ Bin(n, P/n), TP* | P* ~ Bin(P*, TPR), TN* | P* ~ Bin(n − P*, TNR).
 * Three binomial draws replace n index draws, so B = 20 000 takes milliseconds.
 */
import { BinomialFamily, createBinomialSampler } from './binomial'
import type { CalibrationCounts } from './confusion'
import type { Rng } from './rng'
import { resampleTheta } from './rogan-gladen'

/** Which parts of the data are resampled. judgy: joint test resampling, unlabeled fixed. */
export interface ResamplingDesign {
  /** Keep P* = P and N* = N (resample within each human class) instead of resampling pairs jointly. */
  stratified: boolean
  /** Also draw k* ~ Bin(m, k/m), so the interval includes the sampling error of p_obs. */
  resampleUnlabeled: boolean
}

/** The kept bootstrap statistics (in draw order, not sorted) and how many draws judgy's rules dropped. */
export interface BootstrapDraws {
  draws: Float64Array
  nValid: number
  nDropped: number
}

/**
 * B bootstrap values of the clipped θ̂*. Draws are dropped exactly where judgy drops them:
 * P* = 0, N* = 0, or TPR* + TNR* − 1 ≤ 0 (statistics.md §2.5). Counts must be validated first.
 */
export function bootstrapDraws(
  counts: CalibrationCounts,
  iterations: number,
  rng: Rng,
  design: ResamplingDesign,
): BootstrapDraws {
  const { tp, fn, tn, fp, k, m } = counts
  const pos = tp + fn
  const neg = tn + fp
  const n = pos + neg
  const drawPos = design.stratified ? (): number => pos : createBinomialSampler(n, pos / n)
  const drawK = design.resampleUnlabeled ? createBinomialSampler(m, k / m) : (): number => k
  const tpFamily = new BinomialFamily(tp / pos, n)
  const tnFamily = new BinomialFamily(tn / neg, n)
  const out = new Float64Array(iterations)
  let valid = 0
  for (let b = 0; b < iterations; b++) {
    const ps = drawPos(rng)
    const ns = n - ps
    if (ps === 0 || ns === 0) continue
    const tps = tpFamily.draw(rng, ps)
    const tns = tnFamily.draw(rng, ns)
    const theta = resampleTheta(tps, ps, tns, ns, drawK(rng), m)
    if (theta === theta) out[valid++] = theta
  }
  return { draws: out.subarray(0, valid), nValid: valid, nDropped: iterations - valid }
}

/**
 * judgy's algorithm item by item: resample n indices of the test pairs per iteration
 * (`np.random.choice(n, n)`), unlabeled set fixed. O(n·B); kept as the reference that the
 * count-level draw is tested against, and as the "naive" baseline in the bench.
 */
export function indexBootstrapDraws(
  labels: Uint8Array,
  preds: Uint8Array,
  k: number,
  m: number,
  iterations: number,
  rng: Rng,
): BootstrapDraws {
  const n = labels.length
  const out = new Float64Array(iterations)
  let valid = 0
  for (let b = 0; b < iterations; b++) {
    let ps = 0
    let tps = 0
    let tns = 0
    for (let i = 0; i < n; i++) {
      const j = rng.nextInt(n)
      const l = labels[j]
      const p = preds[j]
      ps += l
      tps += l & p
      tns += (1 - l) & (1 - p)
    }
    const theta = resampleTheta(tps, ps, tns, n - ps, k, m)
    if (theta === theta) out[valid++] = theta
  }
  return { draws: out.subarray(0, valid), nValid: valid, nDropped: iterations - valid }
}

/** Expands counts into judgy-style 0/1 arrays (pass items first), e.g. for `indexBootstrapDraws`. */
export function countsToArrays(c: { tp: number; fn: number; tn: number; fp: number }): {
  labels: Uint8Array
  preds: Uint8Array
} {
  const n = c.tp + c.fn + c.tn + c.fp
  const labels = new Uint8Array(n)
  const preds = new Uint8Array(n)
  labels.fill(1, 0, c.tp + c.fn)
  preds.fill(1, 0, c.tp)
  preds.fill(1, c.tp + c.fn + c.tn, n)
  return { labels, preds }
}
