/**
 * A project of the user's own traces, never the demo: its criteria are written, added and
 * renamed with the keyboard in the session setup and on Analyze; a second annotator sees the
 * first one's labels in a session, counts of what is unlabeled by whom, and both notes on Analyze.
 */
import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { shownItemId } from './driver'
import { useE2e } from './setup'

const row = (i: number, extra: Record<string, string> = {}) =>
  JSON.stringify({
    id: `t-${String(i).padStart(2, '0')}`,
    input: `How do I fix error ${i}?`,
    output: `Try restarting (answer ${i}).`,
    ...extra,
  })

describe('criteria and annotators on a project of your own traces', () => {
  const e2e = useE2e()

  it('writes Overall, adds and renames a criterion with keys in the setup, labels it, and defines Overall on Analyze', async () => {
    writeFileSync(e2e.tmp.file('traces.jsonl'), Array.from({ length: 6 }, (_, i) => row(i + 1)).join('\n'))
    expect((await runCli(['import', 'mine.assay', 'traces.jsonl'], e2e.tmp.dir)).code).toBe(0)
    const app = await e2e.launch({ project: e2e.tmp.file('mine.assay'), annotator: 'ann' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    const chosen = () =>
      page
        .locator('.setup-form select')
        .first()
        .evaluate((s: HTMLSelectElement) => s.selectedOptions.item(0)?.textContent ?? '')
    await expect.poll(chosen).toBe('Overall (v1, 0 labeled)')
    const definition = page.getByTestId('criterion-definition')
    await expect
      .poll(() => definition.locator('p').first().textContent())
      .toBe('Definition (v1): none yet: press e to write one ')

    // e: Overall's definition (its name stays); Ctrl+Enter saves it as v2.
    await page.keyboard.press('e')
    await expect.poll(() => page.getByLabel('Criterion name').isDisabled()).toBe(true)
    await page.keyboard.type('The answer fixes the error the user reports.')
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => definition.locator('p').first().textContent())
      .toBe('Definition (v2): The answer fixes the error the user reports. ')

    // c: a new criterion, chosen at once; e: renamed.
    await page.keyboard.press('c')
    // Type only once the form has the focus: keys typed before it mounts would be shortcuts.
    const focused = () => page.getByLabel('Criterion name').evaluate((e) => e === document.activeElement)
    await expect.poll(focused).toBe(true)
    await page.keyboard.type('Off topic')
    await page.keyboard.press('Tab')
    await page.keyboard.type('The answer is about something the user did not ask.')
    await page.keyboard.press('Control+Enter')
    await expect.poll(chosen).toBe('Off topic (v1, 0 labeled)')
    await page.keyboard.press('e')
    await expect.poll(focused).toBe(true)
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Wanders off topic')
    await page.keyboard.press('Control+Enter')
    await expect.poll(chosen).toBe('Wanders off topic (v1, 0 labeled)')

    // A session on it, then Overall's definition from Analyze: e, then 0.
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.locator('.label-bar strong').first().textContent()).toBe('Wanders off topic')
    await page.keyboard.press('2')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All labels saved')
    await page.keyboard.press('Alt+4')
    const overall = page.getByTestId('analyze-overall')
    await expect.poll(() => overall.textContent()).toContain('v2')
    await page.keyboard.press('e')
    await page.keyboard.press('0')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('The answer fixes the reported error, safely.')
    await page.keyboard.press('Control+Enter')
    await expect
      .poll(() => overall.textContent())
      .toBe('0 Overall v3 · 0 labeledThe answer fixes the reported error, safely.')
    expect(await app.problems()).toEqual([])

    const db = new Database(e2e.tmp.file('mine.assay'), { readonly: true })
    expect(
      db
        .prepare(
          'SELECT c.name, c.kind, v.version, v.definition FROM criteria c JOIN criterion_versions v ON v.criterion_id = c.id ORDER BY c.id, v.version',
        )
        .all(),
    ).toEqual([
      { name: 'Overall', kind: 'overall', version: 1, definition: '' },
      { name: 'Overall', kind: 'overall', version: 2, definition: 'The answer fixes the error the user reports.' },
      { name: 'Overall', kind: 'overall', version: 3, definition: 'The answer fixes the reported error, safely.' },
      {
        name: 'Wanders off topic',
        kind: 'failure_mode',
        version: 1,
        definition: 'The answer is about something the user did not ask.',
      },
    ])
    expect(
      db.prepare('SELECT c.name, l.verdict, l.annotator FROM labels l JOIN criteria c ON c.id = l.criterion_id').all(),
    ).toEqual([{ name: 'Wanders off topic', verdict: 'fail', annotator: 'ann' }])
    db.close()
  })

  it('adds a criterion by its button or by Enter in its name inside the session setup, and saves a definition by its button', async () => {
    writeFileSync(e2e.tmp.file('traces.jsonl'), Array.from({ length: 3 }, (_, i) => row(i + 1)).join('\n'))
    expect((await runCli(['import', 'mine.assay', 'traces.jsonl'], e2e.tmp.dir)).code).toBe(0)
    const app = await e2e.launch({ project: e2e.tmp.file('mine.assay'), annotator: 'ann' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    const chosen = () =>
      page
        .locator('.setup-form select')
        .first()
        .evaluate((s: HTMLSelectElement) => s.selectedOptions.item(0)?.textContent ?? '')
    await expect.poll(chosen).toBe('Overall (v1, 0 labeled)')

    await page.keyboard.press('c')
    await page.keyboard.type('Tone')
    await page.getByRole('button', { name: 'Add criterion' }).click()
    await expect.poll(chosen).toBe('Tone (v1, 0 labeled)')

    // Enter in the name adds it; it does not start a session.
    await page.keyboard.press('c')
    await page.keyboard.type('Length')
    await page.keyboard.press('Enter')
    await expect.poll(chosen).toBe('Length (v1, 0 labeled)')
    expect(await page.locator('.setup-form').count()).toBe(1)

    await page.keyboard.press('e')
    await page.getByLabel('Criterion definition').fill('The answer is at most three sentences.')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(() => page.getByTestId('criterion-definition').locator('p').first().textContent())
      .toBe('Definition (v2): The answer is at most three sentences. ')
    expect(await app.problems()).toEqual([])
    const db = new Database(e2e.tmp.file('mine.assay'), { readonly: true })
    expect(db.prepare('SELECT name FROM criteria ORDER BY id').all()).toEqual([
      { name: 'Overall' },
      { name: 'Tone' },
      { name: 'Length' },
    ])
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 })
    db.close()
  })

  it("shows another annotator's label on the item, counts unlabeled by me and by anyone, and keeps both notes on Analyze", async () => {
    // ann's labels came with the file: three of twelve traces.
    const labels: Record<number, Record<string, string>> = {
      3: { label: 'fail', note: 'ann: tells the user to restart a server they do not have' },
      5: { label: 'pass', note: '' },
      8: { label: 'fail', note: '' },
    }
    writeFileSync(
      e2e.tmp.file('traces.jsonl'),
      Array.from({ length: 12 }, (_, i) => row(i + 1, labels[i + 1] ?? { label: '', note: '' })).join('\n'),
    )
    const imported = await runCli(['import', 'team.assay', 'traces.jsonl', '--annotator', 'ann', '--json'], e2e.tmp.dir)
    expect([imported.code, imported.json()]).toMatchObject([0, { imported: 12 }])
    const app = await e2e.launch({ project: e2e.tmp.file('team.assay'), annotator: 'bob' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await expect
      .poll(() => page.getByTestId('unlabeled-counts').textContent())
      .toBe('Of these 12 items, 12 have no pass or fail label of yours (bob) and 9 have none of any annotator.')
    const order = page.getByLabel('Order')
    expect(await order.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['Unlabeled by anyone first (9 of 12)', 'Unlabeled by me first (12 of 12)']),
    )
    await order.selectOption('unlabeled-mine')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('label-progress').textContent()).toBe('Item 1 of 12')

    // Find t-03 with j: ann's fail and note are on it, and it is not labeled by bob.
    for (let i = 0; i < 12 && (await shownItemId(page)) !== 't-03'; i++) {
      const before = await shownItemId(page)
      await page.keyboard.press('j')
      await expect.poll(() => shownItemId(page)).not.toBe(before)
    }
    expect(await shownItemId(page)).toBe('t-03')
    await expect
      .poll(() => page.getByTestId('other-labels').textContent())
      .toBe('labeled fail by ann: ann: tells the user to restart a server they do not have')
    expect(await page.getByTestId('current-label').textContent()).toBe('not labeled by you')
    // n puts the cursor in the note; Esc leaves it with the text kept (each step waited for, so a slow
    // machine cannot send the typing to the page's shortcuts).
    const note = page.locator('#label-note')
    const focused = () => note.evaluate((el) => el === document.activeElement)
    await page.keyboard.press('n')
    await expect.poll(focused).toBe(true)
    await page.keyboard.type('bob: suggests a restart, which is the documented fix')
    await expect.poll(() => note.inputValue()).toBe('bob: suggests a restart, which is the documented fix')
    await page.keyboard.press('Escape')
    await expect.poll(focused).toBe(false)
    await page.keyboard.press('1')
    // Saved (read from the file: t-03 may be the session's last item, whose pass ends the session and its label bar).
    const saved = () => {
      const db = new Database(e2e.tmp.file('team.assay'), { readonly: true })
      try {
        return db
          .prepare(
            "SELECT l.verdict, l.note FROM labels l JOIN items i ON i.id = l.item_id WHERE i.external_id = 't-03' AND l.annotator = 'bob'",
          )
          .all()
      } finally {
        db.close()
      }
    }
    await expect
      .poll(saved)
      .toEqual([{ verdict: 'pass', note: 'bob: suggests a restart, which is the documented fix' }])

    // Both notes stay on the notes board.
    await page.keyboard.press('Alt+4')
    const notes = page.locator('ol.notes > li[data-item="t-03"] > p')
    await expect
      .poll(() => notes.allTextContents())
      .toEqual([
        'ann: tells the user to restart a server they do not have',
        'bob: suggests a restart, which is the documented fix',
      ])
    expect(await app.problems()).toEqual([])
  })
})
