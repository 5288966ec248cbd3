/**
 * PPI++ for a pass rate (statistics.md §7.2; Angelopoulos, Duchi & Zrnic 2023, package `ppi_py`): the
 * judge's verdicts on production, rectified by the human labels of a random test split. f = judge pass,
 * y = human pass on the n labeled items; k of m production items judged pass.
 * θ̂ = λ·k/m + mean(y) − λ·mean(f), λ power-tuned and clipped to [0, 1]. The point estimate equals
 * `ref_estimator.py`'s `ppi` (same float operations); the interval is ours, chosen by the coverage
 * simulation in `audit-coverage.ts`.
 */
import { StatsError } from './errors'
import { normalQuantile, zForConfidence } from './normal'
import { clip01 } from './rogan-gladen'

/** What the UI says beside a PPI++ estimate: the assumption it rests on, against Rogan–Gladen's. */
export const PPI_ASSUMPTION =
  'PPI++ assumes the labeled items are a random sample of the same population as production; Rogan–Gladen assumes only that the judge’s TPR and TNR carry over from the labeled items to production.'

export interface PpiResult {
  method: 'ppi'
  theta: number
  lower: number
  upper: number
  se: number
  lambda: number
  interval: PpiIntervalId
  intervalName: string
  confidence: number
  /** n. */
  labels: number
  /** m. */
  production: number
  /** mean(f) on the labeled items and k/m: far apart means the labeled items are not like production. */
  labeledJudgePass: number
  productionJudgePass: number
  warnings: { code: string; message: string }[]
}

/** Counts of the labeled items by (human, judge) and the production verdicts. */
export interface PpiCounts {
  tp: number
  fn: number
  fp: number
  tn: number
  k: number
  m: number
}

/**
 * Candidate intervals, compared in `audit-coverage.ts`. `normal` is ppi_py's (and the reference's):
 * population standard deviations and z. `t` uses sample (ddof 1) variances and Student's t with n − 1
 * degrees of freedom. `wilson-neff` is a Wilson interval at the effective sample size θ̂(1 − θ̂)/se².
 * The `adjusted-*` and `plus-one-*` ones add half or one pseudo-item to each of the four labeled cells for the
 * variance only (as the adjusted-Wald intervals do), so that a test set without disagreements does not claim
 * zero error; `-fp` ones aim at the production set's own pass rate (production term Var(y − λf)/m).
 */
export const PPI_INTERVALS = {
  normal: 'normal, population standard deviations (as ppi_py)',
  t: 'Student t with n − 1 degrees of freedom, sample variances',
  'wilson-neff': 'Wilson at the effective sample size θ̂(1 − θ̂)/se²',
  'adjusted-t': 'Student t, variance with half a pseudo-item in each human × judge cell',
  'adjusted-t-fp': 'Student t, variance with half a pseudo-item in each human × judge cell, for this production set',
  'plus-one-t-fp': 'Student t, variance with one pseudo-item in each human × judge cell, for this production set',
  'wilson-adjusted-t-fp':
    'Wilson at the effective sample size with a t quantile, half a pseudo-item in each cell, for this production set',
} as const

export type PpiIntervalId = keyof typeof PPI_INTERVALS

/** How each candidate builds its standard error and its interval. */
const RECIPES: Record<
  PpiIntervalId,
  { pseudo: number; sample: boolean; finite: boolean; shape: 'normal' | 't' | 'wilson' | 'wilson-t' }
> = {
  normal: { pseudo: 0, sample: false, finite: false, shape: 'normal' },
  t: { pseudo: 0, sample: true, finite: false, shape: 't' },
  'wilson-neff': { pseudo: 0, sample: true, finite: false, shape: 'wilson' },
  'adjusted-t': { pseudo: 0.5, sample: true, finite: false, shape: 't' },
  'adjusted-t-fp': { pseudo: 0.5, sample: true, finite: true, shape: 't' },
  'plus-one-t-fp': { pseudo: 1, sample: true, finite: true, shape: 't' },
  'wilson-adjusted-t-fp': { pseudo: 0.5, sample: true, finite: true, shape: 'wilson-t' },
}

/**
 * The interval `ppiEstimate` reports: θ̂ ± t_{n−1}·se with se² = Var(y − λf)·(1/n + 1/m), the variance from the
 * four labeled cells with one pseudo-item added to each (as Agresti & Caffo do for a difference of proportions).
 * ppi_py's normal interval covered 75 % near θ = 0.03–0.97 at small n, because a test split without
 * disagreements estimates Var(y − λf) near 0; half a pseudo-item still fell to 0.90 at θ = 0.99; the production
 * term Var(y − λf)/m (for this production set's own rate) instead of λ²·Var(f)/m fixed n ≈ m/2. In the coverage
 * suite it held ≥ 0.94 in every i.i.d. scenario (worst 0.945–0.951), the narrowest that did.
 */
export const PPI_INTERVAL: PpiIntervalId = 'plus-one-t-fp'

/** z beyond which the labeled items' judge pass rate and production's differ more than chance (two-sided 1%). */
const SHIFT_Z = 2.5758293035489

/** PPI++ estimate with the chosen interval; throws `StatsError` on invalid input. */
export function ppiEstimate(counts: PpiCounts, confidence = 0.95): PpiResult {
  return ppiWith(counts, confidence, PPI_INTERVAL)
}

/** The power-tuned point estimate, in the reference's operation order. */
export function ppiPoint(c: PpiCounts): { theta: number; lambda: number; ybar: number; fbar: number; pk: number } {
  const { tp, fn, fp, tn, k, m } = c
  const n = tp + fn + fp + tn
  const ybar = (tp + fn) / n
  const fbar = (tp + fp) / n
  const covPop = tp / n - ybar * fbar
  const a = (tp + fp + k) / (n + m)
  const var1 = ((n + m) / (n + m - 1)) * a * (1.0 - a)
  const lambda = var1 <= 0 ? 0 : Math.min(1, Math.max(0, covPop / ((1 + n / m) * var1)))
  const pk = k / m
  const theta = lambda * pk + ybar - lambda * fbar
  return { theta, lambda, ybar, fbar, pk }
}

/** `ppiEstimate` with a named candidate interval (for the coverage comparison). */
export function ppiWith(counts: PpiCounts, confidence: number, id: PpiIntervalId): PpiResult {
  checkCounts(counts, confidence)
  const { tp, fn, fp, tn, k, m } = counts
  const n = tp + fn + fp + tn
  const point = ppiPoint(counts)
  const { theta, lambda: lam, pk } = point
  const z = zForConfidence(confidence)
  const recipe = RECIPES[id]
  const a = recipe.pseudo
  const cells = [tp + a, fn + a, fp + a, tn + a]
  const nv = cells[0] + cells[1] + cells[2] + cells[3]
  const dbar = (cells[0] * (1 - lam) + cells[1] - cells[2] * lam) / nv
  const ss =
    cells[0] * (1 - lam - dbar) ** 2 + cells[1] * (1 - dbar) ** 2 + cells[2] * (-lam - dbar) ** 2 + cells[3] * dbar ** 2
  const varD = ss / (recipe.sample ? nv - 1 : nv)
  const varF = pk * (1 - pk) * (recipe.sample && m > 1 ? m / (m - 1) : 1)
  // For the production set's own pass rate the production term is Var(y − λf)/m, not λ²·Var(f)/m (ppi_py's,
  // for the process behind it); they differ when n is not small against m.
  const prodTerm = recipe.finite ? varD / m : (lam * lam * varF) / m
  const se = Math.sqrt(prodTerm + varD / n)
  const q = recipe.shape === 'normal' || recipe.shape === 'wilson' ? z : tQuantile(1 - (1 - confidence) / 2, n - 1)
  const { lower, upper } = recipe.shape.startsWith('wilson') ? wilsonAt(theta, se, n, q) : symmetric(theta, se, q)
  const result = {
    method: 'ppi' as const,
    theta,
    lower,
    upper,
    se,
    lambda: lam,
    interval: id,
    intervalName: PPI_INTERVALS[id],
    confidence,
    labels: n,
    production: m,
    labeledJudgePass: point.fbar,
    productionJudgePass: pk,
  }
  return { ...result, warnings: ppiWarnings(result, k) }
}

/** θ̂ ± q·se clipped to [0, 1] (θ̂ itself may lie outside it: the rectifier is unbounded). */
function symmetric(theta: number, se: number, q: number): { lower: number; upper: number } {
  return { lower: clip01(theta - q * se), upper: clip01(theta + q * se) }
}

/** Wilson's interval for θ̂ at the effective sample size n* = θ̂(1 − θ̂)/se² (n when se = 0). */
function wilsonAt(theta: number, se: number, n: number, q: number): { lower: number; upper: number } {
  const t = Math.min(1, Math.max(0, theta))
  const nEff = se > 0 ? Math.max(1, (t * (1 - t)) / (se * se)) : n
  const d = 1 + (q * q) / nEff
  const c = (t + (q * q) / (2 * nEff)) / d
  const h = (q * Math.sqrt((t * (1 - t)) / nEff + (q * q) / (4 * nEff * nEff))) / d
  return { lower: Math.max(0, c - h), upper: Math.min(1, c + h) }
}

/**
 * Student's t quantile by the Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5); within 1e-4 of
 * the exact value at the 0.975 level for ν ≥ 5, which is far below the simulation's resolution.
 */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p)
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
}

/** The reference's checks, with messages that say what to do. */
function checkCounts(c: PpiCounts, confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsError(
      'bad_confidence',
      `confidence must be between 0 and 1 (exclusive), got ${confidence}; e.g. 0.95`,
    )
  }
  for (const key of ['tp', 'fn', 'fp', 'tn', 'k', 'm'] as const) {
    if (!(Number.isSafeInteger(c[key]) && c[key] >= 0)) {
      throw new StatsError('bad_counts', `count ${key} must be a non-negative integer, got ${String(c[key])}`)
    }
  }
  if (c.k > c.m) {
    throw new StatsError(
      'bad_counts',
      `k (${c.k}) is the number of production items judged pass, so it cannot exceed m (${c.m})`,
    )
  }
  const n = c.tp + c.fn + c.fp + c.tn
  if (n < 2 || c.m < 1) {
    throw new StatsError(
      'too_few',
      `PPI++ needs at least 2 labeled items and 1 production verdict (got n = ${n}, m = ${c.m}): label more test items`,
    )
  }
}

/** Label shift (the labeled items unlike production), λ = 0, and a small test set. */
function ppiWarnings(r: Omit<PpiResult, 'warnings'>, k: number): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = []
  const n = r.labels
  const m = r.production
  const a = (r.labeledJudgePass * n + k) / (n + m)
  const sd = Math.sqrt(a * (1 - a) * (1 / n + 1 / m))
  const diff = r.labeledJudgePass - r.productionJudgePass
  if (sd > 0 && Math.abs(diff) / sd > SHIFT_Z) {
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`
    out.push({
      code: 'label_shift',
      message: `The judge passed ${pct(r.labeledJudgePass)} of the labeled items but ${pct(r.productionJudgePass)} of production, more apart than chance allows: the labeled items are not a random sample of production, so PPI++ is biased here. Use Rogan–Gladen or a production audit.`,
    })
  }
  if (r.lambda === 0) {
    out.push({
      code: 'lambda_zero',
      message:
        'λ = 0: on the labeled items the judge’s verdicts do not track the human labels (or do not vary), so PPI++ is the plain pass rate of the labels and the production verdicts add nothing.',
    })
  }
  if (n < 30) {
    out.push({
      code: 'small_test',
      message: `Only ${n} labeled items: PPI++'s interval rests on a normal approximation; label at least ${30 - n} more.`,
    })
  }
  return out
}
