/**
 * Issue 20, items 2, 3 and 5, through the wizard (`assay serve` + Chromium): promptfoo results, Inspect AI logs
 * and a Parquet file are detected, previewed and imported with the same counts as through the CLI
 * (test/integration/import/interop-evals.test.ts names the documentation the fixtures follow).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeInspectEval } from '../helpers/inspect-eval'
import { projectCounts } from '../helpers/interop'
import { repoRoot, tempDir } from '../helpers/paths'
import type { AppDriver } from './driver'
import { openImportWizard } from './wizard'

const PROMPTFOO = join(repoRoot, 'test/fixtures/interop/promptfoo/results.json')
const INSPECT_JSON = join(repoRoot, 'test/fixtures/interop/inspect/log.json')
const PARQUET = join(repoRoot, 'test/fixtures/parquet/chat-polars.parquet')
const PARQUET_TWIN = join(repoRoot, 'test/fixtures/parquet/chat.jsonl')

describe('Import wizard: eval-tool results', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null

  beforeEach(() => {
    tmp = tempDir('assay-e2e-import-evals-')
  })
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  const openWizard = (project: string, file: string) => openImportWizard(tmp.file('home'), project, file)

  it('promptfoo results.json: 4 items, the overall and per-assertion verdicts', async () => {
    const project = tmp.file('p.assay')
    app = await openWizard(project, PROMPTFOO)
    const { page } = app
    await expect.poll(() => page.locator('body').textContent()).toContain('promptfoo results: one item per result')
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(4)
    await expect.poll(() => page.getByLabel('Judge name').count()).toBe(5)
    await page.keyboard.press('Control+Enter')
    const report = page.getByTestId('import-report')
    await expect.poll(() => report.textContent()).toContain('Imported 4 new items')
    expect(projectCounts(project)).toEqual({
      items: 4,
      messages: 0,
      labels: 0,
      verdicts: { pass: 8, fail: 2, error: 1 },
    })
  })

  it('an Inspect .json log: a numeric scorer stops the preview until its threshold is set', async () => {
    const project = tmp.file('p.assay')
    app = await openWizard(project, INSPECT_JSON)
    const { page } = app
    await expect.poll(() => page.locator('.import-errors').textContent()).toContain('is a numeric score, not pass/fail')
    const judges = page.getByLabel('Judge name')
    await expect.poll(() => judges.count()).toBe(3)
    await expect.poll(() => judges.nth(2).inputValue()).toBe('inspect similarity')
    await page.getByLabel('Score threshold').nth(2).fill('0.5')
    await expect.poll(() => page.locator('.import-errors').count()).toBe(0)
    await page.keyboard.press('Control+Enter')
    const report = page.getByTestId('import-report')
    await expect.poll(() => report.textContent()).toContain('Imported 3 new items')
    expect(projectCounts(project)).toEqual({
      items: 3,
      messages: 9,
      labels: 0,
      verdicts: { pass: 5, fail: 3, error: 1 },
    })
  })

  it('an Inspect .eval log (a ZIP archive): 4 samples over 2 epochs', async () => {
    const project = tmp.file('p.assay')
    const log = writeInspectEval(tmp.file('arithmetic.eval'))
    app = await openWizard(project, log)
    const { page } = app
    await expect.poll(() => page.locator('body').textContent()).toContain('Inspect AI .eval log (a ZIP archive)')
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(4)
    await page.keyboard.press('Control+Enter')
    const report = page.getByTestId('import-report')
    await expect.poll(() => report.textContent()).toContain('Imported 4 new items')
    expect(projectCounts(project)).toEqual({ items: 4, messages: 8, labels: 0, verdicts: { pass: 3, fail: 1 } })
  })

  it('a Parquet file written by polars: detected by its magic bytes, previewed and imported like its JSON twin', async () => {
    const project = tmp.file('p.assay')
    app = await openWizard(project, PARQUET)
    const { page } = app
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(4)
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('import-report').textContent()).toContain('Imported 4 new items')
    const twin = readFileSync(PARQUET_TWIN, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { messages: unknown[] | null })
    expect(projectCounts(project).items).toBe(twin.length)
    expect(projectCounts(project).messages).toBe(twin.reduce((n, r) => n + (r.messages?.length ?? 0), 0))
  })
})
