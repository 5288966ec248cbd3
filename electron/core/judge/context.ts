/**
 * What every judge module works on — the open project and a clock — and the lookups they share:
 * criteria, judges, and a version as the screens show it.
 */
import type { CriterionInfo } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { JudgeSummary, JudgeVersionView } from '../../../shared/judges'
import type { Db } from '../db/open'
import type { Repos } from '../db/repos'
import type { VersionRow } from '../db/repos/judges'

export interface JudgeDeps {
  db: Db
  repos: Repos
  clock: () => Date
  /** Told when a version's test results are shown for the first time: the item views' test lock lifts (see `revealTest`). */
  onTestRevealed?: (versionId: number) => void
}

export const now = (d: JudgeDeps): string => d.clock().toISOString()

/**
 * Records that a version's test results were shown (the test lock, methodology §4.7) and, the
 * first time, tells `onTestRevealed`: verdicts the Data table showed as `hidden` are visible from
 * now on, so open views must refetch. A read-only project records nothing (the file cannot change).
 */
export function revealTest(d: JudgeDeps, versionId: number): void {
  if (d.db.readonly) return
  if (d.repos.judges.markTestViewed(versionId, now(d))) d.onTestRevealed?.(versionId)
}
export const tx = <T>(d: JudgeDeps, fn: () => T): T => d.db.transaction(fn)()

export function criterion(d: JudgeDeps, id: number): CriterionInfo {
  const c = d.repos.criteria.get(id)
  if (!c) throw new AppError('not_found', `There is no criterion with id ${id} in this project.`)
  return c
}

export function listJudges(d: JudgeDeps): JudgeSummary[] {
  return d.repos.judges.list().map((j) => ({
    id: j.id,
    name: j.name,
    criterionId: j.criterion_id,
    criterion: j.criterion,
    versions: j.versions,
    latest: j.latest,
  }))
}

export function judgeByName(d: JudgeDeps, name: string): JudgeSummary {
  const all = listJudges(d)
  const found = all.filter((j) => j.name === name)
  if (found.length === 1) return found[0]
  if (found.length > 1)
    throw new AppError(
      'invalid_input',
      `Several judges are named "${name}" (on ${found.map((j) => j.criterion).join(', ')}): rename one.`,
    )
  throw new AppError(
    'not_found',
    `There is no judge named "${name}". ${all.length ? `Judges: ${all.map((j) => `"${j.name}"`).join(', ')}.` : 'Create one first (Judges screen, or `assay judge create`).'}`,
  )
}

export function judgeOf(d: JudgeDeps, judgeId: number): JudgeSummary {
  const j = listJudges(d).find((x) => x.id === judgeId)
  if (!j) throw new AppError('not_found', `There is no judge with id ${judgeId} in this project.`)
  return j
}

export const versionView = (v: VersionRow): JudgeVersionView => {
  const model = JSON.parse(v.model_json) as Record<string, unknown>
  return {
    id: v.id,
    version: v.version,
    prompt: v.prompt,
    model,
    params: JSON.parse(v.params_json),
    fewshotIds: JSON.parse(v.fewshot_ids),
    testEvaluations: v.test_evaluations,
    testViewedAt: v.test_viewed_at,
    createdAt: v.created_at,
    external: isExternal(model),
  }
}

/** Verdicts recorded elsewhere (imported from a file, or the demo's synthetic judge): no prompt to run. */
export const isExternal = (model: { provider?: unknown }): boolean =>
  model.provider === 'imported' || model.provider === 'demo'
