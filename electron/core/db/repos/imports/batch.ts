/** Multi-row inserts and the value encodings the import's writers share. */
import type Database from 'better-sqlite3'
import type { Db } from '../../open'

/**
 * Rows per multi-row INSERT. A one-row statement spends much of its time outside the b-trees
 * (stepping, resetting, the round trip from JavaScript): 100 rows a statement cut the writes of a
 * 200 000-row import by 30–50%, and more rows gained little.
 */
export const ROWS_PER_INSERT = 100

/** See `batchedInsert`. */
export interface BatchedInsert {
  /** Writes these rows (parameters one row after another, at most `ROWS_PER_INSERT` rows) in one statement. */
  now(params: unknown[]): void
  /** Adds a row, written with others once `ROWS_PER_INSERT` have come, or by `flush()`. */
  add(...values: unknown[]): void
  flush(): void
}

/**
 * Rows of one table written `ROWS_PER_INSERT` at a time as `INSERT INTO … VALUES (…), (…), …`;
 * the statement for each row count is prepared once. `row` is one row's `(?, …)`. A value that is
 * the same in every row (`@at`, the import's time) is named in it and bound once, from `shared`:
 * handing SQLite a string costs about as much as inserting a small row's worth of numbers.
 */
export function batchedInsert(
  db: Db,
  sql: { into: string; row: string; onConflict?: string },
  shared: Record<string, unknown>,
): BatchedInsert {
  const perRow = sql.row.split('?').length - 1
  const statements = new Map<number, Database.Statement>()
  const write = (params: unknown[]) => {
    const rows = params.length / perRow
    let statement = statements.get(rows)
    if (!statement) {
      statement = db.prepare(
        `INSERT INTO ${sql.into} VALUES ${Array.from({ length: rows }, () => sql.row).join(', ')} ${sql.onConflict ?? ''}`,
      )
      statements.set(rows, statement)
    }
    statement.run(params, shared)
  }
  let waiting: unknown[] = []
  const flush = (): void => {
    if (waiting.length === 0) return
    const params = waiting
    waiting = []
    write(params)
  }
  return {
    now: write,
    add(...values: unknown[]): void {
      waiting.push(...values)
      if (waiting.length === ROWS_PER_INSERT * perRow) flush()
    },
    flush,
  }
}

/** See `groupedInsert`. */
export interface GroupedInsert {
  /** The batch of the rows that share these values (named in `row`), made on first use. */
  group(key: string, values: Record<string, unknown>): BatchedInsert
  flush(): void
}

/**
 * `batchedInsert`s of one table, one for each set of values its rows share (a label's criterion,
 * its version and the annotator): bound once a statement, not once a row. Rows of one group keep
 * their order; groups are written in the order their batches fill.
 */
export function groupedInsert(
  db: Db,
  sql: { into: string; row: string; onConflict?: string },
  shared: Record<string, unknown>,
): GroupedInsert {
  const groups = new Map<string, BatchedInsert>()
  return {
    group(key, values) {
      let batch = groups.get(key)
      if (!batch) {
        batch = batchedInsert(db, sql, { ...shared, ...values })
        groups.set(key, batch)
      }
      return batch
    },
    flush() {
      for (const batch of groups.values()) batch.flush()
    },
  }
}

/**
 * JSON text of a list or object, or null for an empty one, as most rows hold: the batched inserts
 * write `coalesce(?, '[]')`. A string costs better-sqlite3 and SQLite two allocations and copies
 * to bind, a NULL nothing, and an empty value no JSON.stringify call (~0.15 µs) either.
 */
export function jsonOrNull(value: unknown[] | Record<string, unknown>): string | null {
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify(value)
  for (const _ in value) return JSON.stringify(value)
  return null
}

/** JSON text of a list or object, `[]` or `{}` when empty. */
export const json = (value: unknown[] | Record<string, unknown>): string =>
  jsonOrNull(value) ?? (Array.isArray(value) ? '[]' : '{}')

/** An empty string as null, for the batched inserts' `coalesce(?, '')` (see `jsonOrNull`). */
export const textOrNull = (value: string): string | null => (value === '' ? null : value)
