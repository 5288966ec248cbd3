import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { useE2e } from './setup'

// Every screen but Data and Start is a chunk of its own, fetched after the first trace shows.
// Here one is held back on the wire, so the keys pressed meanwhile meet a screen not there yet.
describe('screens whose code arrives after the first load', () => {
  const e2e = useE2e()

  it('keeps the keys pressed while a screen is loading, and they act on that screen once it is there', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const { page } = await e2e.launch({ project, annotator: 'e2e' })
    const gate: { open?: () => void } = {}
    const arrived = new Promise<void>((resolve) => (gate.open = resolve))
    await page.route(/\/assets\/LabelScreen-[^/]*\.js$/, async (route) => {
      await arrived
      await route.continue()
    })
    await page.reload()
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await page.locator('.screen-loading').waitFor()
    // `c` is "New criterion" on the Label screen's setup; on the Data screen it does nothing.
    await page.keyboard.press('c')
    await expect.poll(() => page.locator('.screen-loading').count()).toBe(1)
    gate.open?.()
    const focused = () => page.getByLabel('Criterion name').evaluate((e) => e === document.activeElement)
    await expect.poll(focused).toBe(true)
    await expect.poll(() => page.locator('.screen-loading').count()).toBe(0)
  })

  it('serves every chunk the screens need: each screen opens with Alt+1…8', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const { page } = await e2e.launch({ project, annotator: 'e2e' })
    await page.getByTestId('item-count').waitFor()
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(request.url()))
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${String(response.status())} ${response.url()}`)
    })
    for (const [key, title] of [
      ['Alt+3', 'Label'],
      ['Alt+4', 'Analyze'],
      ['Alt+5', 'Judges'],
      ['Alt+6', 'Calibrate'],
      ['Alt+7', 'Report'],
      ['Alt+8', 'Settings'],
      ['Alt+2', 'Data'],
    ]) {
      await page.keyboard.press(key)
      await expect.poll(() => page.locator('nav .tab.active').textContent()).toBe(title)
      await expect.poll(() => page.locator('.screen-loading').count()).toBe(0)
      await expect.poll(() => page.locator('main.screen').evaluate((e) => e.children.length > 0)).toBe(true)
    }
    await page.keyboard.press('?')
    await page.getByRole('dialog').first().waitFor()
    expect(failed).toEqual([])
    expect(await page.locator('[role=alert]').count()).toBe(0)
  })
})
