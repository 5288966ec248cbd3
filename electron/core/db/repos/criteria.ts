import { DEFAULT_TARGETS, type Targets } from '../../../../shared/calibrate'
import type { CriterionInfo, Saturation } from '../../../../shared/domain'
import { SATURATION_REVIEWED, SATURATION_WINDOW } from '../../../../shared/session'
import type { Db } from '../open'
import { CURRENT_LABELS } from './item-query'

/**
 * Criteria and their versions: listing with label counts, editing a definition (a new version;
 * labels made under older ones then need a re-review), step-level criteria, quality targets for
 * their judges, and the saturation meter over the failure modes.
 */
export function criteriaRepo(db: Db) {
  return { ...criterionTargets(db), ...criterionVersions(db), ...saturationMeter(db) }
}

/** Quality targets for a criterion's judges (TPR and TNR), with the defaults until set. */
function criterionTargets(db: Db) {
  const targets = db.prepare('SELECT target, minimum FROM quality_targets WHERE criterion_id = ?')
  const setTargets = db.prepare(
    'INSERT INTO quality_targets (criterion_id, target, minimum) VALUES (@id, @target, @minimum) ON CONFLICT (criterion_id) DO UPDATE SET target = excluded.target, minimum = excluded.minimum',
  )
  return {
    /** The criterion's quality targets for TPR and TNR (the defaults until set). */
    targets: (criterionId: number): Targets => (targets.get(criterionId) as Targets | undefined) ?? DEFAULT_TARGETS,
    setTargets: (criterionId: number, t: Targets): void => void setTargets.run({ id: criterionId, ...t }),
  }
}

/** Listing criteria with their latest version, new definitions, and the step-level criteria. */
function criterionVersions(db: Db) {
  const list = db.prepare(
    `WITH cur AS MATERIALIZED (${CURRENT_LABELS}),
       latest AS (SELECT criterion_id, max(version) AS version FROM criterion_versions GROUP BY criterion_id),
       counts AS (SELECT cur.criterion_id, sum(cur.verdict IN ('pass', 'fail')) AS labeled, sum(cur.criterion_version < latest.version) AS stale
                  FROM cur JOIN latest ON latest.criterion_id = cur.criterion_id GROUP BY cur.criterion_id)
     SELECT c.id, c.name, c.kind, c.step, lv.version, cv.definition, coalesce(n.labeled, 0) AS labeled, coalesce(n.stale, 0) AS stale
     FROM criteria c JOIN latest lv ON lv.criterion_id = c.id JOIN criterion_versions cv ON cv.criterion_id = c.id AND cv.version = lv.version
     LEFT JOIN counts n ON n.criterion_id = c.id
     WHERE c.deleted_at IS NULL AND (@id IS NULL OR c.id = @id)
     ORDER BY c.kind = 'overall' DESC, c.step IS NOT NULL, c.id`,
  )
  const insertVersion = db.prepare(
    `INSERT INTO criterion_versions (criterion_id, version, definition, pass_examples, fail_examples, created_at)
     SELECT criterion_id, version + 1, @definition, pass_examples, fail_examples, @at FROM criterion_versions
     WHERE criterion_id = @id ORDER BY version DESC LIMIT 1`,
  )
  const stepCriterion = db.prepare('SELECT id FROM criteria WHERE name = ? AND step = ? AND deleted_at IS NULL').pluck()
  const insertCriterion = db.prepare(
    "INSERT INTO criteria (name, kind, step, created_at) VALUES (?, 'failure_mode', ?, ?)",
  )
  const insertFirstVersion = db.prepare(
    'INSERT INTO criterion_versions (criterion_id, version, definition, created_at) VALUES (?, 1, ?, ?)',
  )
  const modes = db.prepare(
    "SELECT id, name FROM criteria WHERE kind = 'failure_mode' AND step IS NULL AND deleted_at IS NULL ORDER BY id",
  )
  const logEvent = db.prepare('INSERT INTO events (at, kind, payload_json) VALUES (?, ?, ?)')

  const get = (id: number): CriterionInfo | undefined => list.get({ id }) as CriterionInfo | undefined
  return {
    list: (): CriterionInfo[] => list.all({ id: null }) as CriterionInfo[],
    get,
    /** A new definition is a new version; labels keep the version they were made under. */
    updateDefinition(id: number, definition: string, at: string): CriterionInfo | undefined {
      const before = get(id)
      if (!before) return undefined
      if (before.definition === definition) return before
      db.transaction(() => {
        insertVersion.run({ id, definition, at })
        logEvent.run(
          at,
          'criterion.version',
          JSON.stringify({ criterionId: id, from: before.version, to: before.version + 1 }),
        )
      })()
      return get(id)
    },
    /** The step-level criterion of `base` and `step`, if a session has made it. */
    stepOf: (base: CriterionInfo, step: string): number | undefined =>
      stepCriterion.get(`${base.name} · ${step}`, step) as number | undefined,
    /** The criterion a step-level session labels: "<criterion> · <step>", created on first use. */
    forStep(base: CriterionInfo, step: string, at: string): number {
      const name = `${base.name} · ${step}`
      const existing = stepCriterion.get(name, step) as number | undefined
      if (existing !== undefined) return existing
      return db.transaction(() => {
        const id = Number(insertCriterion.run(name, step, at).lastInsertRowid)
        insertFirstVersion.run(id, `Step "${step}" only. ${base.definition}`.trim(), at)
        return id
      })()
    },
    /** Failure modes of the taxonomy (the tags of a session). */
    modes: () => modes.all() as { id: number; name: string }[],
  }
}

/** How far the failure modes have settled: the saturation meter of the taxonomy. */
function saturationMeter(db: Db) {
  // Reviewed traces in the order they were first given a pass or fail on Overall; and for each
  // failure mode, the first label that tagged it (a fail), by label id.
  const reviewOrder = db
    .prepare(
      `SELECT item_id FROM labels WHERE verdict IN ('pass', 'fail') AND criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall')
     GROUP BY item_id ORDER BY min(id)`,
    )
    .pluck()
  const firstTags = db.prepare(
    `SELECT l.criterion_id, l.item_id FROM labels l WHERE l.id IN (
       SELECT min(l2.id) FROM labels l2 JOIN criteria c ON c.id = l2.criterion_id
       WHERE l2.verdict = 'fail' AND c.kind = 'failure_mode' AND c.step IS NULL AND c.deleted_at IS NULL GROUP BY l2.criterion_id)`,
  )

  return {
    /**
     * The saturation meter (methodology §2.5): traces reviewed, and how many failure modes were
     * first seen among the last `SATURATION_WINDOW` of them. Saturated: about 100 reviewed and
     * nothing new in that window.
     */
    saturation(): Saturation {
      const reviewed = reviewOrder.all() as number[]
      const recent = new Set(reviewed.slice(-SATURATION_WINDOW))
      const first = firstTags.all() as { criterion_id: number; item_id: number }[]
      const newModes = first.filter((f) => recent.has(f.item_id)).length
      return {
        reviewed: reviewed.length,
        window: SATURATION_WINDOW,
        newModes,
        modes: first.length,
        saturated: reviewed.length >= SATURATION_REVIEWED && newModes === 0,
      }
    },
  }
}
