/**
 * Where the next labels go. For an audit: Neyman allocation over the judge's verdict strata (Neyman 1934),
 * n_h ∝ N_h·S_h, which minimises the variance of Σ W_h·p̂_h for a given number of labels, and the single
 * stratum whose next label shrinks the interval most. For Rogan–Gladen: the human class that limits the
 * width (Lee et al. 2025, via `labelingAdvice`). Both project the width after more labels, so the screen
 * can say what the labels buy.
 */
import { labelingAdvice, leeAllocation } from './advice'
import { isStatsError, StatsError } from './errors'
import { langReiczigelInterval } from './lang-reiczigel'
import { stratifiedEstimate, type Stratum } from './stratified'

/** Labels a stratum gets proportionally before its own rate is trusted for Neyman allocation. */
export const DEFAULT_MIN_PER_STRATUM = 10

/** S_h = √(p̃(1 − p̃)) with p̃ = (y + 1)/(n + 2): a stratum with p̂ = 0 or 1 so far keeps some weight. */
function spread(s: { n: number; humanPass: number }): number {
  const p = (s.humanPass + 1) / (s.n + 2)
  return Math.sqrt(p * (1 - p))
}

/**
 * Neyman allocation of `size` new draws over strata: n_h ∝ N_h·S_h (S_h from current p̂_h with a prior so
 * p̂ = 0/1 does not zero it; proportional, at least `min` per stratum (default 10), while a stratum has < min
 * labels); never more than N_h − already drawn; sums to min(size, room).
 */
export function neymanAllocation(
  strata: readonly { N: number; n: number; humanPass: number }[],
  size: number,
  min = DEFAULT_MIN_PER_STRATUM,
): number[] {
  if (!(Number.isSafeInteger(size) && size >= 0)) {
    throw new StatsError('bad_counts', `the number of labels to allocate must be a non-negative integer, got ${size}`)
  }
  const room = strata.map((s) => Math.max(0, s.N - s.n))
  const target = Math.min(
    size,
    room.reduce((a, b) => a + b, 0),
  )
  const pilot = strata.some((s, h) => s.n < min && room[h] > 0)
  // Until every stratum has `min` labels, top the short ones up first, then share the rest proportionally.
  const floors = strata.map((s, h) => Math.min(room[h], Math.max(0, min - s.n)))
  const floorSum = floors.reduce((a, b) => a + b, 0)
  if (floorSum >= target) return apportion(floors, target, floors)
  const caps = room.map((r, h) => r - floors[h])
  const weights = strata.map((s, h) => (caps[h] > 0 ? (pilot ? s.N : s.N * spread(s)) : 0))
  const rest = apportion(weights, target - floorSum, caps)
  return floors.map((f, h) => f + rest[h])
}

/**
 * Whole numbers x_h ≤ cap_h summing to `total` (≤ Σ cap_h), as close as possible to shares ∝ weight_h:
 * water-filling (strata at their cap drop out, the rest share again), then largest remainders.
 */
function apportion(weights: readonly number[], total: number, caps: readonly number[]): number[] {
  const x = weights.map(() => 0)
  const open = new Set(weights.map((_, h) => h).filter((h) => caps[h] > 0))
  let left = total
  while (left > 1e-9 && open.size > 0) {
    let w = 0
    for (const h of open) w += weights[h]
    const share = (h: number): number => (w > 0 ? (left * weights[h]) / w : left / open.size)
    const capped = [...open].filter((h) => x[h] + share(h) >= caps[h])
    if (capped.length === 0) {
      for (const h of open) x[h] += share(h)
      break
    }
    for (const h of capped) {
      left -= caps[h] - x[h]
      x[h] = caps[h]
      open.delete(h)
    }
  }
  const out = x.map((v) => Math.floor(v + 1e-9))
  let missing = total - out.reduce((a, b) => a + b, 0)
  const order = x.map((v, h) => ({ h, frac: v - out[h] })).sort((a, b) => b.frac - a.frac || a.h - b.h)
  for (const { h } of order) {
    if (missing <= 0) break
    if (out[h] < caps[h]) {
      out[h]++
      missing--
    }
  }
  return out
}

const pct = (confidence: number): string => `${+(confidence * 100).toFixed(4)}%`

/** Width of the audit interval, 1 while a stratum has no label (no estimate yet). */
function auditWidth(strata: readonly Stratum[], confidence: number): number {
  if (strata.some((s) => s.n === 0)) return 1
  const e = stratifiedEstimate(strata, confidence)
  return e.upper - e.lower
}

/**
 * "Label next" for an audit: the stratum whose next label shrinks the interval most (largest variance reduction
 * per label), and the projected full width after `more` further labels allocated by Neyman.
 */
export function auditNext(
  strata: readonly Stratum[],
  more: number,
  confidence = 0.95,
): { stratum: number | null; widthNow: number; widthAfter: number; message: string } {
  const widthNow = auditWidth(strata, confidence)
  let population = 0
  for (const s of strata) population += s.N
  // One more label in h removes W_h²·S_h²·(1/n_h − 1/(n_h + 1)) from Σ W_h²·S_h²·(1/n_h − 1/N_h).
  const gain = strata.map((s) =>
    s.n >= s.N ? -1 : s.n === 0 ? Infinity : ((s.N / population) * spread(s)) ** 2 / (s.n * (s.n + 1)),
  )
  const best = gain.reduce((b, g, h) => (g > gain[b] ? h : b), 0)
  const stratum = gain[best] >= 0 ? best : null
  const add = neymanAllocation(strata, more)
  // Projection: each stratum's pass rate stays where it is (0.5 before its first label).
  const after = strata.map((s, h) => {
    const p = s.n > 0 ? s.humanPass / s.n : 0.5
    return { ...s, n: s.n + add[h], humanPass: s.humanPass + Math.round(p * add[h]) }
  })
  const widthAfter = auditWidth(after, confidence)
  const split = strata.map((s, h) => `${add[h]} from "${s.name}"`).join(', ')
  const message =
    stratum === null
      ? `Every stratum is fully labeled: the audit is a census and its ${pct(confidence)} interval cannot narrow further.`
      : `Label from "${strata[stratum].name}" next: a label there narrows the interval most. ${add.reduce((a, b) => a + b, 0)} more labels (${split}) would take the ${pct(confidence)} interval from ±${(widthNow / 2).toFixed(3)} to about ±${(widthAfter / 2).toFixed(3)}.`
  return { stratum, widthNow, widthAfter, message }
}

/** Lang–Reiczigel width, 1 where it refuses (too few labels to correct). */
function lrWidth(c: { tp: number; fn: number; tn: number; fp: number; k: number; m: number }, confidence: number) {
  try {
    const ci = langReiczigelInterval(c, confidence)
    return ci.upper - ci.lower
  } catch (e) {
    if (isStatsError(e)) return 1
    throw e
  }
}

/**
 * "Label next" for Rogan–Gladen: which human class limits the width (`labelingAdvice`, Lee et al.'s split), and
 * the projected Lang–Reiczigel width after `more` labels split the best way.
 */
export function rgNext(
  counts: { tp: number; fn: number; tn: number; fp: number; k: number; m: number },
  more: number,
  confidence = 0.95,
): { nextClass: 'pass' | 'fail' | null; widthNow: number; widthAfter: number; message: string } {
  const c = counts
  if (c.m < 1) {
    return { nextClass: null, widthNow: 1, widthAfter: 1, message: 'Run the judge on production items first.' }
  }
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  const widthNow = lrWidth(c, confidence)
  const nextClass = labelingAdvice(c, 0, confidence).nextClass
  // Lee et al.'s split of the new total, keeping the labels already given.
  const se = (c.tp + 1) / (pos + 2)
  const sp = (c.tn + 1) / (neg + 2)
  const want = Math.round(leeAllocation(pos + neg + more, c.k / c.m, se, sp).pass)
  const addPass = Math.min(more, Math.max(0, want - pos))
  const addFail = more - addPass
  const tp = c.tp + Math.round(se * addPass)
  const tn = c.tn + Math.round(sp * addFail)
  const widthAfter = lrWidth({ tp, fn: pos + addPass - tp, tn, fp: neg + addFail - tn, k: c.k, m: c.m }, confidence)
  const message = `Label ${nextClass === 'pass' ? 'Pass' : 'Fail'} items next: that class limits the width. ${more} more labels (${addPass} Pass, ${addFail} Fail) would take the ${pct(confidence)} Rogan–Gladen interval (Lang–Reiczigel) from ±${(widthNow / 2).toFixed(3)} to about ±${(widthAfter / 2).toFixed(3)}.`
  return { nextClass, widthNow, widthAfter, message }
}
