import type { Db } from '../open'
import { CURRENT_LABELS_OF_ITEM } from './item-query'

export interface ExportColumns {
  criteria: { id: number; name: string }[]
  /** Every judge version that has verdicts, per criterion. */
  judges: { criterionId: number; criterion: string; versionId: number; judge: string; version: number }[]
}

export interface ExportRow {
  id: number
  external_id: string
  dataset: string
  kind: string
  input: string
  output: string
  messages_json: string
  metadata_json: string
}

/** Reads for `assay export`: one row per item, streamed, with its labels, splits and verdicts. */
export function exportsRepo(db: Db) {
  const criteria = db.prepare(
    "SELECT id, name FROM criteria WHERE deleted_at IS NULL ORDER BY kind = 'overall' DESC, id",
  )
  const judges = db.prepare(
    `SELECT c.id AS criterionId, c.name AS criterion, jv.id AS versionId, j.name AS judge, jv.version
     FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id JOIN criteria c ON c.id = j.criterion_id
     WHERE EXISTS (SELECT 1 FROM runs r JOIN verdicts v ON v.run_id = r.id WHERE r.judge_version_id = jv.id)
     ORDER BY c.id, j.name, jv.version`,
  )
  const items = db.prepare(
    `SELECT i.id, i.external_id, d.name AS dataset, i.kind, i.input, i.output, i.messages_json, i.metadata_json
     FROM items i JOIN datasets d ON d.id = i.dataset_id ORDER BY i.id`,
  )
  const steps = db.prepare('SELECT name, input, output, metadata_json FROM steps WHERE item_id = ? ORDER BY idx')
  // The item's current human verdict per criterion (the rule of `currentLabel` in item-query.ts).
  const labels = db.prepare(
    `SELECT l.criterion_id AS criterionId, l.verdict, l.note, l.annotator, l.created_at AS createdAt FROM (${CURRENT_LABELS_OF_ITEM}) l`,
  )
  const history = db.prepare(
    `SELECT l.id AS label_id, i.external_id AS id, d.name AS dataset, c.name AS criterion, l.criterion_version, l.verdict, l.note, l.annotator,
       l.first_failing_step, l.last_success_state, l.first_failure_state, l.session_id AS session, l.reverts_id AS reverts_label_id, l.created_at
     FROM labels l JOIN items i ON i.id = l.item_id JOIN datasets d ON d.id = i.dataset_id JOIN criteria c ON c.id = l.criterion_id ORDER BY l.id`,
  )
  const splits = db.prepare('SELECT criterion_id AS criterionId, split FROM splits WHERE item_id = ?')
  // The latest run of each judge version decides that version's verdict on the item.
  const verdicts = db.prepare(
    `SELECT r.judge_version_id AS versionId, v.verdict, v.critique FROM verdicts v JOIN runs r ON r.id = v.run_id
     WHERE v.item_id = ? AND r.id = (SELECT max(r2.id) FROM runs r2 JOIN verdicts v2 ON v2.run_id = r2.id WHERE v2.item_id = v.item_id AND r2.judge_version_id = r.judge_version_id)`,
  )
  return {
    columns: (): ExportColumns => ({
      criteria: criteria.all() as ExportColumns['criteria'],
      judges: judges.all() as ExportColumns['judges'],
    }),
    items: () => items.iterate() as IterableIterator<ExportRow>,
    steps: (itemId: number) =>
      steps.all(itemId) as { name: string; input: string; output: string; metadata_json: string }[],
    labels: (itemId: number) =>
      labels.all({ item: itemId }) as {
        criterionId: number
        verdict: string
        note: string
        annotator: string
        createdAt: string
      }[],
    /** Every label row of the project, oldest first (streamed). */
    history: () => history.iterate() as IterableIterator<Record<string, unknown>>,
    splits: (itemId: number) => splits.all(itemId) as { criterionId: number; split: string }[],
    verdicts: (itemId: number) => verdicts.all(itemId) as { versionId: number; verdict: string; critique: string }[],
  }
}
