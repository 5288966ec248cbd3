/**
 * Analytic intervals for the Rogan–Gladen estimate (statistics.md §5.2). Both treat P, N and m
 * as fixed and the three proportions as independent binomials, i.e. a stratified test set plus
 * sampling error in p_obs; neither needs random numbers.
 */
import type { CalibrationCounts } from './confusion'
import { StatsError } from './errors'
import { zForConfidence } from './normal'
import { clip01 } from './rogan-gladen'

/** An analytic interval with its standard error and centre (before clipping). */
export interface AnalyticInterval {
  lower: number
  upper: number
  se: number
  centre: number
}

/**
 * Lang & Reiczigel (2014), Prev Vet Med 113:13–22 (also Lee et al. 2025, arXiv:2511.21140):
 * add z²/2 Pass verdicts out of z² to p_obs and one success out of two to Se and Sp,
 * θ̃ = (p̃ + S̃p − 1)/(S̃e + S̃p − 1), shift the centre by d = 2z²(θ̃·S̃e(1−S̃e)/P̃ − (1−θ̃)·S̃p(1−S̃p)/Ñ)
 * and use the delta-method SE at the adjusted values; CI = clip(θ̃ + d ± z·SE, 0, 1).
 * In the simulation of statistics.md §5.1 it was the only interval at or above nominal everywhere.
 */
export function langReiczigelInterval(c: CalibrationCounts, confidence: number): AnalyticInterval {
  const z = zForConfidence(confidence)
  const z2 = z * z
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  return deltaInterval({
    p: (c.k + z2 / 2) / (c.m + z2),
    m: c.m + z2,
    se: (c.tp + 1) / (pos + 2),
    pos: pos + 2,
    sp: (c.tn + 1) / (neg + 2),
    neg: neg + 2,
    z,
    adjusted: true,
  })
}

/**
 * The plain Rogan–Gladen delta-method (Wald) interval:
 * Var(θ̂) = [p(1−p)/m + θ̂²·Se(1−Se)/P + (1−θ̂)²·Sp(1−Sp)/N]/J², CI = clip(θ̂ ± z·√Var).
 * Kept for comparison; it undercovers when θ is near 0 or 1 (statistics.md §5.1).
 */
export function waldInterval(c: CalibrationCounts, confidence: number): AnalyticInterval {
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  return deltaInterval({
    p: c.k / c.m,
    m: c.m,
    se: c.tp / pos,
    pos,
    sp: c.tn / neg,
    neg,
    z: zForConfidence(confidence),
    adjusted: false,
  })
}

interface DeltaInputs {
  p: number
  m: number
  se: number
  pos: number
  sp: number
  neg: number
  z: number
  adjusted: boolean
}

function deltaInterval(d: DeltaInputs): AnalyticInterval {
  const j = d.se + d.sp - 1
  if (!(j > 0)) {
    throw new StatsError(
      'judge_not_better_than_chance',
      `adjusted Se + Sp = ${(d.se + d.sp).toFixed(3)} <= 1: too few test labels to correct with this method; ` +
        'label more test items or use a bootstrap method',
    )
  }
  const th = (d.p + d.sp - 1) / j
  const variance =
    ((d.p * (1 - d.p)) / d.m + (th ** 2 * d.se * (1 - d.se)) / d.pos + ((1 - th) ** 2 * d.sp * (1 - d.sp)) / d.neg) /
    j ** 2
  const shift = d.adjusted
    ? 2 * d.z * d.z * ((th * d.se * (1 - d.se)) / d.pos - ((1 - th) * d.sp * (1 - d.sp)) / d.neg)
    : 0
  const centre = th + shift
  const se = Math.sqrt(variance)
  const half = d.z * se
  return { lower: clip01(centre - half), upper: clip01(centre + half), se, centre }
}
