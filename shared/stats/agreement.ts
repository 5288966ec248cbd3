/**
 * Chance-corrected agreement between two annotators on binary labels (statistics.md §5.4). The
 * course uses κ for human–human agreement, not for judge vs truth. Cells follow `ConfusionCounts`
 * with annotator A as rows and B as columns: tp = both Pass, fn = A Pass/B Fail,
 * fp = A Fail/B Pass, tn = both Fail.
 */
import { clopperPearsonInterval } from './beta'
import type { ConfusionCounts } from './confusion'

/**
 * The interval κ is shown with, chosen by simulated coverage (`kappa-coverage.ts`, run by
 * test/unit/stats/kappa-coverage.test.ts): κ = 1 − p_d/p_dc, where p_d is the disagreement rate
 * and p_dc = 1 − p_e the disagreement expected by chance from the two annotators' Pass rates. The
 * interval is the Clopper–Pearson interval of p_d (an exact binomial interval) mapped through that
 * identity with p_dc held at its observed value. It stays valid where the large-sample interval
 * collapses: with no disagreement (κ̂ = 1) its lower bound is the smallest κ that 0 disagreements
 * in n items do not rule out, and its upper bound is 1. Deterministic: no random draws.
 */
export const KAPPA_INTERVAL_METHOD = 'clopper-pearson-disagreement'
/** How the UI names it. */
export const KAPPA_INTERVAL_NAME = 'exact Clopper–Pearson interval of the disagreement rate'

/** Cohen's κ with its large-sample interval, plus the prevalence-robust alternatives. */
export interface Agreement {
  n: number
  /** Observed agreement p_o = p₁₁ + p₀₀. */
  observed: number | null
  /** Chance agreement p_e = p₁.·p.₁ + p₀.·p.₀. */
  chance: number | null
  /** κ = (p_o − p_e)/(1 − p_e); null when p_e = 1 (both annotators constant and equal) or n = 0. */
  kappa: number | null
  /** Fleiss–Cohen–Everitt large-sample standard error of κ̂ (0 at κ̂ = 1: not a basis for the interval). */
  se: number | null
  /** The interval of `KAPPA_INTERVAL_METHOD`. */
  lower: number | null
  upper: number | null
  /** Prevalence- and bias-adjusted κ = 2p_o − 1 (Byrt, Bishop & Carlin 1993). */
  pabak: number | null
  /** Gwet's AC1 (Gwet 2008): chance agreement 2π(1−π) with π = (p₁. + p.₁)/2. */
  ac1: number | null
}

/**
 * κ with its interval (`KAPPA_INTERVAL_METHOD`), the large-sample standard error of Fleiss, Cohen
 * & Everitt (1969), Psychol Bull 72:323–327:
 * Var = {Σᵢ pᵢᵢ[1 − (pᵢ. + p.ᵢ)(1−κ)]² + (1−κ)² Σ_{i≠j} pᵢⱼ(p.ᵢ + pⱼ.)² − [κ − p_e(1−κ)]²}/(n(1−p_e)²),
 * plus PABAK and AC1, which stay meaningful when prevalence is skewed (the "kappa paradox").
 * The interval κ ± z·SE is not used: it is [1, 1] whenever the annotators never disagree, and
 * covered true κ values near 1 in under a quarter of small samples (see `kappaWaldInterval`).
 */
export function agreement(c: ConfusionCounts, confidence = 0.95): Agreement {
  const n = c.tp + c.fn + c.tn + c.fp
  const none: Agreement = {
    n,
    observed: null,
    chance: null,
    kappa: null,
    se: null,
    lower: null,
    upper: null,
    pabak: null,
    ac1: null,
  }
  if (n === 0) return none
  const p11 = c.tp / n
  const p10 = c.fn / n
  const p01 = c.fp / n
  const p00 = c.tn / n
  const row1 = p11 + p10
  const row0 = p01 + p00
  const col1 = p11 + p01
  const col0 = p10 + p00
  const po = p11 + p00
  const pe = row1 * col1 + row0 * col0
  const pi = (row1 + col1) / 2
  const peAc1 = 2 * pi * (1 - pi)
  const ac1 = peAc1 === 1 ? null : (po - peAc1) / (1 - peAc1)
  const base = { ...none, observed: po, chance: pe, pabak: 2 * po - 1, ac1 }
  if (pe >= 1) return base
  const kappa = (po - pe) / (1 - pe)
  const q = 1 - kappa
  const diagonal = p11 * (1 - (row1 + col1) * q) ** 2 + p00 * (1 - (row0 + col0) * q) ** 2
  const offDiagonal = q * q * (p10 * (col1 + row0) ** 2 + p01 * (col0 + row1) ** 2)
  const variance = (diagonal + offDiagonal - (kappa - pe * q) ** 2) / (n * (1 - pe) ** 2)
  const se = Math.sqrt(Math.max(0, variance))
  // kappaInterval is null only where κ is undefined, which pe < 1 rules out; spreading null would add nothing.
  return { ...base, kappa, se, ...kappaInterval(c, confidence) }
}

/**
 * The interval of `KAPPA_INTERVAL_METHOD`: [1 − U/p_dc, 1 − L/p_dc] with [L, U] the
 * Clopper–Pearson interval of the fn + fp disagreements in n items and p_dc = p₁.·p.₀ + p₀.·p.₁,
 * clipped to [−1, 1]. It always contains κ̂ (p_d = (fn + fp)/n lies in [L, U]). Null where κ is
 * undefined (n = 0, or both annotators gave one and the same verdict to every item).
 */
export function kappaInterval(c: ConfusionCounts, confidence = 0.95): { lower: number; upper: number } | null {
  const n = c.tp + c.fn + c.tn + c.fp
  if (n === 0) return null
  const row1 = (c.tp + c.fn) / n
  const col1 = (c.tp + c.fp) / n
  const chanceDisagreement = row1 * (1 - col1) + (1 - row1) * col1
  if (chanceDisagreement <= 0) return null
  const { lower, upper } = clopperPearsonInterval(c.fn + c.fp, n, confidence)
  return { lower: Math.max(-1, 1 - upper / chanceDisagreement), upper: Math.min(1, 1 - lower / chanceDisagreement) }
}
