/**
 * Rates of a binary judge against human labels. TPR and TNR come first (they transfer to
 * production because they condition on the true class); accuracy, precision, F1 and MCC depend
 * on the test set's prevalence and are secondary (statistics.md §5.4).
 */
import type { ConfusionCounts } from './confusion'
import { zForConfidence } from './normal'

/** A proportion with its interval; `estimate` is null when the denominator is 0. */
export interface RateInterval {
  estimate: number | null
  lower: number
  upper: number
  successes: number
  trials: number
}

/**
 * Wilson score interval (Wilson 1927, JASA 22:209–212): centre (x + z²/2)/(n + z²), half-width
 * z·√(x(n−x)/n + z²/4)/(n + z²). Unlike the Wald interval it stays inside [0, 1] and keeps a
 * sensible width at x = 0 or x = n, which matters for near-perfect judges. n = 0 gives [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): RateInterval {
  if (trials === 0) return { estimate: null, lower: 0, upper: 1, successes, trials }
  const z = zForConfidence(confidence)
  const z2 = z * z
  const centre = (successes + z2 / 2) / (trials + z2)
  const half = (z * Math.sqrt((successes * (trials - successes)) / trials + z2 / 4)) / (trials + z2)
  return {
    estimate: successes / trials,
    lower: Math.max(0, centre - half),
    upper: Math.min(1, centre + half),
    successes,
    trials,
  }
}

/** TPR = TP/(TP+FN) and TNR = TN/(TN+FP), each with its Wilson interval. */
export function judgeRates(c: ConfusionCounts, confidence = 0.95): { tpr: RateInterval; tnr: RateInterval } {
  return { tpr: wilsonInterval(c.tp, c.tp + c.fn, confidence), tnr: wilsonInterval(c.tn, c.tn + c.fp, confidence) }
}

/** Prevalence-dependent summaries; null where a denominator is 0. */
export interface SecondaryMetrics {
  n: number
  accuracy: number | null
  precision: number | null
  recall: number | null
  f1: number | null
  /** (TPR + TNR)/2, prevalence-free. */
  balancedAccuracy: number | null
  /** Matthews correlation (TP·TN − FP·FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)). */
  mcc: number | null
  /** Youden's J = TPR + TNR − 1, the Rogan–Gladen denominator. */
  youdenJ: number | null
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b)

/** Accuracy, precision, recall, F1, balanced accuracy, MCC and J from a confusion matrix. */
export function secondaryMetrics(c: ConfusionCounts): SecondaryMetrics {
  const n = c.tp + c.fn + c.tn + c.fp
  const tpr = ratio(c.tp, c.tp + c.fn)
  const tnr = ratio(c.tn, c.tn + c.fp)
  const precision = ratio(c.tp, c.tp + c.fp)
  const f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)
  const mccDen = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn))
  return {
    n,
    accuracy: ratio(c.tp + c.tn, n),
    precision,
    recall: tpr,
    f1,
    balancedAccuracy: tpr === null || tnr === null ? null : (tpr + tnr) / 2,
    mcc: mccDen === 0 ? null : (c.tp * c.tn - c.fp * c.fn) / mccDen,
    youdenJ: tpr === null || tnr === null ? null : tpr + tnr - 1,
  }
}
