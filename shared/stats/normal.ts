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
 * AS241's three rational approximations (Wichura 1988, PPND16): each a numerator and a
 * denominator polynomial, coefficients from the highest power down to the constant, with the
 * digits a double holds (the published coefficients have 20; the values are the same).
 */
const AS241 = {
  /** |p − ½| ≤ 0.425, in r = 0.180625 − q². */
  central: {
    num: [
      2509.0809287301227, 33430.57558358813, 67265.7709270087, 45921.95393154987, 13731.69376550946, 1971.5909503065513,
      133.14166789178438, 3.3871328727963665,
    ],
    den: [
      5226.495278852854, 28729.085735721943, 39307.89580009271, 21213.794301586597, 5394.196021424751,
      687.1870074920579, 42.31333070160091, 1,
    ],
  },
  /** Further out, r = √(−ln min(p, 1 − p)) ≤ 5, in r − 1.6. */
  intermediate: {
    num: [
      7.745450142783414e-4, 0.022723844989269184, 0.2417807251774506, 1.2704582524523684, 3.6478483247632045,
      5.769497221460691, 4.630337846156546, 1.4234371107496835,
    ],
    den: [
      1.0507500716444169e-9, 5.475938084995345e-4, 0.015198666563616457, 0.14810397642748008, 0.6897673349851,
      1.6763848301838038, 2.053191626637759, 1,
    ],
  },
  /** The far tail, r > 5, in r − 5. */
  tail: {
    num: [
      2.0103343992922881e-7, 2.7115555687434876e-5, 0.0012426609473880784, 0.026532189526576124, 0.29656057182850487,
      1.7848265399172913, 5.463784911164114, 6.657904643501103,
    ],
    den: [
      2.0442631033899397e-15, 1.421511758316446e-7, 1.8463183175100548e-5, 7.868691311456133e-4, 0.014875361290850615,
      0.1369298809227358, 0.599832206555888, 1,
    ],
  },
} as const

/** A polynomial by Horner's rule, coefficients from the highest power down. */
function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, c) => sum * x + c)
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
    return (horner(AS241.central.num, r) * q) / horner(AS241.central.den, r)
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  const { num, den } = r <= 5 ? AS241.intermediate : AS241.tail
  const t = r <= 5 ? r - 1.6 : r - 5
  const x = horner(num, t) / horner(den, t)
  return q < 0 ? -x : x
}

/** The two-sided critical value z = Φ⁻¹(1 − α/2) for a confidence level 1 − α. */
export function zForConfidence(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2)
}
