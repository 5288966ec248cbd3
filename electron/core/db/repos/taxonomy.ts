import type { Db } from '../open'
import { CURRENT_LABELS } from './item-query'

export interface NoteRow {
  itemId: number
  externalId: string
  dataset: string
  criterion: string
  verdict: 'pass' | 'fail' | 'defer'
  note: string
  annotator: string
  createdAt: string
  metadata: string
}

export interface ModeRow {
  id: number
  name: string
  definition: string
  version: number
  /** Items whose current label on this mode is a fail: the failure is present. */
  count: number
}

/** A reviewed trace's step-wise label on Overall (see `taxonomyRepo().stepwise`). */
export interface StepwiseRow {
  itemId: number
  verdict: 'pass' | 'fail'
  /** Pipelines: index of the first failing step, marked while labeling or imported. */
  firstFailingStep: number | null
  /** Traces without steps: the named states (a null last success under a first failure: failed at the first state). */
  lastSuccess: string | null
  firstFailure: string | null
  /** The trace's step names in order (none for a trace without steps). */
  steps: string[]
}

/** The meta key of the state order the user gave, as a JSON array of names. */
const STATE_ORDER_KEY = 'state_order'

/** The failure taxonomy's reads (DESIGN §3, Analyze): notes, modes with their counts, and the cross tables. */
export function taxonomyRepo(db: Db) {
  return { ...taxonomyReads(db), ...stepwiseLabels(db), ...modeEdits(db) }
}

/** Notes to code, the failure modes with their counts, and what the cross tables count over. */
function taxonomyReads(db: Db) {
  // Every annotator's current label that carries a note (not only the newest label of the item):
  // a second annotator's label must not hide the first one's note.
  const notes = db.prepare(
    `SELECT l.item_id AS itemId, i.external_id AS externalId, d.name AS dataset, c.name AS criterion, l.verdict, l.note, l.annotator, l.created_at AS createdAt,
       i.metadata_json AS metadata
     FROM labels l JOIN items i ON i.id = l.item_id JOIN datasets d ON d.id = i.dataset_id JOIN criteria c ON c.id = l.criterion_id
     WHERE l.id IN (SELECT max(id) FROM labels GROUP BY item_id, criterion_id, annotator) AND l.verdict <> 'cleared'
       AND l.note <> '' AND c.deleted_at IS NULL AND c.step IS NULL ORDER BY l.id`,
  )
  const modes = db.prepare(
    `WITH fails AS (SELECT criterion_id, count(*) AS n FROM (${CURRENT_LABELS}) WHERE verdict = 'fail' GROUP BY criterion_id)
     SELECT c.id, c.name, cv.definition, cv.version, coalesce(f.n, 0) AS count
     FROM criteria c JOIN criterion_versions cv ON cv.criterion_id = c.id AND cv.version = (SELECT max(version) FROM criterion_versions WHERE criterion_id = c.id)
     LEFT JOIN fails f ON f.criterion_id = c.id
     WHERE c.kind = 'failure_mode' AND c.step IS NULL AND c.deleted_at IS NULL ORDER BY c.id`,
  )
  // The traces reviewed for the taxonomy: a pass or fail on Overall, or a verdict on any failure mode (a re-code).
  const reviewed = db
    .prepare(
      `SELECT DISTINCT l.item_id FROM (${CURRENT_LABELS}) l JOIN criteria c ON c.id = l.criterion_id
     WHERE c.deleted_at IS NULL AND c.step IS NULL AND l.verdict IN ('pass', 'fail')`,
    )
    .pluck()
  const failing = db.prepare(
    `SELECT l.criterion_id AS modeId, l.item_id AS itemId FROM (${CURRENT_LABELS}) l JOIN criteria c ON c.id = l.criterion_id
     WHERE c.kind = 'failure_mode' AND c.step IS NULL AND c.deleted_at IS NULL AND l.verdict = 'fail'`,
  )
  const metadataOf = db.prepare(
    `SELECT i.id, CASE json_type(i.metadata_json, '$.' || json_quote(?)) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
       ELSE CAST(json_extract(i.metadata_json, '$.' || json_quote(?)) AS TEXT) END AS value FROM items i WHERE i.id IN (SELECT value FROM json_each(?))`,
  )
  return {
    notes: () => notes.all() as NoteRow[],
    modes: () => modes.all() as ModeRow[],
    reviewed: () => reviewed.all() as number[],
    failing: () => failing.all() as { modeId: number; itemId: number }[],
    metadata: (key: string, ids: number[]) =>
      metadataOf.all(key, key, JSON.stringify(ids)) as { id: number; value: string | null }[],
  }
}

/** Where a failing trace first went wrong: step-wise labels, and the order of named states. */
function stepwiseLabels(db: Db) {
  // The step-wise labels (Overall) of reviewed traces: a pipeline's first failing step with its
  // step names, or a trace's named last successful and first failing states. A failing trace's
  // marks are those of the newest current fail that has any, whoever made it: a second
  // annotator's fail without a mark (or an imported trace relabeled in a session) keeps the mark.
  const stepwise = db.prepare(
    `WITH cur AS (${CURRENT_LABELS}),
     marked AS (
       SELECT x.item_id, x.criterion_id, max(x.id) AS id FROM labels x JOIN cur ON cur.item_id = x.item_id AND cur.criterion_id = x.criterion_id AND cur.verdict = 'fail'
       WHERE x.verdict = 'fail' AND (x.first_failing_step IS NOT NULL OR x.first_failure_state IS NOT NULL OR x.last_success_state IS NOT NULL)
         AND x.id = (SELECT max(y.id) FROM labels y WHERE y.item_id = x.item_id AND y.criterion_id = x.criterion_id AND y.annotator = x.annotator)
       GROUP BY x.item_id, x.criterion_id)
     SELECT l.item_id AS itemId, l.verdict, coalesce(m.first_failing_step, l.first_failing_step) AS firstFailingStep,
       CASE WHEN m.id IS NULL THEN l.last_success_state ELSE m.last_success_state END AS lastSuccess,
       CASE WHEN m.id IS NULL THEN l.first_failure_state ELSE m.first_failure_state END AS firstFailure,
       (SELECT json_group_array(name) FROM (SELECT name FROM steps s WHERE s.item_id = l.item_id ORDER BY idx)) AS steps
     FROM cur l JOIN criteria c ON c.id = l.criterion_id LEFT JOIN marked mk ON mk.item_id = l.item_id AND mk.criterion_id = l.criterion_id LEFT JOIN labels m ON m.id = mk.id
     WHERE c.kind = 'overall' AND l.verdict IN ('pass', 'fail')
       AND (m.id IS NOT NULL OR l.last_success_state IS NOT NULL OR EXISTS (SELECT 1 FROM steps s WHERE s.item_id = l.item_id))
     ORDER BY l.item_id`,
  )
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck()
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )

  return {
    stepwise: (): StepwiseRow[] =>
      (stepwise.all() as (Omit<StepwiseRow, 'steps'> & { steps: string })[]).map((p) => ({
        ...p,
        steps: JSON.parse(p.steps) as string[],
      })),
    /** The state order the user gave (at import), if any. */
    stateOrder: (): string[] | null => {
      const v = getMeta.get(STATE_ORDER_KEY) as string | undefined
      return v === undefined ? null : (JSON.parse(v) as string[])
    },
    setStateOrder: (order: readonly string[]): void => void setMeta.run(STATE_ORDER_KEY, JSON.stringify(order)),
  }
}

/** Editing the failure modes: their examples, names, and a soft delete. */
function modeEdits(db: Db) {
  // Examples belong to the definition's latest version, but changing them is not a new definition.
  const examples = db.prepare(
    `SELECT cv.criterion_id AS modeId, 'pass' AS kind, j.value AS itemId, i.external_id AS externalId FROM criterion_versions cv, json_each(cv.pass_examples) j JOIN items i ON i.id = j.value
       WHERE cv.version = (SELECT max(version) FROM criterion_versions WHERE criterion_id = cv.criterion_id)
     UNION ALL
     SELECT cv.criterion_id, 'fail', j.value, i.external_id FROM criterion_versions cv, json_each(cv.fail_examples) j JOIN items i ON i.id = j.value
       WHERE cv.version = (SELECT max(version) FROM criterion_versions WHERE criterion_id = cv.criterion_id)`,
  )
  const setExamples = db.prepare(
    `UPDATE criterion_versions SET pass_examples = @pass, fail_examples = @fail
     WHERE criterion_id = @id AND version = (SELECT max(version) FROM criterion_versions WHERE criterion_id = @id)`,
  )
  const setName = db.prepare('UPDATE criteria SET name = ? WHERE id = ?')
  const remove = db.prepare("UPDATE criteria SET deleted_at = ?, name = name || ' [deleted ' || id || ']' WHERE id = ?")
  // A criterion's step-level criteria are found by name ("<criterion> · <step>"): they follow it.
  const ITS_STEPS =
    "step IS NOT NULL AND deleted_at IS NULL AND name = (SELECT name FROM criteria WHERE id = @id) || ' · ' || step"
  const renameSteps = db.prepare(`UPDATE criteria SET name = @name || ' · ' || step WHERE ${ITS_STEPS}`)
  const removeSteps = db.prepare(
    `UPDATE criteria SET deleted_at = @at, name = name || ' [deleted ' || id || ']' WHERE ${ITS_STEPS}`,
  )

  return {
    examples: () => examples.all() as { modeId: number; kind: 'pass' | 'fail'; itemId: number; externalId: string }[],
    setExamples: (id: number, pass: number[], fail: number[]): void =>
      void setExamples.run({ id, pass: JSON.stringify(pass), fail: JSON.stringify(fail) }),
    /** Renames a criterion and its step-level criteria, so their labels stay with it (call in a transaction). */
    rename: (id: number, name: string): void => {
      renameSteps.run({ id, name })
      setName.run(name, id)
    },
    /** Soft delete, with its step-level criteria: the labels stay (history); the names are freed for a new mode. */
    remove: (id: number, at: string): void => {
      removeSteps.run({ id, at })
      remove.run(at, id)
    },
  }
}
