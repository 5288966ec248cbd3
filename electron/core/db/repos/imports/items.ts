/** The import's writes of items: new items (in bulk, or one by one under a duplicate policy), and items a row joins. */
import type { DuplicatePolicy } from '../../../../../shared/import'
import type { MappedItem } from '../../../import/types'
import type { Db } from '../../open'
import { batchedInsert, json, jsonOrNull, ROWS_PER_INSERT } from './batch'
import { NO_BULK, type BulkLoad } from './bulk'

/** An item of the project that a row of the file names by its id. */
export interface ExistingItem {
  id: number
  datasetId: number
  dataset: string
  input: string
  output: string
  messages: string
  metadata: string
}

/** How many of these external ids name items of the project (a file's sample, before importing it). */
export function countKnownIds(db: Db, externalIds: string[]): number {
  return db
    .prepare('SELECT count(DISTINCT external_id) FROM items WHERE external_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .get(JSON.stringify(externalIds)) as number
}

/** Writes an item's steps (the item had none). */
function stepWriter(db: Db): (itemId: number, steps: MappedItem['steps']) => void {
  const insertStep = db.prepare(
    'INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)',
  )
  return (itemId, steps) => {
    steps.forEach((s, idx) => insertStep.run(itemId, idx, s.name, s.input, s.output, json(s.metadata)))
  }
}

/** The new items of the import's dataset (`bulk`: while a new project's unique index on ids is away). */
export function newItemWriter(db: Db, at: string, bulk: BulkLoad = NO_BULK) {
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, external_id) DO NOTHING`,
  )
  // With the ids given, so that `items()` knows each row's id.
  const insertItems = batchedInsert(
    db,
    {
      into: 'items (id, dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)',
      row: "(?, ?, ?, ?, ?, ?, coalesce(?, '[]'), coalesce(?, '{}'), @at)",
    },
    { at },
  )
  const lastItemId = db.prepare('SELECT coalesce(max(id), 0) FROM items').pluck()
  const replaceItem = db.prepare(
    `UPDATE items SET kind = ?, input = ?, output = ?, messages_json = ?, metadata_json = ? WHERE dataset_id = ? AND external_id = ? RETURNING id`,
  )
  const deleteSteps = db.prepare('DELETE FROM steps WHERE item_id = ?')
  const writeSteps = stepWriter(db)

  /**
   * Inserts new items into the dataset in one statement, all or none: their ids in order, or
   * `null` (and nothing written) when one of the ids is in the dataset already, so that the
   * caller can go through them one by one with `item()` and its duplicate policy. At most
   * `ROWS_PER_INSERT` items.
   */
  const items = (datasetId: number, list: MappedItem[]): number[] | null => {
    if (list.length > ROWS_PER_INSERT) throw new Error(`importWriter.items takes at most ${ROWS_PER_INSERT} items`)
    if (list.length === 0) return []
    bulk.check(list.map((item) => item.externalId))
    // The import holds the write lock from its first statement, so nobody else takes these ids.
    const first = Number(lastItemId.get()) + 1
    // One array filled in place: `flatMap` over a small array per item cost about as much as SQLite's insert of it.
    const params = new Array<unknown>(list.length * 8)
    let p = 0
    for (const [i, item] of list.entries()) {
      params[p++] = first + i
      params[p++] = datasetId
      params[p++] = item.externalId
      params[p++] = item.kind
      params[p++] = item.input
      params[p++] = item.output
      params[p++] = jsonOrNull(item.messages)
      params[p++] = jsonOrNull(item.metadata)
    }
    try {
      insertItems.now(params)
    } catch (error) {
      // A failed statement takes back its own rows and leaves the transaction open.
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null
      throw error
    }
    const ids = list.map((_, i) => first + i)
    list.forEach((item, i) => writeSteps(ids[i], item.steps))
    return ids
  }

  /**
   * Inserts an item into the dataset. Returns its id, or `null` when the id is a duplicate and
   * the policy is to skip (or abort: the caller reports it).
   */
  const item = (
    datasetId: number,
    item: MappedItem,
    policy: DuplicatePolicy,
  ): { id: number; duplicate: boolean } | null => {
    bulk.end() // ON CONFLICT needs the unique index
    const values = [item.kind, item.input, item.output, json(item.messages), json(item.metadata)] as const
    let externalId = item.externalId
    let result = insertItem.run(datasetId, externalId, ...values, at)
    let id: number
    if (result.changes === 1) id = Number(result.lastInsertRowid)
    else if (policy === 'replace') {
      id = (replaceItem.get(...values, datasetId, externalId) as { id: number }).id
      deleteSteps.run(id)
    } else if (policy === 'keep-both') {
      for (let n = 2; result.changes === 0; n++) {
        externalId = `${item.externalId}#${n}`
        result = insertItem.run(datasetId, externalId, ...values, at)
      }
      id = Number(result.lastInsertRowid)
    } else return null
    writeSteps(id, item.steps)
    return { id, duplicate: result.changes === 0 || externalId !== item.externalId }
  }

  return { items, item }
}

/**
 * The project's items that rows of the file join: looked up by id, their metadata and missing
 * trace parts filled in.
 */
export function joinedItemWriter(db: Db) {
  const existingItems = db.prepare(
    `SELECT i.external_id AS externalId, i.id, i.dataset_id AS datasetId, d.name AS dataset, i.input, i.output, i.messages_json AS messages, i.metadata_json AS metadata
     FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.external_id IN (SELECT value FROM json_each(?)) AND i.dataset_id IS NOT ?`,
  )
  const anyItem = db.prepare('SELECT EXISTS (SELECT 1 FROM items)').pluck()
  const setMetadata = db.prepare('UPDATE items SET metadata_json = ? WHERE id = ?')
  const fillText = db.prepare(
    `UPDATE items SET input = coalesce(@input, input), output = coalesce(@output, output), messages_json = coalesce(@messages, messages_json),
     kind = CASE WHEN @messages IS NOT NULL THEN 'chat' ELSE kind END WHERE id = @id`,
  )
  const stepsOf = db.prepare('SELECT name, input, output FROM steps WHERE item_id = ? ORDER BY idx')
  const setKind = db.prepare("UPDATE items SET kind = 'pipeline' WHERE id = ? AND kind = 'text'")
  const writeSteps = stepWriter(db)

  return {
    /** Whether the project has any item yet (if not, no row of the file can join one, and no lookup is needed). */
    hasItems: (): boolean => anyItem.get() === 1,

    /**
     * Items of the project, outside dataset `except`, whose external id is one of `externalIds`
     * (several per id when several datasets have it).
     */
    existing(externalIds: string[], except: number | null): Map<string, ExistingItem[]> {
      const found = new Map<string, ExistingItem[]>()
      const rows = existingItems.all(JSON.stringify(externalIds), except) as (ExistingItem & { externalId: string })[]
      for (const row of rows) {
        const list = found.get(row.externalId)
        if (list) list.push(row)
        else found.set(row.externalId, [row])
      }
      return found
    },

    /** Adds fields to an item's metadata; fields it has keep their values. */
    addMetadata(item: Pick<ExistingItem, 'id' | 'metadata'>, extra: Record<string, unknown>): void {
      const stored = JSON.parse(item.metadata) as Record<string, unknown>
      const added = Object.keys(extra).filter((k) => !Object.hasOwn(stored, k))
      if (added.length === 0) return
      for (const k of added) stored[k] = extra[k]
      setMetadata.run(JSON.stringify(stored), item.id)
    },

    /**
     * Fills in the parts of an item's trace it lacked (each given part replaces an empty one; the
     * caller checks that).
     */
    fillText(itemId: number, parts: { input?: string; output?: string; messages?: string }): void {
      fillText.run({
        id: itemId,
        input: parts.input ?? null,
        output: parts.output ?? null,
        messages: parts.messages ?? null,
      })
    },

    /** An item's steps as `stepsText` compares them. */
    stepsOf: (itemId: number) => stepsOf.all(itemId) as { name: string; input: string; output: string }[],

    /** Steps for an item that had none (a joined item filled in from the file). */
    fillSteps(itemId: number, steps: MappedItem['steps']): void {
      writeSteps(itemId, steps)
      setKind.run(itemId)
    },
  }
}

/** Which rows joined items so far: a second row for the same item (and annotators) is a duplicate. */
export function joinedRows(db: Db) {
  // Ids of the rows that joined items, with the line of each first one: a repeat is a duplicate.
  // A temporary table, not a Map, so that a million-row join stays within SQLite's page cache.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS import_joined (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID')
  db.exec('DELETE FROM import_joined')
  const joinedOnce = db.prepare('INSERT INTO import_joined (key, line) VALUES (?, ?) ON CONFLICT DO NOTHING')
  const joinedLine = db.prepare('SELECT line FROM import_joined WHERE key = ?').pluck()
  return {
    /**
     * The line of the first row of this import that joined with `key`; null (and `key` noted at
     * `line`) if none did.
     */
    joinedBefore(key: string, line: number): number | null {
      if (joinedOnce.run(key, line).changes === 1) return null
      return joinedLine.get(key) as number
    },
  }
}

/** The dataset of the import's new items. */
export function datasetWriter(db: Db, at: string) {
  const insertDataset = db.prepare(
    'INSERT INTO datasets (name, source_path, format, mapping_json, row_count, created_at) VALUES (?, ?, ?, ?, 0, ?)',
  )
  const setDatasetRows = db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?')
  const dropDataset = db.prepare('DELETE FROM datasets WHERE id = ?')
  return {
    /** The dataset of the import's new items. */
    dataset: (name: string, file: string, format: string, mapping: unknown): number =>
      Number(insertDataset.run(name, file, format, JSON.stringify(mapping), at).lastInsertRowid),
    /** Sets the dataset's row count, or drops it when it got no item. */
    endDataset(id: number, rows: number): void {
      if (rows > 0) setDatasetRows.run(rows, id)
      else dropDataset.run(id)
    },
  }
}
