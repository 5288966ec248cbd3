import { afterAll, describe, expect, it } from 'vitest'
import { openProject, type Db } from '../../electron/core/db/open'
import type { IdLister } from '../../electron/core/db/background-list'
import { createRepos } from '../../electron/core/db/repos'
import { buildQuery } from '../../electron/core/db/repos/item-query'
import { foldForSearch, indexAll, searchIndexer } from '../../electron/core/db/search-index'
import { createRng, type Rng } from '../../shared/stats/rng'
import { DEFAULT_FILTER } from '../../shared/table-query'
import { tempDir } from '../helpers/paths'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

// Characters that trip substring search: LIKE's wildcards, quotes, a backslash, the two characters
// JavaScript lowercases to ASCII (İ, the Kelvin sign), final and medial sigma, ß, composed and
// decomposed é, an emoji (a surrogate pair), CJK, a newline.
const ALPHABET = [
  ...Array.from('abcAB xyz'),
  '"',
  "'",
  '%',
  '_',
  '\\',
  'İ',
  'i',
  '\u0307',
  'K',
  'k',
  'Σ',
  'σ',
  'ς',
  'ß',
].concat(['é', 'e\u0301', '😀', '漢', '\n', '.', 'Ω'])
const FIXED = [
  '%',
  '_',
  '"',
  "'",
  '%_',
  'a%b',
  '""',
  "it's",
  'İ',
  'i\u0307',
  'k',
  'K',
  'σ',
  'ς',
  'Σ',
  'ß',
  'SS',
].concat(['😀', '😀a', 'é', 'e\u0301', '\\', '\\%', 'abc', 'AB ', ' a', 'x\ny', 'zzzz', 'i\u0307k', '漢字', 'ab"c'])

const text = (rng: Rng, max: number) =>
  Array.from({ length: rng.nextInt(max + 1) }, () => ALPHABET[rng.nextInt(ALPHABET.length)]).join('')

interface Row {
  id: number
  external_id: string
  input: string
  output: string
}

/** What search means (DESIGN: case-insensitive substring of id, input or output), written plainly. */
const expected = (rows: Row[], search: string): number[] => {
  const needle = foldForSearch(search.trim())
  return rows
    .filter((r) => [r.external_id, r.input, r.output].some((t) => foldForSearch(t).includes(needle)))
    .map((r) => r.id)
}

function needles(rng: Rng, rows: Row[], count: number): string[] {
  const out = [...FIXED]
  while (out.length < count) {
    if (rng.nextFloat() < 0.6) {
      // A piece of a real field, 1–8 characters, its case changed here and there.
      const r = rows[rng.nextInt(rows.length)]
      const field = Array.from([r.external_id, r.input, r.output][rng.nextInt(3)])
      const start = rng.nextInt(Math.max(1, field.length))
      const piece = field.slice(start, start + 1 + rng.nextInt(8)).join('')
      out.push(
        Array.from(piece)
          .map((c) => (rng.nextFloat() < 0.3 ? c.toUpperCase() : c))
          .join(''),
      )
    } else out.push(text(rng, 4) || 'a')
  }
  return out
}

function fuzzProject(name: string, seed: number, count: number) {
  const { db } = openProject(tmp.file(name), { mode: 'create' })
  const repos = createRepos(db)
  const rng = createRng(seed)
  db.prepare("INSERT INTO datasets (name, format, created_at) VALUES ('fuzz', 'jsonl', 't')").run()
  const insert = db.prepare(
    "INSERT INTO items (dataset_id, external_id, kind, input, output, created_at) VALUES (1, ?, 'text', ?, ?, 't')",
  )
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${i}-${text(rng, 6)}`, text(rng, 40), text(rng, 40))
  })()
  const rows = () => db.prepare('SELECT id, external_id, input, output FROM items ORDER BY id').all() as Row[]
  return { db, repos, rng, rows }
}

const upto = (db: Db) => db.prepare('SELECT indexed_upto FROM search_state').pluck().get() as number

describe('substring search through the trigram index', () => {
  it('gives exactly the plain substring matches on a fuzz set, with no index, a whole one and a partial one', async () => {
    const { db, repos, rng, rows } = fuzzProject('fuzz.assay', 7, 600)
    const queries = needles(rng, rows(), 400)
    const check = async (stage: string) => {
      const all = rows()
      for (const [i, q] of queries.entries()) {
        const want = expected(all, q)
        // The count first (made without listing), then the ids.
        expect(await repos.items.countMatching({ search: q }), `${stage}, count: ${JSON.stringify(q)}`).toBe(
          want.length,
        )
        expect(repos.items.ids({ search: q }), `${stage}: ${JSON.stringify(q)}`).toEqual(want)
        if (i % 5 > 0) continue
        // With a filter (the index's ids go through the items) and sorted the other way.
        const filtered = repos.items.ids({ search: q, filter: { ...DEFAULT_FILTER, dataset: 1 } })
        expect(filtered, `${stage}, filtered: ${JSON.stringify(q)}`).toEqual(want)
        const desc = repos.items.ids({ search: q, sort: { by: 'id', desc: true } })
        expect(desc, `${stage}, descending: ${JSON.stringify(q)}`).toEqual([...want].reverse())
      }
    }
    await check('nothing indexed: every search scans')
    expect(indexAll(db)).toBe(600)
    expect(upto(db)).toBe(600)
    await check('all indexed')

    // Texts changed under the index, items added past it and one removed: the index is behind again.
    const update = db.prepare('UPDATE items SET input = ?, output = ? WHERE id = ?')
    for (let i = 0; i < 40; i++) update.run(text(rng, 40), text(rng, 40), 1 + rng.nextInt(600))
    db.prepare('DELETE FROM items WHERE id = 17').run()
    const insert = db.prepare(
      "INSERT INTO items (dataset_id, external_id, kind, input, output, created_at) VALUES (1, ?, 'text', ?, ?, 't')",
    )
    for (let i = 0; i < 60; i++) insert.run(`new-${i}`, text(rng, 40), text(rng, 40))
    expect(db.prepare('SELECT count(*) FROM search_stale').pluck().get()).toBeGreaterThan(30)
    await check('behind: changed texts and new items scanned, the rest from the index')

    const indexer = searchIndexer(db)
    expect(indexer.behind()).toBeGreaterThan(90)
    indexer.slice(0) // one tiny slice: some stale items done, most still behind
    expect(indexer.isBehind()).toBe(true)
    await check('part of the way')
    indexAll(db)
    expect(indexer.isBehind()).toBe(false)
    await check('caught up again')
    db.close()
  })

  it('counts a search at once only while few items wait for the index; else the count is listed in a worker', async () => {
    const { db } = fuzzProject('count-behind.assay', 5, 5_100)
    // The worker's answer is marked (one id too many), so a count that comes from it shows.
    let held: Promise<void> | null = null
    const listed: string[] = []
    const lister: IdLister = async (sql, params) => {
      listed.push(sql)
      if (held) await held
      return Int32Array.from([...(db.prepare(sql).pluck().all(params) as number[]), -1])
    }
    const { items } = createRepos(db, lister)
    // Listed plainly, past the table's cache of ids.
    const want = (search: string) => {
      const { sql, params } = buildQuery({ search })
      return db.prepare(sql).pluck().all(params).length
    }
    // 5 100 items not indexed: counting here would scan them all, so the worker lists them.
    expect(await items.countMatching({ search: 'abc' })).toBe(want('abc') + 1)
    // Indexed, and 200 new items past the index: counted here, while the worker's listing is held.
    indexAll(db)
    const insert = db.prepare(
      "INSERT INTO items (dataset_id, external_id, kind, input, output, created_at) VALUES (1, ?, 'text', ?, ?, 't')",
    )
    for (let i = 0; i < 200; i++) insert.run(`late-${i}`, 'xyz and more', 'o')
    held = new Promise(() => {})
    listed.length = 0
    expect(await items.countMatching({ search: 'xyz' })).toBe(want('xyz'))
    expect(listed).toHaveLength(1) // its ids, for the pages, are listed meanwhile
    db.close()
  })

  it('never walks the items table for an indexed search, in either order', () => {
    const { db } = fuzzProject('plan-scan.assay', 9, 20)
    for (const q of [{ search: 'abc' }, { search: 'abc', sort: { by: 'id' as const, desc: true } }]) {
      const { sql, params } = buildQuery(q)
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail)
      // A bare "SCAN u" (or i) reads every row of the traces: seconds at a million items.
      expect(
        plan.filter((line) => /^SCAN [ui]$/.test(line)),
        plan.join(' | '),
      ).toEqual([])
    }
    db.close()
  })

  it('uses the index for needles of three characters or more, and scans for shorter ones', () => {
    const { db, repos } = fuzzProject('plan.assay', 3, 50)
    indexAll(db)
    // Poison the index: a needle answered from it finds what only the index says.
    db.prepare(
      "INSERT INTO item_search (rowid, external_id, input, output) VALUES (5, 'qqq-only-in-index', '', '')",
    ).run()
    db.prepare('DELETE FROM item_search WHERE rowid = 5').run()
    db.prepare(
      "INSERT INTO item_search (rowid, external_id, input, output) VALUES (5, 'qqq-only-in-index', '', '')",
    ).run()
    expect(repos.items.ids({ search: 'QQQ-only' })).toEqual([5])
    expect(repos.items.ids({ search: 'qq' })).toEqual([])
    db.close()
  })
})
