/**
 * Habits from other tools: Ctrl/⌘+Z undoes a label, a file dropped on the window opens the import
 * wizard with it, a polite live region tells a screen reader what was saved and what is shown,
 * and every button has a name a screen reader can say.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { writeDemoProject } from '../../electron/core/demo'
import { tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, shownItemId, type AppDriver } from './driver'
import type { Page } from 'playwright-core'

/** Drops a file made of `content` on the window, as a file dragged from the desktop. */
async function dropFile(page: Page, name: string, content: string): Promise<void> {
  await page.evaluate(
    ({ name, content }) => {
      const data = new DataTransfer()
      data.items.add(new File([content], name))
      for (const type of ['dragenter', 'dragover', 'drop'])
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))
    },
    { name, content },
  )
}

/** Buttons whose accessible name has no word in it (an icon or a bare number), as their HTML. */
const unnamedButtons = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((b) => !/[A-Za-z]{2,}/.test((b.getAttribute('aria-label') ?? b.textContent).trim()))
      .map((b) => b.outerHTML.slice(0, 160)),
  )

describe('Habits from other tools', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-habits-')))
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  it('Ctrl+Z undoes a label (not while typing a note), the keymap says so, and the live region announces saves and items', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'habits'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await page.locator('.setup-form select option', { hasText: 'Overall' }).waitFor({ state: 'attached' })
    // Items no one labeled first (the seed is random): the demo's reviewer labeled some, and an
    // item of theirs would read "not labeled by you".
    await page.getByLabel('Order').selectOption('unlabeled')
    await page.keyboard.press('Control+Enter')
    const progress = page.getByTestId('label-progress')
    await expect.poll(() => progress.textContent()).toBe('Item 1 of 100')
    const first = await shownItemId(page)
    const announce = page.getByTestId('label-announce')
    expect(await announce.getAttribute('aria-live')).toBe('polite')
    expect(await announce.getAttribute('role')).toBe('status')
    await expect.poll(() => announce.textContent()).toBe(`Item 1 of 100: ${first}, not labeled.`)

    await page.keyboard.press('1')
    await expect.poll(() => progress.textContent()).toBe('Item 2 of 100')
    const second = await shownItemId(page)
    await expect
      .poll(() => announce.textContent())
      .toBe(`Item 2 of 100: ${second}, not labeled. Saved Pass for ${first}; all labels saved.`)

    await page.keyboard.press('Control+z')
    await expect.poll(() => progress.textContent()).toBe('Item 1 of 100')
    await expect.poll(() => page.getByTestId('current-label').textContent()).toBe('not labeled')
    await expect
      .poll(() => announce.textContent())
      .toBe(`Item 1 of 100: ${first}, not labeled. Undid the label of ${first}; all labels saved.`)

    // In the note, Ctrl+Z is the text's own undo: the label stays.
    await page.keyboard.press('2')
    await expect.poll(() => progress.textContent()).toBe('Item 2 of 100')
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => page.getByTestId('current-label').textContent()).toMatch(/^fail/)
    await page.keyboard.press('n')
    await page.keyboard.type('rice')
    await page.keyboard.press('Control+z')
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('current-label').textContent()).toMatch(/^fail/)
    expect(await progress.textContent()).toBe('Item 1 of 100')

    await page.keyboard.press('?')
    const undoRow = page
      .getByRole('dialog', { name: 'Keyboard shortcuts' })
      .locator('tr', { hasText: 'Undo the last label' })
    await undoRow.waitFor() // the overlay's code is a chunk of its own: it may still be on its way
    expect(await undoRow.locator('kbd').allTextContents()).toEqual(['u', 'Backspace', 'Ctrl/⌘+z'])
    expect(await app.problems()).toEqual([])
  }, 60_000)

  it('a trace file dropped on the window opens the import wizard with it; a dropped project gets an answer', async () => {
    const project = tmp.file('fresh.assay')
    openProject(project, { mode: 'create' }).db.close()
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app
    await page.getByText('This project has no items yet').waitFor()

    await dropFile(
      page,
      'my traces.csv',
      'id,question,answer\nq1,"Vegan curry?","## Curry\n- lentils"\nq2,Pasta?,Boil it.\nq3,Bread?,Rice flour.\n',
    )
    if (app.shell === 'electron') {
      // A File made in the page is on no disk: webUtils has no path for it, and the app says so.
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('my traces.csv is not a file on this computer')
      return
    }
    await page.getByText('Preview: the first').waitFor()
    expect(await page.getByLabel('Dataset name').inputValue()).toBe('my traces.csv')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('button', { name: 'Close (Esc)' }).click()
    await expect.poll(() => page.getByTestId('item-count').textContent()).toBe('Item 1 of 3')

    // Only the serve shell gets here (the desktop app returned above).
    await dropFile(page, 'other.assay', 'not really a project')
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain(
        'The browser does not tell Assay where other.assay is, and your labels must go to that file, not to a copy: open it by its path instead (Start screen, o).',
      )
  }, 60_000)

  it('every button on every screen has a name a screen reader can say (the help button is "Keyboard shortcuts (?)")', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'a11y'), project })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).waitFor()

    const screens: [string, () => Promise<unknown>][] = [
      ['Alt+1', () => page.getByText('Recent projects').waitFor()],
      ['Alt+2', () => page.locator('[data-item-id]').first().waitFor()],
      ['Alt+3', () => page.locator('.setup-form').waitFor()],
      ['Alt+4', () => page.locator('.analyze, .analyze-screen').first().waitFor()],
      ['Alt+5', () => page.locator('.judge-list li').first().waitFor()],
      [
        'Alt+6',
        () =>
          page
            .getByTestId('theta')
            .waitFor()
            .catch(() => page.locator('.calibrate-bar').first().waitFor()),
      ],
      ['Alt+7', () => page.getByTestId('report-preview').waitFor()],
      ['Alt+8', () => page.locator('.profile-form').waitFor()],
    ]
    const found: Record<string, string[]> = {}
    for (const [key, ready] of screens) {
      await page.keyboard.press(key)
      await ready()
      const unnamed = await unnamedButtons(page)
      if (unnamed.length) found[key] = unnamed
    }
    // A labeling session, and Calibrate's matrices with their cells.
    await page.keyboard.press('Alt+3')
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('label-progress').waitFor()
    const session = await unnamedButtons(page)
    if (session.length) found.session = session
    await page.keyboard.press('Alt+6')
    await page.locator('button.cell').first().waitFor()
    const calibrate = await unnamedButtons(page)
    if (calibrate.length) found.calibrate = calibrate
    expect(found).toEqual({})
    expect(await app.problems()).toEqual([])
  }, 60_000)
})
