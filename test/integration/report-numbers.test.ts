/**
 * The report says what was measured and nothing it was not (issue 16): a split the judge never
 * ran on is named as not run instead of an all-zero matrix with "TPR — [0.0%, 100.0%] n=0", a
 * rate without items says why, and a missing estimate is explained once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildReport } from '../../electron/core/report/build'
import { reportHtml, reportMarkdown } from '../../electron/core/report/render'
import { reportProject } from '../helpers/report-project'
import { tempDir } from '../helpers/paths'

const count = (text: string, needle: string) => text.split(needle).length - 1

describe('the report of a judge measured on some splits only', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  it('names the never-run train split instead of drawing its empty matrix, and gives the missing estimate its reason once', () => {
    const path = tmp.file('p.assay')
    const d = reportProject(path, { splits: ['dev', 'unlabeled'] })
    const data = buildReport(d, { projectPath: path, appVersion: '9.9.9' })
    d.db.close()
    const j = data.judges[0]
    expect(j.estimate).toBeNull()
    expect(j.refusal).toBe(
      'Version 1 has no verdicts on the test split yet: run it on test (Judges screen, once the judge is final) to measure TPR and TNR.',
    )
    for (const text of [reportHtml(data), reportMarkdown(data)]) {
      expect(count(text, 'has no verdicts on the test split yet')).toBe(1)
      expect(text).toContain('train split: not run by this version (4 labeled items without a verdict).')
      expect(text).not.toContain('n=0')
      expect(text).not.toContain('[0.0%, 100.0%]')
      expect(text).toContain('TPR 80.0% [')
    }
    expect(count(reportHtml(data), '<caption>')).toBe(1) // dev only
  })

  it('says why a rate has no value instead of printing its empty interval', () => {
    const path = tmp.file('p.assay')
    const d = reportProject(path, { splits: ['dev', 'test', 'unlabeled'] })
    // Every human-Fail dev item becomes a Pass: the dev split has no human-Fail item.
    d.db
      .prepare("UPDATE labels SET verdict = 'pass' WHERE item_id IN (SELECT item_id FROM splits WHERE split = 'dev')")
      .run()
    const data = buildReport(d, { projectPath: path, appVersion: '9.9.9' })
    d.db.close()
    const md = reportMarkdown(data)
    expect(md).toMatch(/\*\*dev split\*\*[\s\S]*TNR — \(no human-Fail item with a pass\/fail verdict\)/)
    expect(md).not.toContain('n=0')
    expect(data.judges[0].estimate).not.toBeNull()
  })
})
