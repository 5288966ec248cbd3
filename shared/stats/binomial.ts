/**
 * Binomial random variates and probabilities. JavaScript has no binomial sampler, and the
 * count-level bootstrap (statistics.md §3.2) needs tens of thousands of draws in milliseconds:
 * - small and medium variance: an inverse-CDF table per (n, p), built once with the pmf ratio
 *   recurrence from the mode and searched through a guide table (Chen & Asau 1974), O(1) a draw;
 * - large variance (where tables would be big and rarely reused): BTRS, the transformed
 *   rejection sampler with squeeze of Hörmann (1993), J Stat Comput Simul 46:101–110, O(1) a draw;
 * - one-off draws with a small mean: sequential inversion (Kachitvichyanukul & Schmeiser 1988).
 */
import type { Rng } from './rng'

/** Terms below this fraction of the mode's probability are left out; 53-bit uniforms cannot reach them. */
const RELATIVE_CUTOFF = 1e-18
/** Largest standard deviation for which a per-n table is cached by `BinomialFamily`. */
const FAMILY_TABLE_MAX_SD = 50
/** Largest standard deviation for which `createBinomialSampler` builds a table. */
const FIXED_TABLE_MAX_SD = 5000
/** A per-n table is built only once n has been asked for this often; until then draws are direct. */
const FAMILY_LAZY_DRAWS = 4
/** Upper bound on cached table entries per family (about 32 MB of doubles). */
const FAMILY_MAX_ENTRIES = 4_000_000

/** P(X = lo + j) = pmf[j] for X ~ Bin(n, p); the support is truncated where terms fall below 1e-18 of the mode. */
export interface BinomialPmf {
  n: number
  p: number
  lo: number
  pmf: Float64Array
}

/** Scratch buffers for the recurrence, reused across calls (tables are built often in a bootstrap). */
let upScratch: Float64Array = new Float64Array(256)
let downScratch: Float64Array = new Float64Array(256)

/**
 * Unnormalised pmf terms P(X = lo + j)/P(X = mode) over the support where they are ≥ 1e-18, and
 * their sum. Built with the ratio recurrence P(j+1)/P(j) = (n−j)/(j+1)·p/(1−p) outward from the
 * mode, so it needs no log-gamma and its relative error is about (number of terms)·ε.
 */
function relativeTerms(n: number, p: number): { lo: number; mode: number; terms: Float64Array; total: number } {
  const mode = Math.min(n, Math.floor((n + 1) * p))
  const odds = p / (1 - p)
  let nUp = 0
  for (let j = mode, v = 1; j < n; j++) {
    v *= ((n - j) / (j + 1)) * odds
    if (v < RELATIVE_CUTOFF) break
    if (nUp === upScratch.length) upScratch = grow(upScratch)
    upScratch[nUp++] = v
  }
  let nDown = 0
  for (let j = mode, v = 1; j > 0; j--) {
    v *= j / (n - j + 1) / odds
    if (v < RELATIVE_CUTOFF) break
    if (nDown === downScratch.length) downScratch = grow(downScratch)
    downScratch[nDown++] = v
  }
  const terms = new Float64Array(nDown + 1 + nUp)
  let total = 0
  for (let d = 0; d < nDown; d++) terms[nDown - 1 - d] = downScratch[d]
  terms[nDown] = 1
  terms.set(upScratch.subarray(0, nUp), nDown + 1)
  for (let j = 0; j < terms.length; j++) total += terms[j]
  return { lo: mode - nDown, mode, terms, total }
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2)
  b.set(a)
  return b
}

/**
 * The binomial pmf over its numerically relevant support (terms below 1e-18 of the mode dropped), normalised to sum to
 * 1.
 */
export function binomialPmf(n: number, p: number): BinomialPmf {
  checkArgs(n, p)
  if (p === 0 || n === 0) return { n, p, lo: 0, pmf: Float64Array.of(1) }
  if (p === 1) return { n, p, lo: n, pmf: Float64Array.of(1) }
  const { lo, terms, total } = relativeTerms(n, p)
  for (let j = 0; j < terms.length; j++) terms[j] /= total
  return { n, p, lo, pmf: terms }
}

/** Tables at most this long are searched outward from the mode instead of through a guide table. */
const SMALL_TABLE = 64

/**
 * Inverse-CDF sampler for Bin(n, p), 0 < p < 1: returns the first j with CDF(j) > u. Small tables
 * are searched from the mode (expected steps ≈ 0.8·sd); larger ones start from a guide table
 * (Chen & Asau 1974) for O(1) expected lookups.
 */
class TableSampler {
  readonly size: number
  private readonly lo: number
  private readonly start: number
  private readonly cdf: Float64Array
  private readonly guide: Int32Array | null

  constructor(n: number, p: number) {
    const { lo, mode, terms, total } = relativeTerms(n, p)
    const len = terms.length
    let acc = 0
    for (let j = 0; j < len; j++) {
      acc += terms[j]
      terms[j] = acc / total
    }
    // u < 1 always, so forcing the last entry to 1 guarantees the search stops inside the table.
    terms[len - 1] = 1
    this.cdf = terms
    this.size = len
    this.lo = lo
    this.start = mode - lo
    if (len <= SMALL_TABLE) {
      this.guide = null
      return
    }
    const guide = new Int32Array(len)
    for (let g = 0, j = 0; g < len; g++) {
      while (terms[j] <= g / len) j++
      guide[g] = j
    }
    this.guide = guide
  }

  draw(rng: Rng): number {
    const u = rng.nextFloat()
    const cdf = this.cdf
    if (this.guide === null) {
      let j = this.start
      if (u < cdf[j]) {
        while (j > 0 && u < cdf[j - 1]) j--
      } else {
        while (cdf[j] <= u) j++
      }
      return this.lo + j
    }
    let j = this.guide[Math.floor(u * this.size)]
    while (cdf[j] <= u) j++
    return this.lo + j
  }
}

/** Hörmann's f_c(k) = ln k! − [(k+½)ln(k+1) − (k+1) + ½ln 2π], tabulated for k < 10. */
const STIRLING_TAIL: Float64Array = (() => {
  const t = new Float64Array(10)
  let logFactorial = 0
  for (let k = 0; k < 10; k++) {
    if (k > 0) logFactorial += Math.log(k)
    t[k] = logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI))
  }
  return t
})()

function stirlingTail(k: number): number {
  if (k < 10) return STIRLING_TAIL[k]
  const k1 = k + 1
  const s = k1 * k1
  return (1 / 12 - (1 / 360 - 1 / 1260 / s) / s) / k1
}

/**
 * BTRS (Hörmann 1993, algorithm "BTRS"): exact binomial variates for n·min(p, 1−p) ≥ 10 in O(1)
 * expected time; about 80% of draws are accepted by the cheap box test.
 */
export function binomialBtrs(rng: Rng, n: number, p: number): number {
  if (p > 0.5) return n - binomialBtrs(rng, n, 1 - p)
  const spq = Math.sqrt(n * p * (1 - p))
  const b = 1.15 + 2.53 * spq
  const a = -0.0873 + 0.0248 * b + 0.01 * p
  const c = n * p + 0.5
  const vr = 0.92 - 4.2 / b
  const alpha = (2.83 + 5.1 / b) * spq
  const lpq = Math.log(p / (1 - p))
  const m = Math.floor((n + 1) * p)
  const h = stirlingTail(m) + stirlingTail(n - m)
  for (;;) {
    const u = rng.nextFloat() - 0.5
    let v = rng.nextFloat()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + c)
    if (k < 0 || k > n) continue
    if (us >= 0.07 && v <= vr) return k
    v = Math.log((v * alpha) / (a / (us * us) + b))
    const bound =
      (m + 0.5) * Math.log((m + 1) / (n - m + 1)) +
      (n + 1) * Math.log((n - m + 1) / (n - k + 1)) +
      (k + 0.5) * Math.log((n - k + 1) / (k + 1)) +
      (k - m) * lpq +
      h -
      stirlingTail(k) -
      stirlingTail(n - k)
    if (v <= bound) return k
  }
}

/** Sequential inversion from 0 (BINV); fast when n·min(p, 1−p) is small. */
function binomialInversion(rng: Rng, n: number, p: number): number {
  if (p > 0.5) return n - binomialInversion(rng, n, 1 - p)
  const q = 1 - p
  const s = p / q
  const a = (n + 1) * s
  const r0 = Math.pow(q, n)
  for (;;) {
    let r = r0
    let u = rng.nextFloat()
    let x = 0
    while (u > r) {
      u -= r
      x++
      if (x > n) break
      r *= a / x - s
    }
    if (x <= n) return x
  }
}

/** One Bin(n, p) draw without caching; choose `createBinomialSampler` for repeated draws. */
export function binomial(rng: Rng, n: number, p: number): number {
  checkArgs(n, p)
  if (n === 0 || p === 0) return 0
  if (p === 1) return n
  return n * Math.min(p, 1 - p) < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p)
}

/** Repeated draws from one Bin(n, p): a table when it stays under ~10⁵ entries, else BTRS. */
export function createBinomialSampler(n: number, p: number): (rng: Rng) => number {
  checkArgs(n, p)
  if (n === 0 || p === 0) return () => 0
  if (p === 1) return () => n
  if (Math.sqrt(n * p * (1 - p)) <= FIXED_TABLE_MAX_SD) {
    const table = new TableSampler(n, p)
    return (rng) => table.draw(rng)
  }
  return (rng) => binomialBtrs(rng, n, p)
}

/**
 * Draws from Bin(n, p) for one p and varying n, as in TP* | P* ~ Bin(P*, TPR): tables are built
 * lazily per n and reused (a bootstrap visits only a few hundred distinct n), falling back to
 * BTRS or inversion when a table would be large or the cache is full.
 */
export class BinomialFamily {
  /** Tables by n: a dense array for n up to 10^5 (fast to index), else a Map. */
  private readonly dense: Array<TableSampler | null> | null
  private readonly sparse = new Map<number, TableSampler>()
  /** Draws seen per n before its table is built (dense case), so rarely visited n never pay for one. */
  private readonly hits: Int32Array | null
  private readonly sparseHits = new Map<number, number>()
  private cachedEntries = 0

  /** `maxN` is the largest n that will be asked for (it sizes the dense index). */
  constructor(
    readonly p: number,
    maxN: number,
  ) {
    checkArgs(maxN, p)
    const dense = maxN <= 100_000
    this.dense = dense ? new Array<TableSampler | null>(maxN + 1).fill(null) : null
    this.hits = dense ? new Int32Array(maxN + 1) : null
  }

  draw(rng: Rng, n: number): number {
    const table = this.dense !== null ? this.dense[n] : this.sparse.get(n)
    if (table) return table.draw(rng)
    return this.drawSlow(rng, n)
  }

  private drawSlow(rng: Rng, n: number): number {
    const p = this.p
    if (n === 0 || p === 0) return 0
    if (p === 1) return n
    const seen = this.hits !== null ? ++this.hits[n] : this.bumpSparse(n)
    if (
      seen < FAMILY_LAZY_DRAWS ||
      n * p * (1 - p) > FAMILY_TABLE_MAX_SD * FAMILY_TABLE_MAX_SD ||
      this.cachedEntries > FAMILY_MAX_ENTRIES
    ) {
      return binomial(rng, n, p)
    }
    const table = new TableSampler(n, p)
    if (this.dense !== null) this.dense[n] = table
    else this.sparse.set(n, table)
    this.cachedEntries += table.size
    return table.draw(rng)
  }

  private bumpSparse(n: number): number {
    const seen = (this.sparseHits.get(n) ?? 0) + 1
    this.sparseHits.set(n, seen)
    return seen
  }
}

/**
 * Multinomial(n; probs) as a chain of conditional binomials: X₁ ~ Bin(n, p₁),
 * X₂ | X₁ ~ Bin(n − X₁, p₂/(1 − p₁)), … (the decomposition statistics.md §3.2 uses).
 */
export function multinomial(rng: Rng, n: number, probs: ArrayLike<number>): Int32Array {
  const out = new Int32Array(probs.length)
  let remaining = n
  let restMass = 1
  for (let i = 0; i < probs.length - 1 && remaining > 0; i++) {
    const pi = restMass > 0 ? Math.min(1, Math.max(0, probs[i] / restMass)) : 0
    const x = binomial(rng, remaining, pi)
    out[i] = x
    remaining -= x
    restMass -= probs[i]
  }
  if (probs.length > 0) out[probs.length - 1] += remaining
  return out
}

function checkArgs(n: number, p: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`)
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`)
}
