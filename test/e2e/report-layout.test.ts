/**
 * The saved HTML report in Chromium (issue 16): an item id in a table is never split across
 * lines (`chat-001` | `52`), however narrow the page; the long note and critique beside it wrap.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildReport } from '../../electron/core/report/build'
import { reportProject } from '../helpers/report-project'
import { repoRoot, tempDir } from '../helpers/paths'
import { CHROMIUM_ARGS } from './driver'

describe('report layout', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-e2e-')))
  afterEach(() => tmp.cleanup())

  it('keeps every item id of the disagreements table on one line at 480 px', async () => {
    const path = tmp.file('p.assay')
    const d = reportProject(path, {
      splits: ['dev', 'test', 'unlabeled'],
      note: 'The answer invents a study that does not exist, then builds the whole recipe on it, and the portions are wrong too.',
    })
    const data = buildReport(d, { projectPath: path, appVersion: '9.9.9' })
    d.db.close()
    expect(data.judges[0].disagreements.length).toBeGreaterThan(0)
    // The HTML as `assay report` saves it (under vitest, the report's CSS is not inlined).
    const file = tmp.file('report.html')
    execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), 'report', path, '--format', 'html', '--out', file])

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    })
    try {
      const page = await browser.newPage({ viewport: { width: 480, height: 900 } })
      await page.goto(pathToFileURL(file).href)
      const ids = page.locator('section.judge table td code')
      expect(await ids.count()).toBe(data.judges[0].disagreements.length)
      // An inline element that wraps has one client rect per line.
      const lines = await ids.evaluateAll((codes) => codes.map((c) => [c.textContent, c.getClientRects().length]))
      expect(lines).toEqual(data.judges[0].disagreements.map((x) => [x.externalId, 1]))
      // The prose beside them does wrap.
      const note = page.locator('section.judge table td', { hasText: 'invents a study' }).first()
      expect(await note.evaluate((td) => td.getBoundingClientRect().height)).toBeGreaterThan(40)
    } finally {
      await browser.close()
    }
  }, 60_000)
})
