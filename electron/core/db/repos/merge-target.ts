/**
 * The target's side of `assay merge`: lookups that match what a source brings (items by external
 * id, criteria by name, labels by their content, runs by version, scope and start) and the
 * inserts that copy what is new, rows keeping the times they were made.
 */
import type { Db } from '../open'
import type {
  SourceDataset,
  SourceItem,
  SourceJudgeVersion,
  SourceRun,
  SourceStep,
  SourceVerdict,
} from './merge-source'

/** An item of the target a source item names by its external id. */
export interface TargetItem {
  id: number
  dataset_id: number
  dataset: string
  input: string
  output: string
  messages_json: string
  metadata_json: string
}

/** A judge version of the target, as the content hash needs it. */
export interface TargetVersion {
  id: number
  judge: string
  prompt: string
  model_json: string
  params_json: string
  fewshot_ids: string
}

/** Items and datasets of the target. */
function itemWrites(db: Db) {
  const datasets = db.prepare('SELECT id, name, format, created_at FROM datasets')
  const insertDataset = db.prepare(
    `INSERT INTO datasets (name, source_path, format, mapping_json, row_count, synthetic, created_at)
     VALUES (@name, @source_path, @format, @mapping_json, 0, @synthetic, @created_at)`,
  )
  const addRows = db.prepare('UPDATE datasets SET row_count = row_count + ? WHERE id = ?')
  const byExternalId = db.prepare(
    `SELECT i.id, i.dataset_id, d.name AS dataset, i.input, i.output, i.messages_json, i.metadata_json
     FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.external_id = ? ORDER BY i.id`,
  )
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertStep = db.prepare(
    'INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const externalId = db.prepare('SELECT external_id FROM items WHERE id = ?').pluck()
  return {
    datasets: () => datasets.all() as { id: number; name: string; format: string; created_at: string }[],
    addDataset: (d: SourceDataset): number => Number(insertDataset.run(d).lastInsertRowid),
    addRows: (datasetId: number, n: number): void => void addRows.run(n, datasetId),
    byExternalId: (id: string) => byExternalId.all(id) as TargetItem[],
    addItem: (datasetId: number, i: SourceItem): number =>
      Number(
        insertItem.run(
          datasetId,
          i.external_id,
          i.kind,
          i.input,
          i.output,
          i.messages_json,
          i.metadata_json,
          i.created_at,
        ).lastInsertRowid,
      ),
    addStep: (itemId: number, idx: number, st: SourceStep): void =>
      void insertStep.run(itemId, idx, st.name, st.input, st.output, st.metadata_json),
    externalId: (itemId: number) => externalId.get(itemId) as string | undefined,
  }
}

/** Criteria of the target: by name, their versions, and new ones with their history. */
function criterionWrites(db: Db) {
  const byName = db.prepare('SELECT id, kind, step, deleted_at FROM criteria WHERE name = ?')
  const overall = db
    .prepare("SELECT id FROM criteria WHERE kind = 'overall' AND deleted_at IS NULL ORDER BY id LIMIT 1")
    .pluck()
  const versions = db.prepare(
    'SELECT version, definition FROM criterion_versions WHERE criterion_id = ? ORDER BY version',
  )
  const insertCriterion = db.prepare('INSERT INTO criteria (name, kind, step, created_at) VALUES (?, ?, ?, ?)')
  const insertVersion = db.prepare(
    `INSERT INTO criterion_versions (criterion_id, version, definition, pass_examples, fail_examples, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
  const insertSplit = db.prepare(
    `INSERT INTO splits (criterion_id, item_id, split, seed, origin, assigned_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  )
  return {
    byName: (name: string) =>
      byName.get(name) as
        { id: number; kind: 'overall' | 'failure_mode'; step: string | null; deleted_at: string | null } | undefined,
    overall: () => overall.get() as number | undefined,
    criterionVersions: (criterionId: number) => versions.all(criterionId) as { version: number; definition: string }[],
    addCriterion: (c: { name: string; kind: string; step: string | null; created_at: string }): number =>
      Number(insertCriterion.run(c.name, c.kind, c.step, c.created_at).lastInsertRowid),
    addCriterionVersion: (
      criterionId: number,
      v: { version: number; definition: string; pass: number[]; fail: number[]; created_at: string },
    ): void =>
      void insertVersion.run(
        criterionId,
        v.version,
        v.definition,
        JSON.stringify(v.pass),
        JSON.stringify(v.fail),
        v.created_at,
      ),
    /** A split copied with its criterion; true when it was written. */
    copySplit: (criterionId: number, itemId: number, s: { split: string; seed: number; origin: string; at: string }) =>
      insertSplit.run(criterionId, itemId, s.split, s.seed, s.origin, s.at).changes === 1,
  }
}

/** Labels of the target: the same label, and an annotator's newest row on an item. */
function labelLookups(db: Db) {
  const same = db
    .prepare(
      `SELECT id FROM labels WHERE item_id = ? AND criterion_id = ? AND annotator = ? AND verdict = ? AND note = ? AND created_at = ?
       ORDER BY id LIMIT 1`,
    )
    .pluck()
  const newest = db
    .prepare(
      'SELECT created_at FROM labels WHERE item_id = ? AND criterion_id = ? AND annotator = ? ORDER BY id DESC LIMIT 1',
    )
    .pluck()
  return {
    same: (l: { item: number; criterion: number; annotator: string; verdict: string; note: string; at: string }) =>
      same.get(l.item, l.criterion, l.annotator, l.verdict, l.note, l.at) as number | undefined,
    newest: (item: number, criterion: number, annotator: string) =>
      newest.get(item, criterion, annotator) as string | undefined,
  }
}

/** Judges, versions, runs and verdicts of the target. */
function judgeWrites(db: Db) {
  const versions = db.prepare(
    `SELECT jv.id, j.name AS judge, jv.prompt, jv.model_json, jv.params_json, jv.fewshot_ids
     FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id WHERE j.criterion_id = ? ORDER BY jv.id`,
  )
  const judge = db.prepare('SELECT id FROM judges WHERE criterion_id = ? AND name = ?').pluck()
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const nextVersion = db.prepare('SELECT coalesce(max(version), 0) + 1 FROM judge_versions WHERE judge_id = ?').pluck()
  const insertVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, test_evaluations, test_viewed_at, created_at)
     VALUES (@judge, @version, @prompt, @model_json, @params_json, @fewshot, @test_evaluations, @test_viewed_at, @created_at)`,
  )
  // The test lock stays on: a version whose test results were seen in either project counts as seen.
  const mergeTestViews = db.prepare(
    `UPDATE judge_versions SET test_evaluations = max(test_evaluations, @n),
       test_viewed_at = CASE WHEN test_viewed_at IS NULL OR @at < test_viewed_at THEN coalesce(@at, test_viewed_at) ELSE test_viewed_at END
     WHERE id = @id AND (test_evaluations < @n OR (@at IS NOT NULL AND (test_viewed_at IS NULL OR @at < test_viewed_at)))`,
  )
  const sameRun = db
    .prepare('SELECT id FROM runs WHERE judge_version_id = ? AND scope = ? AND started_at = ? ORDER BY id LIMIT 1')
    .pluck()
  const insertRun = db.prepare(
    `INSERT INTO runs (judge_version_id, scope, status, n_total, n_done, n_error, n_cached, tokens_in, tokens_out, cost_usd,
       item_ids_json, options_json, error, started_at, finished_at)
     VALUES (@version, @scope, @status, @n_total, @n_done, @n_error, @n_cached, @tokens_in, @tokens_out, @cost_usd,
       @item_ids_json, @options_json, @error, @started_at, @finished_at)`,
  )
  const insertVerdict = db.prepare(
    `INSERT INTO verdicts (run_id, item_id, verdict, critique, raw, latency_ms, tokens_in, tokens_out, cached, error, attempts, cost_usd, created_at)
     VALUES (@run, @item, @verdict, @critique, @raw, @latency_ms, @tokens_in, @tokens_out, @cached, @error, @attempts, @cost_usd, @created_at)
     ON CONFLICT (run_id, item_id) DO NOTHING`,
  )
  // A run's counters as stored, for readers of the file (the app counts its verdicts).
  const recount = db.prepare(
    `UPDATE runs SET n_done = (SELECT count(*) FROM verdicts WHERE run_id = @id),
       n_error = (SELECT count(*) FROM verdicts WHERE run_id = @id AND verdict = 'error'),
       n_cached = (SELECT coalesce(sum(cached), 0) FROM verdicts WHERE run_id = @id),
       tokens_in = (SELECT coalesce(sum(tokens_in), 0) FROM verdicts WHERE run_id = @id),
       tokens_out = (SELECT coalesce(sum(tokens_out), 0) FROM verdicts WHERE run_id = @id),
       cost_usd = (SELECT coalesce(sum(cost_usd), 0) FROM verdicts WHERE run_id = @id)
     WHERE id = @id`,
  )
  return {
    judgeVersions: (criterionId: number) => versions.all(criterionId) as TargetVersion[],
    /** The target's judge of this name on the criterion, made (dated as in the source) when it has none. */
    judge(criterionId: number, name: string, createdAt: string): number {
      const id = judge.get(criterionId, name) as number | undefined
      return id ?? Number(insertJudge.run(criterionId, name, createdAt).lastInsertRowid)
    },
    /** Copies a version under `judgeId` as its next version; returns its id and number. */
    addJudgeVersion(judgeId: number, v: SourceJudgeVersion, fewshot: number[]): { id: number; version: number } {
      const version = nextVersion.get(judgeId) as number
      const id = insertVersion.run({ ...v, judge: judgeId, version, fewshot: JSON.stringify(fewshot) }).lastInsertRowid
      return { id: Number(id), version }
    },
    mergeTestViews: (id: number, v: Pick<SourceJudgeVersion, 'test_evaluations' | 'test_viewed_at'>): void =>
      void mergeTestViews.run({ id, n: v.test_evaluations, at: v.test_viewed_at }),
    /**
     * The target's run of the version with the same scope and start (to the millisecond): the same
     * run, whatever items of it either copy could not merge.
     */
    sameRun: (versionId: number, r: Pick<SourceRun, 'scope' | 'started_at'>) =>
      sameRun.get(versionId, r.scope, r.started_at) as number | undefined,
    addRun: (versionId: number, r: SourceRun, itemIds: number[]): number =>
      Number(
        insertRun.run({ ...r, version: versionId, n_total: itemIds.length, item_ids_json: JSON.stringify(itemIds) })
          .lastInsertRowid,
      ),
    /** Adds a verdict to a run; false when the run has one on the item already. */
    addVerdict: (runId: number, itemId: number, v: SourceVerdict): boolean =>
      insertVerdict.run({ ...v, run: runId, item: itemId }).changes === 1,
    recount: (runId: number): void => void recount.run({ id: runId }),
  }
}

/** The target's side of a merge (see the module's comment). */
export function mergeTarget(db: Db) {
  return { ...itemWrites(db), ...criterionWrites(db), ...labelLookups(db), ...judgeWrites(db) }
}

export type MergeTarget = ReturnType<typeof mergeTarget>
