/**
 * Coverage simulation of the label-efficient estimators (issue 18, statistics.md §7): how often the
 * production audit's, PPI++'s and Lang–Reiczigel's intervals contain the production pass rate, and how wide
 * they are, on the same judge and the same number of labels. It is the evidence behind `AUDIT_INTERVAL` and
 * `PPI_INTERVAL`; the unit test runs it small, `assay bench --only stats` large.
 *
 * Production is a finite population of m items with true labels and judge verdicts; the truth is its own
 * pass rate. The audit draws n items without replacement from the verdict strata (half as a pilot by
 * `neymanAllocation` with no labels, the rest by Neyman from the pilot's rates, as "Label next" would);
 * PPI++ and Lang–Reiczigel get n random labeled items from the same judge (from another prevalence in the
 * label-shift scenario).
 */
import { neymanAllocation } from './allocation'
import { multinomial } from './binomial'
import { isStatsError } from './errors'
import { estimate } from './estimate'
import { ppiWith, PPI_INTERVAL, type PpiIntervalId } from './ppi'
import { createRng, type Rng } from './rng'
import { AUDIT_INTERVAL, stratifiedWith, type AuditIntervalId, type Stratum } from './stratified'

/** A judge on production and the labels each estimator gets. */
export interface AuditScenario {
  name: string
  /** True pass rate of the process production is drawn from. */
  theta: number
  tpr: number
  tnr: number
  /** Labels each estimator gets. */
  n: number
  /** Production items. */
  m: number
  /** Pass rate of the process the random labeled items come from, when it differs from production (label shift). */
  labeledTheta?: number
}

/** The four scenarios, then small and extreme ones, then label shift (not i.i.d.: PPI++ may fail there). */
export const AUDIT_SCENARIOS: readonly AuditScenario[] = [
  { name: 'θ.70 .90/.85 n100 m10k', theta: 0.7, tpr: 0.9, tnr: 0.85, n: 100, m: 10_000 },
  { name: 'course-like θ.85 .93/.83 n46 m2400', theta: 0.85, tpr: 0.93, tnr: 0.83, n: 46, m: 2400 },
  { name: 'θ.90 .95/.80 n100 m10k', theta: 0.9, tpr: 0.95, tnr: 0.8, n: 100, m: 10_000 },
  { name: 'θ.50 .80/.80 n100 m10k', theta: 0.5, tpr: 0.8, tnr: 0.8, n: 100, m: 10_000 },
  { name: 'near 0: θ.03 .90/.95 n100 m10k', theta: 0.03, tpr: 0.9, tnr: 0.95, n: 100, m: 10_000 },
  { name: 'near 0 small: θ.05 .85/.90 n30 m500', theta: 0.05, tpr: 0.85, tnr: 0.9, n: 30, m: 500 },
  { name: 'near 1: θ.97 .95/.95 n50 m1000', theta: 0.97, tpr: 0.95, tnr: 0.95, n: 50, m: 1000 },
  { name: 'near 1: θ.97 .95/.90 n100 m10k', theta: 0.97, tpr: 0.95, tnr: 0.9, n: 100, m: 10_000 },
  { name: 'near 1: θ.99 .97/.90 n200 m50k', theta: 0.99, tpr: 0.97, tnr: 0.9, n: 200, m: 50_000 },
  { name: 'small strata: θ.95 .98/.90 n40 m1000', theta: 0.95, tpr: 0.98, tnr: 0.9, n: 40, m: 1000 },
  { name: 'small n: θ.80 .90/.85 n20 m300', theta: 0.8, tpr: 0.9, tnr: 0.85, n: 20, m: 300 },
  { name: 'half of production: θ.70 .90/.85 n150 m300', theta: 0.7, tpr: 0.9, tnr: 0.85, n: 150, m: 300 },
  { name: 'large: θ.70 .90/.85 n400 m1e6', theta: 0.7, tpr: 0.9, tnr: 0.85, n: 400, m: 1_000_000 },
  {
    name: 'label shift: θ.85 (labels from θ.50) .93/.83 n100 m10k',
    theta: 0.85,
    tpr: 0.93,
    tnr: 0.83,
    n: 100,
    m: 10_000,
    labeledTheta: 0.5,
  },
]

/** Whether the labeled items come from the same process as production (the scenarios the target applies to). */
export function isIid(s: AuditScenario): boolean {
  return s.labeledTheta === undefined || s.labeledTheta === s.theta
}

export interface AuditCoverageOptions {
  replicates: number
  seed: number
  confidence?: number
  /** Audit intervals to check (default: the chosen one). */
  auditIntervals?: readonly AuditIntervalId[]
  /** PPI++ intervals to check (default: the chosen one). */
  ppiIntervals?: readonly PpiIntervalId[]
}

/** One estimator (and interval) in one scenario. */
export interface AuditCoverageCell {
  scenario: string
  iid: boolean
  /** `audit:<interval>`, `ppi:<interval>` or `lang-reiczigel`. */
  method: string
  replicates: number
  coverage: number
  meanWidth: number
  /** Replicates where the estimator refused (e.g. Lang–Reiczigel with adjusted J ≤ 0); they count as misses. */
  refused: number
  /** PPI++ only: share of replicates whose `label_shift` warning fired. */
  flagged?: number
}

/** Draws a finite production and, per replicate, the audit's and the test split's labels; checks every interval. */
export function simulateAuditCoverage(s: AuditScenario, o: AuditCoverageOptions): AuditCoverageCell[] {
  const rng = createRng(o.seed)
  const confidence = o.confidence ?? 0.95
  const audits = o.auditIntervals ?? [AUDIT_INTERVAL]
  const ppis = o.ppiIntervals ?? [PPI_INTERVAL]
  const tally = new Map<string, { covered: number; width: number; widths: number; refused: number; flagged: number }>()
  const methods = [...audits.map((a) => `audit:${a}`), ...ppis.map((p) => `ppi:${p}`), 'lang-reiczigel']
  for (const method of methods) tally.set(method, { covered: 0, width: 0, widths: 0, refused: 0, flagged: 0 })
  const record = (method: string, truth: number, get: () => { lower: number; upper: number; flag?: boolean }) => {
    const t = tally.get(method)
    if (t === undefined) return
    try {
      const ci = get()
      if (ci.lower <= truth + 1e-12 && truth - 1e-12 <= ci.upper) t.covered++
      t.width += ci.upper - ci.lower
      t.widths++
      if (ci.flag === true) t.flagged++
    } catch (e) {
      if (!isStatsError(e)) throw e
      t.refused++
    }
  }
  for (let r = 0; r < o.replicates; r++) {
    const prod = multinomial(rng, s.m, cellProbabilities(s.theta, s.tpr, s.tnr))
    const [tpP, fnP, fpP] = prod
    const truth = (tpP + fnP) / s.m
    const strata = auditDraw(rng, prod, s.n)
    for (const a of audits) record(`audit:${a}`, truth, () => stratifiedWith(strata, confidence, a))
    const lab = multinomial(rng, s.n, cellProbabilities(s.labeledTheta ?? s.theta, s.tpr, s.tnr))
    const counts = { tp: lab[0], fn: lab[1], fp: lab[2], tn: lab[3], k: tpP + fpP, m: s.m }
    for (const p of ppis) {
      record(`ppi:${p}`, truth, () => {
        const e = ppiWith(counts, confidence, p)
        return { ...e, flag: e.warnings.some((w) => w.code === 'label_shift') }
      })
    }
    record('lang-reiczigel', truth, () => estimate({ counts, method: 'lang-reiczigel', confidence }))
  }
  return methods.map((method) => {
    const t = tally.get(method) ?? { covered: 0, width: 0, widths: 0, refused: 0, flagged: 0 }
    return {
      scenario: s.name,
      iid: isIid(s),
      method,
      replicates: o.replicates,
      coverage: t.covered / o.replicates,
      meanWidth: t.widths > 0 ? t.width / t.widths : Number.NaN,
      refused: t.refused,
      ...(method.startsWith('ppi:') ? { flagged: t.flagged / o.replicates } : {}),
    }
  })
}

/** P(human pass & judge pass), P(pass & fail), P(fail & pass), P(fail & fail): the order tp, fn, fp, tn. */
function cellProbabilities(theta: number, tpr: number, tnr: number): number[] {
  return [theta * tpr, theta * (1 - tpr), (1 - theta) * (1 - tnr), (1 - theta) * tnr]
}

/**
 * The audit's labels: strata judge pass (tp + fp items, tp human passes) and judge fail; a pilot of half the
 * labels (proportional, ≥ 10 per stratum), then the rest by Neyman from the pilot's rates.
 */
function auditDraw(rng: Rng, prod: Int32Array, n: number): Stratum[] {
  const pop = [
    { name: 'judge pass', N: prod[0] + prod[2], passes: prod[0] },
    { name: 'judge fail', N: prod[1] + prod[3], passes: prod[1] },
  ].filter((p) => p.N > 0)
  const strata = pop.map((p) => ({ name: p.name, N: p.N, n: 0, humanPass: 0 }))
  const drawn = pop.map(() => ({ passes: 0, items: 0 }))
  const pilot = Math.min(n, Math.max(20, Math.round(n / 2)))
  for (const size of [pilot, n - pilot]) {
    const add = neymanAllocation(strata, size)
    add.forEach((a, h) => {
      for (let i = 0; i < a; i++) {
        // Without replacement: the next item is a pass with the share of passes among the items not yet drawn.
        const left = pop[h].N - drawn[h].items
        const passesLeft = pop[h].passes - drawn[h].passes
        if (rng.nextInt(left) < passesLeft) drawn[h].passes++
        drawn[h].items++
      }
      strata[h].n = drawn[h].items
      strata[h].humanPass = drawn[h].passes
    })
  }
  return strata
}

/** A plain-text table: one row per scenario, "coverage / mean width" per method, and audit width ÷ LR width. */
export function formatAuditCoverageTable(cells: readonly AuditCoverageCell[]): string {
  const methods = [...new Set(cells.map((c) => c.method))]
  const scenarios = [...new Set(cells.map((c) => c.scenario))]
  const w0 = Math.max(8, ...scenarios.map((s) => s.length)) + 2
  const cw = Math.max(16, ...methods.map((m) => m.length + 2))
  const lines = [`${'scenario'.padEnd(w0)}${methods.map((m) => m.padEnd(cw)).join('')}audit ÷ LR width`]
  for (const s of scenarios) {
    const row = methods.map((m) => {
      const c = cells.find((x) => x.scenario === s && x.method === m)
      const text = c === undefined ? '-' : `${c.coverage.toFixed(3)} / ${c.meanWidth.toFixed(3)}`
      return text.padEnd(cw)
    })
    lines.push(`${s.padEnd(w0)}${row.join('')}${widthRatio(cells, s)?.toFixed(2) ?? '-'}`)
  }
  return lines.join('\n')
}

/** Mean width of the chosen audit interval ÷ Lang–Reiczigel's in one scenario (null when either is missing). */
export function widthRatio(cells: readonly AuditCoverageCell[], scenario: string): number | null {
  const audit = cells.find((c) => c.scenario === scenario && c.method === `audit:${AUDIT_INTERVAL}`)
  const lr = cells.find((c) => c.scenario === scenario && c.method === 'lang-reiczigel')
  return audit === undefined || lr === undefined ? null : audit.meanWidth / lr.meanWidth
}
