/** The import's writes of criteria, human labels and splits. */
import type { SplitName } from '../../../../../shared/import'
import type { LabelStates, NormalVerdict } from '../../../import/types'
import type { Db } from '../../open'
import { CURRENT_LABELS_OF_CRITERION } from '../item-query'
import { projectRepo } from '../project'
import { groupedInsert, textOrNull } from './batch'

/** A criterion's id and current definition version. */
export type CriterionOf = (name: string) => { id: number; version: number }

/** The criterion's id and current definition version, created (empty) on first use and cached. */
export function criterionCache(db: Db, at: string): CriterionOf {
  const project = projectRepo(db)
  const criteria = new Map<string, { id: number; version: number }>()
  return (name) => {
    let found = criteria.get(name)
    if (!found) {
      const id =
        project.criterionId(name) ?? project.addCriterion(name, name === 'Overall' ? 'overall' : 'failure_mode', '', at)
      found = { id, version: project.criterionVersion(id) }
      criteria.set(name, found)
    }
    return found
  }
}

/**
 * How an imported human label is stored: an "error"/unknown one is not a verdict, so it is a
 * deferral (its note kept).
 */
export const storedLabel = (verdict: NormalVerdict | 'defer'): 'pass' | 'fail' | 'defer' =>
  verdict === 'error' ? 'defer' : verdict

/** Human labels, written in bulk, and the labels items have. */
export function labelWriter(db: Db, at: string, criterion: CriterionOf) {
  const currentLabel = db.prepare(
    `SELECT verdict, note, first_failing_step AS firstFailingStep, last_success_state AS lastSuccess, first_failure_state AS firstFailure
     FROM labels WHERE item_id = ? AND criterion_id = ? AND annotator = ? ORDER BY id DESC LIMIT 1`,
  )
  const anyVerdict = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM labels l WHERE l.item_id = @item AND l.criterion_id = @c AND l.verdict IN ('pass', 'fail')
     AND l.id = (SELECT max(x.id) FROM labels x WHERE x.item_id = @item AND x.criterion_id = @c AND x.annotator = l.annotator))`,
    )
    .pluck()
  // Grouped by criterion and annotator, which are bound once a statement rather than once a row.
  const labels = groupedInsert(
    db,
    {
      into: 'labels (item_id, criterion_id, criterion_version, verdict, note, annotator, created_at, first_failing_step, last_success_state, first_failure_state)',
      row: "(?, @criterion, @version, ?, coalesce(?, ''), @annotator, coalesce(?, @at), ?, ?, ?)",
    },
    { at },
  )
  return {
    /** An annotator's current label of an item (for "the same label again changes nothing"). */
    currentLabel: (itemId: number, criterionId: number, annotator: string) =>
      currentLabel.get(itemId, criterionId, annotator) as
        ({ verdict: 'pass' | 'fail' | 'defer' | 'cleared'; note: string } & LabelStates) | undefined,

    /** A label, written in bulk with others. */
    label: (
      itemId: number,
      l: {
        criterion: string
        verdict: NormalVerdict | 'defer'
        note: string
        annotator: string
        createdAt?: string
        states?: LabelStates
      },
    ): void => {
      const c = criterion(l.criterion)
      const st = l.states
      // An imported "error"/unknown human label is not a verdict: it is kept as a deferred label with its note.
      const group = labels.group(`${String(c.id)}\u0000${l.annotator}`, {
        criterion: c.id,
        version: c.version,
        annotator: l.annotator,
      })
      group.add(
        itemId,
        storedLabel(l.verdict),
        textOrNull(l.note),
        l.createdAt ?? null,
        st?.firstFailingStep ?? null,
        st?.lastSuccess ?? null,
        st?.firstFailure ?? null,
      )
    },

    /** Whether any annotator's current label of the item is a pass or a fail. */
    hasVerdict: (itemId: number, criterionId: number): boolean =>
      anyVerdict.get({ item: itemId, c: criterionId }) === 1,

    flush: (): void => {
      labels.flush()
    },
  }
}

/** An item labeled pass or fail on a criterion, with its split. */
export interface LabeledItem {
  id: number
  externalId: string
  verdict: 'pass' | 'fail'
  split: SplitName | null
}

/** Splits from the file and splits Assay places, and the labeled items they are placed among. */
export function splitWriter(db: Db, at: string, criterion: CriterionOf, flushAll: () => void) {
  const splitOf = db.prepare('SELECT split FROM splits WHERE criterion_id = ? AND item_id = ?').pluck()
  const setSplit = db.prepare(
    `INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at, origin) VALUES (?, ?, ?, 0, ?, 'file')
     ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at, origin = 'file'`,
  )
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
  // Grouped by criterion (and seed), which are bound once a statement.
  const splits = groupedInsert(
    db,
    {
      into: 'splits (criterion_id, item_id, split, seed, assigned_at, origin)',
      row: "(@criterion, ?, ?, 0, @at, 'file')",
      onConflict:
        "ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at, origin = 'file'",
    },
    { at },
  )
  const placed = groupedInsert(
    db,
    { into: 'splits (criterion_id, item_id, split, seed, assigned_at)', row: '(@criterion, ?, ?, @seed, @at)' },
    { at },
  )
  return {
    /** A split from the file, for an item that had none (written in bulk). */
    split: (itemId: number, criterionName: string, split: SplitName): void => {
      const id = criterion(criterionName).id
      splits.group(String(id), { criterion: id }).add(itemId, split)
    },

    /** A split Assay placed (seeded, stratified) for an item that has none, written in bulk. */
    placeSplit: (criterionId: number, itemId: number, split: SplitName, seed: number): void => {
      placed.group(`${String(criterionId)}:${String(seed)}`, { criterion: criterionId, seed }).add(itemId, split)
    },

    /** A split from the file for an item that may have one: the split it had when that differs (a move), else null. */
    moveSplit: (itemId: number, criterionId: number, split: SplitName): SplitName | null => {
      const had = splitOf.get(criterionId, itemId) as SplitName | undefined
      if (had === split) return null
      setSplit.run(criterionId, itemId, split, at)
      return had ?? null
    },

    /**
     * Items with a current pass/fail label on the criterion, with their split, optionally only in
     * these datasets (rows written so far included).
     */
    labeled: (criterionId: number, datasets: number[] | null = null): LabeledItem[] => {
      flushAll()
      return labeledIn.all({ c: criterionId, datasets: datasets ? JSON.stringify(datasets) : null }) as LabeledItem[]
    },

    /** The first judge version of the criterion whose test results were shown (`"judge" v2`), if any. */
    testViewed: (criterionId: number) => (testViewed.get(criterionId) as string | undefined) ?? null,

    flush: (): void => {
      splits.flush()
      placed.flush()
    },
  }
}
