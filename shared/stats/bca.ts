/**
 * The bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987, JASA 82:171–185),
 * statistics.md §5.2. The acceleration comes from a jackknife that is cheap here: deleting one
 * item changes only the count of its cell, so there are at most 4 distinct leave-one-out values
 * (6 when the unlabeled verdicts are resampled too), each weighted by its cell count.
 */
import type { CalibrationCounts } from './confusion'
import { normalCdf, normalQuantile } from './normal'
import { countBelow, quantilesType7 } from './quantile'
import { resampleTheta } from './rogan-gladen'

/** The BCa quantile levels and what produced them. */
export interface BcaLevels {
  lowerLevel: number
  upperLevel: number
  /** Bias correction z0 = Φ⁻¹(#{θ* < θ̂}/B). */
  z0: number
  /** Acceleration from the weighted jackknife. */
  acceleration: number
  /** True when #{θ* < θ̂} is 0 or B (θ̂ at a clipping bound) and plain percentiles were used. */
  fellBackToPercentile: boolean
}

/** Jackknife acceleration a = Σw(θ̄ − θ₍ᵢ₎)³ / (6·[Σw(θ̄ − θ₍ᵢ₎)²]^{3/2}) over the cell-wise leave-one-out values. */
export function jackknifeAcceleration(c: CalibrationCounts, resampleUnlabeled: boolean): number {
  const values: number[] = []
  const weights: number[] = []
  const cells: Array<[number, number, number, number, number]> = [
    [c.tp, c.tp - 1, c.fn, c.tn, c.fp],
    [c.fn, c.tp, c.fn - 1, c.tn, c.fp],
    [c.tn, c.tp, c.fn, c.tn - 1, c.fp],
    [c.fp, c.tp, c.fn, c.tn, c.fp - 1],
  ]
  for (const [count, tp, fn, tn, fp] of cells) {
    if (count === 0) continue
    const theta = resampleTheta(tp, tp + fn, tn, tn + fp, c.k, c.m)
    if (theta !== theta) continue
    values.push(theta)
    weights.push(count)
  }
  if (resampleUnlabeled && c.m > 1) {
    const pos = c.tp + c.fn
    const neg = c.tn + c.fp
    if (c.k > 0) {
      values.push(resampleTheta(c.tp, pos, c.tn, neg, c.k - 1, c.m - 1))
      weights.push(c.k)
    }
    if (c.m - c.k > 0) {
      values.push(resampleTheta(c.tp, pos, c.tn, neg, c.k, c.m - 1))
      weights.push(c.m - c.k)
    }
  }
  let sw = 0
  let swx = 0
  for (let i = 0; i < values.length; i++) {
    sw += weights[i]
    swx += weights[i] * values[i]
  }
  const mean = swx / sw
  let s2 = 0
  let s3 = 0
  for (let i = 0; i < values.length; i++) {
    const d = mean - values[i]
    s2 += weights[i] * d * d
    s3 += weights[i] * d * d * d
  }
  const den = 6 * Math.pow(s2, 1.5)
  return den > 0 ? s3 / den : 0
}

/**
 * BCa levels α₁ = Φ(z0 + (z0 + z_{α/2})/(1 − a(z0 + z_{α/2}))) and α₂ likewise with z_{1−α/2};
 * falls back to α/2 and 1 − α/2 when every draw lies on one side of θ̂ (z0 infinite).
 */
export function bcaLevels(
  draws: Float64Array,
  theta: number,
  confidence: number,
  counts: CalibrationCounts,
  resampleUnlabeled: boolean,
): BcaLevels {
  const alpha = 1 - confidence
  const percentile: BcaLevels = {
    lowerLevel: alpha / 2,
    upperLevel: 1 - alpha / 2,
    z0: Number.NaN,
    acceleration: Number.NaN,
    fellBackToPercentile: true,
  }
  const below = countBelow(draws, theta) / draws.length
  if (below <= 0 || below >= 1) return percentile
  const z0 = normalQuantile(below)
  const a = jackknifeAcceleration(counts, resampleUnlabeled)
  const level = (q: number): number => {
    const zq = normalQuantile(q)
    return normalCdf(z0 + (z0 + zq) / (1 - a * (z0 + zq)))
  }
  const lowerLevel = level(alpha / 2)
  const upperLevel = level(1 - alpha / 2)
  if (!(lowerLevel >= 0 && upperLevel <= 1 && lowerLevel <= upperLevel)) return { ...percentile, z0, acceleration: a }
  return { lowerLevel, upperLevel, z0, acceleration: a, fellBackToPercentile: false }
}

/** The BCa interval read off the bootstrap draws with type-7 percentiles. */
export function bcaInterval(
  draws: Float64Array,
  theta: number,
  confidence: number,
  counts: CalibrationCounts,
  resampleUnlabeled: boolean,
): { lower: number; upper: number; levels: BcaLevels } {
  const levels = bcaLevels(draws, theta, confidence, counts, resampleUnlabeled)
  const [lower, upper] = quantilesType7(draws, [levels.lowerLevel, levels.upperLevel])
  return { lower, upper, levels }
}
