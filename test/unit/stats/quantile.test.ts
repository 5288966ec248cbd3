import { describe, expect, it } from 'vitest'
import { countBelow, percentileInterval, quantilesType7, quantileType7 } from '../../../shared/stats/quantile'
import { createRng } from '../../../shared/stats/rng'

describe('type-7 quantiles (numpy percentile, method linear)', () => {
  it('matches numpy on a small example', () => {
    // np.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) = [1.1, 3.0, 9.4]
    const x = Float64Array.of(1, 2, 3, 4, 10)
    expect(quantileType7(x, 0.025)).toBeCloseTo(1.1, 14)
    expect(quantileType7(x, 0.5)).toBe(3)
    expect(quantileType7(x, 0.975)).toBeCloseTo(9.4, 14)
    expect(quantileType7(Float64Array.of(5), 0.3)).toBe(5)
  })

  it('selection gives exactly what sorting gives, with ties and without mutating the input', () => {
    const rng = createRng(3)
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + rng.nextInt(400)
      const values = Float64Array.from({ length: k }, () =>
        rng.nextInt(3) === 0 ? rng.nextInt(5) / 4 : rng.nextFloat(),
      )
      const copy = values.slice()
      const sorted = values.slice().sort()
      const levels = [0, 0.025, rng.nextFloat() * 0.5, 0.5, 0.5 + rng.nextFloat() * 0.5, 0.975, 1].sort((a, b) => a - b)
      expect(quantilesType7(values, levels)).toEqual(levels.map((p) => quantileType7(sorted, p)))
      expect(values).toEqual(copy)
    }
  })

  it('percentile interval and strict count below', () => {
    const x = Float64Array.from({ length: 1001 }, (_, i) => (1000 - i) / 1000)
    const alpha = 1 - 0.95 // 0.050000000000000044, as in judgy and the reference
    const sorted = x.slice().sort()
    expect(percentileInterval(x, 0.95)).toEqual({
      lower: quantileType7(sorted, alpha / 2),
      upper: quantileType7(sorted, 1 - alpha / 2),
    })
    expect(countBelow(Float64Array.of(0, 0.5, 0.5, 1), 0.5)).toBe(1)
  })
})
