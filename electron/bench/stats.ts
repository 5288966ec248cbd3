/**
 * `assay bench` rows for the statistics core (DESIGN §6): the judgy-compatible bootstrap at
 * n = 1 000, m = 100 000, B = 20 000 must take ≤ 10 ms, measured beside a naive index-resampling
 * implementation in the same run; the other interval methods are timed too, and the full run adds
 * a larger coverage simulation than the unit test can afford. The coverage suite of the production audit and
 * PPI++ (issue 18, `audit-coverage.ts`) runs in both: small with --quick, large otherwise.
 */
import { countsToArrays, indexBootstrapDraws } from '../../shared/stats/bootstrap'
import {
  COVERAGE_SCENARIOS,
  formatCoverageTable,
  simulateCoverage,
  type CoverageCell,
} from '../../shared/stats/coverage'
import {
  DEFAULT_METHOD,
  estimate,
  INTERVAL_METHODS,
  type EstimateInput,
  type IntervalMethod,
} from '../../shared/stats/estimate'
import { createRng } from '../../shared/stats/rng'
import {
  AUDIT_SCENARIOS,
  formatAuditCoverageTable,
  simulateAuditCoverage,
  widthRatio,
  type AuditCoverageCell,
} from '../../shared/stats/audit-coverage'
import { AUDIT_INTERVAL, AUDIT_INTERVALS, type AuditIntervalId } from '../../shared/stats/stratified'
import { PPI_INTERVAL, PPI_INTERVALS, type PpiIntervalId } from '../../shared/stats/ppi'
import type { BenchRow, BenchSuite } from './types'

/** n = 1 000 test items (TPR 0.9, TNR 0.8), m = 100 000 production verdicts, 70% judged Pass. */
const COUNTS = { tp: 450, fn: 50, tn: 400, fp: 100, k: 70_000, m: 100_000 }
/** `exact` enumerates at most 300 test items; same rates at n = 300. */
const COUNTS_300 = { tp: 135, fn: 15, tn: 120, fp: 30, k: 70_000, m: 100_000 }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Median wall time of `runs` calls after `warmup` unmeasured ones (each call gets a new seed). */
function time(run: (seed: number) => unknown, runs: number, warmup = 3): { median: number; first: number } {
  const t0 = performance.now()
  run(1000)
  const first = performance.now() - t0
  for (let i = 1; i < warmup; i++) run(1000 + i)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    run(i)
    times.push(performance.now() - t)
  }
  return { median: median(times), first }
}

/** Timings of the interval methods at the sizes of DESIGN §6 and, in a full run, the coverage simulation. */
export const statsBench: BenchSuite = ({ quick, log }) => {
  const rows: BenchRow[] = []
  const B = quick ? 2_000 : 20_000
  const size = `n=1000 m=100000 B=${B}`
  const estimateMs = (input: Omit<EstimateInput, 'seed'>, runs: number) =>
    time((seed) => estimate({ ...input, seed }), runs)

  const judgy = estimateMs({ counts: COUNTS, method: 'judgy', iterations: B }, quick ? 9 : 25)
  rows.push({
    name: `stats: judgy interval ${size} (median)`,
    value: judgy.median,
    unit: 'ms',
    ...(quick ? {} : { target: { value: 10, better: 'lower' as const } }),
    note: `first (cold) run ${judgy.first.toFixed(1)} ms; count-level draws (binomial hierarchy)`,
  })
  log(`judgy ${size}: median ${judgy.median.toFixed(2)} ms, first run ${judgy.first.toFixed(2)} ms`)

  const { labels, preds } = countsToArrays(COUNTS)
  const naive = time(
    (seed) => indexBootstrapDraws(labels, preds, COUNTS.k, COUNTS.m, B, createRng(seed)),
    quick ? 1 : 3,
    1,
  )
  rows.push({
    name: `stats: naive index resampling (judgy's algorithm) ${size} (median)`,
    value: naive.median,
    unit: 'ms',
  })
  rows.push({
    name: 'stats: judgy interval speed-up over naive index resampling',
    value: naive.median / judgy.median,
    unit: 'x',
    note: 'same counts, B and machine, measured in this run',
  })
  log(`naive index resampling: ${naive.median.toFixed(1)} ms (${(naive.median / judgy.median).toFixed(0)}x slower)`)

  const others: Array<[string, Omit<EstimateInput, 'seed'>]> = [
    [`bootstrap (+ production resampled) ${size}`, { counts: COUNTS, method: 'bootstrap', iterations: B }],
    [`bootstrap stratified ${size}`, { counts: COUNTS, method: 'bootstrap', stratified: true, iterations: B }],
    [`bca ${size}`, { counts: COUNTS, method: 'bca', iterations: B }],
    ['lang-reiczigel n=1000 m=100000', { counts: COUNTS, method: 'lang-reiczigel' }],
    ['wald n=1000 m=100000', { counts: COUNTS, method: 'wald' }],
    ['exact n=300 (enumeration)', { counts: COUNTS_300, method: 'exact' }],
  ]
  for (const [name, input] of others) {
    const t = estimateMs(input, input.method === 'exact' ? (quick ? 2 : 5) : quick ? 5 : 15)
    rows.push({ name: `stats: ${name} (median)`, value: t.median, unit: 'ms' })
    log(`${name}: ${t.median.toFixed(2)} ms`)
  }

  if (!quick) rows.push(...coverageRows(log))
  rows.push(...auditCoverageRows(quick, log))
  return Promise.resolve(rows)
}

/** A larger coverage run than the unit test: R = 2 000 data sets per scenario (exact: 400). */
function coverageRows(log: (line: string) => void): BenchRow[] {
  const replicates = 2_000
  const methods = INTERVAL_METHODS.filter((m) => m !== 'exact')
  const cells: CoverageCell[] = []
  const t0 = performance.now()
  for (const s of COVERAGE_SCENARIOS) {
    cells.push(...simulateCoverage(s, { replicates, iterations: 1_000, seed: 7, methods }))
    cells.push(...simulateCoverage(s, { replicates: 400, iterations: 1_000, seed: 7, methods: ['exact'] }))
  }
  log(
    `coverage at nominal 0.95 (R = ${replicates}, B = 1000; exact R = 400), ${((performance.now() - t0) / 1000).toFixed(0)} s:`,
  )
  for (const line of formatCoverageTable(cells).split('\n')) log(line)
  return [...methods, 'exact' as IntervalMethod].map((method) => {
    const mine = cells.filter((c) => c.method === method)
    const worst = mine.reduce((a, b) => (b.coverage < a.coverage ? b : a))
    return {
      name: `stats: worst-case coverage of ${method}${method === DEFAULT_METHOD ? ' (default)' : ''}`,
      value: worst.coverage,
      unit: 'count' as const,
      ...(method === DEFAULT_METHOD ? { target: { value: 0.94, better: 'higher' as const } } : {}),
      note: `share of data sets whose 95% interval contains θ; worst of ${mine.length} scenarios (${worst.scenario})`,
    }
  })
}

/**
 * Issue 18's coverage suite: the chosen audit and PPI++ intervals beside Lang–Reiczigel on the same labels
 * (R = 5 000 per scenario; --quick 300), then every candidate interval at R = 2 000 in the log, which is how
 * the chosen ones were picked (≥ 0.94 in every i.i.d. scenario, narrowest mean width).
 */
function auditCoverageRows(quick: boolean, log: (line: string) => void): BenchRow[] {
  const replicates = quick ? 300 : 5_000
  const t0 = performance.now()
  const cells: AuditCoverageCell[] = AUDIT_SCENARIOS.flatMap((s) => simulateAuditCoverage(s, { replicates, seed: 18 }))
  log(
    `audit / PPI++ / Lang–Reiczigel coverage at nominal 0.95 (R = ${replicates}), coverage / mean width, ${((performance.now() - t0) / 1000).toFixed(0)} s:`,
  )
  for (const line of formatAuditCoverageTable(cells).split('\n')) log(line)
  if (!quick) logCandidates(log)
  const worst = (method: string): AuditCoverageCell =>
    cells.filter((c) => c.iid && c.method === method).reduce((a, b) => (b.coverage < a.coverage ? b : a))
  const shift = (method: string) => cells.find((c) => !c.iid && c.method === method)
  const target = (value: number, better: 'lower' | 'higher') => (quick ? {} : { target: { value, better } })
  const audit = worst(`audit:${AUDIT_INTERVAL}`)
  const ppi = worst(`ppi:${PPI_INTERVAL}`)
  const course = cells.find((c) => c.scenario.startsWith('course-like'))?.scenario ?? ''
  const ppiShift = shift(`ppi:${PPI_INTERVAL}`)
  const rows: BenchRow[] = [
    {
      name: 'stats: coverage of audit (worst i.i.d. scenario)',
      value: audit.coverage,
      unit: 'count',
      ...target(0.94, 'higher'),
      note: `${AUDIT_INTERVAL}; R = ${replicates}; worst: ${audit.scenario}`,
    },
    {
      name: 'stats: coverage of ppi++ (worst i.i.d. scenario)',
      value: ppi.coverage,
      unit: 'count',
      ...target(0.94, 'higher'),
      note: `${PPI_INTERVAL}; R = ${replicates}; worst: ${ppi.scenario}`,
    },
    {
      name: 'stats: audit width ÷ Lang–Reiczigel width, course-like',
      value: widthRatio(cells, course) ?? Number.NaN,
      unit: 'x',
      ...target(0.7, 'lower'),
      note: 'mean widths at the same number of labels',
    },
  ]
  if (ppiShift !== undefined) {
    rows.push({
      name: 'stats: coverage of ppi++ under label shift (expected to fail; flagged)',
      value: ppiShift.coverage,
      unit: 'count',
      note: `label_shift warning in ${(100 * (ppiShift.flagged ?? 0)).toFixed(0)}% of runs; audit ${shift(`audit:${AUDIT_INTERVAL}`)?.coverage.toFixed(3) ?? '-'}`,
    })
  }
  return rows
}

/** Every candidate interval of the audit and of PPI++, R = 2 000, for the record of the choice. */
function logCandidates(log: (line: string) => void): void {
  const auditIntervals = Object.keys(AUDIT_INTERVALS) as AuditIntervalId[]
  const ppiIntervals = Object.keys(PPI_INTERVALS) as PpiIntervalId[]
  const cells = AUDIT_SCENARIOS.flatMap((s) =>
    simulateAuditCoverage(s, { replicates: 2_000, seed: 19, auditIntervals, ppiIntervals }),
  )
  log('candidate intervals (R = 2000): worst i.i.d. coverage, mean width over i.i.d. scenarios')
  for (const method of [...new Set(cells.map((c) => c.method))]) {
    const mine = cells.filter((c) => c.iid && c.method === method)
    const worst = mine.reduce((a, b) => (b.coverage < a.coverage ? b : a))
    const width = mine.reduce((a, b) => a + b.meanWidth, 0) / mine.length
    log(`  ${method.padEnd(28)} ${worst.coverage.toFixed(3)}  ${width.toFixed(4)}  (worst: ${worst.scenario})`)
  }
}
