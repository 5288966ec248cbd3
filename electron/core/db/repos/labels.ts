import type { Db } from '../open'

export interface NewLabel {
  itemId: number
  criterionId: number
  criterionVersion: number
  verdict: 'pass' | 'fail' | 'defer' | 'cleared'
  note: string
  annotator: string
  firstFailingStep: number | null
}

/** Labels are append-only: saving inserts a row that supersedes the previous one. */
export function labelsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO labels (item_id, criterion_id, criterion_version, verdict, note, annotator, first_failing_step, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertSplit = db.prepare(
    'INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  return {
    add(l: NewLabel, at: string): number {
      return Number(
        insert.run(l.itemId, l.criterionId, l.criterionVersion, l.verdict, l.note, l.annotator, l.firstFailingStep, at)
          .lastInsertRowid,
      )
    },
    assignSplit(criterionId: number, itemId: number, split: 'train' | 'dev' | 'test', seed: number, at: string): void {
      insertSplit.run(criterionId, itemId, split, seed, at)
    },
  }
}
