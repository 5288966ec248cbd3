/**
 * The coverage suite of issue 18, small and seeded: the chosen audit and PPI++ intervals hold their level in
 * i.i.d. scenarios, under label shift PPI++ fails and is flagged while the audit holds, and the audit is
 * narrower than Lang–Reiczigel on the course-like judge. The bench runs the whole suite large.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  AUDIT_SCENARIOS,
  formatAuditCoverageTable,
  isIid,
  simulateAuditCoverage,
  widthRatio,
  type AuditCoverageCell,
} from '../../../shared/stats/audit-coverage'
import { AUDIT_INTERVAL } from '../../../shared/stats/stratified'
import { PPI_INTERVAL } from '../../../shared/stats/ppi'

const SEED = 20261207
const REPLICATES = 600
const PICKED = ['course-like', 'near 1: θ.97 .95/.95', 'small n', 'label shift']

describe('audit coverage simulation at nominal 0.95', () => {
  const cells: AuditCoverageCell[] = []
  const scenarios = AUDIT_SCENARIOS.filter((s) => PICKED.some((p) => s.name.startsWith(p)))
  const cell = (scenario: string, method: string): AuditCoverageCell => {
    const c = cells.find((x) => x.scenario.startsWith(scenario) && x.method === method)
    if (c === undefined) throw new Error(`no cell ${scenario} / ${method}`)
    return c
  }
  beforeAll(() => {
    for (const s of scenarios) cells.push(...simulateAuditCoverage(s, { replicates: REPLICATES, seed: SEED }))
  })

  it('runs the picked scenarios, one i.i.d. and one shifted', () => {
    expect(scenarios).toHaveLength(PICKED.length)
    expect(scenarios.filter((s) => !isIid(s)).map((s) => s.name)).toEqual([expect.stringMatching(/^label shift/)])
  })

  it('keeps the chosen audit and PPI++ intervals near or above 0.95 in i.i.d. scenarios', () => {
    // 600 replicates: a true 0.95 lands below 0.925 with probability < 0.2 %.
    for (const c of cells.filter((x) => x.iid && x.method !== 'lang-reiczigel')) {
      expect(c.coverage, `${c.scenario} ${c.method}`).toBeGreaterThanOrEqual(0.925)
    }
  })

  it('under label shift: PPI++ misses and is flagged, the audit holds', () => {
    const ppi = cell('label shift', `ppi:${PPI_INTERVAL}`)
    expect(ppi.coverage).toBeLessThan(0.6)
    expect(ppi.flagged).toBeGreaterThan(0.9)
    expect(cell('label shift', `audit:${AUDIT_INTERVAL}`).coverage).toBeGreaterThanOrEqual(0.925)
    expect(cell('course-like', `ppi:${PPI_INTERVAL}`).flagged).toBeLessThan(0.05)
  })

  it('gives the audit at most 0.7× the Lang–Reiczigel width on the course-like judge', () => {
    const ratio = widthRatio(cells, cell('course-like', 'lang-reiczigel').scenario)
    expect(ratio).not.toBeNull()
    expect(ratio).toBeLessThanOrEqual(0.7)
  })

  it('is reproducible from its seed and prints one row per scenario', () => {
    const again = simulateAuditCoverage(scenarios[0], { replicates: 50, seed: 1 })
    expect(simulateAuditCoverage(scenarios[0], { replicates: 50, seed: 1 })).toEqual(again)
    const table = formatAuditCoverageTable(cells)
    expect(table.split('\n')).toHaveLength(scenarios.length + 1)
    for (const s of scenarios) expect(table).toContain(s.name)
  })
})
