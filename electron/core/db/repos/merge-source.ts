/**
 * Reads of a source project for `assay merge`: everything a merge copies, through the source's
 * own connection (the source is only read). Rows come in id order, so a label history is
 * replayed in the order it was written.
 */
import type { Db } from '../open'

export interface SourceDataset {
  id: number
  name: string
  source_path: string | null
  format: string
  mapping_json: string
  synthetic: number
  created_at: string
}

export interface SourceItem {
  id: number
  dataset_id: number
  dataset: string
  external_id: string
  kind: string
  input: string
  output: string
  messages_json: string
  metadata_json: string
  created_at: string
}

export interface SourceStep {
  name: string
  input: string
  output: string
  metadata_json: string
}

export interface SourceCriterion {
  id: number
  name: string
  kind: 'overall' | 'failure_mode'
  step: string | null
  created_at: string
  deleted_at: string | null
}

export interface SourceCriterionVersion {
  version: number
  definition: string
  pass_examples: string
  fail_examples: string
  created_at: string
}

export interface SourceLabel {
  id: number
  item_id: number
  criterion_id: number
  criterion_version: number
  verdict: 'pass' | 'fail' | 'defer' | 'cleared'
  note: string
  annotator: string
  first_failing_step: number | null
  last_success_state: string | null
  first_failure_state: string | null
  reverts_id: number | null
  created_at: string
}

export interface SourceJudgeVersion {
  id: number
  judge: string
  judge_created_at: string
  criterion_id: number
  version: number
  prompt: string
  model_json: string
  params_json: string
  fewshot_ids: string
  test_evaluations: number
  test_viewed_at: string | null
  created_at: string
}

/** A run row as stored (every column a merge copies). */
export interface SourceRun {
  id: number
  scope: string
  status: string
  n_total: number
  n_done: number
  n_error: number
  n_cached: number
  tokens_in: number
  tokens_out: number
  cost_usd: number
  item_ids_json: string
  options_json: string
  error: string | null
  started_at: string
  finished_at: string | null
}

/** A verdict row as stored. */
export interface SourceVerdict {
  item_id: number
  verdict: string
  critique: string
  raw: string
  latency_ms: number | null
  tokens_in: number | null
  tokens_out: number | null
  cached: number
  error: string | null
  attempts: number
  cost_usd: number
  created_at: string
}

/** The reads of one source project (see the module's comment). */
export function mergeSource(db: Db) {
  const datasets = db.prepare('SELECT id, name, source_path, format, mapping_json, synthetic, created_at FROM datasets')
  const items = db.prepare(
    `SELECT i.id, i.dataset_id, d.name AS dataset, i.external_id, i.kind, i.input, i.output, i.messages_json, i.metadata_json, i.created_at
     FROM items i JOIN datasets d ON d.id = i.dataset_id ORDER BY i.id`,
  )
  const steps = db.prepare('SELECT name, input, output, metadata_json FROM steps WHERE item_id = ? ORDER BY idx')
  const criteria = db.prepare('SELECT id, name, kind, step, created_at, deleted_at FROM criteria ORDER BY id')
  const versions = db.prepare(
    'SELECT version, definition, pass_examples, fail_examples, created_at FROM criterion_versions WHERE criterion_id = ? ORDER BY version',
  )
  const ratios = db.prepare('SELECT train, dev, test, seed FROM split_settings WHERE criterion_id = ?')
  const targets = db.prepare('SELECT target, minimum FROM quality_targets WHERE criterion_id = ?')
  const splits = db.prepare(
    'SELECT item_id, split, seed, origin, assigned_at FROM splits WHERE criterion_id = ? ORDER BY item_id',
  )
  const labels = db.prepare(
    `SELECT id, item_id, criterion_id, criterion_version, verdict, note, annotator, first_failing_step, last_success_state,
       first_failure_state, reverts_id, created_at FROM labels ORDER BY id`,
  )
  const judgeVersions = db.prepare(
    `SELECT jv.id, j.name AS judge, j.created_at AS judge_created_at, j.criterion_id, jv.version, jv.prompt, jv.model_json, jv.params_json,
       jv.fewshot_ids, jv.test_evaluations, jv.test_viewed_at, jv.created_at
     FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id ORDER BY j.id, jv.version`,
  )
  const runs = db.prepare(
    `SELECT id, scope, status, n_total, n_done, n_error, n_cached, tokens_in, tokens_out, cost_usd, item_ids_json, options_json, error,
       started_at, finished_at FROM runs WHERE judge_version_id = ? ORDER BY id`,
  )
  const verdicts = db.prepare(
    `SELECT item_id, verdict, critique, raw, latency_ms, tokens_in, tokens_out, cached, error, attempts, cost_usd, created_at
     FROM verdicts WHERE run_id = ? ORDER BY id`,
  )
  return {
    datasets: () => datasets.all() as SourceDataset[],
    items: () => items.all() as SourceItem[],
    steps: (itemId: number) => steps.all(itemId) as SourceStep[],
    criteria: () => criteria.all() as SourceCriterion[],
    versions: (criterionId: number) => versions.all(criterionId) as SourceCriterionVersion[],
    ratios: (criterionId: number) =>
      ratios.get(criterionId) as { train: number; dev: number; test: number; seed: number } | undefined,
    targets: (criterionId: number) => targets.get(criterionId) as { target: number; minimum: number } | undefined,
    splits: (criterionId: number) =>
      splits.all(criterionId) as {
        item_id: number
        split: string
        seed: number
        origin: string
        assigned_at: string
      }[],
    labels: () => labels.all() as SourceLabel[],
    judgeVersions: () => judgeVersions.all() as SourceJudgeVersion[],
    runs: (versionId: number) => runs.all(versionId) as SourceRun[],
    verdicts: (runId: number) => verdicts.all(runId) as SourceVerdict[],
  }
}

export type MergeSource = ReturnType<typeof mergeSource>
