import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_REVIEWER, writeDemoProject } from '../../electron/core/demo'
import { createRepos } from '../../electron/core/db/repos'
import { CURRENT_LABELS } from '../../electron/core/db/repos/item-query'
import { transitionsOf } from '../../electron/core/taxonomy'
import { agreement } from '../../shared/stats/agreement'
import { tempDir } from '../helpers/paths'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

function dump(path: string): string {
  const db = new Database(path, { readonly: true })
  const tables = ['items', 'steps', 'labels', 'splits', 'verdicts', 'criteria', 'datasets']
  const text = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all())).join('\n')
  db.close()
  return createHash('sha256').update(text).digest('hex')
}

describe('the demo project', () => {
  const path = tmp.file('demo.assay')
  const result = writeDemoProject(path)
  const db = new Database(path, { readonly: true })
  const one = (sql: string) => db.prepare(sql).pluck().get()
  const all = (sql: string) => db.prepare(sql).all()

  it('is marked synthetic in the file, its datasets and its traces', () => {
    expect(one("SELECT value FROM meta WHERE key = 'synthetic'")).toBe('1')
    expect(one('SELECT count(*) FROM datasets WHERE synthetic = 0')).toBe(0)
    expect(one("SELECT count(*) FROM datasets WHERE name NOT LIKE '%(synthetic)%'")).toBe(0)
    expect(one("SELECT count(*) FROM items WHERE json_extract(metadata_json, '$.synthetic') IS NOT 1")).toBe(0)
  })

  it('has chat traces with tool calls and 3-step decompose → retrieve → extract pipelines', () => {
    expect(result.items).toBeGreaterThanOrEqual(300 + 1000)
    expect(one("SELECT count(*) FROM items WHERE kind = 'chat' AND messages_json LIKE '%tool_calls%'")).toBeGreaterThan(
      100,
    )
    const stepNames = all(
      "SELECT group_concat(name, '>') AS names FROM (SELECT item_id, name FROM steps ORDER BY item_id, idx) GROUP BY item_id",
    )
    expect(new Set(stepNames.map((r) => (r as { names: string }).names))).toEqual(
      new Set(['decompose>retrieve>extract']),
    )
  })

  it("has 120 human labels on Overall and on two failure modes, with notes on failures, and a second annotator's on 40 of them", () => {
    expect(
      all(
        'SELECT c.name, c.kind, l.annotator, count(l.id) AS n FROM criteria c JOIN labels l ON l.criterion_id = c.id GROUP BY c.id, l.annotator ORDER BY c.id, l.annotator',
      ),
    ).toEqual([
      { name: 'Overall', kind: 'overall', annotator: 'demo-annotator', n: 120 },
      { name: 'Overall', kind: 'overall', annotator: DEMO_REVIEWER, n: 40 },
      { name: 'Ignores dietary constraint', kind: 'failure_mode', annotator: 'demo-annotator', n: 120 },
      { name: 'Misses the key source', kind: 'failure_mode', annotator: 'demo-annotator', n: 120 },
    ])
    expect(result.labels).toBe(120)
    const fails = one(
      "SELECT count(*) FROM labels l JOIN criteria c ON c.id = l.criterion_id WHERE c.kind = 'overall' AND verdict = 'fail'",
    ) as number
    expect(fails).toBeGreaterThan(15)
    expect(
      one(
        "SELECT count(*) FROM labels l JOIN criteria c ON c.id = l.criterion_id WHERE c.kind = 'overall' AND verdict = 'fail' AND note = ''",
      ),
    ).toBe(0)
  })

  it('splits the labeled items 15/45/40 on each criterion and records judge verdicts on every split and ≥ 1000 unlabeled items', () => {
    expect(all('SELECT count(DISTINCT criterion_id) AS n FROM splits')).toEqual([{ n: 3 }])
    expect(all('SELECT split, count(*) AS n FROM splits WHERE criterion_id = 1 GROUP BY split ORDER BY split')).toEqual(
      [
        { split: 'dev', n: 54 },
        { split: 'test', n: 48 },
        { split: 'train', n: 18 },
      ],
    )
    expect(
      all(
        'SELECT r.scope, count(v.id) AS n FROM runs r JOIN verdicts v ON v.run_id = r.id GROUP BY r.id ORDER BY r.id',
      ),
    ).toEqual([
      { scope: 'train', n: 18 },
      { scope: 'dev', n: 54 },
      { scope: 'test', n: 48 },
      { scope: 'unlabeled', n: 1200 },
    ])
    // The judge is useful but imperfect on test: both kinds of disagreement can occur, and it beats chance.
    const test = all(
      "SELECT l.verdict AS human, v.verdict AS judge FROM verdicts v JOIN runs r ON r.id = v.run_id AND r.scope = 'test' JOIN labels l ON l.item_id = v.item_id AND l.criterion_id = 1",
    ) as { human: string; judge: string }[]
    const agree = test.filter((p) => p.human === p.judge).length / test.length
    expect(agree).toBeGreaterThan(0.7)
    expect(agree).toBeLessThan(1)
  })

  it('marks the first failing step of every failing pipeline: mostly retrieve, some extract, a few decompose', () => {
    const marks = all(
      `SELECT l.first_failing_step AS step, count(*) AS n FROM labels l JOIN items i ON i.id = l.item_id
       WHERE l.criterion_id = 1 AND l.annotator = 'demo-annotator' AND l.verdict = 'fail' AND i.kind = 'pipeline' GROUP BY 1 ORDER BY 1`,
    )
    expect(marks).toEqual([
      { step: 0, n: 3 },
      { step: 1, n: 12 },
      { step: 2, n: 4 },
    ])
    // Only failing pipelines carry a mark; a decompose failure's sub-questions are about another topic than the
    // question.
    expect(
      one(
        "SELECT count(*) FROM labels l JOIN items i ON i.id = l.item_id WHERE l.first_failing_step IS NOT NULL AND (l.verdict <> 'fail' OR i.kind <> 'pipeline')",
      ),
    ).toBe(0)
    const drifted = all(
      `SELECT i.input, s.output FROM labels l JOIN items i ON i.id = l.item_id JOIN steps s ON s.item_id = i.id AND s.idx = 0
       WHERE l.criterion_id = 1 AND l.annotator = 'demo-annotator' AND l.first_failing_step = 0`,
    ) as { input: string; output: string }[]
    for (const d of drifted) expect(d.output).not.toContain(/about (.+)\?$/.exec(d.input)![1])
  })

  it('gives the Analyze screen a transition matrix and per-step pass rates with structure', () => {
    const repos = createRepos(db)
    const t = transitionsOf(repos)
    expect(t.cells.map((c) => [c.lastSuccess, c.firstFailure, c.count])).toEqual([
      ['(start)', 'decompose', 3],
      ['decompose', 'retrieve', 12],
      ['retrieve', 'extract', 4],
    ])
    expect(t).toMatchObject({ orderSource: 'steps', failed: 19, unmarked: 0, backwards: 0 })
    const passRate = Object.fromEntries(t.steps.map((s) => [s.step, `${s.passed}/${s.reached}`]))
    const pipelines = one(
      "SELECT count(*) FROM labels l JOIN items i ON i.id = l.item_id WHERE l.criterion_id = 1 AND l.annotator = 'demo-annotator' AND i.kind = 'pipeline'",
    ) as number
    expect(passRate).toEqual({
      decompose: `${pipelines - 3}/${pipelines}`,
      retrieve: `${pipelines - 15}/${pipelines - 3}`,
      extract: `${pipelines - 19}/${pipelines - 15}`,
    })
  })

  it("has a second annotator who mostly agrees: Cohen's κ is neither 1 nor 0", () => {
    const repos = createRepos(db)
    const pairs = repos.labels.annotatorPairs(1)
    const cells = { tp: 0, fn: 0, fp: 0, tn: 0 }
    for (const p of pairs) {
      expect([p.a, p.b]).toEqual(['demo-annotator', DEMO_REVIEWER])
      if (p.va === 'pass') cells[p.vb === 'pass' ? 'tp' : 'fn']++
      else cells[p.vb === 'pass' ? 'fp' : 'tn']++
    }
    expect(cells).toEqual({ tp: 21, fn: 4, fp: 1, tn: 14 })
    const k = agreement(cells)
    expect(k.kappa).toBeCloseTo(0.744, 3)
    // The first annotator's labels are the current ones: the Data table and the judge metrics are as before.
    expect(
      one(`SELECT count(*) FROM (${CURRENT_LABELS}) WHERE criterion_id = 1 AND annotator = 'demo-annotator'`),
    ).toBe(120)
  })

  it('is deterministic from its seed', () => {
    const again = tmp.file('again.assay')
    writeDemoProject(again)
    expect(dump(again)).toBe(dump(path))
    const other = tmp.file('other.assay')
    writeDemoProject(other, { seed: 8 })
    expect(dump(other)).not.toBe(dump(path))
  })
})
