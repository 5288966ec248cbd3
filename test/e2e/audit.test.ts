/**
 * A production audit on the demo, by keys (issue 18): `a` on Calibrate draws 60 production items
 * stratified by the judge's verdict into a blind session; labeling them with 1/2 gives the audit's
 * estimate on screen, equal to `assay estimate --method stratified` on the counts of `assay export
 * --audit`; the side-by-side table shows it beside Rogan–Gladen.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot } from '../helpers/paths'
import { useE2e } from './setup'

const assay = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], { encoding: 'utf8' })

describe('production audit', () => {
  const e2e = useE2e()

  it('audits 60 production items by keys; the estimate on screen equals assay estimate --method stratified on the export', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator: 'auditor' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+6')
    await page.getByTestId('alternatives').waitFor()
    await expect.poll(() => page.getByTestId('alt-audit-why').textContent()).toMatch(/no audit yet/)
    await page.keyboard.press('a')

    // A blind session of the 60 drawn items: the judge's verdict stays hidden until labeled.
    const progress = page.getByTestId('label-progress')
    await expect.poll(() => progress.textContent()).toBe('Item 1 of 60')
    const position = async () => Number(/Item (\d+)/.exec((await progress.textContent()) ?? '')?.[1])
    for (let i = 0; i < 60; i++) {
      await expect.poll(position).toBe(i + 1)
      await page.keyboard.press(i % 5 === 4 ? '2' : '1')
    }
    await page.getByTestId('session-summary').waitFor() // past the last item: every label saved
    await expect
      .poll(() => page.getByTestId('session-summary').textContent())
      .toMatch(/Overall: 48 pass, 12 fail, 0 deferred, 0 not labeled, of 60/)

    await page.keyboard.press('Alt+6')
    await page.getByTestId('alt-audit-theta').waitFor()
    const counts = assay('export', project, '--audit', '--judge', 'Overall judge')
    const parsed = JSON.parse(counts) as { strata: { name: string; n: number }[] }
    expect(parsed.strata.reduce((n, s) => n + s.n, 0)).toBe(60)
    const input = e2e.tmp.file('strata.json')
    writeFileSync(input, counts)
    const cli = JSON.parse(assay('estimate', '--input', input, '--method', 'stratified', '--json')) as {
      theta: number
      lower: number
      upper: number
    }
    await expect.poll(() => page.getByTestId('alt-audit-theta').textContent()).toBe(cli.theta.toFixed(3))
    expect(await page.getByTestId('alt-audit-interval').textContent()).toBe(
      `[${cli.lower.toFixed(3)}, ${cli.upper.toFixed(3)}]`,
    )
    // Rogan–Gladen beside it once test results are shown.
    await page.keyboard.press('t')
    await page.getByTestId('alt-rg-theta').waitFor()
    await page.getByTestId('alternatives').scrollIntoViewIfNeeded()
    await app.screenshot('calibrate-audit')
    expect(await app.problems()).toEqual([])
  })
})
