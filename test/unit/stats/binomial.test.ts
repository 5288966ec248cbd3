import { describe, expect, it } from 'vitest'
import {
  binomial,
  binomialBtrs,
  BinomialFamily,
  binomialPmf,
  createBinomialSampler,
  multinomial,
} from '../../../shared/stats/binomial'
import { createRng, type Rng } from '../../../shared/stats/rng'

/** C(n, k) p^k (1−p)^(n−k) with the coefficient exact (BigInt); fine for n ≤ 60. */
function exactPmf(n: number, k: number, p: number): number {
  let c = 1n
  for (let i = 0; i < k; i++) c = (c * BigInt(n - i)) / BigInt(i + 1)
  return Number(c) * p ** k * (1 - p) ** (n - k)
}

/**
 * Pearson χ² of `draws` samples against the pmf, tails merged until every bin expects ≥ 5.
 * Returns the statistic and degrees of freedom; we require χ² < df + 6·√(2·df) (p ≈ 1e-5).
 */
function chiSquare(
  sample: (rng: Rng) => number,
  n: number,
  p: number,
  draws: number,
  seed: number,
): { chi2: number; df: number } {
  const rng = createRng(seed)
  const { lo, pmf } = binomialPmf(n, p)
  const counts = new Map<number, number>()
  let invalid = 0
  for (let i = 0; i < draws; i++) {
    const x = sample(rng)
    if (!(Number.isInteger(x) && x >= 0 && x <= n)) invalid++
    counts.set(x, (counts.get(x) ?? 0) + 1)
  }
  expect(invalid, 'draws outside {0, …, n}').toBe(0)
  const bins: Array<{ expected: number; observed: number }> = []
  let acc = { expected: 0, observed: 0 }
  let below = 0
  for (const [x, c] of counts) if (x < lo) below += c
  acc.observed += below
  for (let j = 0; j < pmf.length; j++) {
    acc.expected += pmf[j] * draws
    acc.observed += counts.get(lo + j) ?? 0
    if (acc.expected >= 5) {
      bins.push(acc)
      acc = { expected: 0, observed: 0 }
    }
  }
  for (const [x, c] of counts) if (x >= lo + pmf.length) acc.observed += c
  const last = bins[bins.length - 1]
  last.expected += acc.expected
  last.observed += acc.observed
  const chi2 = bins.reduce((s, b) => s + (b.observed - b.expected) ** 2 / b.expected, 0)
  return { chi2, df: bins.length - 1 }
}

function expectFits(sample: (rng: Rng) => number, n: number, p: number, draws = 100_000, seed = 1): void {
  const { chi2, df } = chiSquare(sample, n, p, draws, seed)
  expect(chi2, `Bin(${n}, ${p}): χ² = ${chi2.toFixed(1)} on ${df} df`).toBeLessThan(df + 6 * Math.sqrt(2 * df))
}

describe('binomial pmf', () => {
  it('matches the exact pmf to ~1e-13 relative', () => {
    for (const [n, p] of [
      [1, 0.3],
      [10, 0.5],
      [37, 0.9],
      [60, 0.02],
      [60, 0.999],
    ] as const) {
      const { lo, pmf } = binomialPmf(n, p)
      for (let j = 0; j < pmf.length; j++) {
        const want = exactPmf(n, lo + j, p)
        expect(Math.abs(pmf[j] - want) / want, `Bin(${n},${p}) at ${lo + j}`).toBeLessThan(1e-13)
      }
    }
  })

  it('has mean np and variance np(1−p) for large n, and trivial cases', () => {
    for (const [n, p] of [
      [1000, 0.5],
      [100_000, 0.7],
      [5_000_000, 1e-4],
    ] as const) {
      const { lo, pmf } = binomialPmf(n, p)
      let sum = 0
      let mean = 0
      for (let j = 0; j < pmf.length; j++) {
        sum += pmf[j]
        mean += (lo + j) * pmf[j]
      }
      let variance = 0
      for (let j = 0; j < pmf.length; j++) variance += (lo + j - mean) ** 2 * pmf[j]
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12)
      expect(Math.abs(mean - n * p) / (n * p)).toBeLessThan(1e-12)
      expect(Math.abs(variance - n * p * (1 - p)) / (n * p * (1 - p))).toBeLessThan(1e-9)
    }
    expect(binomialPmf(0, 0.4)).toMatchObject({ lo: 0, pmf: Float64Array.of(1) })
    expect(binomialPmf(9, 1)).toMatchObject({ lo: 9, pmf: Float64Array.of(1) })
    expect(() => binomialPmf(3.5, 0.2)).toThrow(RangeError)
    expect(() => binomialPmf(3, 1.2)).toThrow(RangeError)
  })
})

describe('binomial samplers follow the binomial distribution (χ² goodness of fit)', () => {
  it('inverse-CDF tables: small (searched from the mode) and large (guide table)', () => {
    for (const [n, p] of [
      [20, 0.97],
      [30, 0.3],
      [1000, 0.5],
      [100_000, 0.7],
    ] as const) {
      const draw = createBinomialSampler(n, p)
      expectFits(draw, n, p)
    }
  })

  it('BTRS (Hörmann 1993) for n·min(p, 1−p) ≥ 10, including p > 1/2', () => {
    for (const [n, p] of [
      [40, 0.25],
      [100, 0.3],
      [1000, 0.02],
      [2000, 0.9],
      [1_000_000, 0.5],
    ] as const) {
      expectFits((rng) => binomialBtrs(rng, n, p), n, p)
    }
  })

  it('one-off draws (inversion for small means) and families with varying n', () => {
    for (const [n, p] of [
      [100, 0.05],
      [1_000_000, 2e-6],
      [15, 0.5],
    ] as const)
      expectFits((rng) => binomial(rng, n, p), n, p)
    // A family visits n = 50 both before and after its table is built.
    const family = new BinomialFamily(0.8, 200)
    expectFits((rng) => family.draw(rng, 50), 50, 0.8)
    const mixed = new BinomialFamily(0.3, 200)
    const rng = createRng(9)
    for (let i = 0; i < 5000; i++) mixed.draw(rng, 1 + rng.nextInt(200))
    expectFits((r) => mixed.draw(r, 120), 120, 0.3, 50_000, 2)
    // Beyond the dense index and beyond table size: BTRS inside the family.
    const huge = new BinomialFamily(0.6, 10_000_000)
    expectFits((r) => huge.draw(r, 9_000_000), 9_000_000, 0.6, 50_000, 3)
  })

  it('stays exact and fast for n = 10^9', () => {
    const rng = createRng(4)
    const n = 1e9
    const p = 0.37
    let sum = 0
    let sumSq = 0
    const draws = 200_000
    for (let i = 0; i < draws; i++) {
      const x = binomial(rng, n, p)
      sum += x
      sumSq += x * x
    }
    const mean = sum / draws
    const variance = sumSq / draws - mean * mean
    const sd = Math.sqrt(n * p * (1 - p))
    expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws))
    expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.02)
  })

  it('the χ² check notices a sampler that is off by 1% in p', () => {
    const draw = createBinomialSampler(1000, 0.505)
    const { chi2, df } = chiSquare(draw, 1000, 0.5, 100_000, 1)
    expect(chi2).toBeGreaterThan(df + 6 * Math.sqrt(2 * df))
  })

  it('degenerate parameters', () => {
    const rng = createRng(1)
    expect(binomial(rng, 0, 0.5)).toBe(0)
    expect(binomial(rng, 10, 0)).toBe(0)
    expect(binomial(rng, 10, 1)).toBe(10)
    expect(createBinomialSampler(7, 1)(rng)).toBe(7)
    expect(new BinomialFamily(0.5, 10).draw(rng, 0)).toBe(0)
  })
})

describe('multinomial', () => {
  it('sums to n and has mean n·p per cell', () => {
    const rng = createRng(5)
    const probs = [0.45, 0.05, 0.4, 0.1]
    const totals = [0, 0, 0, 0]
    let wrongTotal = 0
    for (let i = 0; i < 20_000; i++) {
      const x = multinomial(rng, 200, probs)
      if (x.reduce((a, b) => a + b, 0) !== 200) wrongTotal++
      x.forEach((v, j) => (totals[j] += v))
    }
    expect(wrongTotal).toBe(0)
    probs.forEach((p, j) => {
      const sdOfMean = Math.sqrt((200 * p * (1 - p)) / 20_000)
      expect(Math.abs(totals[j] / 20_000 - 200 * p)).toBeLessThan(5 * sdOfMean)
    })
    expect(Array.from(multinomial(rng, 9, [0, 1, 0]))).toEqual([0, 9, 0])
  })
})
