/**
 * Bulk loading into a project with no items yet (a new project: the first and the largest
 * imports). Items arrive in file order, so the table and its other indexes grow at their ends,
 * but the unique index on ids takes each id at a random place: keeping it up to date cost about a
 * third of SQLite's time on a 1 000 000-row file, and it needs the 64 MB page cache to stay fast.
 * So it is dropped inside the import's transaction and made again, from sorted keys, before the
 * commit; the ids are checked for repeats meanwhile by an `IdSet`. A killed import rolls back the
 * drop with everything else, so the file never lacks the index.
 */
import type { Db } from '../../open'
import { IdSet } from './id-set'

/** The unique index on (external_id, dataset_id) of migration 0001. */
const UNIQUE_IDS = 'items_external_id'
/**
 * The trigger that lists a new item for the search index when its id is at or below the index's
 * watermark (migration 0011): a subquery per row, ~0.4 s a million rows. Dropped with the index
 * while the watermark is 0, when no new id can be at or below it.
 */
const SEARCH_INSERT = 'items_search_insert'
/** The import's page cache (see `importConnection`), and the smaller one appends need while the index is away. */
const CACHE_KIB = 65536
const BULK_CACHE_KIB = 16384

/** See the module's comment. */
export interface BulkLoad {
  /** Drops the unique index and the search trigger, if the project has no item; inside the import's transaction. */
  start: () => void
  /**
   * Before new items are inserted: if one of their ids may repeat an id inserted so far, the index
   * is made again first, so that the insert fails and the duplicate policy sees the repeat exactly.
   */
  check: (externalIds: readonly string[]) => void
  /** Makes the index (and the trigger) again (before the commit). */
  end: () => void
}

/** No bulk loading: the index is always there (writers outside an import, like the span collector). */
export const NO_BULK: BulkLoad = { start: () => undefined, check: () => undefined, end: () => undefined }

/** See the module's comment. */
export function bulkLoad(db: Db): BulkLoad {
  const schemaSql = db.prepare('SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?').pluck()
  const anyItem = db.prepare('SELECT EXISTS (SELECT 1 FROM items)').pluck()
  const watermark = db.prepare('SELECT indexed_upto FROM search_state').pluck()
  // What was dropped, as the statements that make it again.
  let dropped: string[] | null = null
  let seen: IdSet | null = null
  const end = (): void => {
    if (dropped === null) return
    for (const sql of dropped) db.exec(sql)
    dropped = null
    seen = null
    db.pragma(`cache_size = -${CACHE_KIB}`)
  }
  return {
    start(): void {
      if (dropped !== null || anyItem.get() === 1) return
      const index = schemaSql.get('index', UNIQUE_IDS) as string | undefined
      if (index === undefined) return
      db.exec(`DROP INDEX ${UNIQUE_IDS}`)
      dropped = [index]
      const trigger = schemaSql.get('trigger', SEARCH_INSERT) as string | undefined
      if (trigger !== undefined && watermark.get() === 0) {
        db.exec(`DROP TRIGGER ${SEARCH_INSERT}`)
        dropped.push(trigger)
      }
      seen = new IdSet()
      db.pragma(`cache_size = -${BULK_CACHE_KIB}`)
    },
    check(externalIds: readonly string[]): void {
      if (seen === null) return
      let repeat = false
      for (const id of externalIds) if (seen.addMaybeSeen(id)) repeat = true
      if (repeat) end()
    },
    end,
  }
}
