import type Database from 'better-sqlite3'
import type { Db } from '../open'
import { projectRepo } from './project'
import type { MappedItem, NormalVerdict } from '../../import/types'

export type DuplicatePolicy = 'abort' | 'skip' | 'replace' | 'keep-both'

/**
 * Rows per multi-row INSERT. A one-row statement spends much of its time outside the b-trees
 * (stepping, resetting, the round trip from JavaScript): 100 rows a statement cut the writes of a
 * 200 000-row import by 30–50%, and more rows gained little.
 */
export const ROWS_PER_INSERT = 100

/**
 * Rows of one table written `ROWS_PER_INSERT` at a time as `INSERT INTO … VALUES (…), (…), …`;
 * the statement for each row count is prepared once. `row` is one row's `(?, …)`. A value that is
 * the same in every row (`@at`, the import's time) is named in it and bound once, from `shared`:
 * handing SQLite a string costs about as much as inserting a small row's worth of numbers.
 */
function batchedInsert(db: Db, sql: { into: string; row: string; onConflict?: string }, shared: Record<string, unknown>) {
  const perRow = sql.row.split('?').length - 1
  const statements = new Map<number, Database.Statement>()
  const write = (params: unknown[]) => {
    const rows = params.length / perRow
    let statement = statements.get(rows)
    if (!statement) {
      statement = db.prepare(`INSERT INTO ${sql.into} VALUES ${Array.from({ length: rows }, () => sql.row).join(', ')} ${sql.onConflict ?? ''}`)
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
    /** Writes these rows (parameters one row after another, at most `ROWS_PER_INSERT` rows) in one statement. */
    now: write,
    /** Adds a row, written with others once `ROWS_PER_INSERT` have come, or by `flush()`. */
    add(...values: unknown[]): void {
      waiting.push(...values)
      if (waiting.length === ROWS_PER_INSERT * perRow) flush()
    },
    flush,
  }
}

/**
 * JSON text of a list or object, or null for an empty one, as most rows hold: the batched inserts
 * write `coalesce(?, '[]')`. A string costs better-sqlite3 and SQLite two allocations and copies
 * to bind, a NULL nothing, and an empty value no JSON.stringify call (~0.15 µs) either.
 */
function jsonOrNull(value: unknown[] | Record<string, unknown>): string | null {
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify(value)
  for (const _ in value) return JSON.stringify(value)
  return null
}

const json = (value: unknown[] | Record<string, unknown>): string => jsonOrNull(value) ?? (Array.isArray(value) ? '[]' : '{}')

/** An empty string as null, for the batched inserts' `coalesce(?, '')` (see `jsonOrNull`). */
const textOrNull = (value: string): string | null => (value === '' ? null : value)

/**
 * The writes of one import, prepared once. Criteria, judges and runs are created on first use
 * and cached, and rows go in 100 to a statement, so a 200 000-row file costs a few thousand
 * statements and nothing else.
 */
export function importWriter(db: Db, at: string) {
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, external_id) DO NOTHING`,
  )
  // With the ids given, so that `items()` knows each row's id.
  const insertItems = batchedInsert(
    db,
    { into: 'items (id, dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)', row: "(?, ?, ?, ?, ?, ?, coalesce(?, '[]'), coalesce(?, '{}'), @at)" },
    { at },
  )
  const lastItemId = db.prepare('SELECT coalesce(max(id), 0) FROM items').pluck()
  const replaceItem = db.prepare(
    `UPDATE items SET kind = ?, input = ?, output = ?, messages_json = ?, metadata_json = ? WHERE dataset_id = ? AND external_id = ? RETURNING id`,
  )
  const deleteSteps = db.prepare('DELETE FROM steps WHERE item_id = ?')
  const insertStep = db.prepare('INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)')
  const itemsByExternalId = db.prepare('SELECT i.id, d.name AS dataset FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.external_id = ? LIMIT 3')
  const project = projectRepo(db)
  // Labels, splits and verdicts wait in these until a statement's worth has come: nothing in an
  // import reads them back before `finish()`, which writes the rest.
  const labels = batchedInsert(db, { into: 'labels (item_id, criterion_id, criterion_version, verdict, note, annotator, created_at)', row: "(?, ?, ?, ?, coalesce(?, ''), ?, coalesce(?, @at))" }, { at })
  const splits = batchedInsert(
    db,
    {
      into: 'splits (criterion_id, item_id, split, seed, assigned_at)',
      row: '(?, ?, ?, 0, @at)',
      onConflict: 'ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at',
    },
    { at },
  )
  const verdicts = batchedInsert(
    db,
    {
      into: 'verdicts (run_id, item_id, verdict, critique, created_at)',
      row: "(?, ?, ?, coalesce(?, ''), @at)",
      onConflict: 'ON CONFLICT (run_id, item_id) DO UPDATE SET verdict = excluded.verdict, critique = excluded.critique',
    },
    { at },
  )
  const judgeByName = db.prepare('SELECT id FROM judges WHERE criterion_id = ? AND name = ?').pluck()
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const nextJudgeVersion = db.prepare('SELECT coalesce(max(version), 0) + 1 FROM judge_versions WHERE judge_id = ?').pluck()
  const insertJudgeVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at) VALUES (?, ?, ?, '{"provider":"imported"}', '{}', '[]', ?)`,
  )
  const insertRun = db.prepare(`INSERT INTO runs (judge_version_id, scope, status, started_at, finished_at) VALUES (?, 'imported', 'done', ?, ?)`)
  const finishRun = db.prepare(
    `UPDATE runs SET n_total = c.n, n_done = c.n, n_error = c.errors
     FROM (SELECT count(*) AS n, coalesce(sum(verdict = 'error'), 0) AS errors FROM verdicts WHERE run_id = @run) AS c WHERE id = @run`,
  )

  const criteria = new Map<string, { id: number; version: number }>()
  const runs = new Map<string, number>()

  const criterion = (name: string) => {
    let found = criteria.get(name)
    if (!found) {
      const id = project.criterionId(name) ?? project.addCriterion(name, name === 'Overall' ? 'overall' : 'failure_mode', '', at)
      found = { id, version: project.criterionVersion(id) }
      criteria.set(name, found)
    }
    return found
  }

  return {
    /**
     * Inserts new items into the dataset in one statement, all or none: their ids in order, or
     * `null` (and nothing written) when one of the ids is in the dataset already, so that the
     * caller can go through them one by one with `item()` and its duplicate policy. At most
     * `ROWS_PER_INSERT` items.
     */
    items(datasetId: number, list: MappedItem[]): number[] | null {
      if (list.length > ROWS_PER_INSERT) throw new Error(`importWriter.items takes at most ${ROWS_PER_INSERT} items`)
      if (list.length === 0) return []
      // The import holds the write lock from its first statement, so nobody else takes these ids.
      const first = Number(lastItemId.get()) + 1
      const params: unknown[] = []
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!
        params.push(first + i, datasetId, item.externalId, item.kind, item.input, item.output, jsonOrNull(item.messages), jsonOrNull(item.metadata))
      }
      try {
        insertItems.now(params)
      } catch (error) {
        // A failed statement takes back its own rows and leaves the transaction open.
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null
        throw error
      }
      const ids = list.map((_, i) => first + i)
      list.forEach((item, i) => item.steps.forEach((s, idx) => insertStep.run(ids[i], idx, s.name, s.input, s.output, json(s.metadata))))
      return ids
    },

    /**
     * Inserts an item into the dataset. Returns its id, or `null` when the id is a duplicate and
     * the policy is to skip (or abort: the caller reports it).
     */
    item(datasetId: number, item: MappedItem, policy: DuplicatePolicy): { id: number; duplicate: boolean } | null {
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
      item.steps.forEach((s, idx) => insertStep.run(id, idx, s.name, s.input, s.output, json(s.metadata)))
      return { id, duplicate: result.changes === 0 || externalId !== item.externalId }
    },

    /** Existing items with this external id (for joining labels or verdicts onto them). */
    find: (externalId: string) => itemsByExternalId.all(externalId) as { id: number; dataset: string }[],

    label(itemId: number, l: { criterion: string; verdict: NormalVerdict | 'defer'; note: string; annotator: string; createdAt?: string }): void {
      const c = criterion(l.criterion)
      // An imported "error"/unknown human label is not a verdict: it is kept as a deferred label with its note.
      labels.add(itemId, c.id, c.version, l.verdict === 'error' ? 'defer' : l.verdict, textOrNull(l.note), l.annotator, l.createdAt ?? null)
    },

    split(itemId: number, criterionName: string, split: 'train' | 'dev' | 'test'): void {
      splits.add(criterion(criterionName).id, itemId, split)
    },

    verdict(itemId: number, v: { judge: string; criterion: string; verdict: NormalVerdict; critique: string }, source: string): void {
      const key = `${v.criterion}\u0000${v.judge}`
      let run = runs.get(key)
      if (run === undefined) {
        const c = criterion(v.criterion)
        let judge = judgeByName.get(c.id, v.judge) as number | undefined
        if (judge === undefined) judge = Number(insertJudge.run(c.id, v.judge, at).lastInsertRowid)
        const version = Number(insertJudgeVersion.run(judge, nextJudgeVersion.get(judge), `Verdicts imported from ${source}.`, at).lastInsertRowid)
        run = Number(insertRun.run(version, at, at).lastInsertRowid)
        runs.set(key, run)
      }
      verdicts.add(run, itemId, v.verdict, textOrNull(v.critique))
    },

    /** Writes the rows still waiting, then fills in the counts of every run this import created. */
    finish(): void {
      labels.flush()
      splits.flush()
      verdicts.flush()
      for (const run of runs.values()) finishRun.run({ run })
    },
  }
}
