/**
 * The finer rules of `assay merge` on two projects of the same traces imported at different times
 * (so every item has another row id in each): few-shot examples match by external id, the same
 * annotator's later label stays current, and File → Merge project… (`merge.run`) reports the same.
 */
import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openContext, type ProjectContext } from '../../electron/core/context'
import { mergeProjects } from '../../electron/core/merge'
import type { AnyEvent } from '../../shared/contract'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

const traces = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `${prefix}-${String(i + 1)}`,
      input: `Question ${String(i + 1)}`,
      output: `Answer ${String(i + 1)}`,
    }),
  ).join('\n')

/** The row id of an item, by its external id. */
const idOf = (d: ProjectContext, externalId: string) =>
  d.db.prepare('SELECT id FROM items WHERE external_id = ?').pluck().get(externalId) as number

function label(d: ProjectContext, externalId: string, verdict: 'pass' | 'fail', at: string): void {
  d.repos.labels.add(
    {
      itemId: idOf(d, externalId),
      criterionId: 1,
      criterionVersion: 1,
      verdict,
      note: '',
      annotator: 'ann',
      firstFailingStep: null,
    },
    at,
  )
}

/** A judge version with two few-shot examples, named by external id. */
function fewshotJudge(d: ProjectContext, keysReversed: boolean): void {
  const judge = d.repos.judges.addJudge(1, 'Judge', '2026-01-01T00:00:00.000Z')
  d.repos.judges.addVersion(
    {
      judgeId: judge,
      version: 1,
      prompt: 'Judge {{output}}.',
      model: keysReversed ? { model: 'm', provider: 'p' } : { provider: 'p', model: 'm' },
      params: keysReversed ? { seed: 1, temperature: 0 } : { temperature: 0, seed: 1 },
      fewshotIds: [idOf(d, 't-2'), idOf(d, 't-1')],
    },
    '2026-01-01T00:00:00.000Z',
  )
}

const current = (d: ProjectContext, externalId: string) =>
  d.db
    .prepare(
      "SELECT verdict FROM labels WHERE item_id = ? AND annotator = 'ann' AND criterion_id = 1 ORDER BY id DESC LIMIT 1",
    )
    .pluck()
    .get(idOf(d, externalId))

describe('merge rules', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(async () => {
    tmp = tempDir()
    writeFileSync(tmp.file('traces.jsonl'), traces('t', 6))
    writeFileSync(tmp.file('other.jsonl'), traces('o', 4))
    expect((await runCli(['import', 'target.assay', 'traces.jsonl'], tmp.dir)).code).toBe(0)
    expect((await runCli(['import', 'source.assay', 'other.jsonl'], tmp.dir)).code).toBe(0)
    expect((await runCli(['import', 'source.assay', 'traces.jsonl'], tmp.dir)).code).toBe(0)
    const target = openContext(tmp.file('target.assay'))
    const source = openContext(tmp.file('source.assay'))
    expect(idOf(source, 't-1')).not.toBe(idOf(target, 't-1'))
    fewshotJudge(target, false)
    fewshotJudge(source, true)
    const other = source.repos.judges.addJudge(1, 'Other', '2026-01-02T00:00:00.000Z')
    source.repos.judges.addVersion(
      {
        judgeId: other,
        version: 1,
        prompt: 'Judge {{output}}.',
        model: { model: 'm', provider: 'p' },
        params: { seed: 1, temperature: 0 },
        fewshotIds: [idOf(source, 't-1'), idOf(source, 't-2')],
      },
      '2026-01-02T00:00:00.000Z',
    )
    // ann labeled t-1 and t-2 in both copies: t-1 later in the source, t-2 later in the target.
    label(target, 't-1', 'pass', '2026-02-01T10:00:00.000Z')
    label(source, 't-1', 'fail', '2026-02-02T10:00:00.000Z')
    label(source, 't-2', 'fail', '2026-02-01T09:00:00.000Z')
    label(target, 't-2', 'pass', '2026-02-03T10:00:00.000Z')
    target.close()
    source.close()
  })
  afterEach(() => tmp.cleanup())

  it('matches few-shot examples by id and keeps the later label of the same annotator current', () => {
    // One run of the shared version, further along in the source: its second verdict is added.
    for (const [file, n] of [
      ['target.assay', 1],
      ['source.assay', 2],
    ] as const) {
      const p = openContext(tmp.file(file))
      const version = p.db
        .prepare("SELECT jv.id FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id WHERE j.name = 'Judge'")
        .pluck()
        .get() as number
      const items = [idOf(p, 't-3'), idOf(p, 't-4')]
      const at = '2026-01-05T00:00:00.000Z'
      const run = p.repos.judges.addRun(
        { judgeVersionId: version, scope: 'dev', status: 'running', itemIds: items },
        at,
        null,
      )
      for (const itemId of items.slice(0, n))
        p.repos.judges.addVerdict(
          {
            runId: run,
            itemId,
            verdict: 'fail',
            critique: 'no',
            raw: '',
            latencyMs: 1,
            tokensIn: 1,
            tokensOut: 1,
            cached: false,
          },
          at,
        )
      p.close()
    }
    const d = openContext(tmp.file('target.assay'))
    try {
      const report = mergeProjects(d, [tmp.file('source.assay')])
      expect(report.sources[0].judges).toMatchObject({ runsMatched: 1, runsAdded: 0, verdictsAdded: 1 })
      expect(d.db.prepare('SELECT count(*) FROM verdicts').pluck().get()).toBe(2)
      expect(d.db.prepare('SELECT n_done FROM runs').pluck().get()).toBe(2)
      const [r] = report.sources
      expect(r.items).toMatchObject({ added: 4, matched: 6, conflicting: [] })
      expect(r.datasets.added).toEqual(['other.jsonl'])
      // The same prompt, model and parameters (keys in any order) and examples is the same version;
      // the examples in another order make another.
      expect(r.judges.versionsMatched).toBe(1)
      expect(r.judges.versionsAdded).toEqual([{ criterion: 'Overall', judge: 'Other', version: 1, from: 1 }])
      expect(r.labels.added).toEqual([{ annotator: 'ann', n: 1 }])
      expect(r.labels.superseded).toEqual([{ annotator: 'ann', n: 1 }])
      expect(current(d, 't-1')).toBe('fail')
      expect(current(d, 't-2')).toBe('pass')
      const fewshot = d.db
        .prepare("SELECT fewshot_ids FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id WHERE j.name = 'Other'")
        .pluck()
        .get()
      expect(fewshot).toBe(JSON.stringify([idOf(d, 't-1'), idOf(d, 't-2')]))
      expect(mergeProjects(d, [tmp.file('source.assay')]).changed).toBe(false)
    } finally {
      d.close()
    }
  })

  it('merges through the contract (File → Merge project…), and refuses the open project itself', async () => {
    const events: AnyEvent[] = []
    const services = testServices(tmp.file('home'), { emit: (e) => void events.push(e) })
    const call = contractCaller(() => services)
    try {
      await call('project.open', { path: tmp.file('target.assay') })
      const report = await call('merge.run', { path: tmp.file('source.assay') })
      expect(report.changed).toBe(true)
      expect(report.sources[0].items.added).toBe(4)
      expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['project.changed', 'labels.changed']))
      await expect(call('merge.run', { path: tmp.file('target.assay') })).rejects.toThrow(
        /is the project being merged into/,
      )
      await expect(call('merge.run', { path: tmp.file('missing.assay') })).rejects.toThrow(/No project file/)
    } finally {
      services.close()
    }
  })

  it('refuses a missing target and a merge without a source, saying what to do', async () => {
    const missing = await runCli(['merge', 'team.assay', 'source.assay'], tmp.dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/team\.assay does not exist: .*cp alice\.assay team\.assay/)
    const alone = await runCli(['merge', 'target.assay', '--json'], tmp.dir)
    expect(alone.code).toBe(1)
    expect(alone.json()).toMatchObject({ error: 'bad_arguments' })
  })
})
