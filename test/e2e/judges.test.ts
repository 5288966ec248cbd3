import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { writeDemoProject } from '../../electron/core/demo'
import { tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, type AppDriver } from './driver'

/** Most of the demo's failing answers, as a stand-in judge would spot them (it misses invented citations). */
const failing = (prompt: string) =>
  /to finish|many ways to make|could not find strong evidence/.test(prompt.split('## The item to judge')[1] ?? '')

describe('Settings and Judges screens, driven with the keyboard', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  let server: LlmServer
  beforeEach(async () => {
    tmp = tempDir('assay-e2e-')
    server = await startLlmServer({ latencyMs: 20, failWhen: failing })
  })
  afterEach(async () => {
    await app?.close()
    app = null
    await server.close()
    tmp.cleanup()
  })

  it('adds a model profile, builds a judge, saves a version, previews, runs on dev, and unlocks test only when confirmed', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    const home = homeWithAnnotator(tmp.file('home'), 'builder')
    app = await launchApp({ home, project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()

    // Settings: a profile for the local server, with a key, and a connection test.
    await page.keyboard.press('Alt+8')
    await page.getByLabel('Endpoint').selectOption('other')
    await page.getByLabel('Name').fill('Local fake')
    await page.getByLabel('Base URL').fill(server.baseUrl)
    await page.getByLabel('Model id (pin an exact version)').fill('fake-judge')
    const key = 'sk-e2e-0123456789abcdef'
    await page.getByLabel(/^API key/).fill(key)
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('profile-status').textContent()).toBe('Saved "Local fake".')
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => page.getByTestId('profile-status').textContent())
      .toMatch(/Connected to .* model "fake-judge" is there/)
    expect(server.calls.length).toBe(0) // listing models is not a chat call
    expect(readFileSync(`${home}/settings.json`, 'utf8')).not.toContain(key)
    await expect.poll(() => page.locator('.profile-list').textContent()).toContain('key set')

    // Judges: a new judge on Overall, version 1 from the default template with train examples.
    await page.keyboard.press('Escape') // leave the form field: screen keys are off while typing
    await page.keyboard.press('Alt+5')
    await page.locator('.judge-list li').first().waitFor() // the demo's recorded judge
    await page.keyboard.press('n')
    const name = page.getByLabel('Name', { exact: true })
    // n puts the cursor in the name
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.locator('.new-judge select').first().selectOption({ label: 'Overall (120 labeled)' })
    await name.fill('Overall LLM judge')
    await name.press('Enter')
    await expect.poll(() => page.locator('.judge-head h1').textContent()).toBe('Overall LLM judge')
    await expect.poll(() => page.locator('#judge-prompt').inputValue()).toContain('{{examples}}')
    expect(await page.locator('.fewshot input:checked').count()).toBe(4)

    // Edit with e, save with Ctrl+S: version 2; d shows the diff.
    await page.keyboard.press('e')
    await page.keyboard.press('Control+End')
    await page.keyboard.type('\nBe strict about dietary restrictions.')
    await page.keyboard.press('Control+s')
    await expect.poll(() => page.getByTestId('judge-notice').textContent()).toBe('Saved as version 2.')
    await page.keyboard.press('Escape')
    await page.keyboard.press('d')
    await expect
      .poll(() => page.getByTestId('version-diff').textContent())
      .toContain('+ Be strict about dietary restrictions.')
    await page.keyboard.press('p')
    await expect
      .poll(() => page.getByTestId('prompt-preview').textContent())
      .toMatch(/<example>[\s\S]*The item to judge[\s\S]*Be strict about dietary restrictions\./)

    // Run v2 on dev: estimate first, live progress, then the dev metrics.
    await expect.poll(() => page.getByTestId('run-estimate').textContent()).toMatch(/^54 items: 54 calls .*≈\$0\.00/)
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => page.locator('table.runs tbody tr').first().textContent(), { timeout: 20_000 })
      .toMatch(/^\d+v2devdone54\/54/)
    // Identical requests (the demo has a few identical traces) are asked once: the rest hit the cache.
    const cached = Number(await page.locator('table.runs tbody tr').first().locator('td').nth(8).textContent())
    expect(server.calls.length).toBe(54 - cached)
    expect(server.calls.every((c) => c.authorization === `Bearer ${key}`)).toBe(true)
    const v2 = page.locator('table.versions tbody tr').first()
    await expect.poll(() => v2.locator('td').nth(2).textContent()).toMatch(/TPR \d+% \[\d+–\d+\] n=\d+ · TNR \d+%/)
    expect(await v2.locator('td').nth(3).textContent()).toMatch(/hidden: show/)

    // Test is locked: the run button waits for an explicit confirmation.
    await page.getByTestId('run-scope').selectOption('test')
    await expect.poll(() => page.getByTestId('run-estimate').textContent()).toMatch(/^48 items/)
    const runButton = page.getByRole('button', { name: /^Run/ })
    expect(await runButton.isDisabled()).toBe(true)
    await page.getByLabel(/Final test evaluation/).check()
    await runButton.click()
    await expect
      .poll(() => page.locator('table.runs tbody tr').first().textContent(), { timeout: 20_000 })
      .toMatch(/^\d+v2testdone48\/48/)
    await expect.poll(() => v2.locator('td').nth(3).textContent()).toMatch(/hidden: show.*1 test evaluation$/)
    await page.keyboard.press('t')
    await expect.poll(() => v2.locator('td').nth(3).textContent()).toMatch(/TPR \d+%.*1 test evaluation/)

    // Runs again are free: the same requests come from the cache.
    await page.getByTestId('run-scope').selectOption('dev')
    await expect
      .poll(() => page.getByTestId('run-estimate').textContent())
      .toMatch(/^54 items: 0 calls, 54 cached \(free\)/)
    await page.locator('.judge-main').evaluate((el) => (el.scrollTop = 0))
    await app.screenshot('judges')
    expect(await app.problems()).toEqual([])
  }, 60_000)
})
