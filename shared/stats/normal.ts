/**
 * The standard normal distribution: Φ for BCa levels and Φ⁻¹ for z-values. JavaScript has no
 * erf, so both are implemented here; Φ⁻¹ is Wichura's AS241 (the algorithm Python's
 * `statistics.NormalDist.inv_cdf` uses, which `ref_estimator.py` calls), so analytic intervals
 * agree with the reference to the last few bits.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)
/** Below this |x| the Taylor series is used, above it the continued fraction. */
const SERIES_LIMIT = 2

/** Standard normal density φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI)
}

/**
 * Φ(x), the standard normal CDF, with ~1e-14 relative accuracy from the centre to the far tail.
 * For |x| < 2 the series Φ(x) = ½ + φ(x)·Σ x^(2i+1)/(1·3···(2i+1)) (Marsaglia 2004, J Stat
 * Softw 11(4)); further out the tail Q(x) = φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))) evaluated with
 * the modified Lentz method (Press et al., Numerical Recipes §5.2), which keeps relative accuracy
 * deep in the tail where 1 − Φ would cancel.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x === Infinity) return 1
  if (x === -Infinity) return 0
  if (Math.abs(x) < SERIES_LIMIT) {
    let sum = x
    let term = x
    const q = x * x
    for (let i = 3; i < 400; i += 2) {
      term *= q / i
      const next = sum + term
      if (next === sum) break
      sum = next
    }
    return 0.5 + sum * normalPdf(x)
  }
  const tail = upperTail(Math.abs(x))
  return x > 0 ? 1 - tail : tail
}

/** Q(x) = 1 − Φ(x) for x ≥ 2 by the continued fraction above. */
function upperTail(x: number): number {
  if (x > 40) return 0
  const tiny = 1e-300
  // f = x + 1/(x + 2/(x + 3/(x + …))): b_j = x, a_j = j.
  let f = x
  let c = x
  let d = 0
  for (let j = 1; j < 500; j++) {
    d = x + j * d
    if (d === 0) d = tiny
    c = x + j / c
    if (c === 0) c = tiny
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return normalPdf(x) / f
}

/**
 * Φ⁻¹(p) by Wichura (1988), "Algorithm AS241: The percentage points of the normal
 * distribution", Appl Statist 37:477–484 (PPND16, relative accuracy about 1e-16).
 * Throws a RangeError outside (0, 1); returns ±Infinity at exactly 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 <= p <= 1, got ${p}`)
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    const num =
      (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
        45921.953931549871457) *
        r +
        13731.693765509461125) *
        r +
        1971.5909503065514427) *
        r +
        133.14166789178437745) *
        r +
        3.387132872796366608) *
      q
    const den =
      ((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
      1
    return num / den
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  let x: number
  if (r <= 5) {
    r -= 1.6
    const num =
      ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
      1.42343711074968357734
    const den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
      1
    x = num / den
  } else {
    r -= 5
    const num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
      6.6579046435011037772
    const den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
      1
    x = num / den
  }
  return q < 0 ? -x : x
}

/** The two-sided critical value z = Φ⁻¹(1 − α/2) for a confidence level 1 − α. */
export function zForConfidence(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2)
}
