import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot } from '../helpers/paths'
import { shownItemId } from './driver'
import { useE2e } from './setup'

type State = { verdict: 'pass' | 'fail' | 'defer'; note: string } | null

describe('Label screen, driven with the keyboard', () => {
  const e2e = useE2e()

  /** Opens the demo project as `annotator` and starts a session with the setup's defaults (keys only). */
  async function startSession(annotator: string, keymap: 'default' | 'prodigy' = 'default'): Promise<string> {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator, keymap })
    const { page } = app
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await page.locator('.setup-form select option', { hasText: 'Overall' }).waitFor({ state: 'attached' })
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.getByTestId('label-progress').textContent()).toBe('Item 1 of 100')
    await page.getByTestId('item-view').waitFor()
    return project
  }

  it('labels 30 items with keys only (pass, fail, defer, undo, notes, back and forth), and the export has exactly those labels after a reload', async () => {
    const project = await startSession('e2e')
    const { page } = e2e.app
    const progress = page.getByTestId('label-progress')

    const model = new Map<string, State>()
    const undoStack: { id: string; before: State }[] = []
    const current = () => shownItemId(page)
    const position = async () => Number(/Item (\d+)/.exec((await progress.textContent())!)![1])
    const record = (id: string, next: State) => {
      undoStack.push({ id, before: model.get(id) ?? null })
      model.set(id, next)
    }
    const labeled = () => [...model.values()].filter((s) => s?.verdict === 'pass' || s?.verdict === 'fail').length

    const pattern = ['1', '2', '1', 'defer', '1', 'note', '2', 'undo', 'back'] as const
    for (let step = 0; labeled() < 30; step++) {
      expect(step).toBeLessThan(100)
      const action = pattern[step % pattern.length]
      const id = await current()
      const at = await position()
      const note = model.get(id)?.note ?? ''
      if (action === '1' || action === '2') {
        await page.keyboard.press(action)
        record(id, { verdict: action === '1' ? 'pass' : 'fail', note })
        await expect.poll(position).toBe(at + 1)
      } else if (action === 'defer') {
        await page.keyboard.press('d')
        record(id, { verdict: 'defer', note })
        await expect.poll(current).not.toBe(id) // the item went to the end; the next one is here
        expect(await position()).toBe(at)
      } else if (action === 'note') {
        await page.keyboard.press('n')
        await page.keyboard.type(`first failure seen on ${id}, "quoted", with a comma`)
        await page.keyboard.press('Control+Enter')
        record(id, {
          verdict: model.get(id)?.verdict === 'pass' ? 'pass' : 'fail',
          note: `first failure seen on ${id}, "quoted", with a comma`,
        })
        await expect.poll(position).toBe(at + 1)
      } else if (action === 'undo') {
        const last = undoStack.pop()!
        await page.keyboard.press('u')
        model.set(last.id, last.before)
        await expect.poll(current).toBe(last.id) // undo goes back to the item it restored
      } else {
        // Back two, forward one, and change that earlier item's verdict.
        await page.keyboard.press('ArrowLeft')
        await page.keyboard.press('ArrowLeft')
        await page.keyboard.press('ArrowRight')
        await expect.poll(position).toBe(Math.max(1, at - 1))
        const earlier = await current()
        await page.keyboard.press('2')
        record(earlier, { verdict: 'fail', note: model.get(earlier)?.note ?? '' })
        await expect.poll(position).toBe(Math.max(1, at - 1) + 1)
      }
    }
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All labels saved')
    const expected = new Map([...model].filter((entry): entry is [string, NonNullable<State>] => entry[1] !== null))
    const count = (v: string) => [...expected.values()].filter((s) => s.verdict === v).length
    const countsText = `${count('pass')} pass · ${count('fail')} fail · ${count('defer')} deferred`
    await expect.poll(() => page.getByTestId('label-counts').textContent()).toBe(countsText)
    await e2e.app.screenshot('labeling')

    // The Data table shows the new labels at once (the row of the last item labeled pass or fail).
    const [lastId, last] = [...expected].filter(([, st]) => st.verdict !== 'defer').at(-1)!
    await page.keyboard.press('Alt+2')
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('g')
    await page.keyboard.type(lastId)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-item-id')).toBe(lastId)
    await expect.poll(() => page.locator('.row.selected .c-verdict').first().textContent()).toBe(last.verdict)

    // A reload resumes the session with the same counts.
    await page.reload()
    await page.getByTestId('item-count').waitFor()
    await page.keyboard.press('Alt+3')
    await page.getByText(/Resume session \d+: Overall/).waitFor()
    // Deferred items are counted apart: they still need a verdict.
    expect(count('defer')).toBeGreaterThan(0)
    expect(await page.getByTestId('resume-progress').textContent()).toBe(
      `${count('pass') + count('fail')} of 100 labeled, ${count('defer')} deferred`,
    )
    await page.keyboard.press('r')
    await expect.poll(() => page.getByTestId('label-counts').textContent()).toBe(countsText)

    // The export holds exactly these labels for annotator e2e: verdicts and notes.
    const out = e2e.tmp.file('export.jsonl')
    execFileSync(process.execPath, [
      join(repoRoot, 'bin', 'assay.mjs'),
      'export',
      project,
      '--format',
      'jsonl',
      '--out',
      out,
    ])
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    const exported = new Map(
      rows
        .filter((r) => r['Overall.annotator'] === 'e2e')
        .map((r) => [r.id, { verdict: r['Overall.label'], note: r['Overall.note'] }]),
    )
    expect(exported).toEqual(expected)
    expect(labeled()).toBe(30)
    expect(await e2e.app.problems()).toEqual([])
  })

  it('follows the Prodigy preset, tags failure modes with t then a number, and lists the keys in the ? overlay', async () => {
    await startSession('prodigy-user', 'prodigy')
    const { page } = e2e.app
    const progress = page.getByTestId('label-progress')
    const counts = page.getByTestId('label-counts')

    await page.keyboard.press('a')
    await expect.poll(() => progress.textContent()).toBe('Item 2 of 100')
    await page.keyboard.press('x')
    await expect.poll(() => progress.textContent()).toBe('Item 3 of 100')
    const before = await page.getByTestId('item-view').locator('h2').textContent()
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByTestId('item-view').locator('h2').textContent()).not.toBe(before)
    await expect.poll(() => counts.textContent()).toBe('1 pass · 1 fail · 1 deferred')
    await page.keyboard.press('1') // the default preset's key does nothing here
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All labels saved')
    expect(await progress.textContent()).toBe('Item 3 of 100')

    // t, then 1: the first failure mode is tagged on this item (and saved).
    const firstMode = page.locator('.tags li').first().locator('input')
    expect(await firstMode.isChecked()).toBe(false)
    await page.keyboard.press('t')
    await page.locator('.tags.picking').waitFor()
    await page.keyboard.press('1')
    await expect.poll(() => firstMode.isChecked()).toBe(true)
    expect(await progress.textContent()).toBe('Item 3 of 100') // a tag is not a verdict

    await page.keyboard.press('?')
    const pass = page.getByRole('dialog').locator('tr', { hasText: 'Pass, then the next item' })
    await expect.poll(() => pass.locator('kbd').allTextContents()).toEqual(['a'])
    await page.keyboard.press('Escape')
    await e2e.app.screenshot('labeling-prodigy')
    expect(await e2e.app.problems()).toEqual([])
  })
})
