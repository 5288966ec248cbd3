import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { humanize } from '../../electron/core/import/mapping/suggest-judgements'
import type { Services } from '../../electron/core/services'
import { hasShared, repoRoot, tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

const dataDir = resolve(repoRoot, '../shared/data')

describe('failure taxonomy (axial coding)', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    services = testServices(tmp.file('home'))
    await call('settings.set', { annotator: 'ann' })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  const importFile = async (path: string) => {
    const { detected, mapping } = await call('import.detect', { path })
    const report = await call('import.run', {
      path,
      format: detected.format,
      delimiter: detected.delimiter,
      mapping,
      onError: 'abort',
      duplicates: 'abort',
    })
    expect(report).toMatchObject({ committed: true, errorCount: 0 })
  }

  it('counts the demo taxonomy, creates a mode from notes, splits, merges, renames and deletes, keeping history', async () => {
    const demo = tmp.file('demo.assay')
    writeDemoProject(demo)
    await call('project.open', { path: demo })
    const before = await call('taxonomy.get', {})
    expect(before.reviewed).toBe(120)
    const diet = before.modes.find((m) => m.name === 'Ignores dietary constraint')!
    expect(diet.count).toBe(diet.itemIds.length)
    expect(diet.rate.estimate).toBeCloseTo(diet.count / 120)
    expect(diet.rate.lower).toBeLessThan(diet.rate.estimate!)
    // The co-occurrence matrix follows the Pareto order; its diagonal is each mode's count.
    expect(before.modes.map((m) => m.count)).toEqual([...before.modes.map((m) => m.count)].sort((a, b) => b - a))
    expect(before.modes.map((_, i) => before.cooccurrence[i][i])).toEqual(before.modes.map((m) => m.count))

    // A mode from the notes that mention a non-existent source.
    const notes = await call('notes.list', {})
    // Traces, once each: a trace may carry the notes of two annotators.
    const cites = [...new Set(notes.filter((n) => n.note.includes('does not exist')).map((n) => n.itemId))]
    expect(cites.length).toBeGreaterThan(0)
    const { id: hallucination } = await call('modes.create', {
      name: 'Cites a missing source',
      definition: 'The answer cites a source that does not exist.',
      itemIds: cites,
    })
    let t = await call('taxonomy.get', {})
    expect(t.modes.find((m) => m.id === hallucination)!.count).toBe(cites.length)
    expect(
      [
        ...new Set((await call('notes.list', {})).filter((n) => n.modes.includes(hallucination)).map((n) => n.itemId)),
      ].sort(),
    ).toEqual([...cites].sort())
    await expect(call('modes.create', { name: 'Cites a missing source' })).rejects.toThrow(/already exists/)

    // Split one trace off into a new mode, then merge it back; rename; assign by hand; delete.
    const { id: other } = await call('modes.create', { name: 'Invents a year', definition: '' })
    await call('modes.move', { itemIds: [cites[0]], from: hallucination, to: other })
    t = await call('taxonomy.get', {})
    expect(t.modes.find((m) => m.id === hallucination)!.count).toBe(cites.length - 1)
    expect(t.modes.find((m) => m.id === other)!.count).toBe(1)
    await call('modes.merge', { from: other, into: hallucination })
    t = await call('taxonomy.get', {})
    expect(t.modes.find((m) => m.id === other)).toBeUndefined()
    expect(t.modes.find((m) => m.id === hallucination)!.count).toBe(cites.length)
    // Examples: pinned on the definition's latest version without making a new version.
    const absent = notes.find((n) => !cites.includes(n.itemId))!.itemId
    await call('modes.example', { modeId: hallucination, itemId: cites[0], kind: 'fail', on: true })
    await call('modes.example', { modeId: hallucination, itemId: absent, kind: 'pass', on: true })
    t = await call('taxonomy.get', {})
    const pinned = t.modes.find((m) => m.id === hallucination)!
    expect(pinned.examples.map((e) => [e.kind, e.itemId])).toEqual([
      ['pass', absent],
      ['fail', cites[0]],
    ])
    expect(pinned.version).toBe(1)
    await call('modes.example', { modeId: hallucination, itemId: absent, kind: 'pass', on: false })
    expect(
      (await call('taxonomy.get', {})).modes.find((m) => m.id === hallucination)!.examples.map((e) => e.itemId),
    ).toEqual([cites[0]])
    await call('modes.rename', { id: hallucination, name: 'Hallucinated citation' })
    await call('modes.assign', { itemId: cites[0], modeId: hallucination, on: false })
    t = await call('taxonomy.get', { pivot: 'topic' })
    expect(t.modes.find((m) => m.id === hallucination)).toMatchObject({
      name: 'Hallucinated citation',
      count: cites.length - 1,
    })
    // The pivot splits the reviewed traces by topic; chat traces have no topic.
    expect(t.pivot!.values.reduce((n, v) => n + v.reviewed, 0)).toBe(t.reviewed)
    expect(t.pivot!.values.some((v) => v.value === '(none)')).toBe(true)
    await call('modes.delete', { id: hallucination })
    expect((await call('taxonomy.get', {})).modes.find((m) => m.id === hallucination)).toBeUndefined()
    // The name is free again; nothing was deleted from the label history.
    await call('modes.create', { name: 'Hallucinated citation' })
  })

  it('builds the pipeline transition matrix from first failing steps', async () => {
    const demo = tmp.file('demo.assay')
    writeDemoProject(demo)
    await call('project.open', { path: demo })
    const overall = (await call('criteria.list', {})).find((c) => c.kind === 'overall')!
    // Unlabeled pipelines, so that the demo's own marks stay as they are.
    const s = await call('sessions.create', {
      criterionId: overall.id,
      order: 'random',
      seed: 1,
      size: 100_000,
      search: 'pipe-',
      filter: { label: 'unlabeled', judge: 'any', dataset: null, metadata: null },
    })
    const before = (await call('taxonomy.get', {})).transitions
    const count = (t: typeof before, from: string, to: string) =>
      t.cells.find((c) => c.lastSuccess === from && c.firstFailure === to)?.count ?? 0
    const [a, b, c, d] = s.items
    await call('labels.save', { sessionId: s.id, itemId: a.id, verdict: 'fail', firstFailingStep: 1 })
    await call('labels.save', { sessionId: s.id, itemId: b.id, verdict: 'fail', firstFailingStep: 1 })
    await call('labels.save', { sessionId: s.id, itemId: c.id, verdict: 'fail', firstFailingStep: 0 })
    await call('labels.save', { sessionId: s.id, itemId: d.id, verdict: 'fail' }) // no step marked: not in the matrix
    const { transitions } = await call('taxonomy.get', {})
    expect(count(transitions, 'decompose', 'retrieve')).toBe(count(before, 'decompose', 'retrieve') + 2)
    expect(count(transitions, '(start)', 'decompose')).toBe(count(before, '(start)', 'decompose') + 1)
    expect(transitions.cells.find((x) => x.firstFailure === 'retrieve')!.itemIds).toEqual(
      expect.arrayContaining([a.id, b.id]),
    )
    expect(transitions).toMatchObject({
      failed: before.failed + 3,
      unmarked: before.unmarked + 1,
      orderSource: 'steps',
    })
    expect(transitions.states.map((st) => [st.state, st.firstFailures])).toEqual([
      ['decompose', count(transitions, '(start)', 'decompose')],
      ['retrieve', count(transitions, 'decompose', 'retrieve')],
      ['extract', count(transitions, 'retrieve', 'extract')],
    ])
    const retrieve = transitions.steps.find((st) => st.step === 'retrieve')!
    const was = before.steps.find((st) => st.step === 'retrieve')!
    expect(retrieve.reached - retrieve.passed).toBe(was.reached - was.passed + 2)
  })

  const nathan = resolve(dataDir, 'NathanNam-recipe-chatbot/homeworks/hw2')
  it.skipIf(!hasShared('data'))(
    'NathanNam: the failure-mode columns import and count exactly as failure_mode_frequency.csv',
    async () => {
      await call('project.create', { path: tmp.file('nathan.assay') })
      await importFile(resolve(nathan, 'results_20251011_123314_failure_modes.csv'))
      const t = await call('taxonomy.get', {})
      expect(t.reviewed).toBe(100)
      const expected = readFileSync(resolve(nathan, 'failure_mode_frequency.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
      for (const [column, count, percent] of expected) {
        const mode = t.modes.find((m) => m.name === humanize(column)) // the importer's name for a 0/1 column
        expect(mode, `mode for ${column}`).toBeDefined()
        expect(mode!.count).toBe(Number(count))
        expect(mode!.rate.estimate! * 100).toBeCloseTo(Number(percent), 6)
      }
      // Its notes are on the board: the 12 real notes and the "No errors" ones.
      await importFile(resolve(nathan, 'results_20251011_123314_open_code_notes.csv'))
      expect((await call('notes.list', {})).some((n) => n.note.includes('15 minutes'))).toBe(true)
    },
  )

  const zach = resolve(dataDir, 'zachmayer-recipe-chatbot/homeworks/hw2/error_analysis_spreadsheet.csv')
  it.skipIf(!hasShared('data'))(
    'zachmayer: open codes become notes and the 0/1 axial columns count as in its README',
    async () => {
      await call('project.create', { path: tmp.file('zach.assay') })
      await importFile(zach)
      const t = await call('taxonomy.get', {})
      const counts = Object.fromEntries(t.modes.map((m) => [m.name, m.count]))
      const readme = {
        MissingResponseContent: 1,
        SafetyRequirementIgnored: 9,
        DietaryConstraintViolation: 1,
        LackOfDemographicAdaptation: 3,
        InconsistentPersonaIntro: 2,
      }
      expect(counts).toEqual(Object.fromEntries(Object.entries(readme).map(([column, n]) => [humanize(column), n])))
      expect(t.reviewed).toBe(20)
      expect((await call('notes.list', {})).some((n) => n.note.includes('Boilerplate Persona'))).toBe(true)
    },
  )
})
