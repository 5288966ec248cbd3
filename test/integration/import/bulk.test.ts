import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EMPTY_MAPPING, type DuplicatePolicy, type Mapping } from '../../../shared/import'
import { openProject } from '../../../electron/core/db/open'
import { createRepos } from '../../../electron/core/db/repos'
import { indexAll } from '../../../electron/core/db/search-index'
import { runImport } from '../../../electron/core/import/run'
import { repoRoot, tempDir } from '../../helpers/paths'

const MAPPING: Mapping = {
  ...EMPTY_MAPPING,
  id: 'id',
  input: 'q',
  output: 'a',
  labels: [{ field: 'label', criterion: 'Overall', note: null, annotator: 'me' }],
}

/** The unique index on ids, as migration 0001 makes it. */
const UNIQUE_IDS = "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'items_external_id'"
/** The triggers (the search index's among them, which a bulk load drops while no new id can need it). */
const TRIGGERS = "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name"

// An import into a project with no items drops the unique index on ids for its transaction and
// makes it again before the commit (bulk.ts): these check that nothing a user sees changes.
describe('bulk import into a new project', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir('assay-bulk-')
  })
  afterEach(() => tmp.cleanup())

  const newProject = (name: string) => {
    const path = tmp.file(name)
    openProject(path, { mode: 'create' }).db.close()
    return path
  }
  const query = <T>(project: string, sql: string) => {
    const db = new Database(project, { readonly: true })
    try {
      return db.prepare(sql).all() as T[]
    } finally {
      db.close()
    }
  }
  const stored = (project: string, dataset: string) =>
    query(
      project,
      `SELECT i.external_id AS id, i.input, group_concat(l.verdict, '+') AS labels FROM items i JOIN datasets d ON d.id = i.dataset_id
       LEFT JOIN labels l ON l.item_id = i.id WHERE d.name = '${dataset}' GROUP BY i.id ORDER BY i.id`,
    )

  it('writes what an import into a project with items writes, under every duplicate policy, and keeps the index', async () => {
    // 450 rows: row 50 repeats in row 320 (a later batch), row 7 twice in one batch; row 130 is ragged.
    const file = tmp.file('many.csv')
    const idOf = (i: number) => (i === 320 ? 'r50' : i === 9 ? 'r7' : `r${i}`)
    const rows = Array.from({ length: 450 }, (_, i) =>
      i === 130 ? 'ragged' : `${idOf(i)},question ${i},answer ${i},${i % 3 === 0 ? 'FAIL' : 'PASS'}`,
    )
    writeFileSync(file, `id,q,a,label\n${rows.join('\n')}\n`)
    // The oracle: the same file into a project that has an item already (no bulk load there).
    const withItem = newProject('with-item.assay')
    const seed = tmp.file('seed.csv')
    writeFileSync(seed, 'id,q,a\nother,x,y\n')
    const seeded = {
      file: seed,
      format: 'csv' as const,
      mapping: { ...MAPPING, labels: [] },
      onError: 'abort' as const,
    }
    expect((await runImport(withItem, { ...seeded, duplicates: 'abort' })).committed).toBe(true)

    for (const duplicates of ['abort', 'skip', 'replace', 'keep-both'] as DuplicatePolicy[]) {
      const fresh = newProject(`${duplicates}.assay`)
      const request = {
        file,
        format: 'csv' as const,
        mapping: MAPPING,
        onError: 'skip' as const,
        duplicates,
        datasetName: duplicates,
      }
      const bulk = await runImport(fresh, request)
      const oracle = await runImport(withItem, { ...request, existing: 'copy' })
      expect({ ...bulk, datasetId: null }).toEqual({ ...oracle, datasetId: null })
      expect(stored(fresh, duplicates)).toEqual(stored(withItem, duplicates))
      expect(query(fresh, UNIQUE_IDS)).toEqual(query(withItem, UNIQUE_IDS))
      expect(query(fresh, TRIGGERS)).toEqual(query(withItem, TRIGGERS))
      expect(query(fresh, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
      if (duplicates === 'abort') {
        expect(bulk).toMatchObject({ committed: false, duplicates: { count: 2, ids: ['r7', 'r50'] } })
        expect(bulk.errors.map((e) => e.message).join('\n')).toContain('duplicate id "r50" (first on line 52)')
      } else expect(bulk.committed).toBe(true)
    }
    // Made again from the rows, the index still refuses a repeated id in the dataset.
    const db = new Database(tmp.file('skip.assay'))
    expect(() =>
      db
        .prepare(
          'INSERT INTO items (dataset_id, external_id, kind, created_at) SELECT dataset_id, external_id, kind, created_at FROM items LIMIT 1',
        )
        .run(),
    ).toThrow(/UNIQUE/)
    db.close()
  })

  it("writes a new project's pages once (a rollback journal, not the WAL), and leaves the file in WAL mode", async () => {
    const file = tmp.file('rows.csv')
    const rows = Array.from({ length: 20_000 }, (_, i) => `r${i},question ${i},answer ${i},${i % 4 ? 'PASS' : 'FAIL'}`)
    writeFileSync(file, `id,q,a,label\n${rows.join('\n')}\n`)
    const request = {
      file,
      format: 'csv' as const,
      mapping: MAPPING,
      onError: 'abort' as const,
      duplicates: 'abort' as const,
    }
    const files = (project: string) => ['-journal', '-wal'].filter((end) => existsSync(`${project}${end}`)).join(' ')
    const mode = (project: string) => query<{ journal_mode: string }>(project, 'PRAGMA journal_mode')[0].journal_mode

    const alone = newProject('alone.assay')
    const seen = new Set<string>()
    const report = await runImport(alone, request, { onProgress: () => seen.add(files(alone)) })
    expect(report).toMatchObject({ committed: true, imported: 20_000 })
    expect(seen.has('-journal')).toBe(true) // (the last report comes after the commit, with neither)
    expect([...seen].some((f) => f.includes('-wal'))).toBe(false)
    expect(files(alone)).toBe('')
    expect(mode(alone)).toBe('wal')

    // With the project open elsewhere (the app importing into its own project): the WAL, at once,
    // and the other connection reads while the import writes.
    const shared = newProject('shared.assay')
    const app = new Database(shared)
    const read = app.prepare('SELECT count(*) FROM items').pluck()
    const counts: unknown[] = []
    seen.clear()
    const started = performance.now()
    const again = await runImport(shared, request, {
      onProgress: () => {
        seen.add(files(shared))
        counts.push(read.get())
      },
    })
    expect(performance.now() - started).toBeLessThan(4_000) // no wait for a busy file (5 s)
    expect(again).toMatchObject({ committed: true, imported: 20_000 })
    expect(seen).toEqual(new Set(['-wal']))
    expect(new Set(counts)).toEqual(new Set([0, 20_000])) // read during the import, and after its commit
    app.close()
    expect(stored(alone, 'rows.csv')).toEqual(stored(shared, 'rows.csv'))
  })

  it('finds new items by search in a project whose indexed items were all deleted (ids at or below the index)', async () => {
    const project = newProject('reused.assay')
    const file = (name: string, word: string) => {
      const path = tmp.file(name)
      writeFileSync(path, `id,q,a\n${Array.from({ length: 50 }, (_, i) => `r${i},${word} ${i},answer`).join('\n')}\n`)
      return path
    }
    const request = (path: string) => ({
      file: path,
      format: 'csv' as const,
      mapping: { ...MAPPING, labels: [] },
      onError: 'abort' as const,
      duplicates: 'abort' as const,
    })
    expect((await runImport(project, request(file('old.csv', 'walnut')))).committed).toBe(true)
    const { db } = openProject(project, { mode: 'open' })
    expect(indexAll(db)).toBe(50)
    db.exec('DELETE FROM items')
    indexAll(db) // the deleted items leave the index; its watermark stays at 50
    db.close()
    // No items, so a bulk load; the new items take the old ids, which the index holds for the old text.
    expect((await runImport(project, request(file('new.csv', 'hazelnut')))).committed).toBe(true)
    const opened = openProject(project, { mode: 'open' })
    const { items } = createRepos(opened.db)
    expect(items.ids({ search: 'hazelnut' })).toHaveLength(50)
    expect(items.ids({ search: 'walnut' })).toEqual([])
    indexAll(opened.db)
    expect(items.ids({ search: 'hazelnut' })).toHaveLength(50)
    expect(items.ids({ search: 'walnut' })).toEqual([])
    opened.db.close()
  })

  it('leaves the index in place when the process is killed mid-import', async () => {
    const project = newProject('killed.assay')
    const file = tmp.file('big.jsonl')
    const out = createWriteStream(file)
    for (let i = 0; i < 300_000; i++) out.write(`${JSON.stringify({ id: `r${i}`, q: `question ${i}`, a: 'answer' })}\n`)
    out.end()
    await once(out, 'finish')
    const args = ['import', project, file, '--map', 'id=id', '--map', 'input=q', '--map', 'output=a', '--progress']
    const child = spawn(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const lines = createInterface({ input: child.stderr })
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        if (Number(/^([\d,]+) rows read/.exec(line)?.[1]?.replace(/,/g, '')) >= 100_000) resolve()
      })
      child.once('exit', () => reject(new Error('the import ended before it was killed')))
    })
    child.kill('SIGKILL')
    await once(child, 'exit')
    // It wrote into the file itself (a new project: see run.ts), and left its journal behind.
    expect(existsSync(`${project}-journal`)).toBe(true)
    const opened = openProject(project, { mode: 'open' }) // integrity check included
    expect(opened.db.prepare('SELECT count(*) FROM items').pluck().get()).toBe(0)
    expect(opened.db.prepare(UNIQUE_IDS).pluck().get()).toContain('CREATE UNIQUE INDEX')
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(existsSync(`${project}-journal`)).toBe(false)
    opened.db.close()
  })
})
