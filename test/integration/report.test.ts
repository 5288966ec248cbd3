/**
 * The calibration report of the demo project: the same numbers as the Calibrate screen's core and
 * the statistics, in every text format; the JSON validates against the published JSON Schema
 * (docs/report.schema.json, generated from the zod schema and kept equal to it here); judgy's
 * exported arrays reproduce the estimate.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { calibrate, setTargets } from '../../electron/core/calibrate'
import { writeDemoProject } from '../../electron/core/demo'
import { openContext, type ProjectContext } from '../../electron/core/context'
import { buildReport } from '../../electron/core/report/build'
import { judgyArrays } from '../../electron/core/report/judgy'
import { reportHtml, reportJson, reportMarkdown } from '../../electron/core/report/render'
import { CalibrateRequest, Targets } from '../../shared/calibrate'
import { ReportData } from '../../shared/report/data'
import { countsFromArrays, estimate } from '../../shared/stats'
import { repoRoot, tempDir } from '../helpers/paths'

const SCHEMA_FILE = join(repoRoot, 'docs/report.schema.json')

describe('calibration report', () => {
  const tmp = tempDir()
  const path = tmp.file('demo.assay')
  let d: ProjectContext
  beforeAll(() => {
    writeDemoProject(path, { unlabeled: 300 })
    d = openContext(path, { clock: () => new Date('2026-03-01T00:00:00Z') })
  })
  afterAll(() => {
    d.db.close()
    tmp.cleanup()
  })

  it('shows the numbers of the Calibrate screen in HTML, Markdown and JSON', () => {
    const data = buildReport(d, { projectPath: path, appVersion: '9.9.9' })
    expect(ReportData.parse(data)).toEqual(data)
    const [j] = data.judges
    const versionId = d.repos.judges.versions(1).at(-1)!.id
    const screen = calibrate(d, CalibrateRequest.parse({ versionId }))
    expect(j.estimate).toMatchObject({
      theta: screen.estimate!.theta,
      lower: screen.estimate!.lower,
      upper: screen.estimate!.upper,
      method: 'lang-reiczigel',
    })
    expect(j.matrices).toEqual(screen.matrices)
    expect(d.repos.judges.version(versionId)!.test_viewed_at).not.toBeNull() // a report shows test results: recorded
    const e = j.estimate!
    const core = estimate({ counts: e.counts })
    expect([e.theta, e.lower, e.upper]).toEqual([core.theta, core.lower, core.upper])
    const numbers = [e.theta.toFixed(3), `[${e.lower.toFixed(3)}, ${e.upper.toFixed(3)}]`, e.pObs.toFixed(3)]
    const html = reportHtml(data)
    const md = reportMarkdown(data)
    for (const n of numbers) {
      expect(html).toContain(n)
      expect(md).toContain(n)
    }
    expect(JSON.parse(reportJson(data))).toEqual(data)
    // Self-contained: no script, nothing to fetch, a CSP that forbids requests.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
    expect(html).toContain('<svg class="histogram"')
    expect(html).toContain('<svg class="pareto"')
    // The command in the reproducibility block recomputes the same numbers.
    expect(j.command).toBe(
      `echo '${JSON.stringify(e.counts)}' | assay estimate --input - --method lang-reiczigel --seed 0 --confidence 0.95 --json`,
    )
    expect(data.project.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it("grades the judge against the criterion's targets, which Calibrate sets and the project keeps", () => {
    const versionId = d.repos.judges.versions(1).at(-1)!.id
    const criterionId = calibrate(d, CalibrateRequest.parse({ versionId })).judge.criterionId
    expect(calibrate(d, CalibrateRequest.parse({ versionId })).targets).toEqual({ target: 0.9, minimum: 0.8 })
    expect(() => Targets.parse({ target: 0.8, minimum: 0.9 })).toThrow(/minimum cannot be above the target/)
    setTargets(d, criterionId, { target: 0.99, minimum: 0.98 })
    try {
      expect(calibrate(d, CalibrateRequest.parse({ versionId })).targets).toEqual({ target: 0.99, minimum: 0.98 })
      const j = buildReport(d, { projectPath: path, appVersion: '9.9.9' }).judges[0]
      expect(j.targets).toEqual({ target: 0.99, minimum: 0.98 })
      // The demo judge's test TPR is below 98%: with these targets the report says so.
      expect(j.interpretation.join(' ')).toMatch(/TPR, which is below the minimum/)
      expect(reportMarkdown(buildReport(d, { projectPath: path, appVersion: '9.9.9' }))).toMatch(/99\.0%/)
    } finally {
      setTargets(d, criterionId, { target: 0.9, minimum: 0.8 })
    }
  })

  it('validates against docs/report.schema.json, which is the zod schema as JSON Schema', () => {
    const schema = z.toJSONSchema(ReportData)
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, `${JSON.stringify(schema, null, 2)}\n`)
    const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))
    expect(published).toEqual(schema) // regenerate with UPDATE_SCHEMA=1 after changing shared/report/data.ts
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(published)
    const data = JSON.parse(reportJson(buildReport(d, { projectPath: path, appVersion: '9.9.9', method: 'judgy' })))
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true)
    data.judges[0].estimate.theta = 'high'
    expect(validate(data)).toBe(false)
  })

  it("exports judgy's arrays that reproduce the judgy estimate", () => {
    const { arrays } = judgyArrays(d, 'Overall judge')
    const fromArrays = estimate({
      counts: countsFromArrays(arrays.test_labels, arrays.test_preds, arrays.unlabeled_preds),
      method: 'judgy',
      seed: 3,
    })
    const report = buildReport(d, {
      projectPath: path,
      appVersion: 'x',
      judge: 'Overall judge',
      method: 'judgy',
      seed: 3,
    })
    expect(report.judges[0].estimate).toMatchObject({
      theta: fromArrays.theta,
      lower: fromArrays.lower,
      upper: fromArrays.upper,
      nDropped: fromArrays.nDropped,
    })
    expect(() => buildReport(d, { projectPath: path, appVersion: 'x', judge: 'Nope' })).toThrow(
      /No judge matches name "Nope"/,
    )
  })
})
