import type { Db } from '../open'

export interface NewLabel {
  itemId: number
  criterionId: number
  criterionVersion: number
  verdict: 'pass' | 'fail' | 'defer' | 'cleared'
  note: string
  annotator: string
  firstFailingStep: number | null
  /** A trace without steps: the states by name (imported; see migration 0008). */
  lastSuccess?: string | null
  firstFailure?: string | null
  sessionId?: number | null
  /** Set on an undo: the label whose effect this row takes back. */
  revertsId?: number | null
}

interface LabelRow {
  id: number
  item_id: number
  criterion_id: number
  criterion_version: number
  verdict: NewLabel['verdict']
  note: string
  annotator: string
  first_failing_step: number | null
  last_success_state: string | null
  first_failure_state: string | null
}

/** Labels are append-only: saving inserts a row that supersedes the previous one; undo too. */
export function labelsRepo(db: Db) {
  return { ...labelWrites(db), ...agreementPairs(db) }
}

/** Saving a label, placing its item in a split, and undoing a session's newest label. */
function labelWrites(db: Db) {
  const insert = db.prepare(
    `INSERT INTO labels (item_id, criterion_id, criterion_version, verdict, note, annotator, first_failing_step, last_success_state, first_failure_state, session_id, reverts_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertSplit = db.prepare(
    'INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  // The newest label of a session that is not an undo and has not been undone: what `u` takes back.
  const lastUndoable = db.prepare(
    `SELECT * FROM labels l WHERE l.session_id = ? AND l.reverts_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM labels r WHERE r.reverts_id = l.id) ORDER BY l.id DESC LIMIT 1`,
  )
  const before = db.prepare(
    'SELECT * FROM labels WHERE item_id = ? AND criterion_id = ? AND annotator = ? AND id < ? ORDER BY id DESC LIMIT 1',
  )
  const add = (l: NewLabel, at: string): number =>
    Number(
      insert.run(
        l.itemId,
        l.criterionId,
        l.criterionVersion,
        l.verdict,
        l.note,
        l.annotator,
        l.firstFailingStep,
        l.lastSuccess ?? null,
        l.firstFailure ?? null,
        l.sessionId ?? null,
        l.revertsId ?? null,
        at,
      ).lastInsertRowid,
    )
  return {
    add,
    assignSplit(criterionId: number, itemId: number, split: 'train' | 'dev' | 'test', seed: number, at: string): void {
      insertSplit.run(criterionId, itemId, split, seed, at)
    },
    /**
     * Takes back the newest label of a session that is still in effect: a new row restores the
     * item's label to what it was before (or clears it). Returns the item and criterion touched.
     */
    undo(sessionId: number, at: string): { itemId: number; criterionId: number } | null {
      const last = lastUndoable.get(sessionId) as LabelRow | undefined
      if (!last) return null
      const prior = before.get(last.item_id, last.criterion_id, last.annotator, last.id) as LabelRow | undefined
      add(
        {
          itemId: last.item_id,
          criterionId: last.criterion_id,
          criterionVersion: prior?.criterion_version ?? last.criterion_version,
          verdict: prior?.verdict ?? 'cleared',
          note: prior?.note ?? '',
          annotator: last.annotator,
          firstFailingStep: prior?.first_failing_step ?? null,
          lastSuccess: prior?.last_success_state ?? null,
          firstFailure: prior?.first_failure_state ?? null,
          sessionId,
          revertsId: last.id,
        },
        at,
      )
      return { itemId: last.item_id, criterionId: last.criterion_id }
    },
  }
}

/** Label pairs that measure agreement: between annotators, and of an annotator with themself. */
function agreementPairs(db: Db) {
  // Pairs of annotators' current labels (pass/fail) on the same item and criterion.
  const pairs = db.prepare(
    `WITH cur AS (SELECT l.item_id, l.annotator, l.verdict FROM labels l WHERE l.criterion_id = @c
       AND l.id = (SELECT max(id) FROM labels l2 WHERE l2.item_id = l.item_id AND l2.criterion_id = l.criterion_id AND l2.annotator = l.annotator))
     SELECT a.annotator AS a, b.annotator AS b, a.verdict AS va, b.verdict AS vb FROM cur a JOIN cur b ON a.item_id = b.item_id AND a.annotator < b.annotator
     WHERE a.verdict IN ('pass', 'fail') AND b.verdict IN ('pass', 'fail')`,
  )
  // A blind re-label against the same annotator's label just before that session.
  const relabelPairs = db.prepare(
    `SELECT s.annotator AS a, l.verdict AS vb,
       (SELECT p.verdict FROM labels p WHERE p.item_id = l.item_id AND p.criterion_id = l.criterion_id AND p.annotator = l.annotator
          AND (p.session_id IS NOT l.session_id) AND p.id < (SELECT min(f.id) FROM labels f WHERE f.session_id = s.id) ORDER BY p.id DESC LIMIT 1) AS va
     FROM sessions s JOIN labels l ON l.session_id = s.id
     WHERE s.criterion_id = @c AND json_extract(s.settings_json, '$.order') = 'relabel'
       AND l.id = (SELECT max(id) FROM labels l2 WHERE l2.session_id = s.id AND l2.item_id = l.item_id AND l2.criterion_id = l.criterion_id)
       AND l.verdict IN ('pass', 'fail')`,
  )

  return {
    /** Overlapping current pass/fail labels of every two annotators on a criterion. */
    annotatorPairs: (criterionId: number) =>
      pairs.all({ c: criterionId }) as { a: string; b: string; va: 'pass' | 'fail'; vb: 'pass' | 'fail' }[],
    /** Each blind re-label of a criterion beside the same annotator's earlier label. */
    relabelPairs: (criterionId: number) =>
      (relabelPairs.all({ c: criterionId }) as { a: string; va: string | null; vb: 'pass' | 'fail' }[]).filter(
        (p): p is { a: string; va: 'pass' | 'fail'; vb: 'pass' | 'fail' } => p.va === 'pass' || p.va === 'fail',
      ),
  }
}
