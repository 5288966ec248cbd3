/**
 * The counts behind a calibration (calibrate.ts): a version and its judge, its confusion matrices
 * per split under an error policy, and what the estimate's view needs beside (the counts JSON of
 * `assay estimate`, the bootstrap draws as a histogram).
 */
import type { Matrix } from '../../shared/calibrate'
import { AppError } from '../../shared/errors'
import {
  applyErrorPolicyToMatrix,
  applyErrorPolicyToProduction,
  estimate,
  isStatsError,
  judgeRates,
  type CalibrationCounts,
  type ErrorPolicy,
} from '../../shared/stats'
import type { CalibrateRequest } from '../../shared/calibrate'
import type { EvaluationContext } from './context'
import type { LabeledRow } from './db/repos/splits'
import { found, listJudges } from './judge/context'
import { versionMetrics } from './judge/judges'

const HISTOGRAM_BINS = 40

/** A judge version and its judge, or the refusal that says which is missing. */
export function versionContext(d: EvaluationContext, versionId: number) {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const judge = listJudges(d).find((j) => j.id === v.judge_id)
  if (!judge)
    throw new AppError('not_found', `Judge version ${versionId} belongs to a judge whose criterion was deleted.`)
  return { v, judge }
}

/**
 * The matrices of a version (train, dev, and test only when revealed) and its production verdicts,
 * with the error verdicts counted in by the policy; `test` and `prod` are the counts before it.
 */
export function matricesOf(
  d: EvaluationContext,
  versionId: number,
  labeled: LabeledRow[],
  withTest: boolean,
  confidence: number,
  policy: ErrorPolicy,
) {
  const splits = versionMetrics(d, versionId, labeled)
  const cellsOf = (s: (typeof splits)[number]) =>
    applyErrorPolicyToMatrix(
      { tp: s.tp, fn: s.fn, tn: s.tn, fp: s.fp },
      { pass: s.errorsPass, fail: s.errorsFail },
      policy,
    )
  const matrices: Matrix[] = splits
    .filter(
      (s): s is typeof s & { split: Matrix['split'] } => s.split !== 'unlabeled' && (withTest || s.split !== 'test'),
    )
    .map((s) => {
      const cells = cellsOf(s)
      return {
        split: s.split,
        ...cells,
        errors: s.errors,
        errorsPass: s.errorsPass,
        errorsFail: s.errorsFail,
        errorPolicy: policy,
        missing: s.missing,
        ...judgeRates(cells, confidence),
      }
    })
  const prod = found(
    splits.find((s) => s.split === 'unlabeled'),
    'production metrics',
  )
  const test = found(
    splits.find((s) => s.split === 'test'),
    'test metrics',
  )
  const production = {
    ...applyErrorPolicyToProduction({ m: prod.judgedPass + prod.judgedFail, k: prod.judgedPass }, prod.errors, policy),
    errors: prod.errors,
  }
  return {
    matrices,
    production,
    test,
    testCells: cellsOf(test),
    prod,
    hasTest: test.tp + test.fn + test.tn + test.fp + test.errors > 0,
  }
}

/** What a statistics refusal (or any error) says, for the screen. */
export const refusalOf = (error: unknown): string =>
  isStatsError(error) ? error.message : error instanceof Error ? error.message : String(error)

/**
 * The counts JSON `assay estimate` reads to recompute an estimate: pass/fail verdicts, and the
 * error verdicts apart (only when there are any, so an estimate without errors keeps its old command).
 */
export function estimateInput(
  c: CalibrationCounts,
  errors: { pass: number; fail: number; unlabeled: number },
): Record<string, number> {
  const base: Record<string, number> = { tp: c.tp, fn: c.fn, tn: c.tn, fp: c.fp, k: c.k, m: c.m }
  if (errors.pass + errors.fail + errors.unlabeled === 0) return base
  return { ...base, errors_pass: errors.pass, errors_fail: errors.fail, errors_unlabeled: errors.unlabeled }
}

/** A bootstrap of the same counts, drawn beside an analytic interval; none when every draw is degenerate. */
export function referenceDraws(counts: CalibrationCounts, r: CalibrateRequest): Float64Array | undefined {
  try {
    return estimate({
      counts,
      method: 'bootstrap',
      iterations: r.iterations,
      seed: r.seed,
      confidence: r.confidence,
      keepDraws: true,
    }).draws
  } catch {
    return undefined
  }
}

/**
 * Bootstrap draws (sorted, from `estimate`) as a histogram over their central 99.8%, so a few
 * extreme draws do not squash the picture; the draws beyond are counted in the edge bins.
 */
export function bin(draws: Float64Array): { x0: number; width: number; counts: number[] } {
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))]
  const lo = at(0.001)
  const hi = at(0.999)
  const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 0.01
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  for (const x of draws) counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((x - lo) / width)))]++
  return { x0: lo, width, counts }
}
