import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { humanize } from '../../electron/core/import/mapping/suggest-judgements'
import { hasShared, repoRoot } from '../helpers/paths'
import { useE2e } from './setup'

describe('Analyze screen, driven with the keyboard', () => {
  const e2e = useE2e()

  it('builds a taxonomy from the demo notes, assigns notes, re-codes, and the chart counts equal the export', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator: 'coder' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+4')
    const notes = page.locator('ol.notes > li')
    await expect.poll(() => notes.count()).toBeGreaterThan(10)
    const search = async (text: string) => {
      await page.keyboard.press('/')
      await page.keyboard.press('Control+a')
      await page.keyboard.type(text)
      await page.keyboard.press('Enter')
    }

    // A new mode from every note about a source that does not exist: select them all with x.
    await search('does not exist')
    const matching = await notes.count()
    expect(matching).toBeGreaterThan(0)
    // A trace may carry two annotators' notes: the mode counts each trace once.
    const traces = new Set(await notes.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-item')))).size
    for (let i = 0; i < matching; i++) {
      await page.keyboard.press('x')
      await page.keyboard.press('j')
    }
    await page.keyboard.press('c')
    await page.keyboard.type('Cites a missing source')
    await page.keyboard.press('Tab')
    await page.keyboard.type('The answer cites a source or a study that does not exist.')
    await page.keyboard.press('Control+Enter')
    const bar = (name: string) => page.locator(`g.bar-row[data-mode="${name}"] [data-testid=pareto-count]`)
    await expect.poll(() => bar('Cites a missing source').textContent()).toMatch(new RegExp(`^${traces} \\(`))

    // A second mode from one generic answer; the next generic answer is assigned to it with its number (4).
    await search('Generic answer')
    await page.keyboard.press('c')
    await page.keyboard.type('No actual recipe')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => bar('No actual recipe').textContent()).toMatch(/^1 \(/)
    await page.keyboard.press('j')
    await page.keyboard.press('4')
    await expect.poll(() => bar('No actual recipe').textContent()).toMatch(/^2 \(/)
    await page.keyboard.press('4') // again: takes it back out
    await expect.poll(() => bar('No actual recipe').textContent()).toMatch(/^1 \(/)
    await page.keyboard.press('4')
    await expect.poll(() => bar('No actual recipe').textContent()).toMatch(/^2 \(/)
    // f, then 4: the current trace is pinned as an example of the mode present.
    const current = await page.locator('li.note.current').getAttribute('data-item')
    await page.keyboard.press('f')
    await page.keyboard.press('4')
    await expect.poll(() => page.locator('ol.modes .example.fail').allTextContents()).toEqual([`✗ ${current}`])
    await app.screenshot('analyze')

    // Re-code pass for mode 4: a labeling session over every reviewed trace; three verdicts.
    await page.keyboard.press('r')
    await page.keyboard.press('4')
    const progress = page.getByTestId('label-progress')
    await expect.poll(() => progress.textContent()).toBe('Item 1 of 120')
    for (const key of ['2', '1', '2']) await page.keyboard.press(key)
    await expect.poll(() => progress.textContent()).toBe('Item 4 of 120')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All labels saved')

    // Back to the chart: every bar's count equals the export's fails in that mode's column.
    await page.keyboard.press('Alt+4')
    await page.locator('svg.pareto').waitFor()
    const shown = Object.fromEntries(
      await page
        .locator('g.bar-row')
        .evaluateAll((rows) =>
          rows.map((g) => [
            g.getAttribute('data-mode'),
            Number(g.querySelector('[data-testid=pareto-count]')!.textContent.split(' ')[0]),
          ]),
        ),
    ) as Record<string, number>
    expect(Object.keys(shown)).toHaveLength(4)
    const out = e2e.tmp.file('export.jsonl')
    execFileSync(process.execPath, [
      join(repoRoot, 'bin', 'assay.mjs'),
      'export',
      project,
      '--format',
      'jsonl',
      '--out',
      out,
    ])
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    const exported = Object.fromEntries(
      Object.keys(shown).map((mode) => [mode, rows.filter((r) => r[`${mode}.label`] === 'fail').length]),
    )
    expect(shown).toEqual(exported)
    const taxonomy = JSON.parse(
      execFileSync(process.execPath, [join(repoRoot, 'bin', 'assay.mjs'), 'taxonomy', project, '--format', 'json'], {
        encoding: 'utf8',
      }),
    ) as { modes: { name: string; count: number }[] }
    expect(Object.fromEntries(taxonomy.modes.map((m) => [m.name, m.count]))).toEqual(shown)

    // A bar narrows the notes to its traces; a search that none of their notes match does not make
    // them note-less: the counts are the project's, and what the search leaves is said apart.
    await search('Generic answer')
    const missing = shown['Cites a missing source']
    await page.locator('g.bar-row[data-mode="Cites a missing source"]').click()
    await expect
      .poll(() => page.getByTestId('narrowed').textContent())
      .toMatch(
        new RegExp(
          `^Cites a missing source: ${missing} traces, ${missing} with notes; 0 of them shown by the search and filters`,
        ),
      )
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('narrowed').count()).toBe(0)
    await page.keyboard.press('/')
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Backspace')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('notes-shown').textContent()).toMatch(/^all \d+ notes shown$/)
    expect(await app.problems()).toEqual([])
  })

  const nathan = resolve(repoRoot, '../shared/data/NathanNam-recipe-chatbot/homeworks/hw2')
  it.skipIf(!hasShared('data'))(
    "shows the NathanNam file's failure-mode frequencies on the chart, as in its failure_mode_frequency.csv",
    async () => {
      const project = e2e.tmp.file('nathan.assay')
      execFileSync(process.execPath, [
        join(repoRoot, 'bin', 'assay.mjs'),
        'import',
        project,
        join(nathan, 'results_20251011_123314_failure_modes.csv'),
      ])
      const app = await e2e.launch({ project })
      const { page } = app
      await page.getByTestId('item-count').waitFor()
      await page.keyboard.press('Alt+4')
      await expect.poll(() => page.getByTestId('analyze-reviewed').textContent()).toBe('100 traces reviewed')
      const expected = readFileSync(join(nathan, 'failure_mode_frequency.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
      for (const [column, count, percent] of expected) {
        const bar = page.locator(`g.bar-row[data-mode="${humanize(column)}"] [data-testid=pareto-count]`)
        await expect.poll(() => bar.textContent()).toBe(`${count} (${Number(percent).toFixed(1)}%)`)
      }
      await app.screenshot('analyze-nathan')
      expect(await app.problems()).toEqual([])
    },
  )
})
