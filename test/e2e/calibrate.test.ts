/**
 * The Calibrate screen on the demo project: the test-split matrix and the θ̂ interval on the screen
 * equal `assay estimate --json` on the counts from `assay export`; the false-fail cell lists
 * exactly those items; fixing a label from there changes the matrix without a reload. Two test
 * verdicts are made errors: `e` counts them as Fail, then Pass, then leaves them out again.
 */
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot } from '../helpers/paths'
import { useE2e } from './setup'

const assay = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })

/**
 * Counts from `assay export`: test pairs (human × judge) and the production verdicts of items without a pass/fail
 * label.
 */
function countsFromExport(project: string) {
  const rows = assay('export', project, '--format', 'jsonl')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, string | null>)
  const judge = 'Overall.judge:Overall judge@v1'
  const c = { tp: 0, fn: 0, tn: 0, fp: 0, k: 0, m: 0 }
  const falseFails: string[] = []
  for (const r of rows) {
    const human = r['Overall.label']
    const verdict = r[judge]
    if (verdict !== 'pass' && verdict !== 'fail') continue
    if (human === 'pass' || human === 'fail') {
      if (r['Overall.split'] !== 'test') continue
      if (human === 'pass' && verdict === 'fail') falseFails.push(r.id!)
      c[human === 'pass' ? (verdict === 'pass' ? 'tp' : 'fn') : verdict === 'fail' ? 'tn' : 'fp']++
    } else {
      c.m++
      if (verdict === 'pass') c.k++
    }
  }
  return { counts: c, falseFails: falseFails.sort() }
}

describe('Calibrate screen', () => {
  const e2e = useE2e()

  it('shows the test matrix and θ̂ exactly as assay estimate computes them from the export; a fixed label moves the matrix', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    // Two human-Pass test items the judge passed get an error verdict (UNKNOWN) instead (the demo's
    // current labels are demo-annotator's; its second annotator labeled some items before).
    const db = new Database(project)
    db.prepare(
      `UPDATE verdicts SET verdict = 'error' WHERE id IN (SELECT v.id FROM verdicts v JOIN criteria c ON c.name = 'Overall' JOIN splits s ON s.item_id = v.item_id AND s.criterion_id = c.id AND s.split = 'test'
       JOIN current_labels l ON l.item_id = v.item_id AND l.criterion_id = c.id AND l.annotator = 'demo-annotator' AND l.verdict = 'pass' WHERE v.verdict = 'pass' ORDER BY v.id LIMIT 2)`,
    ).run()
    // A test item the judge failed: the Data table says `hidden` until test results are shown.
    const lockedId = db
      .prepare(
        `SELECT i.external_id FROM items i JOIN criteria c ON c.name = 'Overall' JOIN splits s ON s.item_id = i.id AND s.criterion_id = c.id AND s.split = 'test'
         JOIN verdicts v ON v.item_id = i.id WHERE v.verdict = 'fail' ORDER BY i.id LIMIT 1`,
      )
      .pluck()
      .get() as string
    db.close()
    const app = await e2e.launch({ project, annotator: 'calibrator' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('g')
    await page.keyboard.type(lockedId)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-item-id')).toBe(lockedId)
    const judgeCell = page.locator('.row.selected .c-verdict').nth(1)
    await expect.poll(() => judgeCell.textContent()).toBe('hidden')
    await page.keyboard.press('Alt+6')

    // The test lock: hidden until asked for.
    await page.getByTestId('test-locked').waitFor()
    await expect.poll(() => page.getByTestId('refusal').textContent()).toMatch(/Test results are hidden/)
    await page.keyboard.press('t')
    await page.getByTestId('matrix-test').waitFor()
    // The Data table follows at once, without a reload.
    await page.keyboard.press('Alt+2')
    await expect.poll(() => judgeCell.textContent()).toBe('fail')
    await page.keyboard.press('Alt+6')
    await page.getByTestId('matrix-test').waitFor()

    const cell = async (human: string, judge: string) =>
      Number.parseInt((await page.getByTestId(`cell-test-${human}-${judge}`).textContent())!, 10)
    const screen = async () => ({
      tp: await cell('pass', 'pass'),
      fn: await cell('pass', 'fail'),
      fp: await cell('fail', 'pass'),
      tn: await cell('fail', 'fail'),
    })
    const { counts, falseFails } = countsFromExport(project)
    expect(await screen()).toEqual({ tp: counts.tp, fn: counts.fn, fp: counts.fp, tn: counts.tn })

    const input = e2e.tmp.file('counts.json')
    writeFileSync(input, JSON.stringify(counts))
    const cli = (method: string) =>
      JSON.parse(assay('estimate', '--input', input, '--method', method, '--json')) as {
        theta: number
        lower: number
        upper: number
      }
    const shown = async () => ({
      theta: await page.getByTestId('theta').textContent(),
      interval: await page.getByTestId('interval').textContent(),
    })
    const expected = (e: { theta: number; lower: number; upper: number }) => ({
      theta: e.theta.toFixed(3),
      interval: `[${e.lower.toFixed(3)}, ${e.upper.toFixed(3)}]`,
    })
    await expect.poll(shown).toEqual(expected(cli('lang-reiczigel')))
    expect(await page.getByTestId('p-obs').textContent()).toBe((counts.k / counts.m).toFixed(3))

    // The error verdicts: left out by default and counted beside the matrix; e counts them as Fail
    // (θ̂ as `assay estimate --errors fail` computes it), then as Pass, then leaves them out again.
    expect(await page.getByTestId('errors-test').textContent()).toContain(
      'errors: 2 on human Pass, 0 on human Fail — left out of the matrix',
    )
    await page.keyboard.press('e')
    await expect.poll(screen).toEqual({ tp: counts.tp, fn: counts.fn + 2, fp: counts.fp, tn: counts.tn })
    expect(await page.getByTestId('errors-test').textContent()).toContain('counted as Fail')
    expect(await page.getByTestId('calibrate-errors').inputValue()).toBe('fail')
    writeFileSync(input, JSON.stringify({ ...counts, errors_pass: 2, errors_fail: 0, errors_unlabeled: 0 }))
    const failCli = JSON.parse(assay('estimate', '--input', input, '--errors', 'fail', '--json')) as {
      theta: number
      lower: number
      upper: number
    }
    await expect.poll(shown).toEqual(expected(failCli))
    await page.keyboard.press('e')
    await expect.poll(screen).toEqual({ tp: counts.tp + 2, fn: counts.fn, fp: counts.fp, tn: counts.tn })
    await page.keyboard.press('e')
    await expect.poll(screen).toEqual({ tp: counts.tp, fn: counts.fn, fp: counts.fp, tn: counts.tn })
    expect(await page.getByTestId('calibrate-errors').inputValue()).toBe('exclude')
    writeFileSync(input, JSON.stringify(counts))
    // judgy's bootstrap too, same seed and B.
    await page.getByTestId('calibrate-method').selectOption('judgy')
    await expect.poll(shown).toEqual(expected(cli('judgy')))
    await expect.poll(() => page.locator('svg.histogram').count()).toBe(1)

    // f lists the false fails of the test split: exactly the export's.
    await page.locator('body').click({ position: { x: 5, y: 400 } }) // leave the select
    await page.keyboard.press('f')
    const listed = async () => (await page.locator('[data-testid=cell-items] tbody td.mono').allTextContents()).sort()
    await expect.poll(listed).toEqual(falseFails)
    expect(falseFails.length).toBeGreaterThan(0)
    // Each id on one line (a text range that wraps has one rect per line).
    const lines = await page.locator('[data-testid=cell-items] tbody td.mono').evaluateAll((tds) =>
      tds.map((td) => {
        const r = document.createRange()
        r.selectNodeContents(td)
        return r.getClientRects().length
      }),
    )
    expect(lines).toEqual(falseFails.map(() => 1))
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('cell-items').count()).toBe(0)
    await page.getByTestId('cell-test-pass-fail').click() // the same list by clicking the cell
    await expect.poll(listed).toEqual(falseFails)
    // The sensitivity plots draw θ̂ against TPR and TNR.
    await page.getByText('Sensitivity: how the estimate moves').click()
    await expect.poll(() => page.locator('svg.sensitivity-plot polyline').count()).toBe(2)
    await page.locator('.sensitivity').scrollIntoViewIfNeeded()
    await app.screenshot('calibrate-sensitivity')
    await app.screenshot('calibrate')

    // l labels them again; the first becomes a fail; back on Calibrate the matrix has moved.
    await page.keyboard.press('l')
    await page.locator('.labeling').waitFor()
    await page.keyboard.press('2')
    await expect.poll(() => page.locator('.save-state').textContent()).toMatch(/saved/i)
    await page.keyboard.press('Alt+6')
    await expect.poll(screen).toEqual({ tp: counts.tp, fn: counts.fn - 1, fp: counts.fp, tn: counts.tn + 1 })

    // Targets are the project's: stricter ones regrade the judge, and a reload keeps them.
    const tpr = Number.parseFloat((await page.getByTestId('tpr-test').textContent())!) / 100
    expect(tpr).toBeLessThan(0.98)
    await page.getByLabel('target TPR/TNR', { exact: true }).fill('0.99')
    await page.getByLabel('target TPR/TNR', { exact: true }).press('Enter')
    // The minimum may now go up to the saved target.
    await expect.poll(() => page.getByLabel('minimum', { exact: true }).getAttribute('max')).toBe('0.99')
    await page.getByLabel('minimum', { exact: true }).fill('0.98')
    await page.getByLabel('minimum', { exact: true }).press('Enter')
    await expect.poll(() => page.getByTestId('tpr-status-test').textContent()).toBe('below minimum')
    await page.reload()
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+6')
    await expect.poll(() => page.getByTestId('tpr-status-test').textContent()).toBe('below minimum')
    expect(await page.getByLabel('target TPR/TNR', { exact: true }).inputValue()).toBe('0.99')
    expect(await app.problems()).toEqual([])
  }, 60_000)
})
