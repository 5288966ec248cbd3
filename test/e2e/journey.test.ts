/**
 * The first-run journey, never touching the demo (issue 16): a new project → the user's own trace
 * file (course-like CSV with multi-line Markdown, no labels) through the import wizard → 40
 * labels by keys with 5 notes → a failure mode from the notes → a judge run against
 * `assay fake-llm` on dev, test and production → test results shown on Calibrate → the report
 * built and saved as HTML, whose numbers equal `assay estimate` on the counts of the app's own
 * export.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csv, response } from '../helpers/course-like'
import { repoRoot, tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, shownItemId, type AppDriver } from './driver'

const assay = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], { encoding: 'utf8' })

/** 60 traces: every fourth answer breaks the request; the fake judge fails an item whose text holds [[fail]]. */
function traces(): { file: string; failing: Set<string> } {
  const failing = new Set<string>()
  const rows = Array.from({ length: 60 }, (_, i) => {
    const id = `q-${String(i + 1).padStart(3, '0')}`
    const bad = i % 4 === 1
    if (bad) failing.add(id)
    return [
      id,
      `A ${['vegan', 'keto', 'gluten-free'][i % 3]} dinner for ${2 + (i % 4)}, please`,
      bad ? `${response(i)}\r\n\r\nAdd a knob of butter. [[fail]]` : response(i),
    ]
  })
  return { file: csv(['trace_id', 'query', 'response'], rows), failing }
}

/** `assay fake-llm` on a free port; resolves to its base URL. */
async function fakeLlm(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/assay.mjs'), 'fake-llm', '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`fake-llm exited ${code}`)))
  })
  return { child, baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl }
}

describe('from your own traces to a report, without the demo', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  let llm: ChildProcess | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-journey-')))
  afterEach(async () => {
    await app?.close()
    app = null
    llm?.kill('SIGTERM')
    tmp.cleanup()
  })

  it('new project → import → 40 labels with 5 notes → a failure mode → a judge on dev, test and production → Calibrate → the report, equal to assay estimate on the export', async () => {
    const { file: text, failing } = traces()
    const file = tmp.file('traces.csv')
    writeFileSync(file, text)
    const project = tmp.file('mine.assay')
    const fake = await fakeLlm()
    llm = fake.child
    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'me') })
    const { page } = app

    // A new project, typed on the Start screen.
    await page.getByRole('heading', { name: 'Recent projects' }).waitFor()
    await page.keyboard.press('n')
    await page.getByPlaceholder('/home/me/evals/new-project.assay').fill(project)
    await page.keyboard.press('Enter')
    await page.getByText('This project has no items yet').waitFor()

    // The import wizard: the suggested mapping, no labels; one dataset of 60 items.
    await page.keyboard.press('i')
    await page.getByLabel('File to import').fill(file)
    await page.keyboard.press('Enter')
    await page.getByText('Preview: the first').waitFor()
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => page.getByTestId('import-report').textContent())
      .toContain('Imported 60 new items into “traces.csv”.')
    await page.getByRole('button', { name: 'Show the items' }).click()
    await expect.poll(() => page.getByTestId('item-count').textContent()).toBe('Item 1 of 60')

    // 40 labels by keys, a note on 5 of the failing ones.
    await page.keyboard.press('Alt+3')
    await page.locator('.setup-form select option', { hasText: 'Overall' }).waitFor({ state: 'attached' })
    await page.keyboard.press('Control+Enter')
    const progress = page.getByTestId('label-progress')
    await expect.poll(() => progress.textContent()).toMatch(/^Item 1 of \d+$/)
    let notes = 0
    for (let n = 0; n < 40; n++) {
      const id = await shownItemId(page)
      if (failing.has(id) && notes < 5) {
        notes++
        await page.keyboard.press('n')
        await page.keyboard.type(`adds butter to a ${['vegan', 'keto', 'gluten-free'][notes % 3]} dish`)
        await page.keyboard.press('Control+Enter')
      } else await page.keyboard.press(failing.has(id) ? '2' : '1')
      await expect.poll(() => progress.textContent()).toMatch(new RegExp(`^Item ${n + 2} of`))
    }
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All labels saved')
    expect(notes).toBe(5)

    // A failure mode from the five notes.
    await page.keyboard.press('Alt+4')
    const noteItems = page.locator('ol.notes > li')
    await expect.poll(() => noteItems.count()).toBe(5)
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('x')
      await page.keyboard.press('j')
    }
    await page.keyboard.press('c')
    await page.keyboard.type('Breaks the diet')
    await page.keyboard.press('Tab')
    await page.keyboard.type('The recipe adds an ingredient the requested diet forbids.')
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => page.locator('g.bar-row[data-mode="Breaks the diet"] [data-testid=pareto-count]').textContent())
      .toMatch(/^5 \(/)

    // A model profile for the fake model, and a judge on Overall run on dev, test and production.
    await page.keyboard.press('Alt+8')
    await page.getByLabel('Endpoint').selectOption('other')
    await page.getByLabel('Name').fill('Fake')
    await page.getByLabel('Base URL').fill(fake.baseUrl)
    await page.getByLabel('Model id (pin an exact version)').fill('fake-judge')
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('profile-status').textContent()).toBe('Saved "Fake".')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Alt+5')
    await page.getByText('No judge yet.').waitFor() // the screen is there (and its keys with it)
    await page.keyboard.press('n')
    await page.locator('.new-judge select option', { hasText: 'Overall (40 labeled)' }).waitFor({ state: 'attached' })
    await page.locator('.new-judge select').first().selectOption({ label: 'Overall (40 labeled)' })
    await page.getByLabel('Name', { exact: true }).fill('Diet judge')
    await page.getByLabel('Name', { exact: true }).press('Enter')
    await expect.poll(() => page.locator('.judge-head h1').textContent()).toBe('Diet judge')
    const runs = page.locator('table.runs tbody tr')
    const run = async (scope: 'dev' | 'test' | 'unlabeled', done: RegExp) => {
      await page.getByTestId('run-scope').selectOption(scope)
      if (scope === 'test') await page.getByLabel(/Final test evaluation/).check()
      await page.getByRole('button', { name: /^Run/ }).click()
      await expect.poll(() => runs.first().textContent(), { timeout: 20_000 }).toMatch(done)
    }
    await run('dev', /v1devdone\d+\/\d+/)
    await run('test', /v1testdone\d+\/\d+/)
    await run('unlabeled', /v1unlabeleddone20\/20/)

    // Calibrate: test results shown with t.
    await page.keyboard.press('Alt+6')
    await page.getByTestId('test-locked').waitFor()
    await page.keyboard.press('t')
    await page.getByTestId('matrix-test').waitFor()
    const theta = (await page.getByTestId('theta').textContent())!

    // The report, built and saved as HTML.
    await page.keyboard.press('Alt+7')
    const preview = page.getByTestId('report-preview')
    await preview.waitFor()
    await page.keyboard.press('b')
    await expect.poll(() => preview.textContent()).toMatch(/corrected success rate θ̂/)
    const download = page.waitForEvent('download', { timeout: 30_000 })
    await page.keyboard.press('h')
    const saved = tmp.file('report.html')
    await (await download).saveAs(saved)
    const html = readFileSync(saved, 'utf8')
    expect(html).toContain(theta)
    await app.screenshot('journey-report')
    expect(await app.problems()).toEqual([])

    // The same numbers from the app's own export (`e` on the Data screen; the desktop app's native
    // save dialog cannot be driven by a test, so there the same code runs as `assay export`).
    let exportText: string
    if (app.shell === 'serve') {
      await page.keyboard.press('Alt+2')
      await page.getByTestId('item-count').waitFor()
      await page.keyboard.press('e')
      await page.getByRole('dialog', { name: 'Export' }).waitFor()
      await page.getByTestId('export-format').selectOption('jsonl')
      const exportDownload = page.waitForEvent('download')
      await page.keyboard.press('Control+Enter')
      const target = tmp.file('export.jsonl')
      await (await exportDownload).saveAs(target)
      exportText = readFileSync(target, 'utf8')
    } else exportText = assay('export', project, '--format', 'jsonl')
    expect(exportText).toBe(assay('export', project, '--format', 'jsonl'))
    const exported = exportText
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    const counts = { tp: 0, fn: 0, tn: 0, fp: 0, k: 0, m: 0 }
    for (const row of exported) {
      const judge = row['Overall.judge:Diet judge@v1']
      if (judge !== 'pass' && judge !== 'fail') continue
      const human = row['Overall.label']
      if (human === 'pass' || human === 'fail') {
        if (row['Overall.split'] === 'test')
          counts[human === 'pass' ? (judge === 'pass' ? 'tp' : 'fn') : judge === 'fail' ? 'tn' : 'fp']++
      } else {
        counts.m++
        if (judge === 'pass') counts.k++
      }
    }
    expect(counts.m).toBe(20)
    const input = tmp.file('counts.json')
    writeFileSync(input, JSON.stringify(counts))
    const cli = JSON.parse(assay('estimate', '--input', input, '--json')) as {
      theta: number
      lower: number
      upper: number
    }
    expect(theta).toBe(cli.theta.toFixed(3))
    expect(html).toContain(`[${cli.lower.toFixed(3)}, ${cli.upper.toFixed(3)}]`)
  }, 120_000)
})
