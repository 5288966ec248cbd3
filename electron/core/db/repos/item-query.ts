import type { ItemFilter, ItemSort } from '../../../../shared/domain'
import { foldForSearch } from '../search-index'

const META_PATH = "'$.' || json_quote(@metaKey)"

/** The table's query: a search, a filter and a sort, all optional. */
export interface ItemQuery {
  search?: string
  filter?: ItemFilter
  sort?: ItemSort
}

/**
 * The current human label of item `i` on a criterion: each annotator's newest label counts
 * (none when that newest row is an undo, `cleared`), and of those the most recent one wins. So
 * one annotator's undo never hides another's label. The one definition of "current label" for
 * the table, its filters and sorts, the counts, sessions and the export (`criterionCondition` is
 * an SQL condition on `l`). INDEXED BY: with `ORDER BY l.id` the planner would otherwise walk
 * every label of the criterion (labels_criterion) once per item.
 */
export const currentLabelRow = (
  criterionCondition: string,
  item = 'i.id',
): string => `SELECT l.id FROM labels l INDEXED BY labels_item_criterion
  WHERE l.item_id = ${item} AND ${criterionCondition} AND l.verdict <> 'cleared'
    AND NOT EXISTS (SELECT 1 FROM labels n WHERE n.item_id = l.item_id AND n.criterion_id = l.criterion_id AND n.annotator = l.annotator AND n.id > l.id)
  ORDER BY l.id DESC LIMIT 1`

export const currentLabel = (criterionCondition: string): string =>
  `(SELECT verdict FROM labels WHERE id = (${currentLabelRow(criterionCondition)}))`

export const OVERALL_LABEL = currentLabel("l.criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall')")

/**
 * Current labels of every item and criterion at once (the same rule, for counts over a whole
 * project): each annotator's newest row, undos dropped, then the newest of those per item and
 * criterion. Grouped scans over the labels index, so it stays linear in the number of labels.
 */
export const CURRENT_LABELS = `SELECT l.* FROM labels l WHERE l.id IN (
  SELECT max(x.id) FROM labels x
  WHERE x.id IN (SELECT max(id) FROM labels GROUP BY item_id, criterion_id, annotator) AND x.verdict <> 'cleared'
  GROUP BY x.item_id, x.criterion_id)`

/** The same, for one item (`@item`): what the export writes per row. */
export const CURRENT_LABELS_OF_ITEM = `SELECT l.* FROM labels l WHERE l.id IN (
  SELECT max(x.id) FROM labels x
  WHERE x.id IN (SELECT max(id) FROM labels WHERE item_id = @item GROUP BY criterion_id, annotator) AND x.verdict <> 'cleared'
  GROUP BY x.criterion_id)`

/** The same, for one criterion (`@c`): what splits and judge metrics compare with. */
export const CURRENT_LABELS_OF_CRITERION = `SELECT l.* FROM labels l WHERE l.id IN (
  SELECT max(x.id) FROM labels x
  WHERE x.id IN (SELECT max(id) FROM labels WHERE criterion_id = @c GROUP BY item_id, annotator) AND x.verdict <> 'cleared'
  GROUP BY x.item_id)`

/**
 * The test lock (methodology §4.7) in the item views: a verdict `v` of version `jv` on an item of
 * the test split of `criterion` stays out of sight until that version's test results have been
 * shown (Calibrate `t`, Judges, a report — which record the viewing). The views say `hidden`
 * instead, so browsing the Data table or labeling cannot peek at test disagreements.
 */
export const testLocked = (criterion: string): string =>
  `(jv.test_viewed_at IS NULL AND EXISTS (SELECT 1 FROM splits s WHERE s.criterion_id = ${criterion} AND s.item_id = v.item_id AND s.split = 'test'))`

/** A verdict as the item views show it: `hidden` under the test lock (see `testLocked`). */
export const shownVerdict = (criterion: string): string =>
  `CASE WHEN ${testLocked(criterion)} THEN 'hidden' ELSE v.verdict END`

/** The newest judge verdict on `Overall` for item `i` (from the latest run that judged it), as shown. */
export const OVERALL_JUDGE = `(SELECT ${shownVerdict('c.id')} FROM verdicts v JOIN runs r ON r.id = v.run_id
  JOIN judge_versions jv ON jv.id = r.judge_version_id JOIN judges j ON j.id = jv.judge_id
  JOIN criteria c ON c.id = j.criterion_id WHERE v.item_id = i.id AND c.kind = 'overall' ORDER BY v.run_id DESC LIMIT 1)`

/** The current `Overall` label was made under an older version of its definition. */
const OVERALL_STALE = `(SELECT criterion_version FROM labels WHERE id = (${currentLabelRow("l.criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall')")}))
  < (SELECT max(cv.version) FROM criterion_versions cv JOIN criteria c ON c.id = cv.criterion_id WHERE c.kind = 'overall')`

/**
 * The current `Overall` label of every labeled item at once (`item_id`, `verdict`): the rule of
 * `currentLabel` (each annotator's newest, undos dropped, the newest of those), grouped over the
 * labels, so a filter costs the labels' number rather than the items'.
 */
export const OVERALL_CURRENT = `SELECT x.item_id, x.verdict FROM labels x WHERE x.id IN (
  SELECT max(y.id) FROM labels y WHERE y.id IN (
    SELECT max(id) FROM labels WHERE criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall')
    GROUP BY item_id, criterion_id, annotator)
  AND y.verdict <> 'cleared' GROUP BY y.item_id)`

const LABEL = OVERALL_LABEL
const JUDGE = OVERALL_JUDGE

/**
 * Items whose id, input or output contains `@needle` (folded by `foldForSearch`, as the index is).
 * SQLite's lower() knows ASCII only; it is exact for an ASCII needle except where a text holds one
 * of the two characters JavaScript lowercases to ASCII (U+0130 İ, U+212A Kelvin sign), which go
 * through `ulower`, the JavaScript lowercase registered by itemsRepo. A needle of any other
 * characters compares through `ulower` throughout.
 */
export const scanCondition = (needle: string, alias: string): string =>
  ['external_id', 'input', 'output']
    .map((column) => {
      const text = `${alias}.${column}`
      return /[\u0080-\u{10ffff}]/u.test(needle)
        ? `instr(ulower(${text}), @needle)`
        : `(instr(lower(${text}), @needle) OR ((instr(${text}, 'İ') OR instr(${text}, 'K')) AND instr(ulower(${text}), @needle)))`
    })
    .join(' OR ')

/**
 * The search: the index's phrase match (`@phrase`) for the items it holds up to date, a scan for
 * the others (not yet indexed, or changed since: see migration 0011). Below three characters the
 * trigram index cannot help, and the scan does it all.
 */
function searchCondition(needle: string): { sql: string; ids: string | null; params: Record<string, string> } {
  if (Array.from(needle).length < 3) return { sql: `(${scanCondition(needle, 'i')})`, ids: null, params: { needle } }
  const upto = '(SELECT indexed_upto FROM search_state)'
  // Three branches, each in id order on its own (stale ids are at or below the watermark, so they
  // never meet the tail): an ordered UNION ALL then merges them, where one `OR` branch made SQLite
  // walk the whole table to keep the order.
  const ids = `SELECT rowid AS id FROM item_search WHERE item_search MATCH @phrase AND rowid <= ${upto}
        AND rowid NOT IN (SELECT item_id FROM search_stale)
      UNION ALL
      SELECT u.id FROM items u WHERE u.id > ${upto} AND (${scanCondition(needle, 'u')})
      UNION ALL
      SELECT u.id FROM items u WHERE u.id IN (SELECT item_id FROM search_stale) AND (${scanCondition(needle, 'u')})`
  return { sql: `i.id IN (${ids})`, ids, params: { needle, phrase: `"${needle.replaceAll('"', '""')}"` } }
}

export const isPlain = (q: ItemQuery): boolean =>
  !q.search?.trim() &&
  (!q.filter ||
    (q.filter.label === 'any' &&
      q.filter.judge === 'any' &&
      q.filter.dataset === null &&
      q.filter.metadata === null)) &&
  (!q.sort || (q.sort.by === 'id' && !q.sort.desc))

/** Label filters that SQLite answers by walking a list of item ids (the current labels), not the items. */
const LISTED_LABELS: ReadonlySet<ItemFilter['label']> = new Set(['labeled', 'pass', 'fail', 'defer'])

/** The filter's conditions on `i`, their values put into `params`. */
function filterClauses(f: ItemFilter, params: Record<string, unknown>): string[] {
  const where: string[] = []
  // Through the current labels (as many as there are labels), not a lookup per item.
  const labeled = (verdicts: string) =>
    `i.id IN (SELECT item_id FROM (${OVERALL_CURRENT}) WHERE verdict IN (${verdicts}))`
  const label = {
    any: null,
    unlabeled: `i.id NOT IN (SELECT item_id FROM (${OVERALL_CURRENT}))`,
    labeled: labeled("'pass', 'fail'"),
    pass: labeled("'pass'"),
    fail: labeled("'fail'"),
    defer: labeled("'defer'"),
    stale: `${LABEL} IS NOT NULL AND ${OVERALL_STALE}`,
  }[f.label]
  if (label) where.push(label)
  const judge = {
    any: null,
    none: `${JUDGE} IS NULL`,
    pass: `${JUDGE} = 'pass'`,
    fail: `${JUDGE} = 'fail'`,
    error: `${JUDGE} = 'error'`,
    disagree: `${JUDGE} IN ('pass', 'fail') AND ${LABEL} IN ('pass', 'fail') AND ${JUDGE} <> ${LABEL}`,
  }[f.judge]
  if (judge) where.push(judge)
  if (f.dataset !== null) {
    where.push('i.dataset_id = @dataset')
    params.dataset = f.dataset
  }
  if (f.metadata) {
    // JSON true/false compare as the words, not SQLite's 1/0.
    where.push(`CASE json_type(i.metadata_json, ${META_PATH}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
      ELSE CAST(json_extract(i.metadata_json, ${META_PATH}) AS TEXT) END = @metaValue`)
    params.metaKey = f.metadata.key
    params.metaValue = f.metadata.value
  }
  return where
}

/** The parts of a table query's SQL: its table, conditions, order, and the search's own id list. */
function queryParts(q: ItemQuery) {
  const params: Record<string, unknown> = {}
  const needle = q.search === undefined ? '' : foldForSearch(q.search.trim())
  const search = needle ? searchCondition(needle) : null
  if (search) Object.assign(params, search.params)
  const where = [...(search ? [search.sql] : []), ...(q.filter ? filterClauses(q.filter, params) : [])]
  const s = q.sort ?? { by: 'id', desc: false }
  const dir = s.desc ? 'DESC' : 'ASC'
  let order = `i.id ${dir}`
  if (s.by === 'label') order = `${LABEL} ${dir} NULLS LAST, i.id`
  if (s.by === 'judge') order = `${JUDGE} ${dir} NULLS LAST, i.id`
  if (s.by === 'length') order = `length(i.input) + length(i.output) + length(i.messages_json) ${dir}, i.id`
  if (s.by === 'metadata' && s.key) {
    order = `json_extract(i.metadata_json, '$.' || json_quote(@sortKey)) ${dir} NULLS LAST, i.id`
    params.sortKey = s.key
  }
  // A search alone, in id order, needs no row of the items: the index's ids are the answer.
  const searchOnly = search?.ids && where.length === 1 && s.by === 'id' ? search.ids : null
  // Conditions decided per item that read nothing of its row (an unlabeled or judge filter) walk
  // the small (dataset_id, id) index rather than the table, whose rows hold the traces: at a
  // million items, seconds less. A list SQLite can walk instead (a search, a label) stays first.
  const rowFree = !q.filter?.metadata && !(search && !search.ids) && s.by !== 'length' && s.by !== 'metadata'
  const listed = Boolean(search) || (q.filter !== undefined && LISTED_LABELS.has(q.filter.label))
  const byDataset = where.length > 0 && rowFree && !listed
  return { params, where, order, dir, searchOnly, byDataset, byId: s.by === 'id' }
}

/** The SQL of a table query; only fixed fragments are spliced in, every value is a parameter. */
export function buildQuery(q: ItemQuery): { sql: string; params: Record<string, unknown> } {
  const { params, where, order, dir, searchOnly, byDataset } = queryParts(q)
  if (searchOnly) return { sql: `${searchOnly} ORDER BY 1 ${dir}`, params }
  const from = byDataset ? 'items i INDEXED BY items_dataset' : 'items i'
  return {
    sql: `SELECT i.id FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`,
    params,
  }
}

/**
 * The SQL that counts a search alone (in id order, no filter), up to `@cap` matches, without
 * listing them: FTS5 counts 60 000 matches in about 15 ms where listing their ids takes 45 ms.
 * Null for any other query.
 */
export function searchCountQuery(q: ItemQuery): { sql: string; params: Record<string, unknown> } | null {
  const { params, searchOnly } = queryParts(q)
  return searchOnly ? { sql: `SELECT count(*) FROM (${searchOnly} LIMIT @cap)`, params } : null
}

/** Datasets one peek merges at most (SQLite allows 500 terms in a compound SELECT). */
const PEEK_DATASETS = 64

/**
 * The first `@limit` ids of a query in id order, found without listing the others: SQLite stops
 * once it has them. Where the query walks the (dataset_id, id) index, each dataset's stretch of
 * it is in id order, and an ordered UNION ALL merges the stretches. Null for any other sort (the
 * order is only known once every id is), when the project has no dataset, or more than
 * `PEEK_DATASETS` of them: the ids are then listed whole, as without a peek.
 */
export function peekQuery(
  q: ItemQuery,
  datasets: readonly number[],
): { sql: string; params: Record<string, unknown> } | null {
  const { params, where, dir, searchOnly, byDataset, byId } = queryParts(q)
  if (!byId || datasets.length === 0 || (byDataset && datasets.length > PEEK_DATASETS)) return null
  if (searchOnly) return { sql: `${searchOnly} ORDER BY 1 ${dir} LIMIT @limit`, params }
  const conditions = where.length ? `AND ${where.join(' AND ')}` : ''
  if (!byDataset)
    return { sql: `SELECT i.id FROM items i WHERE 1 ${conditions} ORDER BY i.id ${dir} LIMIT @limit`, params }
  const stretches = datasets.map(
    (id) => `SELECT i.id FROM items i INDEXED BY items_dataset WHERE i.dataset_id = ${Math.trunc(id)} ${conditions}`,
  )
  return { sql: `${stretches.join(' UNION ALL ')} ORDER BY 1 ${dir} LIMIT @limit`, params }
}
