import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { interopFixture } from '../helpers/interop'
import { tempDir } from '../helpers/paths'
import type { AppDriver } from './driver'
import { openImportWizard } from './wizard'

/**
 * Issue 20 through the import wizard: LangSmith runs, Langfuse traces and Braintrust events are
 * recognised and grouped (a numeric score given its threshold in the verdict's Threshold field),
 * and a span file Assay does not know is grouped by hand with the trace, span and parent fields.
 * The fixtures and the documentation they follow: test/fixtures/interop/README.md.
 */
describe('Import wizard: span and run exports', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-interop-')))
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  const openWizard = (project: string, file: string) => openImportWizard(tmp.file('home'), project, file)

  const counts = (project: string) => {
    const db = new Database(project, { readonly: true })
    try {
      const n = (sql: string) => db.prepare(sql).pluck().get() as number
      return {
        items: n('SELECT count(*) FROM items'),
        steps: n('SELECT count(*) FROM steps'),
        labels: n('SELECT count(*) FROM labels'),
        verdicts: n('SELECT count(*) FROM verdicts'),
        passes: n("SELECT count(*) FROM verdicts WHERE verdict = 'pass'"),
      }
    } finally {
      db.close()
    }
  }

  const cases = [
    { file: 'langsmith-runs.jsonl', source: 'LangSmith runs', threshold: null, steps: 6, verdicts: 2, passes: 1 },
    { file: 'langfuse-traces.json', source: 'Langfuse traces', threshold: '0.5', steps: 6, verdicts: 6, passes: 3 },
    { file: 'braintrust-events.jsonl', source: 'Braintrust', threshold: '0.5', steps: 5, verdicts: 5, passes: 3 },
  ]
  for (const c of cases) {
    it(`${c.file}: recognised as ${c.source}, imported as 3 traces with their steps and verdicts`, async () => {
      const project = tmp.file('p.assay')
      app = await openWizard(project, interopFixture(c.file))
      const { page } = app
      await expect
        .poll(() => page.getByTestId('span-grouping').textContent())
        .toContain(`${c.source}: rows are grouped`)
      if (c.threshold) {
        // A numeric score without its threshold is a bad row of the preview, saying how to give one.
        await expect.poll(() => page.locator('.import-errors').textContent()).toContain('is a numeric score')
        await page.getByLabel('Score threshold').first().fill(c.threshold)
      }
      await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(3)
      await page.keyboard.press('Control+Enter')
      const report = page.getByTestId('import-report')
      await expect.poll(() => report.textContent()).toContain('Imported 3 new items')
      expect(counts(project)).toEqual({ items: 3, steps: c.steps, labels: 0, verdicts: c.verdicts, passes: c.passes })
      expect(await app.problems()).toEqual([])
    })
  }

  it('an unknown span file, grouped by hand: 6 rows become 2 traces with 4 steps', async () => {
    const project = tmp.file('p.assay')
    app = await openWizard(project, interopFixture('unknown-spans.jsonl'))
    const { page } = app
    await page.getByLabel('Input', { exact: true }).selectOption('in')
    await page.getByLabel('Output', { exact: true }).selectOption('out')
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(6)
    await page.getByText('Group rows into traces by hand').click()
    await page.getByLabel('Trace id field').selectOption('trace')
    await page.getByLabel('Span id field').selectOption('sid')
    await page.getByLabel('Parent span field').selectOption('up')
    await page.getByLabel('Span name field').selectOption('op')
    await page.getByLabel('Span start field').selectOption('t')
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(2)
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('import-report').textContent()).toContain('Imported 2 new items')
    expect(counts(project)).toEqual({ items: 2, steps: 4, labels: 0, verdicts: 0, passes: 0 })
    expect(await app.problems()).toEqual([])
  })
})
