import type { Statement } from 'better-sqlite3'
import type { ChatMessage, ItemDetail, ItemRow, Step } from '../../../../shared/domain'
import { AppError } from '../../../../shared/errors'
import { ListingReplaced, type IdLister } from '../background-list'
import type { Db } from '../open'
import { heldIds, type IdList } from './id-list'
import { cachedIds, itemsVersion, perVersion } from './item-ids'
import {
  buildQuery,
  isPlain,
  peekQuery,
  searchCountQuery,
  OVERALL_JUDGE,
  OVERALL_LABEL,
  shownVerdict,
  testLocked,
  type ItemQuery,
} from './item-query'

export type { ItemQuery }

export interface NewItem {
  datasetId: number
  externalId: string
  kind: 'chat' | 'pipeline' | 'text'
  input: string
  output: string
  messages: ChatMessage[]
  metadata: Record<string, unknown>
  steps: Omit<Step, 'index'>[]
}

const PREVIEW = 160
/** The label and judge columns of the table are about the `Overall` criterion. */
const rowSelect = /* sql */ `
  SELECT i.id, i.external_id AS externalId, d.name AS dataset, i.kind,
         substr(i.input, 1, ${PREVIEW}) AS inputPreview, substr(i.output, 1, ${PREVIEW}) AS outputPreview,
         ${OVERALL_LABEL} AS label, ${OVERALL_JUDGE} AS judge
  FROM items i JOIN datasets d ON d.id = i.dataset_id`

/**
 * Items: insert in bulk, page through for the table, read one whole for the detail pane.
 * `lister` lists a large query's ids off this thread for its exact count (see `count`).
 */
export function itemsRepo(db: Db, lister?: IdLister) {
  // Searches compare through `ulower` (see item-query.ts), so it is registered before any query.
  db.function('ulower', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? text.toLowerCase() : text,
  )
  const table = itemTable(db, lister)
  return { ...itemInserts(db), ...table, ...itemDetail(db), ...itemFacets(db, table.count) }
}

/** Writing items with their steps (an import or the demo). */
function itemInserts(db: Db) {
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertStep = db.prepare(
    'INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)',
  )
  return {
    /** Inserts one item with its steps; call inside a transaction for bulk loads. */
    insert(item: NewItem, createdAt: string): number {
      const id = Number(
        insertItem.run(
          item.datasetId,
          item.externalId,
          item.kind,
          item.input,
          item.output,
          JSON.stringify(item.messages),
          JSON.stringify(item.metadata),
          createdAt,
        ).lastInsertRowid,
      )
      item.steps.forEach((s, idx) => insertStep.run(id, idx, s.name, s.input, s.output, JSON.stringify(s.metadata)))
      return id
    },
  }
}

/** Rows the table may show of a query before its count is known (see `list`). */
const PEEK_ROWS = 1_000
/**
 * A search is counted on the request's thread up to `COUNT_HERE` matches (FTS5: about 20 ms), and
 * while at most `UNINDEXED_HERE` items wait for the index (each scanned: 5 KB traces, ~20 ms);
 * beyond either, its count is listed in a worker.
 */
const COUNT_HERE = 100_000
const UNINDEXED_HERE = 5_000

/** A page of the table: its rows, and the count of all that match (a lower bound until `counted`). */
export interface ItemsPage {
  total: number
  rows: ItemRow[]
  /** False when `total` only says that more rows follow: `countMatching` gives the exact number. */
  counted: boolean
}

/**
 * Searches counted on the request's thread (see `COUNT_HERE`), the last count kept for the
 * version of the items it was made at, so the pages asked after it say it before its ids are listed.
 */
function searchCounter(db: Db, version: () => string) {
  const statements = new Map<string, Statement>()
  // Items the index does not hold yet (new since, or changed), counted up to a cap: a search scans them.
  let unindexed: Statement | null = null
  const behind = (): number =>
    (unindexed ??= db
      .prepare(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM items WHERE id > (SELECT indexed_upto FROM search_state) LIMIT @cap))
              + (SELECT count(*) FROM (SELECT 1 FROM search_stale LIMIT @cap))`,
      )
      .pluck()).get({ cap: UNINDEXED_HERE + 1 }) as number
  let last: { key: string; n: number } | null = null
  const keyOf = (query: ItemQuery) => `${version()}:${JSON.stringify(query)}`
  return {
    /** The count of a search alone with at most `COUNT_HERE` matches; null for any other query, or more matches. */
    count(query: ItemQuery): number | null {
      const built = searchCountQuery(query)
      // While the index catches up (after a large import), the scan of the rest would hold this thread.
      if (!built || behind() > UNINDEXED_HERE) return null
      let statement = statements.get(built.sql)
      if (!statement) statements.set(built.sql, (statement = db.prepare(built.sql).pluck()))
      const n = statement.get({ ...built.params, cap: COUNT_HERE + 1 }) as number
      if (n > COUNT_HERE) return null
      last = { key: keyOf(query), n }
      return n
    },
    /** The last count, if it is of this query and the items have not changed since. */
    known: (query: ItemQuery): number | null => (last?.key === keyOf(query) ? last.n : null),
  }
}

/** The table: counting, the ordered ids of a query (cached), one page of rows, finding a row. */
function itemTable(db: Db, lister?: IdLister) {
  const count = db.prepare('SELECT count(*) AS n FROM items').pluck()
  const firstPage = db.prepare(`${rowSelect} ORDER BY i.id LIMIT ?`)
  // Rows in the order of the id list (which may be sorted by label, judge, metadata…).
  const pageByIds = db.prepare(`${rowSelect} JOIN json_each(?) AS p ON p.value = i.id ORDER BY p.key`)
  const idsByExternalId = db.prepare('SELECT id FROM items WHERE external_id = ? ORDER BY id').pluck()
  const datasetIds = db.prepare('SELECT id FROM datasets ORDER BY id').pluck()
  const version = itemsVersion(db)
  // Counted once per version of the items: the first page at opening and the id ranges share it.
  const itemCount = perVersion(version, () => count.get() as number)
  const ids = cachedIds(db, version, itemCount)
  const peeks = new Map<string, Statement>()
  const rowsOf = (page: number[]) => (page.length ? (pageByIds.all(JSON.stringify(page)) as ItemRow[]) : [])

  /**
   * The first `limit` ids of a query that only a whole listing would count, found by SQLite in id
   * order without the rest: a judge filter or a search over a million items answers its first
   * page in a millisecond where listing every match takes a second. Null where the query is
   * known already or is not in id order.
   */
  const peek = (query: ItemQuery, limit: number): number[] | null => {
    const f = query.filter
    const costly = query.search?.trim() || (f && (f.judge !== 'any' || f.dataset !== null || f.metadata !== null))
    if (!costly || ids.known(query)) return null
    const built = peekQuery(query, datasetIds.all() as number[])
    if (!built) return null
    let statement = peeks.get(built.sql)
    if (!statement) {
      // One statement per query shape and set of datasets: a few, unless imports keep adding datasets.
      if (peeks.size >= 64) peeks.clear()
      peeks.set(built.sql, (statement = db.prepare(built.sql).pluck()))
    }
    return statement.all({ ...built.params, limit }) as number[]
  }

  const searches = searchCounter(db, version)
  const countKnown = (query: ItemQuery): number | null => searches.known(query) ?? ids.known(query)?.length ?? null

  /**
   * A query's ids listed by `lister` on another thread and kept, as `ids` keeps them; null where
   * there is no lister, it fails, or the items changed meanwhile (asked at version `asked`).
   */
  const listElsewhere = async (query: ItemQuery, asked: string): Promise<IdList | null> => {
    if (!lister) return null
    const { sql, params } = buildQuery(query)
    const listed = await lister(sql, params).catch((error: unknown) => {
      if (error instanceof ListingReplaced) throw error
      return null
    })
    return listed && version() === asked ? ids.put(query, heldIds(listed)) : null
  }

  return {
    count: itemCount,

    /** Every id of the table as queried, in order. */
    ids: (query: ItemQuery = {}): number[] => ids.get(query).toArray(),

    /**
     * One page of table rows; `search` matches id, input or output, case-insensitively. The first
     * pages of a large answer come before its count (`counted: false`; ask `countMatching`).
     */
    list(offset: number, limit: number, query: ItemQuery = {}): ItemsPage {
      // Opening a project shows the first page at once, before any id list is built.
      if (isPlain(query) && offset === 0)
        return { total: itemCount(), rows: firstPage.all(limit) as ItemRow[], counted: true }
      const peeked = offset + limit < PEEK_ROWS ? peek(query, offset + limit + 1) : null
      if (peeked && peeked.length > offset + limit) {
        const total = countKnown(query)
        const rows = rowsOf(peeked.slice(offset, offset + limit))
        return { total: total ?? offset + limit + 1, rows, counted: total !== null }
      }
      // Everything that matches, when the peek found fewer: the whole list, known now.
      const list = peeked ? ids.put(query, heldIds(Int32Array.from(peeked))) : ids.get(query)
      return { total: list.length, rows: rowsOf(list.slice(offset, limit)), counted: true }
    },

    /**
     * The exact count of a query's rows. A search of up to `COUNT_HERE` matches is counted here at
     * once; any other query not known yet is listed by `lister` on another thread (then kept, as
     * `ids` keeps it), so counting a million items never holds up a keypress; here where there is
     * no lister, it fails, or the items changed while it listed. Refused when a newer count
     * replaced it (see `backgroundLister`).
     */
    async countMatching(query: ItemQuery = {}): Promise<number> {
      const known = countKnown(query)
      if (known !== null) return known
      const asked = version()
      const counted = searches.count(query)
      if (counted !== null) {
        // Exact now; the ids, which pages past the peek read, are listed meanwhile off this thread.
        void listElsewhere(query, asked).catch(() => {})
        return counted
      }
      const listed = await listElsewhere(query, asked).catch((error: unknown) => {
        // A newer count replaced this one: its asker has moved on, so nothing is listed for it here.
        if (error instanceof ListingReplaced) throw new AppError('conflict', 'A newer count replaced this one.')
        return null
      })
      return (listed ?? ids.get(query)).length
    },

    /**
     * The row of an external id in the table as it is now (search, filter and sort applied):
     * `index` is -1 when the item exists but the current filters hide it; null when no item has it.
     */
    locate(externalId: string, query: ItemQuery = {}): { id: number; index: number } | null {
      const matches = idsByExternalId.all(externalId) as number[]
      if (matches.length === 0) return null
      const list = ids.get(query)
      for (const id of matches) {
        const index = list.indexOf(id)
        if (index >= 0) return { id, index }
      }
      return { id: matches[0], index: -1 }
    },
  }
}

interface ItemRecord {
  id: number
  external_id: string
  dataset: string
  kind: ItemDetail['kind']
  input: string
  output: string
  messages_json: string
  metadata_json: string
}

interface StepRecord {
  idx: number
  name: string
  input: string
  output: string
  metadata_json: string
}

/** One item in full for the detail pane: its trace, steps, labels and judges' verdicts. */
function itemDetail(db: Db) {
  const byId = db.prepare(
    `SELECT i.id, i.external_id, d.name AS dataset, i.kind, i.input, i.output, i.messages_json, i.metadata_json
     FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?`,
  )
  const stepsOf = db.prepare('SELECT idx, name, input, output, metadata_json FROM steps WHERE item_id = ? ORDER BY idx')
  const labelsOf = db.prepare(
    `SELECT c.name AS criterion, l.verdict, l.note, l.annotator, s.split, l.created_at AS createdAt
     FROM current_labels l JOIN criteria c ON c.id = l.criterion_id
     LEFT JOIN splits s ON s.criterion_id = l.criterion_id AND s.item_id = l.item_id
     WHERE l.item_id = ? ORDER BY c.kind = 'overall' DESC, c.name`,
  )
  const verdictsOf = db.prepare(
    `SELECT j.name AS judge, jv.version, c.name AS criterion, r.id AS runId, r.scope, ${shownVerdict('c.id')} AS verdict,
       CASE WHEN ${testLocked('c.id')} THEN '' ELSE v.critique END AS critique
     FROM verdicts v JOIN runs r ON r.id = v.run_id JOIN judge_versions jv ON jv.id = r.judge_version_id
     JOIN judges j ON j.id = jv.judge_id JOIN criteria c ON c.id = j.criterion_id
     WHERE v.item_id = ? ORDER BY r.id DESC`,
  )

  return {
    /** One item in full; `assessments: false` skips its labels and verdicts (a judge run needs only the trace). */
    get(id: number, o: { assessments: boolean } = { assessments: true }): ItemDetail | null {
      const row = byId.get(id) as ItemRecord | undefined
      if (!row) return null
      const steps = (stepsOf.all(id) as StepRecord[]).map((s) => ({
        index: s.idx,
        name: s.name,
        input: s.input,
        output: s.output,
        metadata: JSON.parse(s.metadata_json) as Step['metadata'],
      }))
      return {
        id: row.id,
        externalId: row.external_id,
        dataset: row.dataset,
        kind: row.kind,
        input: row.input,
        output: row.output,
        messages: JSON.parse(row.messages_json) as ChatMessage[],
        metadata: JSON.parse(row.metadata_json) as ItemDetail['metadata'],
        steps,
        labels: o.assessments ? (labelsOf.all(id) as ItemDetail['labels']) : [],
        verdicts: o.assessments ? (verdictsOf.all(id) as ItemDetail['verdicts']) : [],
      }
    },
  }
}

/** What the filter bar offers: datasets, metadata keys and step names (`itemCount`: the table's, per version). */
function itemFacets(db: Db, itemCount: () => number) {
  const facetDatasets = db.prepare(
    'SELECT d.id, d.name, count(i.id) AS count FROM datasets d LEFT JOIN items i ON i.dataset_id = d.id GROUP BY d.id ORDER BY d.id',
  )
  const datasetSpans = db.prepare(
    `SELECT d.id, d.name, (SELECT min(id) FROM items WHERE dataset_id = d.id) AS first,
       (SELECT max(id) FROM items WHERE dataset_id = d.id) AS last FROM datasets d ORDER BY d.id`,
  )
  /**
   * Each dataset's count from its first and last id, when the spans cannot hold another's items:
   * apart from each other and, together, exactly as long as the items are many (each span then is
   * full). Otherwise, or with gaps, counted item by item.
   */
  const datasetCounts = (): { id: number; name: string; count: number }[] => {
    type Span = { id: number; name: string; first: number | null; last: number | null }
    const spans = datasetSpans.all() as Span[]
    const held = spans
      .flatMap((s) => (s.first === null || s.last === null ? [] : [{ first: s.first, last: s.last }]))
      .sort((a, b) => a.first - b.first)
    const apart = held.every((s, i) => i === 0 || s.first > held[i - 1].last)
    const full = held.reduce((n, s) => n + s.last - s.first + 1, 0) === itemCount()
    if (!apart || !full) return facetDatasets.all() as { id: number; name: string; count: number }[]
    return spans.map((s) => ({
      id: s.id,
      name: s.name,
      count: s.first === null || s.last === null ? 0 : s.last - s.first + 1,
    }))
  }
  // Keys are sampled from the first 2 000 items of every dataset, so each import's fields show up.
  const facetKeys = db.prepare(
    `SELECT j.key, count(*) AS n FROM (SELECT metadata_json FROM items WHERE dataset_id = ? ORDER BY id LIMIT 2000) AS s, json_each(s.metadata_json) AS j
     WHERE j.type NOT IN ('object', 'array') GROUP BY j.key`,
  )
  // Step names, sampled like the keys: a DISTINCT over every step read a million-item project's steps whole.
  const stepNames = db
    .prepare(
      `SELECT DISTINCT s.name FROM steps s WHERE s.item_id IN (SELECT id FROM items WHERE dataset_id = ? ORDER BY id LIMIT 2000)`,
    )
    .pluck()

  return {
    /** The datasets and metadata keys the filter bar offers. */
    facets() {
      const datasets = datasetCounts()
      const counts = new Map<string, number>()
      for (const d of datasets)
        for (const { key, n } of facetKeys.all(d.id) as { key: string; n: number }[])
          counts.set(key, (counts.get(key) ?? 0) + n)
      const metadataKeys = [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 200)
        .map(([key]) => key)
      const steps = [...new Set(datasets.flatMap((d) => stepNames.all(d.id) as string[]))].sort().slice(0, 200)
      return { datasets, metadataKeys, steps }
    },
  }
}
