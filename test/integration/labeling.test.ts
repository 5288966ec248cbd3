import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EMPTY_MAPPING } from '../../shared/import'
import { writeDemoProject } from '../../electron/core/demo'
import type { Services } from '../../electron/core/services'
import { tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

describe('labeling sessions (core)', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  let project: string
  let tick = 0
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 200 })
    services = testServices(tmp.file('home'), { clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) })
    await call('project.open', { path: project })
    await call('settings.set', { annotator: 'ann' })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  const overall = async () => (await call('criteria.list', {})).find((c) => c.kind === 'overall')!

  it('orders a session deterministically from its seed, unlabeled items first', async () => {
    const c = await overall()
    const a = await call('sessions.create', { criterionId: c.id, order: 'unlabeled', seed: 5, size: 30 })
    const b = await call('sessions.create', { criterionId: c.id, order: 'unlabeled', seed: 5, size: 30 })
    const other = await call('sessions.create', { criterionId: c.id, order: 'unlabeled', seed: 6, size: 30 })
    expect(a.items.map((i) => i.id)).toEqual(b.items.map((i) => i.id))
    expect(a.items.map((i) => i.id)).not.toEqual(other.items.map((i) => i.id))
    expect(a.items).toHaveLength(30)
    expect(a.items.every((i) => i.label === null)).toBe(true)
    expect(a.settings.blind).toBe(true)
    expect((await call('sessions.latest', {}))!.id).toBe(other.id)
  })

  it('saves, defers to the end, and undoes back through history without deleting anything', async () => {
    const c = await overall()
    const s = await call('sessions.create', { criterionId: c.id, order: 'random', seed: 1, size: 5 })
    const [i1, i2, i3] = s.items.map((i) => i.id) as [number, number, number]
    const saved = await call('labels.save', { sessionId: s.id, itemId: i1, verdict: 'pass' })
    expect(saved.item.label).toMatchObject({ verdict: 'pass', note: '' })
    await call('labels.save', {
      sessionId: s.id,
      itemId: i1,
      verdict: 'fail',
      note: 'cites a recipe that does not exist',
    })
    const deferred = await call('labels.save', { sessionId: s.id, itemId: i2, verdict: 'defer' })
    expect(deferred.queue.at(-1)).toBe(i2)
    expect(deferred.queue).toHaveLength(5)
    await call('labels.save', { sessionId: s.id, itemId: i3, verdict: 'pass' })

    // Undo walks back: i3 cleared, i2 back to nothing, i1 back to pass, then cleared, then nothing left.
    expect((await call('labels.undo', { sessionId: s.id })).item).toMatchObject({ id: i3, label: null })
    expect((await call('labels.undo', { sessionId: s.id })).item).toMatchObject({ id: i2, label: null })
    expect((await call('labels.undo', { sessionId: s.id })).item).toMatchObject({
      id: i1,
      label: { verdict: 'pass', note: '' },
    })
    expect((await call('labels.undo', { sessionId: s.id })).item).toMatchObject({ id: i1, label: null })
    expect((await call('labels.undo', { sessionId: s.id })).item).toBeNull()

    const again = await call('sessions.get', { id: s.id })
    expect(again.items.map((i) => i.id).at(-1)).toBe(i2) // the defer's move stays
    const db = new Database(project, { readonly: true })
    expect(db.prepare('SELECT count(*) FROM labels WHERE session_id = ?').pluck().get(s.id)).toBe(8) // 4 saves + 4 undos
    db.close()
  })

  it('a changed definition makes a new version and flags older labels for re-review', async () => {
    const c = await overall()
    expect(c.stale).toBe(0)
    const updated = await call('criteria.update', {
      id: c.id,
      definition: 'The answer is correct, complete, and respects every stated constraint.',
    })
    expect(updated.version).toBe(c.version + 1)
    expect(updated.stale).toBe(
      c.labeled + (await call('items.list', { offset: 0, limit: 1, filter: { label: 'defer' } })).total,
    )
    const stale = await call('items.list', { offset: 0, limit: 1000, filter: { label: 'stale' } })
    expect(stale.total).toBe(updated.stale)
    const s = await call('sessions.create', { criterionId: c.id, order: 'stale', seed: 3, size: 10 })
    const item = s.items[0]
    expect(item.label).toBeNull() // the stale label is another annotator's; this one's state starts empty
    expect((await call('items.get', { id: item.id })).labels.some((l) => l.criterion === 'Overall')).toBe(true)
    await call('labels.save', { sessionId: s.id, itemId: item.id, verdict: 'pass' })
    expect((await overall()).stale).toBe(updated.stale - 1)
  })

  it('tags failure modes, counts saturation, and reports agreement for a blind self re-label', async () => {
    const c = await overall()
    const s = await call('sessions.create', { criterionId: c.id, order: 'unlabeled', seed: 2, size: 3 })
    expect(s.modes.map((m) => m.name)).toHaveLength(2)
    const before = s.saturation
    const tagged = await call('labels.tag', {
      sessionId: s.id,
      itemId: s.items[0].id,
      criterionId: s.modes[0].id,
      on: true,
    })
    expect(tagged.item.tags).toEqual([s.modes[0].id])
    await call('labels.save', { sessionId: s.id, itemId: s.items[0].id, verdict: 'fail' })
    expect(
      (await call('labels.tag', { sessionId: s.id, itemId: s.items[0].id, criterionId: s.modes[0].id, on: false })).item
        .tags,
    ).toEqual([])
    expect((await call('sessions.get', { id: s.id })).saturation.reviewed).toBe(before.reviewed + 1)

    // Re-label: only items this annotator labeled; the earlier verdicts are hidden (the state is empty).
    await call('settings.set', { annotator: 'demo-annotator' })
    const r = await call('sessions.create', { criterionId: c.id, order: 'relabel', seed: 1, size: 100 })
    expect(r.items.length).toBe(Math.round(c.labeled / 10))
    expect(r.items.every((i) => i.label === null)).toBe(true)
    for (const [n, item] of r.items.entries())
      await call('labels.save', { sessionId: r.id, itemId: item.id, verdict: n === 0 ? 'pass' : 'fail' })
    const rows = await call('criteria.agreement', { id: c.id })
    const self = rows.find((row) => row.b === 'demo-annotator (blind re-label)')!
    expect(self.n).toBe(r.items.length)
    expect(self.kappa).not.toBeNull()
  })

  it('an adjudication session holds exactly the items whose annotators disagree, and its label becomes the current one', async () => {
    const c = await overall()
    // The demo's two annotators disagree on a few items already.
    await call('settings.set', { annotator: 'lead' })
    const demo = (
      await call('sessions.create', { criterionId: c.id, order: 'adjudicate', seed: 1, size: 100 })
    ).items.map((i) => i.id)
    expect(demo.length).toBeGreaterThan(0)
    await call('settings.set', { annotator: 'ann' })
    // "ann" labels five demo-labeled items: two agree with demo-annotator, three do not.
    const s = await call('sessions.create', {
      criterionId: c.id,
      order: 'random',
      seed: 9,
      size: 1000,
      filter: { label: 'labeled', judge: 'any', dataset: null, metadata: null },
    })
    const picked = s.items.slice(0, 5)
    const demoVerdict = async (id: number) =>
      (await call('items.get', { id })).labels.find(
        (l) => l.criterion === 'Overall' && l.annotator === 'demo-annotator',
      )!.verdict
    const conflicts: number[] = []
    for (const [n, item] of picked.entries()) {
      const theirs = await demoVerdict(item.id)
      const mine = n < 2 ? theirs : theirs === 'pass' ? 'fail' : 'pass'
      if (mine !== theirs) conflicts.push(item.id)
      await call('labels.save', { sessionId: s.id, itemId: item.id, verdict: mine as 'pass' | 'fail' })
    }
    await call('settings.set', { annotator: 'lead' })
    const a = await call('sessions.create', { criterionId: c.id, order: 'adjudicate', seed: 1, size: 100 })
    expect(a.items.map((i) => i.id).sort()).toEqual([...new Set([...conflicts, ...demo])].sort())
    const [first] = a.items
    await call('labels.save', { sessionId: a.id, itemId: first.id, verdict: 'fail', note: 'adjudicated' })
    const row = (await call('items.list', { offset: 0, limit: 1, search: first.externalId })).rows[0]
    expect(row.label).toBe('fail')
    const k = (await call('criteria.agreement', { id: c.id })).find((r) => r.a === 'ann' && r.b === 'demo-annotator')!
    expect(k.n).toBe(5)
    expect(k.observed).toBeCloseTo(2 / 5)
  })

  it('a step-level session labels a criterion of its own, only on items with that step', async () => {
    const c = await overall()
    const s = await call('sessions.create', { criterionId: c.id, step: 'retrieve', order: 'random', seed: 1, size: 20 })
    expect(s.criterion).toMatchObject({ name: 'Overall · retrieve', step: 'retrieve', kind: 'failure_mode' })
    const item = await call('items.get', { id: s.items[0].id })
    expect(item.steps.map((x) => x.name)).toContain('retrieve')
    await call('labels.save', { sessionId: s.id, itemId: item.id, verdict: 'fail', firstFailingStep: 1 })
    // The trace-level Overall label of that item is untouched, and step criteria are not taxonomy tags.
    expect((await overall()).labeled).toBe(c.labeled)
    expect(s.modes.every((m) => !m.name.includes('·'))).toBe(true)
  })

  it('a label saved during an import waits for it instead of failing, and both land', async () => {
    const c = await overall()
    const s = await call('sessions.create', { criterionId: c.id, order: 'random', seed: 1, size: 3 })
    const csv = tmp.file('big.csv')
    writeFileSync(
      csv,
      `id,query,response\n${Array.from({ length: 40_000 }, (_, i) => `imp-${i},question ${i},answer ${i}`).join('\n')}\n`,
    )
    // The import streams on this same thread and holds the write lock until it commits: a save
    // that did not wait would block the thread in SQLite's busy timeout, then fail with SQLITE_BUSY.
    const imported = call('import.run', {
      path: csv,
      format: 'csv',
      mapping: { ...EMPTY_MAPPING, id: 'id', input: 'query', output: 'response' },
      onError: 'abort',
      duplicates: 'abort',
    })
    const saved = call('labels.save', { sessionId: s.id, itemId: s.items[0].id, verdict: 'pass' })
    const [report, label] = await Promise.all([imported, saved])
    expect(report.committed).toBe(true)
    expect(report.imported).toBe(40_000)
    expect(label.item.label?.verdict).toBe('pass')
  })

  it("imports another annotator's labels under their name, and agreement with them shows at once", async () => {
    const c = await overall()
    const labeled = await call('items.list', {
      offset: 0,
      limit: 40,
      filter: { label: 'labeled', judge: 'any', dataset: null, metadata: null },
    })
    // Alice agrees on the first 30 items and disagrees on the last 10.
    const rows = labeled.rows.map(
      (r, n) => `${r.externalId},${n < 30 ? r.label : r.label === 'pass' ? 'fail' : 'pass'}`,
    )
    const csv = tmp.file('alice.csv')
    writeFileSync(csv, `id,verdict\n${rows.join('\n')}\n`)
    const mapping = {
      ...EMPTY_MAPPING,
      id: 'id',
      labels: [{ field: 'verdict', criterion: 'Overall', note: null, annotator: 'alice' }],
    }
    expect(
      await call('import.run', { path: csv, format: 'csv', mapping, onError: 'abort', duplicates: 'abort' }),
    ).toMatchObject({ committed: true })
    const k = (await call('criteria.agreement', { id: c.id })).find((r) => r.a === 'alice' && r.b === 'demo-annotator')!
    expect(k).toMatchObject({ n: 40, observed: 0.75 })
    expect(k.lower!).toBeLessThan(k.kappa!)
  })

  it('κ = 1 on 9 items is shown with an interval that says how little 9 items prove, not [1, 1]', async () => {
    const c = await overall()
    const labeled = await call('items.list', {
      offset: 0,
      limit: 9,
      filter: { label: 'labeled', judge: 'any', dataset: null, metadata: null },
    })
    const csv = tmp.file('bob.csv')
    writeFileSync(csv, `id,verdict\n${labeled.rows.map((r) => `${r.externalId},${r.label}`).join('\n')}\n`)
    const mapping = {
      ...EMPTY_MAPPING,
      id: 'id',
      labels: [{ field: 'verdict', criterion: 'Overall', note: null, annotator: 'bob' }],
    }
    expect(
      await call('import.run', { path: csv, format: 'csv', mapping, onError: 'abort', duplicates: 'abort' }),
    ).toMatchObject({ committed: true })
    const k = (await call('criteria.agreement', { id: c.id })).find((r) => r.a === 'bob' || r.b === 'bob')!
    expect(k).toMatchObject({ n: 9, observed: 1, kappa: 1, upper: 1 })
    // 0 disagreements in 9 items: the Clopper–Pearson upper bound of the disagreement rate is
    // 1 − 0.025^(1/9); divided by the disagreement expected by chance, it bounds κ from below.
    const pass = k.cells.tp / 9
    const chance = 2 * pass * (1 - pass)
    expect(chance).toBeGreaterThan(0) // the 9 items hold both verdicts
    expect(k.lower!).toBeCloseTo(1 - (1 - 0.025 ** (1 / 9)) / chance, 9)
    expect(k.lower!).toBeLessThan(0.6)
  })

  it('refuses an empty session with the reason', async () => {
    const c = await overall()
    await expect(call('sessions.create', { criterionId: c.id, search: 'no such text anywhere' })).rejects.toThrow(
      /would be empty: no item matches/,
    )
    await expect(call('sessions.create', { criterionId: c.id, order: 'stratified-metadata' })).rejects.toThrow(
      /metadata field/,
    )
  })
})
