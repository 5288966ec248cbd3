/**
 * Cohen's κ interval (issue 16: κ at n = 9 showed [1.00, 1.00]): the interval Assay shows is the
 * one with the best worst-case coverage of those compared on simulated annotator pairs, it is
 * valid at κ̂ = 1, and it is deterministic.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { agreement, kappaInterval, KAPPA_INTERVAL_METHOD } from '../../../shared/stats/agreement'
import { clopperPearsonInterval, regularizedBeta } from '../../../shared/stats/beta'
import {
  kappaScenarios,
  simulateKappaCoverage,
  KAPPA_METHODS,
  kappaWaldInterval,
  type KappaCoverageCell,
  type KappaMethod,
} from '../../../shared/stats/kappa-coverage'

const SEED = 20251206
const REPLICATES = 1500
const ITERATIONS = 400
/**
 * n = 200 without the bootstrap: once tables stop repeating, its draws per table are the slow part (its failures show
 * at small n).
 */
const LARGE_REPLICATES = 1000
const LARGE_METHODS: KappaMethod[] = [KAPPA_INTERVAL_METHOD, 'wald', 'goodness-of-fit']

function table(cells: readonly KappaCoverageCell[]): string {
  const methods = [...new Set(cells.map((c) => c.method))]
  const scenarios = [...new Set(cells.map((c) => c.scenario))]
  const w = Math.max(...scenarios.map((s) => s.length)) + 2
  const lines = [''.padEnd(w) + methods.map((m) => m.padEnd(30)).join('')]
  for (const s of scenarios)
    lines.push(
      s.padEnd(w) +
        methods
          .map((m) => {
            const c = cells.find((x) => x.scenario === s && x.method === m)!
            return `${c.coverage.toFixed(3)} / ${c.meanWidth.toFixed(2)}`.padEnd(30)
          })
          .join(''),
    )
  return lines.join('\n')
}

describe('the Clopper–Pearson interval', () => {
  it('matches known values and its closed forms at 0 and n', () => {
    const five = clopperPearsonInterval(5, 10)
    expect(five.lower).toBeCloseTo(0.187086, 6) // R: binom.test(5, 10)$conf.int
    expect(five.upper).toBeCloseTo(0.812914, 6)
    expect(clopperPearsonInterval(0, 9)).toEqual({ lower: 0, upper: expect.closeTo(1 - 0.025 ** (1 / 9), 10) })
    expect(clopperPearsonInterval(9, 9)).toEqual({ lower: expect.closeTo(0.025 ** (1 / 9), 10), upper: 1 })
    expect(regularizedBeta(0.3, 2, 5)).toBeCloseTo(0.579825, 12) // P(Bin(6, 0.3) ≥ 2)
    // For integers, I_x(a, b) = P(Bin(a + b − 1, x) ≥ a): here P(Bin(52, 0.9) ≥ 50).
    expect(regularizedBeta(0.9, 50, 3)).toBeCloseTo(
      ((52 * 51) / 2) * 0.9 ** 50 * 0.1 ** 2 + 52 * 0.9 ** 51 * 0.1 + 0.9 ** 52,
      12,
    )
  })
})

describe("Cohen's κ interval", () => {
  it('is not [1, 1] when 9 items are all agreed on: 0 disagreements in 9 items still allow κ ≈ 0.32', () => {
    const c = { tp: 5, fn: 0, fp: 0, tn: 4 }
    expect(kappaWaldInterval(c)).toEqual({ lower: 1, upper: 1 }) // the large-sample interval, shown before
    const a = agreement(c)
    expect(a.kappa).toBe(1)
    const chanceDisagreement = 2 * (5 / 9) * (4 / 9)
    expect(a.lower).toBeCloseTo(1 - (1 - 0.025 ** (1 / 9)) / chanceDisagreement, 10)
    expect(a.lower).toBeCloseTo(0.319, 3)
    expect(a.upper).toBe(1)
  })

  it('always contains κ̂, stays in [−1, 1], and is the same on every call', () => {
    for (let n = 1; n <= 12; n++)
      for (let tp = 0; tp <= n; tp++)
        for (let fn = 0; fn <= n - tp; fn++)
          for (let fp = 0; fp <= n - tp - fn; fp++) {
            const c = { tp, fn, fp, tn: n - tp - fn - fp }
            const a = agreement(c)
            if (a.kappa === null) {
              expect(kappaInterval(c)).toBeNull()
              continue
            }
            expect(a.lower!).toBeLessThanOrEqual(a.kappa + 1e-12)
            expect(a.upper!).toBeGreaterThanOrEqual(a.kappa - 1e-12)
            expect(a.lower!).toBeGreaterThanOrEqual(-1)
            expect(a.upper!).toBeLessThanOrEqual(1)
            expect(kappaInterval(c)).toEqual({ lower: a.lower, upper: a.upper })
          }
  })
})

describe('κ interval coverage at nominal 0.95', () => {
  const cells: KappaCoverageCell[] = []
  const large: KappaCoverageCell[] = []
  beforeAll(() => {
    for (const s of kappaScenarios([9, 20, 50]))
      cells.push(
        ...simulateKappaCoverage(s, {
          replicates: REPLICATES,
          seed: SEED,
          iterations: ITERATIONS,
          methods: KAPPA_METHODS,
        }),
      )
    for (const s of kappaScenarios([200]))
      large.push(
        ...simulateKappaCoverage(s, {
          replicates: LARGE_REPLICATES,
          seed: SEED,
          iterations: ITERATIONS,
          methods: LARGE_METHODS,
        }),
      )
    console.log(
      `κ interval coverage / mean width (R = ${REPLICATES} tables per row, κ̂ defined; bootstrap B = ${ITERATIONS})\n${table(cells)}\n\n` +
        `n = 200 (R = ${LARGE_REPLICATES}):\n${table(large)}`,
    )
  }, 120_000)
  const worst = (from: KappaCoverageCell[], method: KappaMethod) =>
    Math.min(...from.filter((c) => c.method === method).map((c) => c.coverage))

  it(`${KAPPA_INTERVAL_METHOD} covers at least 0.93 in every scenario, n = 9 to 200, κ up to 0.98`, () => {
    const ours = [...cells, ...large].filter((c) => c.method === KAPPA_INTERVAL_METHOD)
    expect(ours.every((c) => c.refused === 0)).toBe(true)
    expect(ours.filter((c) => c.coverage < 0.93).map((c) => `${c.scenario}: ${c.coverage}`)).toEqual([])
  })

  it('has the best worst-case coverage of the methods compared; the large-sample interval fails near κ = 1', () => {
    const ranked = [...KAPPA_METHODS].sort((a, b) => worst(cells, b) - worst(cells, a))
    expect(ranked[0]).toBe(KAPPA_INTERVAL_METHOD)
    expect(worst(large, 'goodness-of-fit')).toBeLessThan(worst(large, KAPPA_INTERVAL_METHOD))
    expect(worst(cells, 'wald')).toBeLessThan(0.5)
    expect(worst(cells, 'bootstrap')).toBeLessThan(0.5)
  })
})
