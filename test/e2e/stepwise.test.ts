import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { writeDemoProject } from '../../electron/core/demo'
import { runCli } from '../helpers/cli'
import { hasShared, repoRoot, sharedData, tempDir } from '../helpers/paths'
import { launchApp, type AppDriver } from './driver'

const FIXTURE = resolve(repoRoot, 'test/fixtures/agent-states.jsonl')

describe('step-wise labels on screen', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-steps-')))
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  /** The transition table as text: one array of cells per row, the header first. */
  const table = (driver: AppDriver) =>
    driver.page
      .getByTestId('transitions')
      .evaluate((t) =>
        [...t.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)),
      )

  it('the wizard takes the state columns and the order the user gives; the Analyze screen draws the matrix in that order', async () => {
    const project = tmp.file('agent.assay')
    openProject(project, { mode: 'create' }).db.close()
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByText('This project has no items yet').waitFor()
    await page.keyboard.press('i')
    await page.getByLabel('File to import').fill(FIXTURE)
    await page.keyboard.press('Enter')
    await page.getByText('Preview: the first').waitFor()
    // Suggested from the column names, and shown in the preview.
    expect(await page.getByLabel('Last successful state').inputValue()).toBe('last_success_state')
    expect(await page.getByLabel('First failing state').inputValue()).toBe('first_failure_state')
    await expect
      .poll(() => page.locator('.import-preview > table > tbody > tr').first().textContent())
      .toContain('Overall: fail (ParseRequest → PlanToolCalls)')
    // The user settles what the data leaves open: GetWebInfo before GenWebArgs.
    const order = [
      'ParseRequest',
      'PlanToolCalls',
      'GenRecipeArgs',
      'GetRecipes',
      'GetWebInfo',
      'GenWebArgs',
      'ComposeResponse',
      'DeliverResponse',
    ]
    await page.getByLabel('Step-wise labels annotator').fill('grader')
    await page.getByLabel('State order').fill(order.join(', '))
    await page.keyboard.press('Control+Enter') // from within the field: what was typed counts
    const report = page.getByTestId('import-states')
    await expect
      .poll(() => report.textContent())
      .toContain('step-wise labels of “Overall”: 12 with a first failing state (a fail); 12 added.')
    await expect.poll(() => report.textContent()).toContain(`State order (as given at import): ${order.join(' → ')}`)
    await page.getByRole('button', { name: 'Show the items' }).click()

    await page.keyboard.press('Alt+4')
    await expect
      .poll(() => page.getByTestId('state-order').textContent())
      .toBe(`12 failing traces · state order (as given at import): ${order.join(' → ')}`)
    const rows = await table(app)
    expect(rows[0]).toEqual(['last success ↓ / first failure →', ...order, 'total'])
    expect(rows.find((r) => r[0] === 'GenRecipeArgs')).toEqual(['GenRecipeArgs', '', '', '', '3', '', '', '', '', '3'])
    expect(rows.find((r) => r[0] === 'first failures')).toEqual([
      'first failures',
      '0',
      '1',
      '2',
      '4',
      '1',
      '1',
      '2',
      '1',
      '12',
    ])
    await app.screenshot('analyze-agent-transitions')
    expect(await app.problems()).toEqual([])
    const db = new Database(project, { readonly: true })
    expect(db.prepare("SELECT value FROM meta WHERE key = 'state_order'").pluck().get()).toBe(JSON.stringify(order))
    expect(db.prepare('SELECT annotator, count(*) AS n FROM labels GROUP BY annotator').all()).toEqual([
      { annotator: 'grader', n: 12 },
    ])
    db.close()
  })

  it('an order inferred from the data says which states the data leaves unordered', async () => {
    const project = tmp.file('inferred.assay')
    expect((await runCli(['import', project, FIXTURE], tmp.dir)).code).toBe(0)
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+4')
    await expect
      .poll(() => page.getByTestId('state-order').textContent())
      .toContain(
        'state order (inferred from the data): ParseRequest → PlanToolCalls → GenRecipeArgs → GetRecipes → GenWebArgs → GetWebInfo',
      )
    expect(await page.getByTestId('state-order-unfixed').textContent()).toContain(
      'The data does not order GenWebArgs and GetWebInfo: the one seen first is put first.',
    )
    expect(await app.problems()).toEqual([])
  })

  it.skipIf(!hasShared('data'))(
    "draws the course's HW5 matrix: each state's first failures as the file counts them",
    async () => {
      const hw5 = resolve(
        sharedData,
        'ai-evals-course-recipe-chatbot/homeworks/hw5/reference_files/labeled_traces.jsonl',
      )
      const project = tmp.file('hw5.assay')
      expect((await runCli(['import', project, hw5], tmp.dir)).code).toBe(0)
      const counts = new Map<string, number>()
      for (const line of readFileSync(hw5, 'utf8').trim().split('\n')) {
        const state = (JSON.parse(line) as { first_failure_state: string }).first_failure_state
        counts.set(state, (counts.get(state) ?? 0) + 1)
      }
      app = await launchApp({ home: tmp.file('home'), project })
      const { page } = app
      await page.getByTestId('item-count').waitFor()
      await page.keyboard.press('Alt+4')
      await expect
        .poll(() => page.getByTestId('state-order').textContent())
        .toContain('96 failing traces · state order (inferred from the data): ParseRequest → PlanToolCalls')
      const rows = await table(app)
      const header = rows[0].slice(1, -1)
      expect(rows.find((r) => r[0] === 'first failures')).toEqual([
        'first failures',
        ...header.map((s) => String(counts.get(s) ?? 0)),
        '96',
      ])
      await app.screenshot('analyze-hw5-transitions')
      expect(await app.problems()).toEqual([])
    },
  )

  it("shows the demo's pipeline transitions and per-step pass rates", async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+4')
    await expect
      .poll(() => page.getByTestId('state-order').textContent())
      .toBe("19 failing traces · state order (the pipelines' steps): decompose → retrieve → extract")
    const rows = await table(app)
    expect(rows.slice(0, 5)).toEqual([
      ['last success ↓ / first failure →', 'decompose', 'retrieve', 'extract', 'total'],
      ['(start)', '3', '', '', '3'],
      ['decompose', '', '12', '', '12'],
      ['retrieve', '', '', '4', '4'],
      ['extract', '', '', '', ''],
    ])
    expect(rows[5]).toEqual(['first failures', '3', '12', '4', '19'])
    expect(rows[6][0]).toBe('pass rate of the step')
    expect(rows[6].slice(1, 4).every((c) => /^\d+% of \d+$/.test(c))).toBe(true)
    expect(rows[6][2]).not.toMatch(/^100%/)
    // A cell narrows the notes to its traces: the twelve retrieve failures.
    await page
      .getByTestId('transitions')
      .locator('tr', { hasText: /^decompose/ })
      .locator('td.clickable')
      .first()
      .click()
    // (A trace may carry two annotators' notes: count the traces.)
    await expect
      .poll(
        async () =>
          new Set(
            await page.locator('ol.notes > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item'))),
          ).size,
      )
      .toBe(12)
    await app.screenshot('analyze-demo-transitions')
    expect(await app.problems()).toEqual([])
  })
})
