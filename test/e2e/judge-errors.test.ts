/**
 * The Judges screen's error counts agree and say what they count (issue 16: "1 error verdict"
 * beside a run row that said 4). A project of its own (no demo): a judge run on every item
 * against the local fake model, with unparseable answers on 1 dev, 2 test and 1 unlabeled item.
 * While the test lock holds, the version's error list counts the test errors without listing
 * them; once `t` shows test results, it lists all four.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { openaiClient } from '../../electron/core/judge/llm'
import { createJudge } from '../../electron/core/judge/judges'
import { executeRun } from '../../electron/core/judge/execute'
import { createRun } from '../../electron/core/judge/runs'
import type { FixtureItem } from '../helpers/judge-project'
import { judgeProject } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, type AppDriver } from './driver'

const items: FixtureItem[] = [
  ...Array.from({ length: 6 }, (_, i): FixtureItem => ({
    id: `dev-${i}`,
    input: `dev question ${i}${i === 0 ? ' [[malformed]]' : i >= 3 ? ' [[fail]]' : ''}`,
    label: i < 3 ? 'pass' : 'fail',
    split: 'dev',
  })),
  ...Array.from({ length: 6 }, (_, i): FixtureItem => ({
    id: `test-${i}`,
    input: `test question ${i}${i < 2 ? ' [[malformed]]' : i >= 3 ? ' [[fail]]' : ''}`,
    label: i < 3 ? 'pass' : 'fail',
    split: 'test',
  })),
  ...Array.from({ length: 5 }, (_, i): FixtureItem => ({
    id: `prod-${i}`,
    input: `production question ${i}${i === 0 ? ' [[malformed]]' : ''}`,
  })),
]

describe('Judges screen: error verdicts', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  let server: LlmServer
  beforeEach(async () => {
    tmp = tempDir('assay-e2e-')
    server = await startLlmServer()
  })
  afterEach(async () => {
    await app?.close()
    app = null
    await server.close()
    tmp.cleanup()
  })

  it("counts the run's error verdicts in the run row and the version's list alike, test ones counted while locked and listed once shown", async () => {
    const project = tmp.file('own.assay')
    const d = judgeProject(project, items)
    const judge = createJudge(d, {
      criterionId: d.criterionId,
      name: 'Strict judge',
      model: {
        id: 'local',
        name: 'Local',
        provider: 'test',
        baseUrl: server.baseUrl,
        model: 'fake-judge',
        pricePerMInput: 0,
        pricePerMOutput: 0,
        structuredOutputs: true,
        timeoutMs: 2000,
        apiKeyEnv: '',
      },
      params: {},
    })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'all', confirmTest: true, concurrency: 4 })
    const run = await executeRun(d, runId, {
      client: openaiClient(server.baseUrl, 'sk-local'),
      signal: new AbortController().signal,
      concurrency: 4,
      retry: { retries: 1, baseMs: 10, maxMs: 100 },
    })
    expect(run).toMatchObject({ status: 'done', total: 17, errors: 4 })
    d.db.close()

    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'judge-user'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+5')
    const row = page.locator('table.runs tbody tr').first()
    await expect.poll(() => row.locator('td').nth(7).textContent()).toBe('4')
    const summary = page.getByTestId('run-errors-summary')
    await expect
      .poll(() => summary.textContent())
      .toBe(
        "4 error verdicts of this version, each item's newest verdict from any run (not counted as pass or fail): 1 dev, 2 test (not listed until test results are shown: t), 1 unlabeled",
      )
    await summary.click()
    const listed = page.locator('[data-testid=run-errors] tbody td.mono:first-child')
    await expect.poll(async () => (await listed.allTextContents()).sort()).toEqual(['dev-0', 'prod-0'])

    // t shows test results: the list now holds all four, and says so.
    await page.keyboard.press('t')
    await expect
      .poll(() => summary.textContent())
      .toBe(
        "4 error verdicts of this version, each item's newest verdict from any run (not counted as pass or fail): 1 dev, 2 test, 1 unlabeled",
      )
    await expect
      .poll(async () => (await listed.allTextContents()).sort())
      .toEqual(['dev-0', 'prod-0', 'test-0', 'test-1'])
    await app.screenshot('judge-errors')
    expect(await app.problems()).toEqual([])
  }, 60_000)
})
