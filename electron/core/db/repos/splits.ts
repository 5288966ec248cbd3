import { DEFAULT_SPLITS, type SplitRatios } from '../../../../shared/judges'
import type { Db } from '../open'
import { CURRENT_LABELS_OF_CRITERION } from './item-query'

export interface LabeledRow {
  itemId: number
  externalId: string
  verdict: 'pass' | 'fail' | 'defer'
  note: string
  split: 'train' | 'dev' | 'test' | null
  /**
   * For a trace-level failure mode: the note on the same annotator's current Overall label when
   * it has the same verdict (a fail's note says what failed; a pass's, why it is fine), where
   * the human usually writes it while labeling. '' for Overall and step-level criteria, when the
   * verdicts differ (an Overall fail's note is about another failure than a passing mode), and
   * when there is none: another annotator's note never explains this one's label.
   */
  overallNote: string
}

/**
 * The human's note on a labeled item, as few-shot critiques, the Calibrate cell lists and the
 * report show it: the label's own note, else the note written on the trace's Overall label
 * (tagging or assigning a failure mode writes a label without a note: the observation is on
 * Overall). Empty only when the human wrote none.
 */
export const humanNote = (r: Pick<LabeledRow, 'note' | 'overallNote'>): string => r.note || r.overallNote

/** Train/dev/test per criterion: the shares and seed, and each labeled item with its split. */
export function splitsRepo(db: Db) {
  const ratios = db.prepare('SELECT train, dev, test, seed FROM split_settings WHERE criterion_id = ?')
  const setRatios = db.prepare(
    `INSERT INTO split_settings (criterion_id, train, dev, test, seed) VALUES (@c, @train, @dev, @test, @seed)
     ON CONFLICT (criterion_id) DO UPDATE SET train = excluded.train, dev = excluded.dev, test = excluded.test, seed = excluded.seed`,
  )
  const labeled = db.prepare(
    `SELECT cur.item_id AS itemId, i.external_id AS externalId, cur.verdict, cur.note, s.split,
       CASE WHEN cur.note = '' AND (SELECT kind = 'failure_mode' AND step IS NULL FROM criteria WHERE id = @c) THEN coalesce((
         SELECT o.note FROM labels o JOIN criteria oc ON oc.id = o.criterion_id
         WHERE o.item_id = cur.item_id AND oc.kind = 'overall' AND oc.deleted_at IS NULL AND o.note <> ''
           AND o.annotator = cur.annotator AND o.verdict = cur.verdict
           AND o.id = (SELECT max(o2.id) FROM labels o2 WHERE o2.item_id = o.item_id AND o2.criterion_id = o.criterion_id AND o2.annotator = o.annotator)
         ORDER BY o.id DESC LIMIT 1), '') ELSE '' END AS overallNote
     FROM (${CURRENT_LABELS_OF_CRITERION}) cur JOIN items i ON i.id = cur.item_id
     LEFT JOIN splits s ON s.criterion_id = @c AND s.item_id = cur.item_id ORDER BY cur.item_id`,
  )
  const insert = db.prepare(
    'INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  const ofItems = db.prepare('SELECT item_id AS itemId, split FROM splits WHERE criterion_id = ?')
  const ofItem = db.prepare('SELECT split FROM splits WHERE criterion_id = ? AND item_id = ?').pluck()
  const usedBy = db
    .prepare(
      `SELECT '"' || j.name || '" v' || jv.version FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id
     WHERE j.criterion_id = @c AND (jv.fewshot_ids <> '[]' OR EXISTS (
       SELECT 1 FROM runs r JOIN verdicts v ON v.run_id = r.id JOIN splits s ON s.criterion_id = @c AND s.item_id = v.item_id WHERE r.judge_version_id = jv.id))
     ORDER BY jv.id LIMIT 1`,
    )
    .pluck()
  const clearPlaced = db.prepare("DELETE FROM splits WHERE criterion_id = ? AND origin = 'auto'")
  const anyLabel = db.prepare('SELECT EXISTS (SELECT 1 FROM labels WHERE criterion_id = ?)').pluck()
  return {
    ratios: (criterionId: number): SplitRatios =>
      (ratios.get(criterionId) as SplitRatios | undefined) ?? DEFAULT_SPLITS,
    setRatios: (criterionId: number, r: SplitRatios): void => void setRatios.run({ c: criterionId, ...r }),
    /** Items with a current label (pass, fail or defer) on the criterion, with their split if any. */
    labeled: (criterionId: number) => labeled.all({ c: criterionId }) as LabeledRow[],
    assign: (criterionId: number, itemId: number, split: 'train' | 'dev' | 'test', seed: number, at: string): void =>
      void insert.run(criterionId, itemId, split, seed, at),
    /** An item's split on the criterion, or null. */
    of: (criterionId: number, itemId: number) =>
      (ofItem.get(criterionId, itemId) as 'train' | 'dev' | 'test' | undefined) ?? null,
    /**
     * The first judge version whose verdicts or few-shot examples depend on the criterion's splits
     * ("\"judge\" v2"), if any.
     */
    usedBy: (criterionId: number) => (usedBy.get({ c: criterionId }) as string | undefined) ?? null,
    /** Whether the criterion has any label yet (of any annotator, undone or not). */
    hasLabels: (criterionId: number): boolean => anyLabel.get(criterionId) === 1,
    /** Forgets the splits Assay placed (not a file's), to place the items again: how many. */
    clearPlaced: (criterionId: number): number => clearPlaced.run(criterionId).changes,
    /** Every split assignment of a criterion, labeled or not any more. */
    all: (criterionId: number) =>
      new Map(
        (ofItems.all(criterionId) as { itemId: number; split: 'train' | 'dev' | 'test' }[]).map((r) => [
          r.itemId,
          r.split,
        ]),
      ),
  }
}
