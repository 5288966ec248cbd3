/**
 * Export from the app (File → Export… in the desktop app; `e` on the Data screen in both
 * shells): the files saved are those of `assay export`, for the current labels, the label history
 * and judgy's arrays under the chosen error policy.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { runImport } from '../../electron/core/import/run'
import { EMPTY_MAPPING } from '../../shared/import'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { chosenShell, homeWithAnnotator, launchApp, type AppDriver } from './driver'

describe('Export from the app', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  beforeEach(() => (tmp = tempDir('assay-e2e-export-')))
  afterEach(async () => {
    await app?.close()
    app = null
    tmp.cleanup()
  })

  /** A project of 12 labeled test items and 5 production items, with a judge that gave 3 error verdicts. */
  async function project(): Promise<string> {
    const path = tmp.file('evals.assay')
    openProject(path, { mode: 'create' }).db.close()
    const rows = ['id,question,answer,label,note,verdict,split']
    for (let i = 0; i < 7; i++)
      rows.push(`p${i},"Question ${i}?","Answer, ${i}",PASS,,${i === 0 ? 'UNKNOWN' : 'PASS'},test`)
    for (let i = 0; i < 5; i++)
      rows.push(
        `f${i},"Question f${i}?","Wrong ""answer"" ${i}",FAIL,"first failure: ${i}",${i === 0 ? 'PASS' : 'FAIL'},test`,
      )
    for (let i = 0; i < 5; i++) rows.push(`u${i},"Prod ${i}?","Prod answer ${i}",,,${i < 2 ? 'UNKNOWN' : 'PASS'},`)
    const csv = tmp.file('evals.csv')
    writeFileSync(csv, `${rows.join('\n')}\n`)
    const mapping = {
      ...EMPTY_MAPPING,
      id: 'id',
      input: 'question',
      output: 'answer',
      labels: [{ field: 'label', criterion: 'Overall', note: 'note', annotator: 'course' }],
      verdicts: [{ field: 'verdict', judge: 'course judge', criterion: 'Overall', critique: null }],
      splits: [{ field: 'split', criterion: 'Overall' }],
    }
    expect(
      await runImport(path, { file: csv, format: 'csv', mapping, onError: 'abort', duplicates: 'abort' }),
    ).toMatchObject({ committed: true, imported: 17 })
    return path
  }

  // In the desktop shell the file goes through the native save dialog, which a test cannot drive:
  // test/unit/menu.test.ts covers that path (electron mocked), test/integration/export-app.test.ts the files.
  it.skipIf(chosenShell() === 'electron')(
    'saves items as CSV, the history as JSON Lines and judgy arrays with errors as Fail — each the file `assay export` writes',
    async () => {
      const path = await project()
      app = await launchApp({ home: homeWithAnnotator(tmp.file('home'), 'exporter'), project: path })
      const { page } = app
      await page.getByTestId('item-count').waitFor()

      const save = async (): Promise<{ name: string; text: string }> => {
        const download = page.waitForEvent('download')
        await page.keyboard.press('Control+Enter')
        const file = await download
        const to = tmp.file(`saved-${file.suggestedFilename()}`)
        await file.saveAs(to)
        return { name: file.suggestedFilename(), text: readFileSync(to, 'utf8') }
      }
      const cli = async (...args: string[]) => {
        const out = tmp.file(`cli-${args.join('_').replace(/\W+/g, '-')}`)
        const run = await runCli(['export', path, ...args, '--out', out], tmp.dir)
        expect(run.code).toBe(0)
        return { text: readFileSync(out, 'utf8'), stderr: run.stderr }
      }

      // e on the Data screen: the dialog, items as CSV by default.
      await page.keyboard.press('e')
      const dialog = page.getByRole('dialog', { name: 'Export' })
      await dialog.waitFor()
      // The dialog is modal for keys: j does not move the table behind it.
      await page.keyboard.press('j')
      expect(await page.getByTestId('item-count').textContent()).toBe('Item 1 of 17')
      const items = await save()
      expect(items.name).toBe('evals-items.csv')
      expect(items.text).toBe((await cli()).text)

      // The history as JSON Lines.
      await page.getByRole('radio', { name: /full label history/ }).check()
      await page.getByTestId('export-format').selectOption('jsonl')
      const history = await save()
      expect(history.name).toBe('evals-label-history.jsonl')
      expect(history.text).toBe((await cli('--history', '--format', 'jsonl')).text)
      expect(history.text.trim().split('\n')).toHaveLength(12)

      // judgy's arrays, error verdicts counted as Fail (the course's convention).
      await page.getByRole('radio', { name: /judgy's arrays/ }).check()
      await page.getByTestId('export-errors').selectOption('fail')
      const judgy = await save()
      const expected = await cli('--judgy', '--judge', 'course judge', '--errors', 'fail')
      expect(judgy.name).toBe('evals-judgy-course judge.json')
      expect(judgy.text).toBe(expected.text)
      expect(JSON.parse(judgy.text)).toEqual({
        test_labels: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
        test_preds: [0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
        unlabeled_preds: [0, 0, 1, 1, 1],
      })
      await expect
        .poll(() => page.getByTestId('export-status').textContent())
        .toBe(`Downloading evals-judgy-course judge.json (your browser saves it). ${expected.stderr.trim()}`)
      expect(expected.stderr.trim()).toBe(
        'Wrote 3 error verdicts as 0 (1 on human-Pass test items, 0 on human-Fail test items, 2 in production).',
      )

      await page.keyboard.press('Escape')
      await expect.poll(() => dialog.count()).toBe(0)
      expect(await app.problems()).toEqual([])
    },
    60_000,
  )
})
