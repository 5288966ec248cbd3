import type { Db } from '../open'
import { projectRepo } from './project'
import type { MappedItem, NormalVerdict } from '../../import/types'

export type DuplicatePolicy = 'abort' | 'skip' | 'replace' | 'keep-both'

/**
 * The writes of one import, prepared once. Criteria, judges and runs are created on first use
 * and cached, so a 200 000-row file costs a few inserts per row and nothing else.
 */
export function importWriter(db: Db, at: string) {
  const insertItem = db.prepare(
    `INSERT INTO items (dataset_id, external_id, kind, input, output, messages_json, metadata_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dataset_id, external_id) DO NOTHING`,
  )
  const replaceItem = db.prepare(
    `UPDATE items SET kind = ?, input = ?, output = ?, messages_json = ?, metadata_json = ? WHERE dataset_id = ? AND external_id = ? RETURNING id`,
  )
  const deleteSteps = db.prepare('DELETE FROM steps WHERE item_id = ?')
  const insertStep = db.prepare('INSERT INTO steps (item_id, idx, name, input, output, metadata_json) VALUES (?, ?, ?, ?, ?, ?)')
  const itemsByExternalId = db.prepare('SELECT i.id, d.name AS dataset FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.external_id = ? LIMIT 3')
  const project = projectRepo(db)
  const insertLabel = db.prepare(
    `INSERT INTO labels (item_id, criterion_id, criterion_version, verdict, note, annotator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const upsertSplit = db.prepare(
    `INSERT INTO splits (criterion_id, item_id, split, seed, assigned_at) VALUES (?, ?, ?, 0, ?)
     ON CONFLICT (criterion_id, item_id) DO UPDATE SET split = excluded.split, assigned_at = excluded.assigned_at`,
  )
  const judgeByName = db.prepare('SELECT id FROM judges WHERE criterion_id = ? AND name = ?').pluck()
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const nextJudgeVersion = db.prepare('SELECT coalesce(max(version), 0) + 1 FROM judge_versions WHERE judge_id = ?').pluck()
  const insertJudgeVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at) VALUES (?, ?, ?, '{"provider":"imported"}', '{}', '[]', ?)`,
  )
  const insertRun = db.prepare(`INSERT INTO runs (judge_version_id, scope, status, started_at, finished_at) VALUES (?, 'imported', 'done', ?, ?)`)
  const insertVerdict = db.prepare(
    `INSERT INTO verdicts (run_id, item_id, verdict, critique, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, item_id) DO UPDATE SET verdict = excluded.verdict, critique = excluded.critique`,
  )
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
     * Inserts an item into the dataset. Returns its id, or `null` when the id is a duplicate and
     * the policy is to skip (or abort: the caller reports it).
     */
    item(datasetId: number, item: MappedItem, policy: DuplicatePolicy): { id: number; duplicate: boolean } | null {
      const values = [item.kind, item.input, item.output, JSON.stringify(item.messages), JSON.stringify(item.metadata)] as const
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
      item.steps.forEach((s, idx) => insertStep.run(id, idx, s.name, s.input, s.output, JSON.stringify(s.metadata)))
      return { id, duplicate: result.changes === 0 || externalId !== item.externalId }
    },

    /** Existing items with this external id (for joining labels or verdicts onto them). */
    find: (externalId: string) => itemsByExternalId.all(externalId) as { id: number; dataset: string }[],

    label(itemId: number, l: { criterion: string; verdict: NormalVerdict | 'defer'; note: string; annotator: string }): void {
      const c = criterion(l.criterion)
      // An imported "error"/unknown human label is not a verdict: it is kept as a deferred label with its note.
      insertLabel.run(itemId, c.id, c.version, l.verdict === 'error' ? 'defer' : l.verdict, l.note, l.annotator, at)
    },

    split(itemId: number, criterionName: string, split: 'train' | 'dev' | 'test'): void {
      upsertSplit.run(criterion(criterionName).id, itemId, split, at)
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
      insertVerdict.run(run, itemId, v.verdict, v.critique, at)
    },

    /** Fills in the counts of every run this import created. */
    finish(): void {
      for (const run of runs.values()) finishRun.run({ run })
    },
  }
}
