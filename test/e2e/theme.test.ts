/**
 * Dark mode on the demo project: the app follows the system's prefers-color-scheme (Chromium emulates it); the
 * Theme setting on the Settings screen overrides it both ways and survives a reload; no screen keeps a light
 * surface or dark text under dark (the check that finds a colour still hard-coded); the report stays light, in
 * the Report screen's preview and in the saved HTML. The Label and Calibrate screens are photographed in both
 * themes (the README's docs/label-*.png and docs/calibrate-*.png are these).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot } from '../helpers/paths'
import { shownItemId, type AppDriver } from './driver'
import { useE2e } from './setup'

/** Luminance (WCAG) of the page's background and text, and what data-theme says. */
const look = (page: Page) =>
  page.evaluate(() => {
    const lum = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const c = Number(v) / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
      return Math.round((0.2126 * r + 0.7152 * g + 0.0722 * b) * 100) / 100
    }
    const root = getComputedStyle(document.documentElement)
    const bar = getComputedStyle(document.querySelector('.topbar') ?? document.body)
    return {
      theme: document.documentElement.dataset.theme,
      dark: lum(root.backgroundColor) < 0.1 && lum(bar.backgroundColor) < 0.1 && lum(root.color) > 0.6,
      light: lum(root.backgroundColor) > 0.8 && lum(bar.backgroundColor) > 0.8 && lum(root.color) < 0.1,
    }
  })

/**
 * Under dark: every element of the app (the report preview aside) whose background is painted light, or whose own
 * text (or SVG text) is dark, as "tag.class: colour". A colour left hard-coded in a stylesheet shows up here.
 */
const lightSpots = (page: Page) =>
  page.evaluate(() => {
    const lum = (css: string) => {
      const parts = (css.match(/[\d.]+/g) ?? []).map(Number)
      if (parts.length === 4 && parts[3] < 0.3) return null // (nearly) transparent: the colour beneath counts
      const [r, g, b] = parts.slice(0, 3).map((v) => {
        const c = v / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const spots: string[] = []
    for (const el of document.querySelectorAll('.app *, .overlay *')) {
      if (el.closest('.report-preview') || el.closest('[hidden]')) continue
      const style = getComputedStyle(el)
      if (style.display === 'none' || style.visibility === 'hidden') continue
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
      const bg = lum(style.backgroundColor)
      if (bg !== null && bg > 0.3) spots.push(`${name} background ${style.backgroundColor}`)
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
      const isSvgText = el instanceof SVGTextElement
      const ink = lum(isSvgText ? style.fill : style.color)
      if ((ownText || isSvgText) && ink !== null && ink < 0.15 && Number(style.opacity) > 0.3)
        spots.push(`${name} text ${isSvgText ? style.fill : style.color}`)
    }
    return [...new Set(spots)]
  })

describe('dark mode', () => {
  const e2e = useE2e()

  it('follows the system, the Theme setting overrides it both ways and survives a reload, and the report stays light', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator: 'e2e' })
    const { page } = app
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.reload() // the first paint under a dark system, before any setting is loaded
    await page.getByTestId('item-count').waitFor()
    expect(await look(page)).toMatchObject({ theme: 'dark', dark: true })
    expect(await lightSpots(page)).toEqual([]) // the Data screen with its table and trace
    await app.screenshot('theme-data-dark')
    // The export dialog, the import wizard and the Start screen.
    await page.keyboard.press('e')
    await page.locator('.export-dialog').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await page.keyboard.press('Escape')
    await page.locator('.export-dialog').waitFor({ state: 'detached' })
    await page.keyboard.press('i')
    await page.locator('section.import').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await page.getByRole('button', { name: 'Close (Esc)' }).click()
    await page.locator('section.import').waitFor({ state: 'detached' })
    await page.keyboard.press('Alt+1')
    await page.locator('.start').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await page.emulateMedia({ colorScheme: 'light' }) // the system switches: the app follows at once
    await expect.poll(() => look(page)).toMatchObject({ theme: 'light', light: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => look(page)).toMatchObject({ theme: 'dark', dark: true })

    // Light overrides a dark system, is saved with the user's settings, and a reload keeps it.
    await page.keyboard.press('Alt+8')
    const field = page.getByTestId('theme-field')
    expect(await field.getByLabel('System').isChecked()).toBe(true)
    expect(await lightSpots(page)).toEqual([])
    await app.screenshot('theme-settings-dark')
    await field.getByLabel('Light').check()
    await expect.poll(() => look(page)).toMatchObject({ theme: 'light', light: true })
    const saved = () => (JSON.parse(readFileSync(join(e2e.tmp.file('home'), 'settings.json'), 'utf8')) as Settings).user
    expect(saved()).toMatchObject({ theme: 'light', annotator: 'e2e' })
    await page.reload()
    await page.getByTestId('item-count').waitFor()
    await expect.poll(() => look(page)).toMatchObject({ theme: 'light', light: true })

    // Dark under a light system, kept over a reload too.
    await page.emulateMedia({ colorScheme: 'light' })
    await page.keyboard.press('Alt+8')
    await page.getByTestId('theme-field').getByLabel('Dark').check()
    await expect.poll(() => look(page)).toMatchObject({ theme: 'dark', dark: true })
    expect(saved()).toMatchObject({ theme: 'dark' })
    await page.reload()
    await page.getByTestId('item-count').waitFor()
    await expect.poll(() => look(page)).toMatchObject({ theme: 'dark', dark: true })
    expect(await page.getByTestId('theme-field').count()).toBe(0) // (on Data after a reload)

    // The help overlay, Analyze (the Pareto) and Judges under dark.
    await page.keyboard.press('?')
    await page.locator('.overlay-panel').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await app.screenshot('theme-help-dark')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Alt+4')
    await page.locator('svg.pareto').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await app.screenshot('theme-analyze-dark')
    await page.keyboard.press('Alt+5')
    await page.locator('.judge-main').waitFor()
    expect(await lightSpots(page)).toEqual([])
    await app.screenshot('theme-judges-dark')

    // The report preview stays light (white page, dark text, the charts' light colours) inside the dark app.
    await page.keyboard.press('Alt+7')
    await page.keyboard.press('b')
    await page.locator('.report svg text').first().waitFor()
    const report = await page.evaluate(() => {
      const doc = getComputedStyle(document.querySelector('.report') ?? document.body)
      const svgText = document.querySelector('.report svg text')
      return {
        background: doc.backgroundColor,
        color: doc.color,
        chartText: svgText ? getComputedStyle(svgText).fill : null,
        preview: getComputedStyle(document.querySelector('.report-preview') ?? document.body).backgroundColor,
      }
    })
    expect(report).toEqual({
      background: 'rgb(255, 255, 255)',
      color: 'rgb(29, 33, 37)',
      chartText: expect.stringMatching(/^rgb\((107, 113, 119|29, 33, 37)\)$/) as unknown,
      preview: 'rgb(255, 255, 255)',
    })
    expect(await look(page)).toMatchObject({ theme: 'dark', dark: true }) // the app around it is still dark
    await app.screenshot('theme-report-dark')
    expect(await app.problems()).toEqual([])

    // The saved HTML report, opened under a dark system, is light as well.
    const html = e2e.tmp.file('report.html')
    execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), 'report', project, '--out', html])
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(pathToFileURL(html).href)
    const saved2 = await page.evaluate(() => ({
      page: getComputedStyle(document.querySelector('.report') ?? document.body).backgroundColor,
      text: getComputedStyle(document.querySelector('.report') ?? document.body).color,
      chart: [...document.querySelectorAll('svg text')].map((t) => getComputedStyle(t).fill),
    }))
    expect(saved2.page).toBe('rgb(255, 255, 255)')
    expect(saved2.text).toBe('rgb(29, 33, 37)')
    expect(saved2.chart.length).toBeGreaterThan(0)
    expect(new Set(saved2.chart)).toEqual(new Set(['rgb(107, 113, 119)', 'rgb(29, 33, 37)']))
  }, 120_000)

  it('Label and Calibrate in light and dark: no light spot under dark; the screenshots for the README', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator: 'e2e' })
    const { page } = app
    await page.emulateMedia({ colorScheme: 'light' })
    await page.getByTestId('item-count').waitFor()

    // Label: a session of the demo, a few verdicts in, a note being typed.
    await page.keyboard.press('Alt+3')
    await page.locator('.setup-form select option', { hasText: 'Overall' }).waitFor({ state: 'attached' })
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('label-progress').textContent()).toBe('Item 1 of 100')
    for (const key of ['1', '1', '2', '1', '2', '1', '1', '2']) {
      const before = await page.getByTestId('label-progress').textContent()
      await page.keyboard.press(key)
      await expect.poll(() => page.getByTestId('label-progress').textContent()).not.toBe(before)
    }
    // A chat trace (bubbles, Markdown, a tool call with its result) rather than a pipeline's JSON.
    for (let i = 0; i < 30 && !(await shownItemId(page)).startsWith('chat-'); i++) {
      const before = await shownItemId(page)
      await page.keyboard.press('ArrowRight')
      await expect.poll(() => shownItemId(page)).not.toBe(before)
    }
    expect(await shownItemId(page)).toMatch(/^chat-/)
    await page.keyboard.press('n')
    await page.keyboard.type('Ignores the 40-minute limit the user gave.')
    await shoot(app, 'label')

    // Calibrate: test results shown, judgy's bootstrap drawn, the false fails of the test split listed.
    await page.keyboard.press('Escape')
    await page.keyboard.press('Alt+6')
    await page.getByTestId('test-locked').waitFor()
    await page.keyboard.press('t')
    await page.getByTestId('matrix-test').waitFor()
    await page.getByTestId('calibrate-method').selectOption('judgy')
    await page.locator('svg.histogram').waitFor()
    await page.locator('body').click({ position: { x: 5, y: 400 } }) // leave the select
    await page.keyboard.press('f')
    await page.getByTestId('cell-items').waitFor()
    await shoot(app, 'calibrate')
    // Below the fold: the sensitivity plots and the side-by-side "Fewer labels" table, checked under dark too.
    await page.getByText('Sensitivity: how the estimate moves').click()
    await expect.poll(() => page.locator('svg.sensitivity-plot polyline').count()).toBe(2)
    await page.getByTestId('alternatives').scrollIntoViewIfNeeded()
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(() => look(page)).toMatchObject({ theme: 'dark', dark: true })
    expect(await lightSpots(page)).toEqual([])
    await app.screenshot('theme-calibrate-below-dark')
    expect(await app.problems()).toEqual([])
  }, 120_000)
})

interface Settings {
  user: Record<string, unknown>
}

/** Photographs the screen as it is in light, then in dark (checking dark for light spots in between). */
async function shoot(app: AppDriver, name: string): Promise<void> {
  const { page } = app
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(() => look(page)).toMatchObject({ theme: 'light', light: true })
  await app.screenshot(`${name}-light`)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => look(page)).toMatchObject({ theme: 'dark', dark: true })
  expect(await lightSpots(page)).toEqual([])
  await app.screenshot(`${name}-dark`)
  await page.emulateMedia({ colorScheme: 'light' })
}
