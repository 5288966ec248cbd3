/**
 * `assay merge` (issue 20, item 7): two annotators each label their own copy of the demo project
 * through the core (sessions, undo, a tag, a new failure mode, a judge version of their own);
 * merged into a third copy, Cohen's κ between them is the κ computed from their separate exports
 * (items paired by id), the adjudicate order finds exactly the items they disagree on, a second
 * merge changes nothing, and an item whose trace differs is reported and not merged.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SessionSettings } from '../../shared/domain'
import type { MergeReport } from '../../shared/merge'
import { agreement } from '../../shared/stats/agreement'
import { openContext, type ProjectContext } from '../../electron/core/context'
import { writeDemoProject } from '../../electron/core/demo'
import { agreementOn, createSession, saveLabel, tagItem, undoLabel } from '../../electron/core/labeling'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'

type Row = Record<string, unknown>

/** A project opened as one annotator, each change one second after the last. */
function as(path: string, annotator: string, start: string): ProjectContext {
  let tick = 0
  return openContext(path, { annotator: () => annotator, clock: () => new Date(Date.parse(start) + 1000 * tick++) })
}

const session = (d: ProjectContext, criterionId: number, settings: Partial<SessionSettings>) =>
  createSession(d, SessionSettings.parse({ criterionId, seed: 5, ...settings }))

async function exported(dir: string, project: string, history = false): Promise<string> {
  const out = `${project}.${history ? 'history' : 'items'}.jsonl`
  const args = ['export', project, '--format', 'jsonl', '--out', out, ...(history ? ['--history'] : [])]
  expect((await runCli(args, dir)).code).toBe(0)
  return readFileSync(`${dir}/${out}`, 'utf8')
}

const rows = (jsonl: string): Row[] =>
  jsonl
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row)

/**
 * One annotator's work in their copy: 30 traces no one had labeled, on Overall; `flip` says which
 * verdicts they see the other way; the first label is undone and redone, one item is tagged with
 * a failure mode of their own.
 */
function label(d: ProjectContext, flip: (i: number) => boolean, mode: string): void {
  const overall = d.repos.criteria.list()[0]
  const s = session(d, overall.id, { order: 'unlabeled', size: 30 })
  s.items.forEach((item, i) => {
    const pass = (i % 3 !== 0) !== flip(i)
    saveLabel(d, {
      sessionId: s.id,
      itemId: item.id,
      verdict: pass ? 'pass' : 'fail',
      note: pass ? '' : `note ${String(i)}`,
      firstFailingStep: null,
    })
    if (i === 0) {
      undoLabel(d, s.id)
      saveLabel(d, {
        sessionId: s.id,
        itemId: item.id,
        verdict: pass ? 'pass' : 'fail',
        note: 'again',
        firstFailingStep: null,
      })
    }
  })
  const modeId = d.repos.project.addCriterion(mode, 'failure_mode', `${mode}: the answer shows it.`, d.now())
  tagItem(d, { sessionId: s.id, itemId: s.items[3].id, criterionId: modeId, on: true })
}

describe('assay merge', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir()
    for (const name of ['alice', 'bob', 'team']) writeDemoProject(tmp.file(`${name}.assay`), { unlabeled: 200 })
    const alice = as(tmp.file('alice.assay'), 'alice', '2026-03-01T10:00:00Z')
    label(alice, () => false, 'Too long')
    // A judge version of alice's own, with a run on two of her labeled items.
    const overall = alice.repos.criteria.list()[0]
    const judge = alice.repos.judges.addJudge(overall.id, 'Strict judge', alice.now())
    const v = alice.repos.judges.addVersion(
      {
        judgeId: judge,
        version: 1,
        prompt: 'Is {{output}} right?',
        model: { model: 'm', provider: 'p' },
        params: { temperature: 0 },
        fewshotIds: [],
      },
      alice.now(),
    )
    const items = alice.repos.items.ids({})
    const run = alice.repos.judges.addRun(
      { judgeVersionId: v, scope: 'selection', status: 'done', itemIds: items.slice(0, 2), done: 2 },
      alice.now(),
      alice.now(),
    )
    for (const itemId of items.slice(0, 2))
      alice.repos.judges.addVerdict(
        {
          runId: run,
          itemId,
          verdict: 'pass',
          critique: 'fine',
          raw: '',
          latencyMs: 1,
          tokensIn: 1,
          tokensOut: 1,
          cached: false,
        },
        alice.now(),
      )
    alice.close()
    const bob = as(tmp.file('bob.assay'), 'bob', '2026-03-02T10:00:00Z')
    label(bob, (i) => i % 4 === 1, 'Too short')
    // bob sharpened a demo failure mode's definition in his copy.
    const diet = bob.repos.criteria.list().find((c) => c.name === 'Ignores dietary constraint')
    bob.repos.criteria.updateDefinition(diet?.id ?? -1, 'Any ingredient the user excluded appears.', bob.now())
    bob.close()
  })
  afterEach(() => tmp.cleanup())

  it("gives the κ of the annotators' separate exports, adjudicates exactly their disagreements, and is idempotent", async () => {
    // κ from the two exports, items paired by id: alice's and bob's current Overall labels.
    const byId = (r: Row[], who: string) =>
      new Map(
        r.filter((x) => x['Overall.annotator'] === who).map((x) => [x.id as string, x['Overall.label'] as string]),
      )
    const a = byId(rows(await exported(tmp.dir, 'alice.assay')), 'alice')
    const b = byId(rows(await exported(tmp.dir, 'bob.assay')), 'bob')
    const cells = { tp: 0, fn: 0, fp: 0, tn: 0 }
    const disagree = new Set<string>()
    for (const [id, va] of a) {
      const vb = b.get(id)
      if (vb === undefined) continue
      if (va === 'pass') cells[vb === 'pass' ? 'tp' : 'fn']++
      else cells[vb === 'pass' ? 'fp' : 'tn']++
      if (va !== vb) disagree.add(id)
    }
    expect(cells.tp + cells.fn + cells.fp + cells.tn).toBe(30)
    expect(disagree.size).toBeGreaterThan(3)
    const expected = agreement(cells)

    const team = openContext(tmp.file('team.assay'))
    const overallId = team.repos.criteria.list()[0].id
    const before = new Set(session(team, overallId, { order: 'adjudicate', size: 1000 }).items.map((i) => i.externalId))
    team.close()

    const merged = await runCli(['merge', 'team.assay', 'alice.assay', 'bob.assay', '--json'], tmp.dir)
    expect(merged.code).toBe(0)
    const report = merged.json() as MergeReport
    const [fromAlice, fromBob] = report.sources
    expect(fromAlice.items).toMatchObject({ added: 0, matched: 550, conflicting: [] })
    // 30 labels, an undo and the label again, one tag; the demo's own labels are there already.
    expect(fromAlice.labels.added).toEqual([{ annotator: 'alice', n: 33 }])
    expect(fromAlice.labels.unchanged).toBe(120 * 3 + 40)
    expect(fromAlice.criteria.added).toEqual(['Too long'])
    expect(fromBob.criteria.added).toEqual(['Too short'])
    expect(fromBob.criteria.differing.map((c) => c.name)).toEqual(['Ignores dietary constraint'])
    expect(fromAlice.judges).toMatchObject({ versionsMatched: 1, runsMatched: 4, runsAdded: 1, verdictsAdded: 2 })
    expect(fromAlice.judges.versionsAdded).toEqual([
      { criterion: 'Overall', judge: 'Strict judge', version: 1, from: 1 },
    ])

    const t = openContext(tmp.file('team.assay'), { annotator: () => 'carol' })
    try {
      const row = agreementOn(t, overallId).find((r) => r.a === 'alice' && r.b === 'bob')
      expect(row).toMatchObject({ n: 30, cells, kappa: expected.kappa, lower: expected.lower, upper: expected.upper })
      // alice's undo came with her labels, naming the copy of the label it took back.
      const undos = t.db
        .prepare(
          "SELECT l.item_id AS item, r.item_id AS reverted, r.annotator FROM labels l JOIN labels r ON r.id = l.reverts_id WHERE l.annotator = 'alice'",
        )
        .all() as { item: number; reverted: number; annotator: string }[]
      expect(undos).toHaveLength(1)
      expect(undos[0]).toMatchObject({ item: undos[0].reverted, annotator: 'alice' })
      const theirs = t.repos.items.ids({})
      const labeledByThem = theirs.filter((id) => {
        const ext = t.repos.items.get(id, { assessments: false })?.externalId ?? ''
        return a.has(ext) || b.has(ext)
      })
      const adjudicate = session(t, overallId, { order: 'adjudicate', size: 1000, ids: labeledByThem })
      expect(new Set(adjudicate.items.map((i) => i.externalId))).toEqual(disagree)
      const all = session(t, overallId, { order: 'adjudicate', size: 1000 })
      expect(new Set(all.items.map((i) => i.externalId))).toEqual(new Set([...before, ...disagree]))
    } finally {
      t.close()
    }

    // Merging again changes nothing: the same export, the same label history.
    const items = await exported(tmp.dir, 'team.assay')
    const history = await exported(tmp.dir, 'team.assay', true)
    const again = await runCli(['merge', 'team.assay', 'alice.assay', 'bob.assay', '--json'], tmp.dir)
    const second = again.json() as MergeReport
    expect(second.changed).toBe(false)
    expect(second.sources[0].labels).toMatchObject({ added: [], superseded: [] })
    expect(await exported(tmp.dir, 'team.assay')).toBe(items)
    expect(await exported(tmp.dir, 'team.assay', true)).toBe(history)
  })

  it('reports an item whose trace differs and merges none of its labels or verdicts', async () => {
    copyFileSync(tmp.file('bob.assay'), tmp.file('carol.assay'))
    const carol = as(tmp.file('carol.assay'), 'carol', '2026-03-03T10:00:00Z')
    const overall = carol.repos.criteria.list()[0]
    // An item the demo's judge has a verdict on in its test run.
    const [id] = JSON.parse(
      carol.db.prepare("SELECT item_ids_json FROM runs WHERE scope = 'test'").pluck().get() as string,
    ) as number[]
    const externalId = carol.repos.items.get(id, { assessments: false })?.externalId ?? ''
    carol.db.prepare("UPDATE items SET output = 'A different answer.' WHERE id = ?").run(id)
    const s = session(carol, overall.id, { order: 'random', size: 1, ids: [id] })
    saveLabel(carol, { sessionId: s.id, itemId: id, verdict: 'fail', note: 'wrong', firstFailingStep: null })
    carol.close()
    const count = (sql: string) => {
      const a = openContext(tmp.file('alice.assay'))
      try {
        return a.db.prepare(sql).pluck().get(externalId)
      } finally {
        a.close()
      }
    }
    const verdicts = count('SELECT count(*) FROM verdicts WHERE ? IS NOT NULL')

    const merged = await runCli(['merge', 'alice.assay', 'carol.assay'], tmp.dir)
    expect(merged.code).toBe(0)
    expect(merged.stdout).toMatch(/1 conflicting/)
    expect(merged.stdout).toContain(`conflict: "${externalId}" (`)
    expect(merged.stdout).toMatch(/it has another output \("A different answer\."\)/)
    const json = (await runCli(['merge', 'alice.assay', 'carol.assay', '--json'], tmp.dir)).json() as MergeReport
    expect(json.sources[0].items.conflicting.map((c) => c.id)).toEqual([externalId])
    // The judge's runs are the same runs: nothing is copied again, and the verdict on the item is left out.
    expect(json.sources[0].judges).toMatchObject({ runsAdded: 0, verdictsAdded: 0, verdictsSkipped: 1 })
    expect(count('SELECT count(*) FROM verdicts WHERE ? IS NOT NULL')).toBe(verdicts)
    const carols =
      'SELECT count(*) FROM labels l JOIN items i ON i.id = l.item_id WHERE i.external_id = ? AND l.annotator = ?'
    expect(count(carols.replace('l.annotator = ?', "l.annotator = 'carol'"))).toBe(0)
    expect(count('SELECT count(*) FROM items WHERE ? IS NOT NULL')).toBe(550)
  })
})
