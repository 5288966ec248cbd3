/**
 * Keeps the search index (migration 0011) caught up with the items: every item above
 * `search_state.indexed_upto`, and every item listed in `search_stale`, is (re)indexed in small
 * slices, each one transaction that also moves the watermark — so a slice is in the index
 * entirely or not at all, whatever kills the process. Searches never wait for it: they read the
 * index for what it holds and scan the rest (item-query.ts).
 */
import type { Db } from './open'

/** How search compares text: JavaScript's Unicode lowercase, of the needle and of what is indexed. */
export const foldForSearch = (text: string): string => text.toLowerCase()

/** The rows each connection's indexer wrote, which the table's id cache does not count as changes. */
const indexerWrites = new WeakMap<Db, number>()
export const indexerChanges = (db: Db): number => indexerWrites.get(db) ?? 0

interface ItemText {
  id: number
  external_id: string
  input: string
  output: string
}

/** The indexer of one connection: `slice` indexes for about `ms` milliseconds and says how many items. */
export function searchIndexer(db: Db) {
  const upto = db.prepare('SELECT indexed_upto FROM search_state').pluck()
  const next = db.prepare('SELECT id, external_id, input, output FROM items WHERE id > ? ORDER BY id LIMIT ?')
  const staleIds = db.prepare('SELECT item_id FROM search_stale ORDER BY item_id LIMIT ?').pluck()
  const item = db.prepare('SELECT id, external_id, input, output FROM items WHERE id = ?')
  const insert = db.prepare('INSERT INTO item_search (rowid, external_id, input, output) VALUES (?, ?, ?, ?)')
  const remove = db.prepare('DELETE FROM item_search WHERE rowid = ?')
  const unstale = db.prepare('DELETE FROM search_stale WHERE item_id = ?')
  const advance = db.prepare('UPDATE search_state SET indexed_upto = ?')
  const changes = db.prepare('SELECT total_changes()').pluck()
  const behind = db
    .prepare(
      `SELECT (SELECT count(*) FROM items WHERE id > (SELECT indexed_upto FROM search_state))
            + (SELECT count(*) FROM search_stale)`,
    )
    .pluck()
  const anyBehind = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM items WHERE id > (SELECT indexed_upto FROM search_state))
           OR EXISTS (SELECT 1 FROM search_stale)`,
    )
    .pluck()

  const add = (row: ItemText) =>
    insert.run(row.id, foldForSearch(row.external_id), foldForSearch(row.input), foldForSearch(row.output))

  const within = (ms: number): number => {
    const until = performance.now() + ms
    let done = 0
    // Changed or removed items first: until then their old text stays out of every search.
    for (const id of staleIds.all(64) as number[]) {
      remove.run(id)
      const row = item.get(id) as ItemText | undefined
      if (row) add(row)
      unstale.run(id)
      done++
      if (performance.now() >= until) return done
    }
    let last = upto.get() as number
    for (let batch = 8; performance.now() < until; batch = Math.min(batch * 2, 256)) {
      const rows = next.all(last, batch) as ItemText[]
      if (rows.length === 0) break
      for (const row of rows) add(row)
      last = rows[rows.length - 1].id
      advance.run(last)
      done += rows.length
    }
    return done
  }

  return {
    /** Items still to (re)index. */
    behind: (): number => behind.get() as number,
    /** Whether any item is still to (re)index (cheap: two index probes). */
    isBehind: (): boolean => anyBehind.get() === 1,
    /**
     * One slice of about `ms` milliseconds in one transaction; returns the items indexed (0: caught
     * up). The index can be rebuilt from the items, so its commits skip the fsync
     * (`synchronous = NORMAL` in WAL mode: a power cut may lose the last slices, never the file),
     * and it never waits for another writer (`busy_timeout = 0`: SQLITE_BUSY, and the caller retries).
     */
    slice(ms: number): number {
      const before = changes.get() as number
      const sync = db.pragma('synchronous', { simple: true }) as number
      const busy = db.pragma('busy_timeout', { simple: true }) as number
      db.pragma('synchronous = NORMAL')
      db.pragma('busy_timeout = 0')
      try {
        return db.transaction(() => within(ms)).immediate()
      } finally {
        db.pragma(`busy_timeout = ${busy}`)
        db.pragma(`synchronous = ${sync}`)
        indexerWrites.set(db, indexerChanges(db) + (changes.get() as number) - before)
      }
    },
  }
}

/**
 * Runs the indexer in slices between other work on this thread (each slice about `sliceMs`, so a
 * request waits at most that long), then looks every `idleMs` for new or changed items (an import,
 * another process). Returns `stop`, called before the connection closes.
 */
export function indexInBackground(
  db: Db,
  options: { sliceMs?: number; idleMs?: number; delayMs?: number; onError?: (error: unknown) => void } = {},
): { stop: () => void } {
  const { sliceMs = 8, idleMs = 1000, delayMs = 0 } = options
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  let indexer: ReturnType<typeof searchIndexer> | null = null
  const schedule = (ms: number) => {
    if (!stopped) (timer = setTimeout(tick, ms)).unref()
  }
  const tick = () => {
    try {
      indexer ??= searchIndexer(db)
      const behind = indexer.isBehind()
      if (behind) indexer.slice(sliceMs)
      schedule(behind ? 1 : idleMs)
    } catch (error) {
      // Busy (another process writes) or a refused write: searches stay right by scanning; retry later.
      options.onError?.(error)
      schedule(idleMs)
    }
  }
  schedule(delayMs)
  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}

/** Indexes everything still behind, at once (the benchmarks, tests and `assay` commands that want it whole). */
export function indexAll(db: Db): number {
  const indexer = searchIndexer(db)
  let total = 0
  for (let n = indexer.slice(1000); n > 0; n = indexer.slice(1000)) total += n
  return total
}
