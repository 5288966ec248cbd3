import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
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
    expect(one("SELECT count(*) FROM items WHERE kind = 'chat' AND messages_json LIKE '%tool_calls%'")).toBeGreaterThan(100)
    const stepNames = all("SELECT group_concat(name, '>') AS names FROM (SELECT item_id, name FROM steps ORDER BY item_id, idx) GROUP BY item_id")
    expect(new Set(stepNames.map((r) => (r as { names: string }).names))).toEqual(new Set(['decompose>retrieve>extract']))
  })

  it('has 120 human labels on Overall and on two failure modes, with notes on failures', () => {
    expect(all("SELECT c.name, c.kind, count(l.id) AS n FROM criteria c JOIN labels l ON l.criterion_id = c.id GROUP BY c.id ORDER BY c.id")).toEqual([
      { name: 'Overall', kind: 'overall', n: 120 },
      { name: 'Ignores dietary constraint', kind: 'failure_mode', n: 120 },
      { name: 'Misses the key source', kind: 'failure_mode', n: 120 },
    ])
    const fails = one("SELECT count(*) FROM labels l JOIN criteria c ON c.id = l.criterion_id WHERE c.kind = 'overall' AND verdict = 'fail'") as number
    expect(fails).toBeGreaterThan(15)
    expect(one("SELECT count(*) FROM labels l JOIN criteria c ON c.id = l.criterion_id WHERE c.kind = 'overall' AND verdict = 'fail' AND note = ''")).toBe(0)
  })

  it('splits the labeled items 15/45/40 on each criterion and records judge verdicts on every split and ≥ 1000 unlabeled items', () => {
    expect(all('SELECT count(DISTINCT criterion_id) AS n FROM splits')).toEqual([{ n: 3 }])
    expect(all('SELECT split, count(*) AS n FROM splits WHERE criterion_id = 1 GROUP BY split ORDER BY split')).toEqual([
      { split: 'dev', n: 54 },
      { split: 'test', n: 48 },
      { split: 'train', n: 18 },
    ])
    expect(all('SELECT r.scope, count(v.id) AS n FROM runs r JOIN verdicts v ON v.run_id = r.id GROUP BY r.id ORDER BY r.id')).toEqual([
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

  it('is deterministic from its seed', () => {
    const again = tmp.file('again.assay')
    writeDemoProject(again)
    expect(dump(again)).toBe(dump(path))
    const other = tmp.file('other.assay')
    writeDemoProject(other, { seed: 8 })
    expect(dump(other)).not.toBe(dump(path))
  })
})
