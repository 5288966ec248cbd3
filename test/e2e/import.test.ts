import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { runCli } from '../helpers/cli'
import { kinanoRun, kinanoSet } from '../helpers/course-like'
import { tempDir } from '../helpers/paths'
import { launchApp, type AppDriver } from './driver'
import { openImportWizard, readInWizard } from './wizard'

/** A server on another port that records every request: nothing in a trace may reach it. */
async function canary(): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.end('gotcha')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }
}

describe('Import wizard', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null

  beforeEach(() => {
    tmp = tempDir('assay-e2e-import-')
  })
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  const openWizard = (project: string, file: string) => openImportWizard(tmp.file('home'), project, file)

  it('imports a CSV with multi-line cells and labels, with the keyboard, and reports a bad row', async () => {
    const file = tmp.file('traces.csv')
    writeFileSync(
      file,
      'id,query,response,label,notes\r\n' +
        'q1,"Vegan curry?","## Curry\r\n- lentils\r\n- ""coconut"" milk",PASS,\r\n' +
        'q2,Quick pasta?,"Boil pasta.\nAdd cream.",FAIL,uses cream for a vegan\r\n' +
        'q3,Gluten-free bread?,Use rice flour.,MAYBE,\r\n',
    )
    const project = tmp.file('p.assay')
    app = await openWizard(project, file)
    const { page } = app
    await expect.poll(() => page.locator('.import-preview > table > tbody > tr').count()).toBe(2)
    await expect.poll(() => page.locator('.import-errors').textContent()).toContain('MAYBE')
    await app.screenshot('import-preview')

    // Default: stop at bad rows, import nothing.
    await page.keyboard.press('Control+Enter')
    const report = page.getByTestId('import-report')
    await expect.poll(() => report.textContent()).toContain('Stopped: nothing was imported')
    expect(new Database(project, { readonly: true }).prepare('SELECT count(*) FROM items').pluck().get()).toBe(0)

    // Back to the mapping, skip bad rows this time.
    await page.getByRole('button', { name: 'Back to the mapping' }).click()
    await page.getByLabel('Bad rows').selectOption('skip')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => report.textContent()).toContain('Imported 2 new items')
    await expect.poll(() => report.textContent()).toContain('1 skipped')
    await page.getByRole('button', { name: 'Show the items' }).click()
    await expect.poll(() => page.getByTestId('item-count').textContent()).toBe('Item 1 of 2')

    const db = new Database(project, { readonly: true })
    const rows = db
      .prepare(
        'SELECT i.external_id AS id, i.output, l.verdict, l.note FROM items i JOIN labels l ON l.item_id = i.id ORDER BY i.id',
      )
      .all()
    db.close()
    expect(rows).toEqual([
      { id: 'q1', output: '## Curry\r\n- lentils\r\n- "coconut" milk', verdict: 'pass', note: '' },
      { id: 'q2', output: 'Boil pasta.\nAdd cream.', verdict: 'fail', note: 'uses cream for a vegan' },
    ])
    expect(await app.problems()).toEqual([])
  })

  it('a JSON object holding several arrays: the wizard names them and offers them; the array chosen is what is imported', async () => {
    const file = tmp.file('splits.json')
    writeFileSync(
      file,
      JSON.stringify({
        train: [
          { id: 'a1', question: 'Vegan pasta?', answer: 'Try "this"', label: 'pass' },
          { id: 'a2', question: 'Tofu?', answer: 'Sure', label: 'fail' },
        ],
        test: [{ id: 'b1', question: 'Québec poutine?', answer: 'Yes, 100%', label: 'pass' }],
      }),
    )
    const project = tmp.file('p.assay')
    openProject(project, { mode: 'create' }).db.close()
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByText('This project has no items yet').waitFor()
    await readInWizard(page, file)
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('several arrays ("train", "test")')
    const choice = page.getByLabel('Records from')
    await choice.waitFor()
    expect(await choice.locator('option:not([disabled])').allTextContents()).toEqual(['train', 'test'])
    await choice.selectOption('test')
    await page.getByText('Preview: the first').waitFor()
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await choice.inputValue()).toBe('test')
    await app.screenshot('import-records-choice')

    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('import-report').textContent()).toContain('Imported 1 new item')
    const db = new Database(project, { readonly: true })
    expect(db.prepare('SELECT external_id AS id, input FROM items').all()).toEqual([
      { id: 'b1', input: 'Québec poutine?' },
    ])
    db.close()
  })

  it("joins a judge run onto its labeled set: the run's label column offered, not imported; a label column with no verdict refused in the preview", async () => {
    const set = kinanoSet()
    const project = tmp.file('k.assay')
    openProject(project, { mode: 'create' }).db.close()
    writeFileSync(tmp.file('kf_dev_set.csv'), set.file)
    expect((await runCli(['import', project, tmp.file('kf_dev_set.csv')], tmp.dir)).code).toBe(0)
    const run = tmp.file('run.csv')
    writeFileSync(run, kinanoRun(set.rows))
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await readInWizard(page, run)
    await page.getByText('Preview: the first').waitFor()
    await expect
      .poll(() => page.getByTestId('import-matched').textContent())
      .toContain('20 of these 20 rows name items the project has already')
    await expect
      .poll(() => page.locator('.import-offered').textContent())
      .toContain('Column label: this file carries judge verdicts for items the project has already')

    // A wrong mapping stops, it does not guess: a label column with no verdict in it.
    await page.getByRole('button', { name: 'Add a label column' }).click()
    await page.getByLabel('Label column', { exact: true }).selectOption('error')
    await expect
      .poll(() => page.locator('.import-errors').textContent())
      .toContain('label column "error" (of "Overall") holds no pass or fail value in 20 rows: it has only empty cells.')
    await page.getByRole('button', { name: 'Remove this label column' }).click()
    await expect.poll(() => page.locator('.import-errors').count()).toBe(0)
    await app.screenshot('import-join-preview')

    await page.keyboard.press('Control+Enter')
    const report = page.getByTestId('import-report')
    await expect.poll(() => report.textContent()).toContain('Added to 43 items the project had already.')
    await expect
      .poll(() => report.textContent())
      .toContain('1 labeled item of the datasets this file joined got no verdict from it: 46_15')
    await expect.poll(() => report.textContent()).toContain('Not imported: column label')
    await app.screenshot('import-join-report')
    const db = new Database(project, { readonly: true })
    expect(
      db
        .prepare(
          'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM verdicts) AS verdicts',
        )
        .get(),
    ).toEqual({ items: 44, labels: 44, verdicts: 43 })
    db.close()
    expect(await app.problems()).toEqual([])
  })

  it('renders a trace full of XSS payloads without running anything or fetching anything', async () => {
    const { server, origin, hits } = await canary()
    try {
      const payloads = [
        '<script>window.__pwned = "script"</script>',
        `<img src="${origin}/img-tag.png" onerror="window.__pwned = 'onerror'">`,
        `![remote image](${origin}/markdown-image.png)`,
        '[click me](javascript:window.__pwned="link")',
        `<svg onload="window.__pwned = 'svg'"><circle r="4"/></svg>`,
        `<iframe src="${origin}/frame"></iframe>`,
        `<style>@import url("${origin}/style.css"); body { background: url(${origin}/bg.png) }</style>`,
        `<a href="${origin}/anchor">plain link</a> and <object data="${origin}/object"></object>`,
        `[data link](data:text/html,<script>window.__pwned="data"</script>)`,
      ].join('\n\n')
      const trace = {
        id: 'xss-1',
        messages: [
          { role: 'system', content: payloads },
          { role: 'user', content: payloads },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'c1',
                type: 'function',
                function: { name: '<img src=x onerror=alert(1)>', arguments: JSON.stringify({ html: payloads }) },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: payloads },
          { role: 'assistant', content: `${payloads}\n\n[safe link](${origin}/clicked)` },
        ],
        metadata: { note: payloads },
      }
      const file = tmp.file('xss.jsonl')
      writeFileSync(file, `${JSON.stringify(trace)}\n`)
      app = await openWizard(tmp.file('xss.assay'), file)
      const { page } = app
      const requests: string[] = []
      page.on('request', (request) => requests.push(request.url()))
      page.on('dialog', (dialog) => void dialog.dismiss()) // the link's "Open in your browser?" confirm: say no

      await page.keyboard.press('Control+Enter')
      await page.getByRole('button', { name: 'Show the items' }).click()
      await page.keyboard.press('Enter')
      const view = page.getByTestId('item-view')
      await expect.poll(() => view.locator('.bubble').count()).toBeGreaterThan(2)
      await view.getByText('safe link').first().click()
      await page.waitForTimeout(500) // give a smuggled request time to show up before counting none
      await app.screenshot('xss-trace')

      expect(await page.evaluate(() => (window as Window & { __pwned?: string }).__pwned)).toBeUndefined()
      expect(hits).toEqual([])
      expect(requests.filter((url) => !url.startsWith(new URL(page.url()).origin) && !url.startsWith('file:'))).toEqual(
        [],
      )
      expect(await view.locator('script, iframe, object, img, svg, style').count()).toBe(0)
      expect(await view.locator('[onerror], [onload], a[href^="javascript:"], a[href^="data:"]').count()).toBe(0)
      expect(await view.textContent()).toContain('<script>window.__pwned')
    } finally {
      server.close()
    }
  })
})
