/**
 * The test lock in the item views is live (issue 16): when a version's test results are shown
 * (Calibrate `t`, the Judges screen, a report), the core tells every window once with a
 * `test.revealed` event, and the Data table's rows that said `hidden` show the verdict.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../electron/core/services'
import { writeDemoProject } from '../../electron/core/demo'
import { type AnyEvent } from '../../shared/contract'
import { tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

describe('revealing test results', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  let events: AnyEvent[]
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    const project = tmp.file('demo.assay')
    writeDemoProject(project)
    events = []
    services = testServices(tmp.file('home'), { emit: (event) => void events.push(event) })
    await call('project.open', { path: project })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  /** The Data table's judge column, every page. */
  const judgeColumn = async () => {
    const column: (string | null)[] = []
    for (let total = Infinity; column.length < total;) {
      const page = await call('items.list', { offset: column.length, limit: 1000 })
      total = page.total
      column.push(...page.rows.map((r) => r.judge))
    }
    return column
  }
  const reveals = () => events.filter((e) => e.name === 'test.revealed')

  it('is announced once, on the first showing, and the item views show the verdicts from then on', async () => {
    const before = await judgeColumn()
    const hidden = before.filter((v) => v === 'hidden').length
    expect(hidden).toBeGreaterThan(10) // the demo's test split
    const [choice] = await call('calibrate.choices', {})
    await call('calibrate.get', { versionId: choice.versionId })
    expect(reveals()).toEqual([]) // looking at Calibrate without t reveals nothing

    await call('calibrate.get', { versionId: choice.versionId, revealTest: true })
    expect(reveals()).toEqual([{ name: 'test.revealed', payload: { versionId: choice.versionId } }])
    const after = await judgeColumn()
    expect(after.filter((v) => v === 'hidden')).toEqual([])
    expect(
      after.filter((v, i) => before[i] === 'hidden' && (v === 'pass' || v === 'fail' || v === 'error')),
    ).toHaveLength(hidden)

    // Shown again (t again, the Judges screen, a report): nothing new to announce.
    await call('calibrate.get', { versionId: choice.versionId, revealTest: true })
    await call('report.get', {})
    expect(reveals()).toHaveLength(1)
  })

  it('is announced when a report is the first to show them', async () => {
    await call('report.get', {})
    expect(reveals()).toHaveLength(1)
    expect((await judgeColumn()).filter((v) => v === 'hidden')).toEqual([])
  })
})
