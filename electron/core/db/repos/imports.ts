import type Database from 'better-sqlite3'
import type { DuplicatePolicy, SplitName } from '../../../../shared/import'
import { AppError } from '../../../../shared/errors'
import type { Db } from '../open'
import { CURRENT_LABELS_OF_CRITERION } from './item-query'
import { projectRepo } from './project'
import type { LabelStates, MappedItem, NormalVerdict } from '../../import/types'

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

/** The judge version a verdict column's verdicts go to. */
export interface VersionTarget {
  /** Null until its first verdict makes it (a version this import creates). */
  id: number | null
  version: number
  /** Made by this import. */
  created: boolean
  /** Verdicts recorded outside Assay (an imported version), rather than a prompt Assay runs. */
  external: boolean
}

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
function batchedInsert(
  db: Db,
  sql: { into: string; row: string; onConflict?: string },
  shared: Record<string, unknown>,
) {
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

/** How many of these external ids name items of the project (a file's sample, before importing it). */
export function countKnownIds(db: Db, externalIds: string[]): number {
  return db
    .prepare('SELECT count(DISTINCT external_id) FROM items WHERE external_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .get(JSON.stringify(externalIds)) as number
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

const json = (value: unknown[] | Record<string, unknown>): string =>
  jsonOrNull(value) ?? (Array.isArray(value) ? '[]' : '{}')

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
  const insertStep = db.prepare(
    'INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)',
  )
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
  const currentLabel = db.prepare(
    `SELECT verdict, note, first_failing_step AS firstFailingStep, last_success_state AS lastSuccess, first_failure_state AS firstFailure
     FROM labels WHERE item_id = ? AND criterion_id = ? AND annotator = ? ORDER BY id DESC LIMIT 1`,
  )
  const splitOf = db.prepare('SELECT split FROM splits WHERE criterion_id = ? AND item_id = ?').pluck()
  const setSplit = db.prepare(
    `INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at, origin) VALUES (?, ?, ?, 0, ?, 'file')
     ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at, origin = 'file'`,
  )
  const anyVerdict = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = @item AND l.criterion_id = @c AND l.verdict IN ('pass', 'fail')
     AND l.id = (SELECT max(x.id) FROM labels x WHERE x.item_id = @item AND x.criterion_id = @c AND x.annotator = l.annotator))`,
    )
    .pluck()
  const stepsOf = db.prepare('SELECT name, input, output FROM steps WHERE item_id = ? ORDER BY idx')
  const setKind = db.prepare("UPDATE items SET kind = 'pipeline' WHERE id = ? AND kind = 'text'")
  const insertDataset = db.prepare(
    'INSERT INTO datasets (name, source_path, format, mapping_json, row_count, created_at) VALUES (?, ?, ?, ?, 0, ?)',
  )
  const setDatasetRows = db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?')
  const dropDataset = db.prepare('DELETE FROM datasets WHERE id = ?')
  // Ids of the rows that joined items, with the line of each first one: a repeat is a duplicate.
  // A temporary table, not a Map, so that a million-row join stays within SQLite's page cache.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS import_joined (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID')
  db.exec('DELETE FROM import_joined')
  const joinedOnce = db.prepare('INSERT INTO import_joined (key, line) VALUES (?, ?) ON CONFLICT DO NOTHING')
  const joinedLine = db.prepare('SELECT line FROM import_joined WHERE key = ?').pluck()
  const labeledIn = db.prepare(
    `SELECT cur.item_id AS id, i.external_id AS externalId, cur.verdict, s.split
     FROM (${CURRENT_LABELS_OF_CRITERION}) cur JOIN items i ON i.id = cur.item_id
     LEFT JOIN splits s ON s.criterion_id = @c AND s.item_id = cur.item_id
     WHERE cur.verdict IN ('pass', 'fail') AND (@datasets IS NULL OR i.dataset_id IN (SELECT value FROM json_each(@datasets)))
     ORDER BY cur.item_id`,
  )
  const testViewed = db
    .prepare(
      `SELECT '"' || j.name || '" v' || jv.version FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id
     WHERE j.criterion_id = ? AND jv.test_viewed_at IS NOT NULL ORDER BY jv.test_viewed_at LIMIT 1`,
    )
    .pluck()
  const project = projectRepo(db)
  // Labels, splits and verdicts wait in these until a statement's worth has come; `labeled()`
  // and `finish()` write what waits before reading the tables back.
  const labels = batchedInsert(
    db,
    {
      into: 'labels (item_id, criterion_id, criterion_version, verdict, note, annotator, created_at, first_failing_step, last_success_state, first_failure_state)',
      row: "(?, ?, ?, ?, coalesce(?, ''), ?, coalesce(?, @at), ?, ?, ?)",
    },
    { at },
  )
  const splits = batchedInsert(
    db,
    {
      into: 'splits (criterion_id, item_id, split, seed, assigned_at, origin)',
      row: "(?, ?, ?, 0, @at, 'file')",
      onConflict:
        "ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at, origin = 'file'",
    },
    { at },
  )
  const placed = batchedInsert(
    db,
    { into: 'splits (criterion_id, item_id, split, seed, assigned_at)', row: '(?, ?, ?, ?, @at)' },
    { at },
  )
  const verdicts = batchedInsert(
    db,
    {
      into: 'verdicts (run_id, item_id, verdict, critique, created_at)',
      row: "(?, ?, ?, coalesce(?, ''), @at)",
      onConflict:
        'ON CONFLICT (run_id, item_id) DO UPDATE SET verdict = excluded.verdict, critique = excluded.critique',
    },
    { at },
  )
  const judgeByName = db.prepare('SELECT id FROM judges WHERE criterion_id = ? AND name = ?').pluck()
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const insertJudgeVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at) VALUES (?, ?, ?, '{"provider":"imported"}', '{}', '[]', ?)`,
  )
  const versionsOfJudge = db.prepare(
    `SELECT id, version, json_extract(model_json, '$.provider') IN ('imported', 'demo') AS external FROM judge_versions WHERE judge_id = ? ORDER BY version`,
  )
  const verdictIn = db.prepare(
    `SELECT v.verdict, v.critique, v.run_id AS runId FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE r.judge_version_id = ? AND v.item_id = ? ORDER BY v.id DESC LIMIT 1`,
  )
  const judgedIn = db
    .prepare('SELECT DISTINCT v.item_id FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE r.judge_version_id = ?')
    .pluck()
  const fewShots = db
    .prepare(
      `SELECT DISTINCT f.value FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id, json_each(jv.fewshot_ids) f WHERE j.criterion_id = ?`,
    )
    .pluck()
  const insertRun = db.prepare(
    `INSERT INTO runs (judge_version_id, scope, status, started_at, finished_at) VALUES (?, 'imported', 'done', ?, ?)`,
  )
  const finishRun = db.prepare(
    `UPDATE runs SET n_total = c.n, n_done = c.n, n_error = c.errors
     FROM (SELECT count(*) AS n, coalesce(sum(verdict = 'error'), 0) AS errors FROM verdicts WHERE run_id = @run) AS c WHERE id = @run`,
  )

  const criteria = new Map<string, { id: number; version: number }>()
  /** This import's run of each judge version it adds verdicts to, by version id. */
  const runs = new Map<number, number>()
  const flushRows = (): void => {
    labels.flush()
    splits.flush()
    placed.flush()
    verdicts.flush()
  }

  /** Versions `version()` planned, made by `make()` with their first verdict. */
  const pendingVersions = new Map<VersionTarget, { criterionId: number; judge: string; prompt: string }>()
  const planned = new Map<string, number>()
  const make = (target: VersionTarget): number => {
    const plan = pendingVersions.get(target)!
    let judge = judgeByName.get(plan.criterionId, plan.judge) as number | undefined
    if (judge === undefined) judge = Number(insertJudge.run(plan.criterionId, plan.judge, at).lastInsertRowid)
    target.id = Number(insertJudgeVersion.run(judge, target.version, plan.prompt, at).lastInsertRowid)
    pendingVersions.delete(target)
    return target.id
  }

  const criterion = (name: string) => {
    let found = criteria.get(name)
    if (!found) {
      const id =
        project.criterionId(name) ?? project.addCriterion(name, name === 'Overall' ? 'overall' : 'failure_mode', '', at)
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
        const item = list[i]
        params.push(
          first + i,
          datasetId,
          item.externalId,
          item.kind,
          item.input,
          item.output,
          jsonOrNull(item.messages),
          jsonOrNull(item.metadata),
        )
      }
      try {
        insertItems.now(params)
      } catch (error) {
        // A failed statement takes back its own rows and leaves the transaction open.
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return null
        throw error
      }
      const ids = list.map((_, i) => first + i)
      list.forEach((item, i) =>
        item.steps.forEach((s, idx) => insertStep.run(ids[i], idx, s.name, s.input, s.output, json(s.metadata))),
      )
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

    /** Whether the project has any item yet (if not, no row of the file can join one, and no lookup is needed). */
    hasItems: (): boolean => anyItem.get() === 1,

    /** Items of the project, outside dataset `except`, whose external id is one of `externalIds` (several per id when several datasets have it). */
    existing(externalIds: string[], except: number | null): Map<string, ExistingItem[]> {
      const found = new Map<string, ExistingItem[]>()
      for (const row of existingItems.all(JSON.stringify(externalIds), except) as (ExistingItem & {
        externalId: string
      })[]) {
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

    /** Fills in the parts of an item's trace it lacked (each given part replaces an empty one; the caller checks that). */
    fillText(itemId: number, parts: { input?: string; output?: string; messages?: string }): void {
      fillText.run({
        id: itemId,
        input: parts.input ?? null,
        output: parts.output ?? null,
        messages: parts.messages ?? null,
      })
    },

    /** The criterion's id and current definition version, created (empty) on first use. */
    criterion,

    /** An annotator's current label of an item (for "the same label again changes nothing"). */
    currentLabel: (itemId: number, criterionId: number, annotator: string) =>
      currentLabel.get(itemId, criterionId, annotator) as
        ({ verdict: 'pass' | 'fail' | 'defer' | 'cleared'; note: string } & LabelStates) | undefined,

    label(
      itemId: number,
      l: {
        criterion: string
        verdict: NormalVerdict | 'defer'
        note: string
        annotator: string
        createdAt?: string
        states?: LabelStates
      },
    ): void {
      const c = criterion(l.criterion)
      const st = l.states
      // An imported "error"/unknown human label is not a verdict: it is kept as a deferred label with its note.
      labels.add(
        itemId,
        c.id,
        c.version,
        storedLabel(l.verdict),
        textOrNull(l.note),
        l.annotator,
        l.createdAt ?? null,
        st?.firstFailingStep ?? null,
        st?.lastSuccess ?? null,
        st?.firstFailure ?? null,
      )
    },

    /** A split from the file, for an item that had none (written in bulk). */
    split(itemId: number, criterionName: string, split: SplitName): void {
      splits.add(criterion(criterionName).id, itemId, split)
    },

    /** A split Assay placed (seeded, stratified) for an item that has none, written in bulk. */
    placeSplit(criterionId: number, itemId: number, split: SplitName, seed: number): void {
      placed.add(criterionId, itemId, split, seed)
    },

    /** A split from the file for an item that may have one: the split it had when that differs (a move), else null. */
    moveSplit(itemId: number, criterionId: number, split: SplitName): SplitName | null {
      const had = splitOf.get(criterionId, itemId) as SplitName | undefined
      if (had === split) return null
      setSplit.run(criterionId, itemId, split, at)
      return had ?? null
    },

    /** Items with a current pass/fail label on the criterion, with their split, optionally only in these datasets (rows written so far included). */
    labeled(
      criterionId: number,
      datasets: number[] | null = null,
    ): { id: number; externalId: string; verdict: 'pass' | 'fail'; split: SplitName | null }[] {
      flushRows()
      return labeledIn.all({ c: criterionId, datasets: datasets ? JSON.stringify(datasets) : null }) as {
        id: number
        externalId: string
        verdict: 'pass' | 'fail'
        split: SplitName | null
      }[]
    },

    /** The first judge version of the criterion whose test results were shown (`"judge" v2`), if any. */
    testViewed: (criterionId: number) => (testViewed.get(criterionId) as string | undefined) ?? null,

    /**
     * The version a verdict column adds to: version `n`, a `new` one, or (no choice) the judge's
     * newest imported version, else a new one. A version (and judge) to be made is made with its
     * first verdict, so an import that writes none leaves no empty version behind.
     */
    version(
      column: { criterion: string; judge: string; version?: number | 'new' },
      source: string,
      makeNumbered = false,
    ): VersionTarget {
      // makeNumbered: an Assay export names versions of the project it came from; into another project they are made anew.
      const c = criterion(column.criterion)
      const judge = judgeByName.get(c.id, column.judge) as number | undefined
      const versions =
        judge === undefined ? [] : (versionsOfJudge.all(judge) as { id: number; version: number; external: number }[])
      const found =
        typeof column.version === 'number'
          ? versions.find((v) => v.version === column.version)
          : column.version === undefined
            ? versions.filter((v) => v.external).at(-1)
            : undefined
      if (found) return { id: found.id, version: found.version, created: false, external: found.external === 1 }
      if (typeof column.version === 'number' && !makeNumbered) {
        const has =
          versions.length === 0 ? `has no version yet` : `has ${versions.map((v) => `v${v.version}`).join(', ')}`
        throw new AppError(
          'invalid_input',
          `Judge "${column.judge}" (on "${column.criterion}") ${has}, not v${column.version}: choose one it has, or make a new version (--judge-version new).`,
        )
      }
      // Numbers planned by this import count as taken: two columns of one judge get two versions.
      const key = `${c.id}\u0000${column.judge}`
      const next = Math.max(versions.at(-1)?.version ?? 0, planned.get(key) ?? 0) + 1
      const number = typeof column.version === 'number' ? column.version : next
      planned.set(key, Math.max(number, planned.get(key) ?? 0))
      const target: VersionTarget = { id: null, version: number, created: true, external: true }
      pendingVersions.set(target, {
        criterionId: c.id,
        judge: column.judge,
        prompt: `Verdicts imported from ${source}.`,
      })
      return target
    },

    /** The verdict an item has in a version (its newest written so far: `flush()` first to count this import's), and whether this import wrote it. */
    verdictIn(
      target: VersionTarget,
      itemId: number,
    ): { verdict: NormalVerdict; critique: string; ours: boolean } | undefined {
      if (target.id === null) return undefined
      const found = verdictIn.get(target.id, itemId) as
        { verdict: NormalVerdict; critique: string; runId: number } | undefined
      return found && { verdict: found.verdict, critique: found.critique, ours: runs.get(target.id) === found.runId }
    },

    /** Items that have a verdict in the version (all its runs, this import's included). */
    judgedIn(target: VersionTarget): Set<number> {
      if (target.id === null) return new Set()
      flushRows()
      return new Set(judgedIn.all(target.id) as number[])
    },

    /** Items that some judge version of the criterion shows as a few-shot example. */
    fewShotItems: (criterionId: number) => new Set(fewShots.all(criterionId) as number[]),

    /** Whether any annotator's current label of the item is a pass or a fail. */
    hasVerdict: (itemId: number, criterionId: number): boolean =>
      anyVerdict.get({ item: itemId, c: criterionId }) === 1,

    /** The line of the first row of this import that joined with `key`; null (and `key` noted at `line`) if none did. */
    joinedBefore(key: string, line: number): number | null {
      if (joinedOnce.run(key, line).changes === 1) return null
      return joinedLine.get(key) as number
    },

    /** An item's steps as `stepsText` compares them. */
    stepsOf: (itemId: number) => stepsOf.all(itemId) as { name: string; input: string; output: string }[],

    /** Steps for an item that had none (a joined item filled in from the file). */
    fillSteps(itemId: number, steps: MappedItem['steps']): void {
      steps.forEach((s, idx) => insertStep.run(itemId, idx, s.name, s.input, s.output, json(s.metadata)))
      setKind.run(itemId)
    },

    /** The dataset of the import's new items. */
    dataset: (name: string, file: string, format: string, mapping: unknown): number =>
      Number(insertDataset.run(name, file, format, JSON.stringify(mapping), at).lastInsertRowid),
    /** Sets the dataset's row count, or drops it when it got no item. */
    endDataset(id: number, rows: number): void {
      if (rows > 0) setDatasetRows.run(rows, id)
      else dropDataset.run(id)
    },

    /** Records a verdict in this import's run of the version (one run per version and import), making the version first if needed. */
    verdict(target: VersionTarget, itemId: number, verdict: NormalVerdict, critique: string): void {
      const versionId = target.id ?? make(target)
      let run = runs.get(versionId)
      if (run === undefined) {
        run = Number(insertRun.run(versionId, at, at).lastInsertRowid)
        runs.set(versionId, run)
      }
      verdicts.add(run, itemId, verdict, textOrNull(critique))
    },

    /** Writes the rows still waiting. */
    flush: flushRows,

    /** Writes the rows still waiting, then fills in the counts of every run this import created. */
    finish(): void {
      flushRows()
      for (const run of runs.values()) finishRun.run({ run })
    },
  }
}

/** How an imported human label is stored: an "error"/unknown one is not a verdict, so it is a deferral (its note kept). */
export const storedLabel = (verdict: NormalVerdict | 'defer'): 'pass' | 'fail' | 'defer' =>
  verdict === 'error' ? 'defer' : verdict
