/**
 * The lookups every judge module shares, over the project's `EvaluationContext`: criteria,
 * judges, a version as the screens show it, and the record of test results shown.
 */
import type { CriterionInfo } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { JudgeSummary, JudgeVersionView } from '../../../shared/judges'
import type { EvaluationContext } from '../context'
import type { VersionRow } from '../db/repos/judges'

/**
 * Records that a version's test results were shown (the test lock, methodology §4.7) and, the
 * first time, tells `onTestRevealed`: verdicts the Data table showed as `hidden` are visible from
 * now on, so open views must refetch. A read-only project records nothing (the file cannot change).
 */
export function revealTest(d: EvaluationContext, versionId: number): void {
  if (d.db.readonly) return
  if (d.repos.judges.markTestViewed(versionId, d.now())) d.onTestRevealed?.(versionId)
}

export function criterion(d: EvaluationContext, id: number): CriterionInfo {
  const c = d.repos.criteria.get(id)
  if (!c) throw new AppError('not_found', `There is no criterion with id ${id} in this project.`)
  return c
}

export function listJudges(d: EvaluationContext): JudgeSummary[] {
  return d.repos.judges.list().map((j) => ({
    id: j.id,
    name: j.name,
    criterionId: j.criterion_id,
    criterion: j.criterion,
    versions: j.versions,
    latest: j.latest,
  }))
}

export function judgeByName(d: EvaluationContext, name: string): JudgeSummary {
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

export function judgeOf(d: EvaluationContext, judgeId: number): JudgeSummary {
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
    params: JSON.parse(v.params_json) as JudgeVersionView['params'],
    fewshotIds: JSON.parse(v.fewshot_ids) as number[],
    testEvaluations: v.test_evaluations,
    testViewedAt: v.test_viewed_at,
    createdAt: v.created_at,
    external: isExternal(model),
  }
}

/** Verdicts recorded elsewhere (imported from a file, or the demo's synthetic judge): no prompt to run. */
export const isExternal = (model: { provider?: unknown }): boolean =>
  model.provider === 'imported' || model.provider === 'demo'

/** A value the data guarantees (every version has metrics per split, …); a named internal error if it is missing. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Internal error: no ${what} where there always is one.`)
  return value
}
