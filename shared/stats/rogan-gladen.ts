/**
 * The Rogan–Gladen corrected pass rate (Rogan & Gladen 1978, Am J Epidemiol 107:71–76):
 * E[p_obs] = TPR·θ + (1 − TNR)(1 − θ), so θ = (p_obs + TNR − 1)/(TPR + TNR − 1).
 * Operations run in judgy's order so that θ is bit-identical to judgy (statistics.md §2.4).
 */
import type { CalibrationCounts } from './confusion'
import { StatsError } from './errors'

/** Point values of one calibration: the corrected rate, clipped and not, and its ingredients. */
export interface PointEstimate {
  /** θ̂ clipped to [0, 1], as judgy reports it. */
  theta: number
  /** θ̂ before clipping; outside [0, 1] when p_obs lies outside [1 − TNR, TPR]. */
  thetaUnclipped: number
  clipped: boolean
  tpr: number
  tnr: number
  pObs: number
  /** Youden's J = TPR + TNR − 1, the denominator; the variance grows like 1/J². */
  youdenJ: number
}

/** Clips to [0, 1] (NaN stays NaN). */
export function clip01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

/**
 * Checks counts in judgy's order after its array checks: shape of the counts, empty sets, a
 * missing class, then J ≤ 0. J ≤ 0 is decided exactly with integers, TP·N + TN·P ≤ P·N, which
 * agrees with judgy's float test (statistics.md §2.4) and cannot be fooled by rounding.
 */
export function validateCounts(c: CalibrationCounts): void {
  for (const key of ['tp', 'fn', 'tn', 'fp', 'k', 'm'] as const) {
    const v = c[key]
    if (!(Number.isSafeInteger(v) && v >= 0)) {
      throw new StatsError('bad_counts', `count ${key} must be a non-negative integer, got ${String(v)}`)
    }
  }
  if (c.k > c.m)
    throw new StatsError('bad_counts', `k (${c.k} judged Pass) cannot exceed m (${c.m} unlabeled verdicts)`)
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  if (pos + neg === 0) throw new StatsError('empty_test', 'test set cannot be empty: label some test items first')
  if (c.m === 0) {
    throw new StatsError('empty_unlabeled', 'unlabeled_preds cannot be empty: run the judge on production items first')
  }
  if (pos === 0 || neg === 0) {
    const missing = pos === 0 ? 'Pass' : 'Fail'
    throw new StatsError(
      'single_class_test',
      `test_labels must contain both positive and negative examples: the test set has no human ${missing} items. ` +
        `Label some ${missing} items so that the judge's ${pos === 0 ? 'TPR' : 'TNR'} can be measured.`,
    )
  }
  if (!judgeBeatsChance(c.tp, pos, c.tn, neg)) {
    const tpr = c.tp / pos
    const tnr = c.tn / neg
    throw new StatsError(
      'judge_not_better_than_chance',
      `Judge accuracy too low for correction. TPR + TNR = ${(tpr + tnr).toFixed(3)} <= 1 ` +
        `(TPR ${tpr.toFixed(3)}, TNR ${tnr.toFixed(3)}). Judge must be better than random: check for swapped ` +
        'Pass/Fail labels or a broken judge prompt, improve the judge on the dev set, then re-measure on test.',
    )
  }
}

/** TP/P + TN/N > 1 decided exactly: TP·N + TN·P > P·N (BigInt when products could exceed 2^53). */
export function judgeBeatsChance(tp: number, pos: number, tn: number, neg: number): boolean {
  if (pos * neg < Number.MAX_SAFE_INTEGER / 2) return tp * neg + tn * pos > pos * neg
  return BigInt(tp) * BigInt(neg) + BigInt(tn) * BigInt(pos) > BigInt(pos) * BigInt(neg)
}

/** θ̂ and its ingredients from validated counts; throws `StatsError` for invalid ones. */
export function roganGladen(c: CalibrationCounts): PointEstimate {
  validateCounts(c)
  const tpr = c.tp / (c.tp + c.fn)
  const tnr = c.tn / (c.tn + c.fp)
  const pObs = c.k / c.m
  const youdenJ = tpr + tnr - 1
  if (!(youdenJ > 0)) {
    // Only reachable if rounding disagrees with the exact test above; refuse rather than divide by ~0.
    throw new StatsError('judge_not_better_than_chance', `TPR + TNR - 1 = ${youdenJ} is not positive in floating point`)
  }
  const thetaUnclipped = (pObs + tnr - 1) / youdenJ
  const theta = clip01(thetaUnclipped)
  return { theta, thetaUnclipped, clipped: theta !== thetaUnclipped, tpr, tnr, pObs, youdenJ }
}

/**
 * The clipped statistic of one resample, or NaN when judgy would drop it (no Pass or no Fail
 * item, or TPR* + TNR* − 1 ≤ 0 in floating point, exactly as judgy tests it).
 */
export function resampleTheta(tp: number, pos: number, tn: number, neg: number, k: number, m: number): number {
  if (pos === 0 || neg === 0) return Number.NaN
  const tnr = tn / neg
  const denom = tp / pos + tnr - 1
  if (denom <= 0) return Number.NaN
  return clip01((k / m + tnr - 1) / denom)
}
