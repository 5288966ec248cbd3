/**
 * No surprises: the demo opens only after a question that names its file (and the header and
 * Recent then tell the two "demo" projects apart); a session proposes all items unless the user
 * asked for the table's search; "Test connection" saves nothing; a judge run's progress is in view
 * when it starts; run scopes say what they count.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { writeDemoProject } from '../../electron/core/demo'
import { tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, type AppDriver } from './driver'

describe('No surprises', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  let server: LlmServer | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-surprises-')))
  afterEach(async () => {
    await app?.close()
    app = null
    await server?.close()
    server = null
    tmp.cleanup()
  })

  it('d on the Start screen asks before leaving the open project for the demo file, naming it; then the header and Recent tell the two apart', async () => {
    mkdirSync(tmp.file('work'))
    const mine = tmp.file('work/demo.assay')
    writeDemoProject(mine, { unlabeled: 20 })
    const home = tmp.file('home')
    const demoFile = join(home, 'demo.assay')
    app = await launchApp({ home, project: mine })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    const name = page.getByTestId('project-name')
    expect(await name.getAttribute('title')).toBe(mine)

    await page.keyboard.press('Alt+1')
    await page.keyboard.press('d')
    const question = page.getByTestId('demo-question')
    await expect
      .poll(() => question.textContent())
      .toContain(
        `Open the demo project in place of demo (${mine})? The demo is another file, ${demoFile}, with synthetic traces`,
      )
    await page.keyboard.press('Escape')
    await expect.poll(() => question.count()).toBe(0)
    expect(await name.getAttribute('title')).toBe(mine)

    await page.keyboard.press('d')
    await question.waitFor()
    await page.keyboard.press('Enter')
    await expect.poll(() => name.getAttribute('title'), { timeout: 20_000 }).toBe(demoFile)
    // Both are called "demo": the header names the folder, Recent marks the app's own demo.
    expect(await page.getByTestId('project-folder').textContent()).toBe(`in ${dirname(demoFile)}`)
    await page.keyboard.press('Alt+1')
    await expect
      .poll(() => page.locator('.start-recent li').allTextContents())
      .toEqual([`1demoAssay's demo${demoFile}`, `2demo${mine}`])

    // With the demo itself open, d just goes back to it.
    await page.keyboard.press('d')
    await page.getByTestId('item-count').waitFor()
    expect(await name.getAttribute('title')).toBe(demoFile)
    expect(await app.problems()).toEqual([])
  }, 60_000)

  it('a new session proposes all items, even with a search left on the Data screen; l from that search proposes the search', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 20 })
    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'scope'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('/')
    await page.keyboard.type('pasta')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('item-count').textContent()).toMatch(/matching “pasta”/)

    await page.keyboard.press('Alt+3')
    const all = page.getByRole('radio', { name: /All items in the project/ })
    const table = page.getByRole('radio', { name: /The Data table's search and filter/ })
    await all.waitFor()
    expect(await all.isChecked()).toBe(true)
    expect(await table.isChecked()).toBe(false)

    await page.keyboard.press('Alt+2')
    await page.keyboard.press('l')
    await table.waitFor()
    expect(await table.isChecked()).toBe(true)
    expect(await app.problems()).toEqual([])
  }, 60_000)

  it('Test connection tests the form as typed and saves nothing; Ctrl+S saves', async () => {
    server = await startLlmServer({ latencyMs: 5 })
    app = await launchApp({ home: tmp.file('home') })
    const { page } = app
    await page.getByText('Recent projects').waitFor()
    await page.keyboard.press('Alt+8')
    await page.getByLabel('Endpoint').selectOption('other')
    await page.getByLabel('Name').fill('Local fake')
    await page.getByLabel('Base URL').fill(server.baseUrl)
    await page.getByLabel('Model id (pin an exact version)').fill('fake-judge')
    await page.keyboard.press('Control+Enter')
    const status = page.getByTestId('profile-status')
    await expect
      .poll(() => status.textContent())
      .toBe(`Connected to ${server.baseUrl}; model "fake-judge" is there. Not saved yet: Ctrl+S saves the profile.`)
    expect(await page.locator('.profiles').textContent()).toContain('No profile yet')

    await page.keyboard.press('Control+s')
    await expect.poll(() => status.textContent()).toBe('Saved "Local fake".')
    await expect.poll(() => page.locator('.profile-list').textContent()).toContain('Local fake')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => status.textContent()).toBe(`Connected to ${server.baseUrl}; model "fake-judge" is there.`)
    expect(await app.problems()).toEqual([])
  }, 60_000)

  it('run scopes say what they count, and a run brings its progress into view when it starts', async () => {
    server = await startLlmServer({ latencyMs: 250 })
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'runner'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+8')
    await page.getByLabel('Endpoint').selectOption('other')
    await page.getByLabel('Name').fill('Local fake')
    await page.getByLabel('Base URL').fill(server.baseUrl)
    await page.getByLabel('Model id (pin an exact version)').fill('fake-judge')
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('profile-status').textContent()).toBe('Saved "Local fake".')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Alt+5')
    await page.locator('.judge-list li').first().waitFor()
    await page.keyboard.press('n')
    await page.locator('.new-judge select').first().selectOption({ label: 'Overall (120 labeled)' })
    await page.getByLabel('Name', { exact: true }).fill('Slow judge')
    await page.getByLabel('Name', { exact: true }).press('Enter')
    await expect.poll(() => page.locator('.judge-head h1').textContent()).toBe('Slow judge')

    // Each scope names its count; the estimate of "items without a label" agrees with it.
    const scope = page.getByTestId('run-scope')
    const option = (value: string) => scope.locator(`option[value="${value}"]`).textContent()
    await expect
      .poll(() => option('unlabeled'))
      .toMatch(/^items without a label: [\d,]+, all datasets \(the production estimate's\)$/)
    // Both write the count the same way (1,430).
    const unlabeled = /: ([\d,]+),/.exec((await option('unlabeled'))!)![1]
    expect(await option('dev')).toBe('dev split: 54 labeled items (iterate here)')
    expect(await option('test')).toBe('test split: 48 labeled items (final, locked)')
    expect(
      await scope.locator('option', { hasText: 'Production sample, unlabeled (synthetic)' }).textContent(),
    ).toMatch(/^dataset “Production sample, unlabeled \(synthetic\)”: [\d,]+ items, labeled or not$/)
    await scope.selectOption('unlabeled')
    await expect.poll(() => page.getByTestId('run-estimate').textContent()).toMatch(new RegExp(`^${unlabeled} items:`))

    // Run on dev from the top of the screen: the progress comes into view.
    await scope.selectOption('dev')
    await expect.poll(() => page.getByTestId('run-estimate').textContent()).toMatch(/^54 items/)
    await page.locator('.judge-main').evaluate((el) => (el.scrollTop = 0))
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+Enter')
    const progress = page.getByTestId('run-progress')
    await progress.waitFor()
    await expect
      .poll(() =>
        progress.evaluate((el) => {
          const r = el.getBoundingClientRect()
          return r.top >= 0 && r.bottom <= window.innerHeight
        }),
      )
      .toBe(true)
    await expect
      .poll(() => page.locator('table.runs tbody tr').first().textContent(), { timeout: 30_000 })
      .toMatch(/^\d+v1devdone54\/54/)
    expect(await app.problems()).toEqual([])
  }, 90_000)
})
