import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { countsFromArrays } from '../../../shared/stats/confusion'
import { isStatsError } from '../../../shared/stats/errors'
import { estimate, type EstimateInput } from '../../../shared/stats/estimate'

// spec/judgy-fixtures.json of the statistics spec, kept in the repo (test/fixtures) so that a clone alone runs it.
const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures')

interface Bounds {
  lower: number
  upper: number
}
interface FixtureCase {
  id: string
  inputs: { test_labels: number[]; test_preds: number[]; unlabeled_preds: number[] }
  expected: {
    status: 'ok' | 'error'
    ref_error?: string
    theta?: number
    tpr?: number
    tnr?: number
    p_obs?: number
    theta_unclipped?: number
    judgy_large_B?: Bounds
    ideal_bootstrap_exact?: Bounds & { p_valid: number }
    suggested_tolerance_B20000?: Bounds
    judgy_seeded?: Array<Bounds & { seed: number; confidence: number; n_valid?: number }>
    extensions_not_judgy?: Record<string, Bounds>
  }
}

const fixtures = JSON.parse(readFileSync(path.join(fixturesDir, 'judgy-fixtures.json'), 'utf8')) as {
  cases: FixtureCase[]
}
const okCases = fixtures.cases.filter((c) => c.expected.status === 'ok')
const errorCases = fixtures.cases.filter((c) => c.expected.status === 'error')

function run(c: FixtureCase, options: Omit<EstimateInput, 'counts'>) {
  const counts = countsFromArrays(c.inputs.test_labels, c.inputs.test_preds, c.inputs.unlabeled_preds)
  return estimate({ counts, ...options })
}

function errorCode(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (isStatsError(e)) return e.code
    throw e
  }
  return 'no error'
}

describe('judgy fixtures (statistics.md §3.3)', () => {
  it('has the 12 cases the spec describes', () => {
    expect(fixtures.cases).toHaveLength(12)
    expect(okCases).toHaveLength(8)
  })

  it.each(okCases.map((c) => [c.id, c] as const))('%s: point values are bit-identical to judgy', (_id, c) => {
    for (const method of ['judgy', 'lang-reiczigel', 'bootstrap'] as const) {
      const r = run(c, { method, iterations: 200 })
      expect(r.theta).toBe(c.expected.theta)
      expect(r.tpr).toBe(c.expected.tpr)
      expect(r.tnr).toBe(c.expected.tnr)
      expect(r.pObs).toBe(c.expected.p_obs)
      expect(r.thetaUnclipped).toBe(c.expected.theta_unclipped)
    }
  })

  it.each(errorCases.map((c) => [c.id, c] as const))('%s: same error code as the reference', (_id, c) => {
    expect(errorCode(() => run(c, { method: 'judgy' }))).toBe(c.expected.ref_error)
  })

  it.each(okCases.map((c) => [c.id, c] as const))(
    '%s: judgy interval at B = 20000 is within tolerance of judgy at B = 10^6 for several seeds',
    (_id, c) => {
      const large = c.expected.judgy_large_B as Bounds
      const tol = c.expected.suggested_tolerance_B20000 as Bounds
      for (const seed of [0, 1, 2, 3, 4]) {
        const r = run(c, { method: 'judgy', seed })
        expect(r.iterations).toBe(20000)
        expect(r.nValid! + r.nDropped!).toBe(20000)
        expect(Math.abs(r.lower - large.lower)).toBeLessThanOrEqual(tol.lower)
        expect(Math.abs(r.upper - large.upper)).toBeLessThanOrEqual(tol.upper)
      }
    },
  )

  it.each(okCases.map((c) => [c.id, c] as const))('%s: dropped draws match the share judgy drops', (_id, c) => {
    const seeded = c.expected.judgy_seeded!.filter((s) => s.n_valid !== undefined)
    const judgyShare = seeded.reduce((a, s) => a + s.n_valid!, 0) / (seeded.length * 20000)
    const r = run(c, { method: 'judgy', seed: 11 })
    const share = r.nValid! / 20000
    // Binomial standard error of a share over 20000 draws is at most 0.0036; allow 5 SE of the difference.
    expect(Math.abs(share - judgyShare)).toBeLessThan(0.012)
  })

  it.each(okCases.map((c) => [c.id, c] as const))(
    '%s: exact enumeration reproduces ideal_bootstrap_exact',
    (_id, c) => {
      const exact = c.expected.ideal_bootstrap_exact!
      const r = run(c, { method: 'exact' })
      expect(Math.abs(r.lower - exact.lower)).toBeLessThanOrEqual(1e-12)
      expect(Math.abs(r.upper - exact.upper)).toBeLessThanOrEqual(1e-12)
      expect(Math.abs(r.pValid! - exact.p_valid)).toBeLessThanOrEqual(1e-12)
      const strat = c.expected.extensions_not_judgy!.stratified_exact
      const s = run(c, { method: 'exact', stratified: true })
      expect(Math.abs(s.lower - strat.lower)).toBeLessThanOrEqual(1e-12)
      expect(Math.abs(s.upper - strat.upper)).toBeLessThanOrEqual(1e-12)
    },
  )

  it.each(okCases.map((c) => [c.id, c] as const))('%s: analytic intervals match the reference values', (_id, c) => {
    const ext = c.expected.extensions_not_judgy!
    const lr = run(c, { method: 'lang-reiczigel' })
    expect(lr.lower).toBeCloseTo(ext.lang_reiczigel.lower, 12)
    expect(lr.upper).toBeCloseTo(ext.lang_reiczigel.upper, 12)
    const wald = run(c, { method: 'wald' })
    expect(wald.lower).toBeCloseTo(ext.wald_delta_method.lower, 12)
    expect(wald.upper).toBeCloseTo(ext.wald_delta_method.upper, 12)
  })

  it.each(okCases.map((c) => [c.id, c] as const))(
    '%s: bootstrap and BCa extensions agree with the reference at B = 10^6 within Monte-Carlo tolerance',
    (_id, c) => {
      const ext = c.expected.extensions_not_judgy!
      const tol = c.expected.suggested_tolerance_B20000!
      // Tolerances are those suggested for the judgy interval; unlabeled resampling widens the spread a little.
      const slack = (t: number) => 2 * t
      const checks: Array<[Bounds, Omit<EstimateInput, 'counts'>]> = [
        [ext.resample_unlabeled_bootstrap_B1e6, { method: 'bootstrap' }],
        [ext.bca_B1e6, { method: 'bca', resampleUnlabeled: false }],
        [ext.bca_resample_unlabeled_B1e6, { method: 'bca' }],
      ]
      // With a perfect judge the draws live on the grid k*/m: a quantile may land on the next atom.
      const atom = c.id === 'e_perfect_judge' ? 0.01 + 1e-9 : 0
      for (const [want, options] of checks) {
        if (c.id === 'g_readme_example' && options.method === 'bca') continue // n = 8: atoms 1/8 apart, checked below
        const r = run(c, { ...options, seed: 3 })
        expect(Math.abs(r.lower - want.lower), `${options.method} lower`).toBeLessThanOrEqual(
          Math.max(atom, slack(tol.lower)),
        )
        expect(Math.abs(r.upper - want.upper), `${options.method} upper`).toBeLessThanOrEqual(
          Math.max(atom, slack(tol.upper)),
        )
      }
    },
  )

  it('g_readme_example (n = 8): BCa levels agree with the reference', () => {
    // ref_estimator.py --method bca (test only) at B = 20000, seeds 0-3, gave lower levels 0.0403-0.0424 and
    // upper levels 0.9864-0.9873; the endpoints then jump between atoms 1/8 apart (0.0625 or 0.25) with the seed.
    const c = okCases.find((x) => x.id === 'g_readme_example')!
    for (const seed of [0, 1, 2, 3]) {
      const r = run(c, { method: 'bca', resampleUnlabeled: false, seed })
      expect(r.bca!.fellBackToPercentile).toBe(false)
      expect(Math.abs(r.bca!.lowerLevel - 0.0414)).toBeLessThan(0.008)
      expect(Math.abs(r.bca!.upperLevel - 0.9868)).toBeLessThan(0.003)
      expect([0, 0.0625, 0.125, 0.25].some((x) => Math.abs(r.lower - x) < 1e-9)).toBe(true)
      expect(r.upper).toBe(1)
    }
  })

  it('fixture e (perfect judge): judgy collapses to a point, the default method does not', () => {
    const c = okCases.find((x) => x.id === 'e_perfect_judge')!
    const j = run(c, { method: 'judgy' })
    expect([j.lower, j.upper]).toEqual([c.expected.theta, c.expected.theta])
    expect(j.warnings.map((w) => w.code)).toContain('unlabeled_fixed')
    const d = run(c, {})
    expect(d.upper - d.lower).toBeGreaterThan(0.2)
  })

  it('fixture f (clipped): reports the unclipped value and warns', () => {
    const c = okCases.find((x) => x.id === 'f_clipped_to_zero')!
    const r = run(c, { method: 'judgy' })
    expect(r.theta).toBe(0)
    expect(r.clipped).toBe(true)
    expect(r.thetaUnclipped).toBe(-0.07142857142857131)
    expect(r.warnings.find((w) => w.code === 'clipped')?.message).toContain('-0.071')
  })
})
