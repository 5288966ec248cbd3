/**
 * A trace that cannot be loaded any more (deleted from the project while it is being labeled, as
 * another window or a script can) says so with a key to try again, instead of "Loading…" for ever.
 */
import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { shownItemId } from './driver'
import { useE2e } from './setup'

describe('a trace the Label screen cannot load', () => {
  const e2e = useE2e()

  it('says why in place of the trace, tries again with r, and the next trace still loads', async () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        id: `t-${String(i + 1).padStart(2, '0')}`,
        input: `Question ${i + 1}`,
        output: `Answer ${i + 1}`,
      }),
    )
    writeFileSync(e2e.tmp.file('traces.jsonl'), rows.join('\n'))
    expect((await runCli(['import', 'mine.assay', 'traces.jsonl'], e2e.tmp.dir)).code).toBe(0)
    const { page } = await e2e.launch({ project: e2e.tmp.file('mine.assay'), annotator: 'ann' })
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await page.getByTestId('unlabeled-counts').waitFor()
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('label-progress').textContent()).toBe('Item 1 of 12')
    const first = await shownItemId(page)

    // Every item but the one on screen and the next is deleted behind the app's back; the item
    // after those two was loaded ahead, so move on until one that was not comes up.
    const db = new Database(e2e.tmp.file('mine.assay'))
    await page.keyboard.press('j')
    const second = await shownItemId(page)
    db.prepare('DELETE FROM items WHERE external_id NOT IN (?, ?)').run(first, second)
    db.close()
    const unloaded = page.getByTestId('item-unloaded')
    for (let i = 0; i < 10 && !(await unloaded.isVisible()); i++) {
      const before = await page.getByTestId('label-progress').textContent()
      await page.keyboard.press('j')
      await expect.poll(() => page.getByTestId('label-progress').textContent()).not.toBe(before)
    }
    const position = await page.getByTestId('label-progress').textContent()
    await expect
      .poll(() => unloaded.locator('p').textContent())
      .toMatch(/^Could not load t-\d\d: There is no item with id \d+ in this project\.$/)
    expect(await unloaded.getByRole('button').textContent()).toBe('r Try again')
    await page.screenshot({ path: e2e.tmp.file('unloaded.png') })

    // r asks again (still deleted: the same message, not "Loading…" for ever).
    await page.keyboard.press('r')
    await expect.poll(() => unloaded.locator('p').textContent()).toMatch(/^Could not load t-\d\d/)
    expect(await page.getByTestId('label-progress').textContent()).toBe(position)

    // Back to the first two items, which are still there.
    await page.keyboard.press('Home')
    expect(await shownItemId(page)).toBe(first)
    await page.keyboard.press('j')
    expect(await shownItemId(page)).toBe(second)
  })
})
