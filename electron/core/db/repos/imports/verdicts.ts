/** The import's writes of judge verdicts: the versions they go to, and one recorded run per version. */
import { AppError } from '../../../../../shared/errors'
import type { NormalVerdict } from '../../../import/types'
import type { Db } from '../../open'
import { batchedInsert, textOrNull } from './batch'
import type { CriterionOf } from './labels'

/** The judge version a verdict column's verdicts go to. */
export interface VersionTarget {
  /** Null until its first verdict makes it (a version this import creates). */
  id: number | null
  version: number
  /** Made by this import. */
  created: boolean
  /** Verdicts recorded outside Assay (an imported version), rather than a prompt Assay runs. */
  external: boolean
}

/** A verdict column as `version()` reads it. */
interface VersionColumn {
  criterion: string
  judge: string
  version?: number | 'new'
}

/** Picks the version each verdict column adds to, and makes a planned one with its first verdict. */
export function versionPlanner(db: Db, at: string, criterion: CriterionOf) {
  const judgeByName = db.prepare('SELECT id FROM judges WHERE criterion_id = ? AND name = ?').pluck()
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const insertJudgeVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at) VALUES (?, ?, ?, '{"provider":"imported"}', '{}', '[]', ?)`,
  )
  const versionsOfJudge = db.prepare(
    `SELECT id, version, json_extract(model_json, '$.provider') IN ('imported', 'demo') AS external FROM judge_versions WHERE judge_id = ? ORDER BY version`,
  )
  /** Versions `version()` planned, made by `make()` with their first verdict. */
  const pendingVersions = new Map<VersionTarget, { criterionId: number; judge: string; prompt: string }>()
  const planned = new Map<string, number>()

  /** A new version for the column, numbered after the judge's versions and those planned by this import. */
  const plan = (column: VersionColumn, criterionId: number, versions: { version: number }[], source: string) => {
    // Numbers planned by this import count as taken: two columns of one judge get two versions.
    const key = `${criterionId}\u0000${column.judge}`
    const next = Math.max(versions.at(-1)?.version ?? 0, planned.get(key) ?? 0) + 1
    const number = typeof column.version === 'number' ? column.version : next
    planned.set(key, Math.max(number, planned.get(key) ?? 0))
    const target: VersionTarget = { id: null, version: number, created: true, external: true }
    pendingVersions.set(target, { criterionId, judge: column.judge, prompt: `Verdicts imported from ${source}.` })
    return target
  }

  return {
    /**
     * The version a verdict column adds to: version `n`, a `new` one, or (no choice) the judge's
     * newest imported version, else a new one. A version (and judge) to be made is made with its
     * first verdict, so an import that writes none leaves no empty version behind.
     * `makeNumbered`: an Assay export names versions of the project it came from; into another
     * project they are made anew.
     */
    version: (column: VersionColumn, source: string, makeNumbered = false): VersionTarget => {
      const c = criterion(column.criterion)
      const judge = judgeByName.get(c.id, column.judge) as number | undefined
      const versions =
        judge === undefined ? [] : (versionsOfJudge.all(judge) as { id: number; version: number; external: number }[])
      const found =
        typeof column.version === 'number'
          ? versions.find((v) => v.version === column.version)
          : column.version === undefined
            ? versions.filter((v) => v.external).at(-1)
            : undefined
      if (found) return { id: found.id, version: found.version, created: false, external: found.external === 1 }
      if (typeof column.version === 'number' && !makeNumbered) {
        const has =
          versions.length === 0 ? `has no version yet` : `has ${versions.map((v) => `v${v.version}`).join(', ')}`
        throw new AppError(
          'invalid_input',
          `Judge "${column.judge}" (on "${column.criterion}") ${has}, not v${column.version}: choose one it has, or make a new version (--judge-version new).`,
        )
      }
      return plan(column, c.id, versions, source)
    },

    /** Makes a planned version (and its judge, if new): its id. */
    make: (target: VersionTarget): number => {
      const pending = pendingVersions.get(target)
      if (!pending) throw new Error(`judge version v${target.version} was not planned by this import`)
      let judge = judgeByName.get(pending.criterionId, pending.judge) as number | undefined
      if (judge === undefined) judge = Number(insertJudge.run(pending.criterionId, pending.judge, at).lastInsertRowid)
      target.id = Number(insertJudgeVersion.run(judge, target.version, pending.prompt, at).lastInsertRowid)
      pendingVersions.delete(target)
      return target.id
    },
  }
}

/** Verdicts, written in bulk into this import's run of each version, and the verdicts versions have. */
export function verdictWriter(db: Db, at: string, make: (target: VersionTarget) => number, flushAll: () => void) {
  const verdictIn = db.prepare(
    `SELECT v.verdict, v.critique, v.run_id AS runId FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE r.judge_version_id = ? AND v.item_id = ? ORDER BY v.id DESC LIMIT 1`,
  )
  const judgedIn = db
    .prepare('SELECT DISTINCT v.item_id FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE r.judge_version_id = ?')
    .pluck()
  const fewShots = db
    .prepare(
      `SELECT DISTINCT f.value FROM judge_versions jv JOIN judges j ON j.id = jv.judge_id, json_each(jv.fewshot_ids) f WHERE j.criterion_id = ?`,
    )
    .pluck()
  const insertRun = db.prepare(
    `INSERT INTO runs (judge_version_id, scope, status, started_at, finished_at) VALUES (?, 'imported', 'done', ?, ?)`,
  )
  const finishRun = db.prepare(
    `UPDATE runs SET n_total = c.n, n_done = c.n, n_error = c.errors
     FROM (SELECT count(*) AS n, coalesce(sum(verdict = 'error'), 0) AS errors FROM verdicts WHERE run_id = @run) AS c WHERE id = @run`,
  )
  const verdicts = batchedInsert(
    db,
    {
      into: 'verdicts (run_id, item_id, verdict, critique, created_at)',
      row: "(?, ?, ?, coalesce(?, ''), @at)",
      onConflict:
        'ON CONFLICT (run_id, item_id) DO UPDATE SET verdict = excluded.verdict, critique = excluded.critique',
    },
    { at },
  )
  /** This import's run of each judge version it adds verdicts to, by version id. */
  const runs = new Map<number, number>()

  return {
    /**
     * The verdict an item has in a version (its newest written so far: `flush()` first to count
     * this import's), and whether this import wrote it.
     */
    verdictIn: (
      target: VersionTarget,
      itemId: number,
    ): { verdict: NormalVerdict; critique: string; ours: boolean } | undefined => {
      if (target.id === null) return undefined
      const found = verdictIn.get(target.id, itemId) as
        { verdict: NormalVerdict; critique: string; runId: number } | undefined
      return found && { verdict: found.verdict, critique: found.critique, ours: runs.get(target.id) === found.runId }
    },

    /** Items that have a verdict in the version (all its runs, this import's included). */
    judgedIn: (target: VersionTarget): Set<number> => {
      if (target.id === null) return new Set()
      flushAll()
      return new Set(judgedIn.all(target.id) as number[])
    },

    /** Items that some judge version of the criterion shows as a few-shot example. */
    fewShotItems: (criterionId: number) => new Set(fewShots.all(criterionId) as number[]),

    /**
     * Records a verdict in this import's run of the version (one run per version and import),
     * making the version first if needed.
     */
    verdict: (target: VersionTarget, itemId: number, verdict: NormalVerdict, critique: string): void => {
      const versionId = target.id ?? make(target)
      let run = runs.get(versionId)
      if (run === undefined) {
        run = Number(insertRun.run(versionId, at, at).lastInsertRowid)
        runs.set(versionId, run)
      }
      verdicts.add(run, itemId, verdict, textOrNull(critique))
    },

    flush: (): void => {
      verdicts.flush()
    },

    /** Fills in the counts of every run this import created (after the last `flush()`). */
    finishRuns: (): void => {
      for (const run of runs.values()) finishRun.run({ run })
    },
  }
}
