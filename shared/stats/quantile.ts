/**
 * Sample quantiles of bootstrap draws. judgy calls `np.percentile` with numpy's default
 * `linear` method, Hyndman & Fan (1996) type 7, so that is what the percentile and BCa intervals
 * read off the draws. Selection (Hoare's quickselect) finds the few order statistics needed in
 * O(B), which is cheaper than sorting 20 000 draws.
 */

/**
 * Type-7 quantile of an ascending array at level `p ∈ [0, 1]`:
 * h = (K − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman & Fan 1996, Am Stat 50:361).
 * The caller guarantees the array is sorted.
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const k = sorted.length
  checkLevel(k, p)
  const h = (k - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, k - 1)
  const a = sorted[lo]
  return a + (h - lo) * (sorted[hi] - a)
}

/**
 * Type-7 quantiles of unsorted values at ascending `levels`, by selection on a copy (the input is
 * not modified). Gives the same numbers as sorting and calling `quantileType7`.
 */
export function quantilesType7(values: Float64Array, levels: readonly number[]): number[] {
  const k = values.length
  const a = values.slice()
  let from = 0
  return levels.map((p) => {
    checkLevel(k, p)
    const h = (k - 1) * p
    const lo = Math.floor(h)
    if (lo < from) throw new RangeError('quantilesType7 needs ascending levels')
    const x = select(a, lo, from, k - 1)
    from = lo
    if (lo + 1 >= k || h === lo) return x
    // After selection everything right of lo is ≥ a[lo]; the next order statistic is their minimum.
    let next = a[lo + 1]
    for (let i = lo + 2; i < k; i++) if (a[i] < next) next = a[i]
    return x + (h - lo) * (next - x)
  })
}

/** The equal-tailed percentile interval [q(α/2), q(1 − α/2)] of (unsorted) draws. */
export function percentileInterval(draws: Float64Array, confidence: number): { lower: number; upper: number } {
  const alpha = 1 - confidence
  const [lower, upper] = quantilesType7(draws, [alpha / 2, 1 - alpha / 2])
  return { lower, upper }
}

/** Number of values strictly below `x` (any order). */
export function countBelow(values: ArrayLike<number>, x: number): number {
  let count = 0
  for (let i = 0; i < values.length; i++) if (values[i] < x) count++
  return count
}

/** Rearranges a[lo..hi] so that a[k] holds the value it would have if sorted, smaller ones left, larger right. */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    const x = a[lo]
    const y = a[mid]
    const z = a[hi]
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        const t = a[i]
        a[i] = a[j]
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k]
  }
  return a[k]
}

function checkLevel(k: number, p: number): void {
  if (k === 0) throw new RangeError('a quantile needs at least one value')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${p}`)
}
