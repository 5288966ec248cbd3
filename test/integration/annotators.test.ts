/**
 * Two annotators on one project of their own traces: a session's queue is per annotator, so an
 * item the other one labeled says so ("labeled fail by ann"), the setup counts what is unlabeled
 * by me and by anyone, and every annotator's note stays on the notes board.
 */
import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../electron/core/services'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

describe('annotators see each other', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  let tick = 0
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    writeFileSync(
      tmp.file('traces.jsonl'),
      Array.from({ length: 12 }, (_, i) =>
        JSON.stringify({
          id: `t-${String(i + 1).padStart(2, '0')}`,
          input: `Question ${i + 1}`,
          output: `Answer ${i + 1}`,
        }),
      ).join('\n'),
    )
    expect((await runCli(['import', 'p.assay', 'traces.jsonl'], tmp.dir)).code).toBe(0)
    services = testServices(tmp.file('home'), { clock: () => new Date(Date.UTC(2026, 2, 1, 0, 0, tick++)) })
    await call('project.open', { path: tmp.file('p.assay') })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it("counts unlabeled by me and by anyone, shows the other annotator's label in a session, and keeps both notes", async () => {
    const [overall] = await call('criteria.list', {})
    const all = { criterionId: overall.id, step: null }
    await call('settings.set', { annotator: 'ann' })
    const a = await call('sessions.create', { criterionId: overall.id, order: 'random', seed: 3, size: 12 })
    const [i1, i2, i3, i4] = a.items.map((i) => i.id) as [number, number, number, number]
    await call('labels.save', { sessionId: a.id, itemId: i1, verdict: 'fail', note: 'ann: answers another question' })
    await call('labels.save', { sessionId: a.id, itemId: i2, verdict: 'fail', note: 'ann: made-up number' })
    await call('labels.save', { sessionId: a.id, itemId: i3, verdict: 'pass', note: '' })
    await call('labels.save', { sessionId: a.id, itemId: i4, verdict: 'defer', note: '' })
    // A deferred item is not labeled yet: it counts as unlabeled, by ann and by anyone.
    expect(await call('sessions.counts', all)).toEqual({
      annotator: 'ann',
      items: 12,
      unlabeledByAnyone: 9,
      unlabeledByMe: 9,
    })

    await call('settings.set', { annotator: 'bob' })
    expect(await call('sessions.counts', all)).toEqual({
      annotator: 'bob',
      items: 12,
      unlabeledByAnyone: 9,
      unlabeledByMe: 12,
    })
    expect(await call('sessions.counts', { ...all, ids: [i1, i2, a.items[6].id] })).toMatchObject({
      items: 3,
      unlabeledByAnyone: 1,
      unlabeledByMe: 3,
    })

    // Unlabeled by anyone: ann's three pass/fail items come last. Unlabeled by me: every item is bob's to label.
    const anyone = await call('sessions.create', { criterionId: overall.id, order: 'unlabeled', seed: 1, size: 9 })
    expect(anyone.items.map((i) => i.id)).not.toContain(i1)
    expect(anyone.items.filter((i) => [i1, i2, i3].includes(i.id))).toEqual([])
    const mine = await call('sessions.create', { criterionId: overall.id, order: 'unlabeled-mine', seed: 1, size: 12 })
    expect(mine.items).toHaveLength(12)
    const byId = new Map(mine.items.map((i) => [i.id, i]))
    expect(byId.get(i1)).toMatchObject({
      label: null,
      others: [{ annotator: 'ann', verdict: 'fail', note: 'ann: answers another question' }],
    })
    expect(byId.get(i3)!.others).toEqual([{ annotator: 'ann', verdict: 'pass', note: '' }])
    expect(byId.get(i4)!.others).toEqual([{ annotator: 'ann', verdict: 'defer', note: '' }])
    expect(mine.items.filter((i) => i.others.length > 0)).toHaveLength(4)

    // Bob's label joins ann's: both stay visible, in the session and on the notes board.
    const saved = await call('labels.save', {
      sessionId: mine.id,
      itemId: i1,
      verdict: 'pass',
      note: 'bob: fine, the question was ambiguous',
    })
    expect(saved.item).toMatchObject({
      label: { verdict: 'pass', note: 'bob: fine, the question was ambiguous' },
      others: [{ annotator: 'ann', verdict: 'fail' }],
    })
    const notes = (await call('notes.list', {}))
      .filter((n) => n.itemId === i1)
      .map((n) => [n.annotator, n.verdict, n.note])
    expect(notes).toEqual([
      ['ann', 'fail', 'ann: answers another question'],
      ['bob', 'pass', 'bob: fine, the question was ambiguous'],
    ])
    expect(await call('notes.list', {})).toHaveLength(3)
    expect((await call('taxonomy.get', {})).reviewed).toBe(3)

    // A blind re-label shows no one's earlier label, bob's included.
    await call('labels.save', { sessionId: mine.id, itemId: i2, verdict: 'fail', note: '' })
    await call('labels.save', { sessionId: mine.id, itemId: i3, verdict: 'pass', note: '' })
    await call('settings.set', { annotator: 'ann' })
    const relabel = await call('sessions.create', { criterionId: overall.id, order: 'relabel', seed: 1, size: 10 })
    expect(relabel.items).toHaveLength(1)
    expect(relabel.items[0]).toMatchObject({ label: null, others: [] })
  })
})
