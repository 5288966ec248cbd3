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
/** The import's page cache (see `importConnection`), and the smaller one appends need while the index is away. */
const CACHE_KIB = 65536
const BULK_CACHE_KIB = 16384

/** See the module's comment. */
export interface BulkLoad {
  /** Drops the unique index, if the project has no item; call inside the import's transaction. */
  start: () => void
  /**
   * Before new items are inserted: if one of their ids may repeat an id inserted so far, the index
   * is made again first, so that the insert fails and the duplicate policy sees the repeat exactly.
   */
  check: (externalIds: readonly string[]) => void
  /** Makes the index again (before the commit). */
  end: () => void
}

/** No bulk loading: the index is always there (writers outside an import, like the span collector). */
export const NO_BULK: BulkLoad = { start: () => undefined, check: () => undefined, end: () => undefined }

/** See the module's comment. */
export function bulkLoad(db: Db): BulkLoad {
  const indexSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck()
  const anyItem = db.prepare('SELECT EXISTS (SELECT 1 FROM items)').pluck()
  let dropped: string | null = null
  let seen: IdSet | null = null
  const end = (): void => {
    if (dropped === null) return
    db.exec(dropped)
    dropped = null
    seen = null
    db.pragma(`cache_size = -${CACHE_KIB}`)
  }
  return {
    start(): void {
      if (dropped !== null || anyItem.get() === 1) return
      const sql = indexSql.get(UNIQUE_IDS) as string | undefined
      if (sql === undefined) return
      db.exec(`DROP INDEX ${UNIQUE_IDS}`)
      dropped = sql
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
