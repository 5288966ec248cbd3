import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRepos } from '../../electron/core/db/repos'
import { writeDemoProject } from '../../electron/core/demo'
import { scribble } from '../helpers/damage'
import { judgeProject } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'
import { readOnlyView, type ReadOnlyView } from '../helpers/read-only'
import { launchApp, type AppDriver } from './driver'

/**
 * What the user sees of a project that cannot be written (a banner that says why and what to do;
 * the Label screen and the import wizard say why they are off) and of a damaged one (the refusal
 * with the path and what to do, never "Unexpected error"; no project left open).
 */
describe('read-only and damaged projects in the app', () => {
  let tmp: ReturnType<typeof tempDir>
  let app: AppDriver | null = null
  let view: ReadOnlyView | null = null

  beforeEach(() => {
    tmp = tempDir('assay-e2e-ro-')
  })
  afterEach(async () => {
    await app?.close()
    app = null
    view?.release()
    view = null
    tmp.cleanup()
  })

  it('a read-only project: the banner says why and what to do; labeling and importing say why they are off', async () => {
    mkdirSync(tmp.file('projects'))
    mkdirSync(tmp.file('mnt'))
    writeDemoProject(tmp.file('projects/demo.assay'), { unlabeled: 100 })
    view = readOnlyView(tmp.file('projects'), tmp.file('mnt'))
    const project = join(view.dir, 'demo.assay')
    app = await launchApp({ home: tmp.file('home'), project })
    const { page } = app

    const banner = page.getByTestId('readonly-banner')
    await expect.poll(() => banner.textContent()).toContain(`Read-only. ${project} is read-only: `)
    expect(await banner.textContent()).toContain(
      'labels, imports, judge runs and other changes cannot be saved. To change it, ',
    )
    expect(await page.getByTestId('project-name').textContent()).toContain('read-only')
    await page.locator('[data-item-id="chat-00001"]').waitFor() // reading works

    await page.keyboard.press('Alt+3')
    await expect
      .poll(() => page.getByTestId('readonly-notice').textContent())
      .toContain('Labeling is off: the project is read-only.')
    await app.screenshot('read-only-label')
    await page.keyboard.press('Alt+2')
    await page.locator('[data-item-id="chat-00001"]').waitFor()
    await page.keyboard.press('i')
    await expect
      .poll(() => page.getByTestId('readonly-notice').textContent())
      .toContain('Importing is off: the project is read-only.')
    expect(await app.problems()).toEqual([])
  })

  it('a damaged project: refused with the path and what to do, or closed when the background check finds it; never left open', async () => {
    const refused = tmp.file('refused.assay')
    judgeProject(refused, [{ id: 'a', input: 'question', label: 'pass' }]).db.close()
    scribble(refused, 'items') // opening reads these pages (it counts the labeled items)
    const firstRead = tmp.file('first-read.assay')
    judgeProject(firstRead, [{ id: 'a', input: 'question' }]).db.close()
    scribble(firstRead, 'items') // opening does not read these (it counts items by an index); the first page of items does
    const late = tmp.file('late.assay')
    const { db } = judgeProject(late, [{ id: 'a', input: 'question' }])
    const repos = createRepos(db)
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) repos.project.log('note', 'x'.repeat(200), '2026-12-01T00:00:00Z')
    })()
    db.close()
    scribble(late, 'events', { pagetype: 'leaf', pick: (pages) => pages.slice(10, 14) }) // only the integrity check reads these

    app = await launchApp({ home: tmp.file('home') })
    const { page } = app
    await page.locator('.start-recent').waitFor()
    const alert = page.locator('[role=alert]')
    const open = async (path: string) => {
      await page.keyboard.press('o')
      await page.getByPlaceholder('/home/me/evals/recipes.assay').fill(path)
      await page.keyboard.press('Enter')
    }

    await open(refused)
    await expect
      .poll(() => alert.textContent())
      .toMatch(
        new RegExp(
          `^${refused.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is damaged|failed SQLite's integrity check) \\(.+\\)\\. Restore it from a backup`,
        ),
      )
    expect(await page.getByTestId('project-name').textContent()).toBe('No project open')
    await app.screenshot('damaged-refused')

    await page.locator('.path-form button', { hasText: 'Cancel' }).click()
    await page.locator('.error-banner button').click()
    await open(firstRead)
    await expect
      .poll(() => alert.textContent())
      .toContain(`${firstRead} is damaged (database disk image is malformed). Restore it from a backup`)
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('No project open')

    await page.locator('.error-banner button').click()
    await open(late)
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('late') // it opens…
    await expect
      .poll(() => alert.textContent(), { timeout: 20_000 })
      .toContain(`${late} failed SQLite's integrity check (`) // …until the check finds the damage
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('No project open')
    expect(await page.locator('.start-recent').textContent()).toContain('None yet.')
    expect(app.errors).toEqual([])
  })
})
