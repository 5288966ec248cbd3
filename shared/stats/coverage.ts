/**
 * Coverage simulation: how often each interval method contains the true pass rate when data are
 * drawn from a known judge (statistics.md §5.1). It is the evidence behind `DEFAULT_METHOD`; the
 * unit test runs it small and fast, the bench runs it large.
 */
import { binomial } from './binomial'
import type { CalibrationCounts } from './confusion'
import { isStatsError } from './errors'
import { bcaInterval } from './bca'
import { estimate, type EstimateResult, type IntervalMethod } from './estimate'
import { createRng } from './rng'

/**
 * A data-generating judge: a test set of `pos`/`neg` human labels and `m` production items with true pass rate `theta`.
 */
export interface CoverageScenario {
  name: string
  pos: number
  neg: number
  tpr: number
  tnr: number
  theta: number
  m: number
}

/** The five scenarios of statistics.md §5.1, then our own near and at the bounds 0 and 1. */
export const COVERAGE_SCENARIOS: readonly CoverageScenario[] = [
  { name: 'spec 50/50 θ.70 m1000', pos: 50, neg: 50, tpr: 0.9, tnr: 0.8, theta: 0.7, m: 1000 },
  { name: 'spec 50/50 θ.70 m200', pos: 50, neg: 50, tpr: 0.9, tnr: 0.8, theta: 0.7, m: 200 },
  { name: 'spec 20/20 θ.90 m1000', pos: 20, neg: 20, tpr: 0.9, tnr: 0.85, theta: 0.9, m: 1000 },
  { name: 'spec 50/50 θ.97 m1000', pos: 50, neg: 50, tpr: 0.95, tnr: 0.95, theta: 0.97, m: 1000 },
  { name: 'spec 90/10 θ.85 m2000', pos: 90, neg: 10, tpr: 0.95, tnr: 0.7, theta: 0.85, m: 2000 },
  { name: 'near 0: 50/50 θ.03 m1000', pos: 50, neg: 50, tpr: 0.9, tnr: 0.9, theta: 0.03, m: 1000 },
  { name: 'near 1: 50/50 θ.99 m1000', pos: 50, neg: 50, tpr: 0.9, tnr: 0.95, theta: 0.99, m: 1000 },
  { name: 'small near 0: 15/15 θ.05 m300', pos: 15, neg: 15, tpr: 0.85, tnr: 0.9, theta: 0.05, m: 300 },
  { name: 'at 0: 50/50 θ0 m1000', pos: 50, neg: 50, tpr: 0.9, tnr: 0.9, theta: 0, m: 1000 },
  { name: 'at 1: 40/40 θ1 m500', pos: 40, neg: 40, tpr: 0.95, tnr: 0.9, theta: 1, m: 500 },
]

export interface CoverageOptions {
  replicates: number
  /** B for the bootstrap methods. */
  iterations: number
  seed: number
  confidence?: number
  methods: readonly IntervalMethod[]
}

/** One method in one scenario. Refusals (e.g. J ≤ 0 in a resample of the data) count as misses. */
export interface CoverageCell {
  scenario: string
  method: IntervalMethod
  replicates: number
  covered: number
  coverage: number
  meanWidth: number
  /** Replicates where the method refused to give an interval. */
  refused: number
}

/** Draws `replicates` data sets from the scenario and checks every method's interval against the truth. */
export function simulateCoverage(s: CoverageScenario, o: CoverageOptions): CoverageCell[] {
  const rng = createRng(o.seed)
  const pPass = s.theta * s.tpr + (1 - s.theta) * (1 - s.tnr)
  const cells = o.methods.map((method) => ({ method, covered: 0, width: 0, widthCount: 0, refused: 0 }))
  const needsBoth = o.methods.includes('bootstrap') && o.methods.includes('bca')
  for (let r = 0; r < o.replicates; r++) {
    const tp = binomial(rng, s.pos, s.tpr)
    const tn = binomial(rng, s.neg, s.tnr)
    const counts = { tp, fn: s.pos - tp, tn, fp: s.neg - tn, k: binomial(rng, s.m, pPass), m: s.m }
    // `bootstrap` and `bca` with the same seed draw identical resamples, so BCa reuses the
    // bootstrap draws here (same interval as estimate({ method: 'bca' }), half the work).
    let shared: EstimateResult | null = null
    for (const cell of cells) {
      try {
        let e: { lower: number; upper: number }
        const options = { counts, iterations: o.iterations, seed: o.seed + r, confidence: o.confidence }
        if ((cell.method === 'bootstrap' || cell.method === 'bca') && needsBoth) {
          shared ??= estimate({ ...options, method: 'bootstrap', keepDraws: true })
          e = cell.method === 'bootstrap' ? shared : bcaOfDraws(shared, counts)
        } else {
          e = estimate({ ...options, method: cell.method })
        }
        if (e.lower <= s.theta && s.theta <= e.upper) cell.covered++
        cell.width += e.upper - e.lower
        cell.widthCount++
      } catch (err) {
        if (!isStatsError(err)) throw err
        cell.refused++
      }
    }
  }
  return cells.map((c) => ({
    scenario: s.name,
    method: c.method,
    replicates: o.replicates,
    covered: c.covered,
    coverage: c.covered / o.replicates,
    meanWidth: c.widthCount > 0 ? c.width / c.widthCount : Number.NaN,
    refused: c.refused,
  }))
}

/** The BCa interval of a bootstrap estimate's kept draws (the same draws, as `estimate` with method `bca`). */
function bcaOfDraws(e: EstimateResult, counts: CalibrationCounts): { lower: number; upper: number } {
  if (!e.draws) throw new Error('the bootstrap estimate was asked to keep its draws')
  return bcaInterval(e.draws, e.theta, e.confidence, counts, true)
}

/** A plain-text table, one row per scenario and one "coverage / width" column per method. */
export function formatCoverageTable(cells: readonly CoverageCell[]): string {
  const methods = [...new Set(cells.map((c) => c.method))]
  const scenarios = [...new Set(cells.map((c) => c.scenario))]
  const pad = (x: string, w: number): string => x.padEnd(w)
  const w0 = Math.max(8, ...scenarios.map((s) => s.length)) + 2
  const lines = [pad('scenario', w0) + methods.map((m) => pad(m, 16)).join('')]
  for (const s of scenarios) {
    const row = methods.map((m) => {
      const c = cells.find((x) => x.scenario === s && x.method === m)
      return pad(c === undefined ? '-' : `${c.coverage.toFixed(3)} / ${c.meanWidth.toFixed(3)}`, 16)
    })
    lines.push(pad(s, w0) + row.join(''))
  }
  return lines.join('\n')
}
