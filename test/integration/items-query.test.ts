import { afterAll, describe, expect, it } from 'vitest'
import { backgroundLister, type IdLister } from '../../electron/core/db/background-list'
import { MMAP_BYTES, openProject } from '../../electron/core/db/open'
import { createRepos } from '../../electron/core/db/repos'
import { buildQuery, currentLabel, type ItemQuery } from '../../electron/core/db/repos/item-query'
import { rangedIds } from '../../electron/core/db/repos/item-ids'
import { writeDemoProject } from '../../electron/core/demo'
import type { ItemFilter } from '../../shared/domain'
import { DEFAULT_FILTER } from '../../shared/table-query'
import { tempDir } from '../helpers/paths'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('the items table query (search, filter, sort)', () => {
  const path = tmp.file('demo.assay')
  writeDemoProject(path)
  const { db } = openProject(path, { mode: 'open' })
  const items = createRepos(db).items
  const all = (filter: Partial<ItemFilter>, extra: Parameters<typeof items.list>[2] = {}) =>
    items.list(0, 1000, { filter: { ...DEFAULT_FILTER, ...filter }, ...extra })
  const sql = (q: string) => db.prepare(q).pluck().get()

  it('filters by human label on Overall', () => {
    expect(all({ label: 'labeled' }).total).toBe(120)
    expect(all({ label: 'pass' }).total + all({ label: 'fail' }).total).toBe(120)
    expect(all({ label: 'unlabeled' }).total).toBe(1550 - 120)
    expect(all({ label: 'fail' }).rows.every((r) => r.label === 'fail')).toBe(true)
    expect(items.ids({ filter: { ...DEFAULT_FILTER, label: 'fail' } })).toEqual(
      all({ label: 'fail' }).rows.map((r) => r.id),
    )
  })

  it('filters by judge verdict, and finds the disagreements between judge and human (test split hidden until shown)', () => {
    expect(all({ judge: 'none' }).total).toBe(1550 - 120 - 1200)
    // The demo's test results have not been shown: its test-split verdicts are "hidden", in no verdict filter.
    const inTest = "l.item_id IN (SELECT item_id FROM splits WHERE criterion_id = 1 AND split = 'test')"
    // The first annotator's labels are the current ones (the second labeled 40 of the same items before).
    const hidden = sql(
      `SELECT count(*) FROM labels l JOIN verdicts v ON v.item_id = l.item_id WHERE l.criterion_id = 1 AND l.annotator = 'demo-annotator' AND ${inTest}`,
    )
    expect(hidden).toBeGreaterThan(0)
    expect(items.list(0, 1550).rows.filter((r) => r.judge === 'hidden')).toHaveLength(hidden as number)
    const disagree = all({ label: 'labeled', judge: 'disagree' })
    const expected = sql(
      `SELECT count(*) FROM labels l JOIN verdicts v ON v.item_id = l.item_id WHERE l.criterion_id = 1 AND l.annotator = 'demo-annotator' AND l.verdict <> v.verdict AND NOT ${inTest}`,
    )
    expect(disagree.total).toBe(expected)
    expect(disagree.rows.every((r) => r.label !== r.judge && r.label !== null && r.judge !== null)).toBe(true)
  })

  it('filters by dataset and by a metadata value (keys with any characters), combined with search', () => {
    expect(all({ dataset: 2 }).total).toBe(150)
    const vegan = all({ metadata: { key: 'diet', value: 'vegan' } })
    expect(vegan.total).toBeGreaterThan(10)
    expect(vegan.rows.every((r) => r.kind === 'chat')).toBe(true)
    expect(
      all({ metadata: { key: 'diet', value: 'vegan' } }, { search: 'lentil' }).rows.every((r) =>
        r.inputPreview.includes('lentil'),
      ),
    ).toBe(true)
    expect(all({ metadata: { key: 'it\'s "odd".key', value: 'x' } }).total).toBe(0)
  })

  it('sorts by label, judge, length and a metadata key, and pages through the sorted list', () => {
    const byLabel = items.list(0, 130, { sort: { by: 'label', desc: false } })
    expect(byLabel.rows.slice(0, 120).map((r) => r.label)).toEqual(
      [...byLabel.rows.slice(0, 120).map((r) => r.label)].sort(),
    )
    expect(byLabel.rows[120].label).toBeNull() // unlabeled last
    const longest = items.list(0, 1, { sort: { by: 'length', desc: true } }).rows[0]
    const longestLength = sql('SELECT max(length(input) + length(output) + length(messages_json)) FROM items')
    expect(
      sql(`SELECT length(input) + length(output) + length(messages_json) FROM items WHERE id = ${longest.id}`),
    ).toBe(longestLength)
    const topics = items.list(0, 1550, { sort: { by: 'metadata', key: 'topic', desc: false } }).rows
    const withTopic = topics.filter((r) => r.kind === 'pipeline')
    expect(topics.slice(0, withTopic.length).every((r) => r.kind === 'pipeline')).toBe(true)
    const page2 = items.list(100, 100, { sort: { by: 'id', desc: true } })
    expect(page2.rows[0].id).toBe(1550 - 100)
    expect(items.ids({ sort: { by: 'id', desc: true } })).toEqual(items.ids().reverse())
    expect(items.ids({ sort: { by: 'id', desc: true } })).toEqual(
      db.prepare('SELECT id FROM items ORDER BY id DESC').pluck().all(),
    )
  })

  it('offers the datasets and metadata keys as facets', () => {
    const facets = items.facets()
    expect(facets.datasets.map((d) => d.count)).toEqual([200, 150, 1200])
    expect(facets.metadataKeys).toEqual(expect.arrayContaining(['synthetic', 'diet', 'channel', 'topic']))
  })

  it("lets the newest annotator win, treats an undo as taking back only that annotator's label, and sees its own writes at once", () => {
    const labels = createRepos(db).labels
    const unlabeled = all({ label: 'unlabeled' }).total
    const target = all({ label: 'unlabeled' }).rows[0]
    const base = { itemId: target.id, criterionId: 1, criterionVersion: 1, note: '', firstFailingStep: null }
    labels.add({ ...base, verdict: 'pass', annotator: 'ann' }, 't1') // the same connection: no data_version change
    expect(all({ label: 'unlabeled' }).total).toBe(unlabeled - 1)
    expect(all({ label: 'pass' }).rows.some((r) => r.id === target.id)).toBe(true)
    labels.add({ ...base, verdict: 'defer', annotator: 'other' }, 't2')
    expect(items.list(0, 1, { search: target.externalId }).rows[0].label).toBe('defer')
    // other's undo takes back other's label: ann's pass is the current label again.
    labels.add({ ...base, verdict: 'cleared', annotator: 'other' }, 't3')
    expect(items.list(0, 1, { search: target.externalId }).rows[0].label).toBe('pass')
    labels.add({ ...base, verdict: 'cleared', annotator: 'ann' }, 't4')
    expect(items.list(0, 1, { search: target.externalId }).rows[0].label).toBeNull()
    expect(all({ label: 'unlabeled' }).total).toBe(unlabeled)
    expect(items.list(0, 5, { sort: { by: 'label', desc: false } }).rows.every((r) => r.label !== null)).toBe(true)
  })

  it('locates an id within the current filter, or says that the filter hides it', () => {
    const fails = all({ label: 'fail' })
    const third = fails.rows[2]
    expect(items.locate(third.externalId, { filter: { ...DEFAULT_FILTER, label: 'fail' } })).toEqual({
      id: third.id,
      index: 2,
    })
    const hidden = all({ label: 'pass' }).rows[0]
    expect(items.locate(hidden.externalId, { filter: { ...DEFAULT_FILTER, label: 'fail' } })).toEqual({
      id: hidden.id,
      index: -1,
    })
    expect(items.locate('no-such-id')).toBeNull()
    expect(items.locate('pipe-00010')).toEqual({ id: 210, index: 209 })
  })

  it('finds current labels through the per-item index, never by walking every label of a criterion', () => {
    // With ORDER BY l.id, SQLite would otherwise pick labels_criterion and scan it once per item
    // (seen on a 100 000-item project with 60 000 labels: minutes for a session over all items).
    const big = tmp.file('many-labels.assay')
    writeDemoProject(big, { unlabeled: 3000 })
    const { db: many } = openProject(big, { mode: 'open' })
    many.exec(`INSERT INTO labels (item_id, criterion_id, criterion_version, verdict, annotator, created_at)
      SELECT id, 1, 1, 'pass', 'bulk', 't' FROM items`)
    const queries = [
      buildQuery({ filter: { ...DEFAULT_FILTER, label: 'stale' } }),
      { sql: `SELECT i.id, ${currentLabel('l.criterion_id = 1')} FROM items i`, params: {} }, // a session's candidates
    ]
    for (const { sql, params } of queries) {
      const plan = (many.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n')
      expect(plan).toContain('labels_item_criterion')
      expect(plan).not.toMatch(/INDEX labels_criterion\b/)
    }
    many.close()
  })

  it('filters by label through the current labels exactly as the per-item rule decides (undos, several annotators)', () => {
    const path = tmp.file('label-filters.assay')
    writeDemoProject(path, { unlabeled: 300 })
    const { db: d } = openProject(path, { mode: 'open' })
    const repos = createRepos(d)
    // Undos, a later annotator, defers and a label on another criterion over the demo's labels.
    const add = (itemId: number, verdict: 'pass' | 'fail' | 'defer' | 'cleared', annotator: string, criterionId = 1) =>
      repos.labels.add(
        { itemId, criterionId, criterionVersion: 1, note: '', firstFailingStep: null, verdict, annotator },
        't',
      )
    for (let id = 1; id <= 400; id += 7) add(id, id % 2 ? 'fail' : 'defer', 'late')
    for (let id = 1; id <= 400; id += 21) add(id, 'cleared', 'late')
    for (let id = 3; id <= 400; id += 11) add(id, 'cleared', 'demo-annotator')
    for (let id = 5; id <= 400; id += 13) add(id, 'fail', 'other', 2)
    const perItem = (condition: string) =>
      d.prepare(`SELECT i.id FROM items i WHERE ${condition} ORDER BY i.id`).pluck().all() as number[]
    const expected = {
      unlabeled: perItem(
        `${currentLabel("l.criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall')")} IS NULL`,
      ),
      labeled: perItem(`${currentLabel('l.criterion_id = 1')} IN ('pass', 'fail')`),
      pass: perItem(`${currentLabel('l.criterion_id = 1')} = 'pass'`),
      fail: perItem(`${currentLabel('l.criterion_id = 1')} = 'fail'`),
      defer: perItem(`${currentLabel('l.criterion_id = 1')} = 'defer'`),
    }
    for (const [label, ids] of Object.entries(expected)) {
      expect(ids.length, label).toBeGreaterThan(5)
      expect(
        createRepos(d).items.ids({ filter: { ...DEFAULT_FILTER, label: label as ItemFilter['label'] } }),
        label,
      ).toEqual(ids)
    }
    d.close()
  })

  it('answers every item or the unlabeled ones, by id or by label, from the id range exactly as SQLite lists them', () => {
    const path = tmp.file('ranged.assay')
    writeDemoProject(path, { unlabeled: 300 })
    const { db: d } = openProject(path, { mode: 'open' })
    const repos = createRepos(d)
    const add = (itemId: number, verdict: 'pass' | 'fail' | 'defer' | 'cleared', annotator: string) =>
      repos.labels.add(
        { itemId, criterionId: 1, criterionVersion: 1, note: '', firstFailingStep: null, verdict, annotator },
        't',
      )
    for (let id = 1; id <= 600; id += 7) add(id, id % 2 ? 'fail' : 'defer', 'late')
    for (let id = 1; id <= 600; id += 21) add(id, 'cleared', 'late')
    add(650, 'pass', 'late') // the last item is labeled
    const queries: ItemQuery[] = [
      {},
      { sort: { by: 'id', desc: true } },
      { filter: { ...DEFAULT_FILTER, label: 'unlabeled' } },
      { filter: { ...DEFAULT_FILTER, label: 'unlabeled' }, sort: { by: 'id', desc: true } },
      { sort: { by: 'label', desc: false } },
      { sort: { by: 'label', desc: true } },
      { filter: { ...DEFAULT_FILTER, label: 'unlabeled' }, sort: { by: 'label', desc: true } },
    ]
    const listed = (q: ItemQuery) => {
      const { sql, params } = buildQuery(q)
      return d.prepare(sql).pluck().all(params) as number[]
    }
    const externalIds = d.prepare('SELECT id, external_id FROM items').raw().all() as [number, string][]
    // Asked anew each time (a version of its own), as a new query on the items as they are.
    const count = d.prepare('SELECT count(*) FROM items').pluck()
    let asked = 0
    const ranged = rangedIds(
      d,
      () => String(asked++),
      () => count.get() as number,
    )
    const check = (fromRange: boolean) => {
      for (const q of queries) {
        const ids = listed(q)
        expect(ranged(q) !== null, JSON.stringify(q)).toBe(fromRange)
        expect(repos.items.ids(q), JSON.stringify(q)).toEqual(ids)
        for (const offset of [0, 99, 300, ids.length - 5, ids.length])
          expect(repos.items.list(offset, 10, q).rows.map((r) => r.id)).toEqual(ids.slice(offset, offset + 10))
        expect(repos.items.list(0, 1, q).total).toBe(ids.length)
        for (const [id, externalId] of externalIds.filter((_, i) => i % 37 === 0))
          expect(repos.items.locate(externalId, q)).toEqual({ id, index: ids.indexOf(id) })
      }
    }
    // The filter bar's dataset counts, worked out from each dataset's first and last id while they allow it.
    const grouped = d.prepare(
      'SELECT d.id, d.name, count(i.id) AS count FROM datasets d LEFT JOIN items i ON i.dataset_id = d.id GROUP BY d.id',
    )
    const datasets = () => expect(repos.items.facets().datasets).toEqual(grouped.all())
    check(true)
    datasets()
    d.prepare("INSERT INTO datasets (name, format, created_at) VALUES ('empty', 'jsonl', 't')").run()
    datasets()
    // A gap in the ids (an item deleted): SQLite lists them again.
    d.prepare('DELETE FROM items WHERE id = 321').run()
    check(false)
    datasets()
    d.prepare('DELETE FROM items WHERE id = 650').run() // the last item: no gap, but one dataset's span is short
    datasets()
    d.prepare('UPDATE items SET dataset_id = 1 WHERE id = 600').run() // spans that overlap
    datasets()
    d.close()
  })

  it('shows the first pages of a large answer before counting it, as SQLite lists it; the exact count comes from a worker', async () => {
    const path = tmp.file('peek.assay')
    writeDemoProject(path)
    const { db: d } = openProject(path, { mode: 'open' })
    const worker = backgroundLister(path, MMAP_BYTES)
    let listedInWorker = 0
    let onListed = () => {}
    const lister: IdLister = async (sql, params) => {
      const ids = await worker(sql, params)
      listedInWorker += 1
      onListed()
      return ids
    }
    const repos = createRepos(d, lister)
    const lateItem = (datasetId: number) => ({
      datasetId,
      externalId: 'late-lentil',
      kind: 'text' as const,
      input: 'a late LENTIL soup',
      output: 'o',
      messages: [],
      metadata: {},
      steps: [],
    })
    const listed = (q: ItemQuery) => {
      const { sql, params } = buildQuery(q)
      return d.prepare(sql).pluck().all(params) as number[]
    }
    const judged = (judge: ItemFilter['judge'], label: ItemFilter['label'] = 'any') => ({
      filter: { ...DEFAULT_FILTER, judge, label },
    })
    const queries = (
      [
        judged('fail'),
        judged('pass'),
        judged('none'),
        judged('error'),
        judged('disagree', 'labeled'),
        { search: 'the' },
        { search: 'lentil' },
        { search: 'ab' }, // below three characters: the scan
        { filter: { ...DEFAULT_FILTER, dataset: 3 } },
        { filter: { ...DEFAULT_FILTER, metadata: { key: 'diet', value: 'vegan' } } },
        { filter: { ...DEFAULT_FILTER, judge: 'pass', metadata: { key: 'diet', value: 'vegan' } }, search: 'a' },
      ] as ItemQuery[]
    ).flatMap((q): ItemQuery[] => [q, { ...q, sort: { by: 'id', desc: true } }])
    let peeked = 0
    for (const q of queries) {
      const ids = listed(q)
      const name = JSON.stringify(q)
      for (const offset of [0, 100, 400]) {
        const page = repos.items.list(offset, 100, q)
        expect(
          page.rows.map((r) => r.id),
          name,
        ).toEqual(ids.slice(offset, offset + 100))
        // Before the count: the rows that follow the page are known to exist, no more.
        if (ids.length > offset + 100) expect(page, name).toMatchObject({ total: offset + 101, counted: false })
        else expect(page, name).toMatchObject({ total: ids.length, counted: true })
        if (!page.counted) peeked += 1
      }
      expect(await repos.items.countMatching(q), name).toBe(ids.length)
      expect(repos.items.list(0, 100, q), name).toMatchObject({ total: ids.length, counted: true })
      expect(
        repos.items.list(400, 100, q).rows.map((r) => r.id),
        name,
      ).toEqual(ids.slice(400, 500))
    }
    expect(peeked).toBeGreaterThan(20)
    expect(listedInWorker).toBeGreaterThan(5)
    // Sorts other than by id, and label filters, are listed (and counted) at once, as before.
    expect(repos.items.list(0, 10, { ...judged('fail'), sort: { by: 'judge', desc: false } }).counted).toBe(true)
    expect(repos.items.list(0, 10, { filter: { ...DEFAULT_FILTER, label: 'labeled' } }).counted).toBe(true)

    // Items that change while the worker lists: its answer is out of date, so the count is made again here.
    const q = { search: 'lentil', filter: { ...DEFAULT_FILTER, label: 'unlabeled' } } satisfies ItemQuery
    const before = listed(q).length
    const [newest] = d.prepare('SELECT * FROM items ORDER BY id DESC LIMIT 1').all() as { dataset_id: number }[]
    onListed = () => {
      onListed = () => {}
      repos.items.insert(lateItem(newest.dataset_id), 't')
    }
    expect(await repos.items.countMatching(q)).toBe(before + 1)
    expect(listed(q)).toHaveLength(before + 1)
    // A newer count stops the one still listing, which is refused (nobody waits for it); the newer one counts.
    const counted = createRepos(d, backgroundLister(path, MMAP_BYTES)).items
    const older = counted.countMatching(judged('pass'))
    const newer = counted.countMatching(judged('fail'))
    await expect(older).rejects.toThrow('A newer count replaced this one.')
    expect(await newer).toBe(listed(judged('fail')).length)
    // More datasets than one peek merges (SQLite allows 500 terms in a compound SELECT): listed whole,
    // the same rows.
    const addDataset = d.prepare("INSERT INTO datasets (name, format, created_at) VALUES (?, 'jsonl', 't')")
    for (let k = 0; k < 500; k++) {
      const datasetId = Number(addDataset.run(`extra-${k}`).lastInsertRowid)
      repos.items.insert({ ...lateItem(datasetId), externalId: `extra-${k}` }, 't')
    }
    const many = repos.items.list(0, 100, judged('fail'))
    expect(many).toMatchObject({ counted: true, total: listed(judged('fail')).length })
    expect(many.rows.map((r) => r.id)).toEqual(listed(judged('fail')).slice(0, 100))
    // A worker that cannot run: counted here instead.
    const failing = createRepos(d, () => Promise.reject(new Error('no worker')))
    expect(await failing.items.countMatching(judged('fail'))).toBe(listed(judged('fail')).length)
    d.close()
  })

  it('counts a search alone at once, and lists its ids in a worker meanwhile for the pages past the first', async () => {
    const path = tmp.file('count-here.assay')
    writeDemoProject(path)
    const { db: d } = openProject(path, { mode: 'open' })
    const worker = backgroundLister(path, MMAP_BYTES)
    const asked: string[] = []
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const lister: IdLister = async (sql, params) => {
      asked.push(sql)
      await held
      return worker(sql, params)
    }
    const { items: counted } = createRepos(d, lister)
    const q = { search: 'ing' }
    const { sql, params } = buildQuery(q)
    const ids = d.prepare(sql).pluck().all(params) as number[]
    expect(ids.length).toBeGreaterThan(1000) // more than the table peeks at
    expect(counted.list(0, 100, q)).toMatchObject({ total: 101, counted: false })
    // The count comes while the worker's listing is still held back.
    expect(await counted.countMatching(q)).toBe(ids.length)
    expect(asked).toEqual([sql])
    // Pages asked after the count say it, before the ids are listed.
    const page = counted.list(100, 100, q)
    expect(page).toMatchObject({ total: ids.length, counted: true })
    expect(page.rows.map((r) => r.id)).toEqual(ids.slice(100, 200))
    // Once listed, the ids are kept: a far page and the count read them without asking SQLite again.
    release()
    await expect.poll(() => counted.list(ids.length - 3, 10, q).rows.map((r) => r.id)).toEqual(ids.slice(-3))
    expect(await counted.countMatching(q)).toBe(ids.length)
    expect(asked).toHaveLength(1)
    // Another query's count: a filter besides the search goes to the worker, as before.
    const filtered = { ...q, filter: { ...DEFAULT_FILTER, label: 'unlabeled' } } satisfies ItemQuery
    const listed = buildQuery(filtered)
    expect(await counted.countMatching(filtered)).toBe(d.prepare(listed.sql).pluck().all(listed.params).length)
    expect(asked).toEqual([sql, listed.sql])
    d.close()
  })

  it('searches with non-ASCII capitals, and filters on boolean metadata', () => {
    db.prepare(
      "UPDATE items SET input = 'Über die École', metadata_json = json_set(metadata_json, '$.escalated', json('true')) WHERE id = 5",
    ).run()
    expect(items.list(0, 10, { search: 'Über' }).rows.map((r) => r.id)).toEqual([5])
    expect(items.list(0, 10, { search: 'école' }).rows.map((r) => r.id)).toEqual([5])
    expect(items.list(0, 10, { search: 'ÜBER' }).rows.map((r) => r.id)).toEqual([5])
    expect(all({ metadata: { key: 'escalated', value: 'true' } }).rows.map((r) => r.id)).toEqual([5])
  })
})
