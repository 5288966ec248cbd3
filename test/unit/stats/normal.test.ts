import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile, zForConfidence } from '../../../shared/stats/normal'

// Φ(x) from C's erfc via Python: 0.5*math.erfc(-x/math.sqrt(2)).
const CDF: Array<[number, number]> = [
  [-37, 5.725571222525139e-300],
  [-20, 2.7536241186063314e-89],
  [-10, 7.619853024160593e-24],
  [-8, 6.220960574271819e-16],
  [-5, 2.866515718791946e-7],
  [-3.5, 0.00023262907903552504],
  [-3, 0.0013498980316300957],
  [-2.9999, 0.0013503412829549248],
  [-2, 0.02275013194817922],
  [-1, 0.15865525393145707],
  [-0.5, 0.3085375387259869],
  [0, 0.5],
  [0.25, 0.5987063256829237],
  [1, 0.8413447460685429],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [4, 0.9999683287581669],
  [8, 0.9999999999999993],
]

// Python's statistics.NormalDist().inv_cdf (AS241, what ref_estimator.py uses).
const QUANTILE: Array<[number, number]> = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798405],
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400538],
  [0.05, -1.6448536269514726],
  [0.3, -0.5244005127080407],
  [0.5, 0],
  [0.7, 0.5244005127080407],
  [0.9, 1.2815515655446008],
  [0.975, 1.9599639845400536],
  [0.999, 3.090232306167813],
  [1 - 1e-12, 7.0344869100478356],
]

describe('normal distribution', () => {
  it('Φ has ~1e-14 relative accuracy from the far tail to the centre', () => {
    // The reference itself (libm erfc) is good to a few 1e-15 relative; beyond |x| = 10 both drift a little.
    for (const [x, want] of CDF)
      expect(Math.abs(normalCdf(x) - want) / want, String(x)).toBeLessThan(Math.abs(x) > 10 ? 5e-13 : 5e-14)
    expect(normalCdf(-Infinity)).toBe(0)
    expect(normalCdf(Infinity)).toBe(1)
  })

  it('Φ⁻¹ is AS241: matches Python bit for bit or within an ulp', () => {
    for (const [p, want] of QUANTILE)
      expect(Math.abs(normalQuantile(p) - want), String(p)).toBeLessThanOrEqual(Math.abs(want) * 2e-16)
    expect(zForConfidence(0.95)).toBe(1.9599639845400536) // ref: NormalDist().inv_cdf(1 - (1 - 0.95)/2)
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(() => normalQuantile(1.5)).toThrow(RangeError)
  })

  it('Φ(Φ⁻¹(p)) = p', () => {
    for (let p = 0.0005; p < 1; p += 0.0137) expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-14)
  })
})
