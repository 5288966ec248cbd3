import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { createRepos } from '../../electron/core/db/repos'
import { writeDemoProject } from '../../electron/core/demo'
import { DEFAULT_FILTER } from '../../shared/table-query'
import { tempDir } from '../helpers/paths'
import { launchApp, type AppDriver } from './driver'

describe('Data screen, driven with the keyboard', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null

  beforeEach(() => {
    tmp = tempDir('assay-e2e-')
  })
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  it('opens the demo project, shows its items, and opens one with the keyboard', async () => {
    const project = tmp.file('demo.assay')
    const { items } = writeDemoProject(project)
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app

    const count = page.getByTestId('item-count')
    await expect.poll(() => count.textContent()).toBe(`Item 1 of ${items.toLocaleString('en-US')}`)
    await expect.poll(() => page.getByTestId('project-name').textContent()).toContain('synthetic demo')
    await page.locator('[data-item-id="chat-00001"]').waitFor()

    for (let i = 0; i < 3; i++) await page.keyboard.press('j')
    await page.keyboard.press('k')
    await expect.poll(() => count.textContent()).toBe(`Item 3 of ${items.toLocaleString('en-US')}`)
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-item-id')).toBe('chat-00003')
    await expect.poll(() => page.getByTestId('item-view').locator('h2').textContent()).toBe('chat-00003')
    await app.screenshot('data-table')

    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.table').count()).toBe(0)
    const view = page.getByTestId('item-view')
    await expect.poll(() => view.locator('.bubble').count()).toBeGreaterThan(2)
    await expect.poll(() => view.textContent()).toContain('search_recipes')
    await app.screenshot('item-open')

    await page.keyboard.press('Escape')
    await page.locator('.table').waitFor()
    expect(await app.problems()).toEqual([])
  })

  it('goes to an item by id, pages with End, and searches', async () => {
    const project = tmp.file('demo.assay')
    const { items } = writeDemoProject(project)
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    const count = page.getByTestId('item-count')
    await expect.poll(() => count.textContent()).toBe(`Item 1 of ${items.toLocaleString('en-US')}`)

    await page.keyboard.press('g')
    await page.keyboard.type('pipe-00010')
    await page.keyboard.press('Enter')
    await expect.poll(() => count.textContent()).toBe(`Item 210 of ${items.toLocaleString('en-US')}`)
    await expect.poll(() => page.getByTestId('item-view').locator('h2').textContent()).toBe('pipe-00010')
    await expect.poll(() => page.getByTestId('item-view').locator('.step').count()).toBe(3)

    await page.keyboard.press('End')
    await expect
      .poll(() => page.locator('.row.selected').getAttribute('data-item-id'))
      .toBe(`prod-${String(items - 350).padStart(5, '0')}`)

    await page.keyboard.press('/')
    await page.keyboard.type('pipe-0001')
    await expect
      .poll(() => count.textContent())
      .toBe('Item 1 of 10 matching “pipe-0001”' + ` (${items.toLocaleString('en-US')} in all)`)
    await page.keyboard.press('j') // typing in the search box must not move the cursor
    await expect.poll(() => page.getByLabel('Search items').inputValue()).toBe('pipe-0001j')
    expect(await app.problems()).toEqual([])
  })

  it('filters to labeled failures and to judge/human disagreements', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    const count = page.getByTestId('item-count')
    await expect.poll(() => count.textContent()).toBe('Item 1 of 1,550')

    await page.keyboard.press('f')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Human label')
    await page.getByLabel('Human label').selectOption('fail')
    await expect.poll(() => count.textContent()).toMatch(/^Item 1 of \d+ \(1,550 in all\)$/)
    const fails = Number((await count.textContent())!.match(/of (\d+)/)![1])
    expect(fails).toBeGreaterThan(15)
    const humanLabels = async () =>
      Promise.all(
        (await page.locator('.row[data-item-id]').all()).map((r) => r.locator('.c-verdict').first().textContent()),
      )
    await expect.poll(async () => new Set(await humanLabels())).toEqual(new Set(['fail']))
    const judgeVerdicts = async () =>
      Promise.all(
        (await page.locator('.row[data-item-id]').all()).map((r) => r.locator('.c-verdict').last().textContent()),
      )

    // Pick items for a session or a run: x toggles one, Ctrl/⌘+A takes every match, Esc clears.
    await page.locator('.row.selected').click()
    await page.keyboard.press('x')
    await expect.poll(() => page.getByTestId('selection').textContent()).toContain('1 selected')
    await page.keyboard.press('j')
    await page.keyboard.press('x')
    await page.keyboard.press('k')
    await page.keyboard.press('x')
    await expect.poll(() => page.getByTestId('selection').textContent()).toContain('1 selected')
    await page.keyboard.press('Control+a')
    await expect.poll(() => page.getByTestId('selection').textContent()).toContain(`${fails} selected`)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('selection').count()).toBe(0)

    await page.getByLabel('Human label').selectOption('labeled')
    await page.getByLabel('Judge verdict').selectOption('disagree')
    await expect
      .poll(async () => {
        const rows = await page.locator('.row[data-item-id]').all()
        const pairs = await Promise.all(
          rows.map(async (r) => (await r.locator('.c-verdict').allTextContents()).join('/')),
        )
        return pairs.length > 0 && pairs.every((p) => p === 'pass/fail' || p === 'fail/pass')
      })
      .toBe(true)
    await app.screenshot('filtered')

    // The judge's failures: more than a page, so the first page comes before the count (listed in a worker).
    const judgeFails = (() => {
      const { db } = openProject(project, { mode: 'open' })
      try {
        return createRepos(db).items.ids({ filter: { ...DEFAULT_FILTER, judge: 'fail' } }).length
      } finally {
        db.close()
      }
    })()
    expect(judgeFails).toBeGreaterThan(100)
    await page.getByLabel('Human label').selectOption('any')
    await page.getByLabel('Judge verdict').selectOption('fail')
    await expect.poll(() => count.textContent()).toBe(`Item 1 of ${judgeFails.toLocaleString('en')} (1,550 in all)`)
    await page.locator('.row.selected').click()
    await page.keyboard.press('End')
    await expect.poll(() => count.textContent()).toBe(`Item ${judgeFails} of ${judgeFails} (1,550 in all)`)
    await expect.poll(async () => new Set(await judgeVerdicts())).toEqual(new Set(['fail']))

    await page.getByRole('button', { name: 'clear' }).click()
    await expect.poll(() => count.textContent()).toBe('Item 1 of 1,550')
    expect(await app.problems()).toEqual([])
  })

  it('shows the keymap overlay on ? and opens the demo from the Start screen with d', async () => {
    app = await launchApp({ home: tmp.file('home') })
    const { page } = app
    await page.getByText('Open demo project').waitFor()
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expect.poll(() => dialog.textContent()).toContain('Open the demo project')
    await app.screenshot('help-overlay')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)

    await page.keyboard.press('d')
    await expect.poll(() => page.getByTestId('item-count').textContent(), { timeout: 20_000 }).toMatch(/^Item 1 of /)
    await page.keyboard.press('Alt+1')
    await expect.poll(() => page.locator('.recent-name').first().textContent()).toBe('demo')
    expect(await app.problems()).toEqual([])
  })

  it('opens and creates projects by path from the Start screen, with a clear error for a missing file', async () => {
    app = await launchApp({ home: tmp.file('home') })
    const { page } = app
    await page.getByText('Open demo project').waitFor()

    await page.keyboard.press('o')
    await page.keyboard.type(tmp.file('nowhere.assay'))
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain(`No project file at ${tmp.file('nowhere.assay')}`)
    await page.getByRole('button', { name: 'Dismiss' }).click()

    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.keyboard.press('n')
    await page.keyboard.type(tmp.file('fresh'))
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('fresh')
    await page.getByText('This project has no items yet').waitFor()
    expect(await app.problems()).toEqual([])
  })
})
