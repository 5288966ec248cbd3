/**
 * What an error verdict (the judge answered UNKNOWN, ERROR or nothing parseable) counts as. The
 * estimate's counts hold pass and fail verdicts only; the error verdicts come beside them, by
 * human class, and one policy decides how they enter:
 *
 * - `exclude` (default): left out of the matrix and of k and m. The rates are then those of the
 *   items the judge answered — optimistic when the judge fails to answer on the hard items.
 * - `fail`: an error is a Fail verdict — the AI-evals course's convention (its judgy input maps
 *   UNKNOWN to 0). On a human-Pass item it is a false negative, on a human-Fail item a true
 *   negative; in production it is one more verdict (m) that is not a pass (k).
 * - `pass`: an error is a Pass verdict: TP on human Pass, FP on human Fail; in production m and k.
 */
import type { CalibrationCounts, ConfusionCounts } from './confusion'
import { StatsError } from './errors'

export const ERROR_POLICIES = ['exclude', 'fail', 'pass'] as const

export type ErrorPolicy = (typeof ERROR_POLICIES)[number]

/** Leaving errors out is what the matrices always did; `fail` reproduces the course's figures. */
export const DEFAULT_ERROR_POLICY: ErrorPolicy = 'exclude'

/** Error verdicts: on test items a human passed, on test items a human failed, and on production items. */
export interface ErrorCounts {
  pass: number
  fail: number
  unlabeled: number
}

export const NO_ERRORS: ErrorCounts = Object.freeze({ pass: 0, fail: 0, unlabeled: 0 })

/** What the policy does to an error verdict, in words ("left out", "counted as Fail", "counted as Pass"). */
export function errorPolicyEffect(policy: ErrorPolicy): string {
  return policy === 'exclude' ? 'left out' : policy === 'fail' ? 'counted as Fail' : 'counted as Pass'
}

/** Checks a policy name (it may come from a file or a command line). */
export function checkErrorPolicy(policy: string): ErrorPolicy {
  if (!(ERROR_POLICIES as readonly string[]).includes(policy)) {
    throw new StatsError('bad_option', `unknown error policy "${policy}"; use one of ${ERROR_POLICIES.join(', ')}`)
  }
  return policy as ErrorPolicy
}

/** Checks error counts: non-negative integers. */
export function checkErrorCounts(errors: ErrorCounts): void {
  for (const key of ['pass', 'fail', 'unlabeled'] as const) {
    const v = errors[key]
    if (!(Number.isSafeInteger(v) && v >= 0)) {
      throw new StatsError(
        'bad_counts',
        `error verdicts on ${key === 'unlabeled' ? 'production' : `human-${key}`} items must be a non-negative integer, got ${String(v)}`,
      )
    }
  }
}

/** A test matrix with its error verdicts counted in by the policy (rows human, columns judge). */
export function applyErrorPolicyToMatrix<T extends ConfusionCounts>(
  c: T,
  errors: Pick<ErrorCounts, 'pass' | 'fail'>,
  policy: ErrorPolicy,
): T {
  if (policy === 'fail') return { ...c, fn: c.fn + errors.pass, tn: c.tn + errors.fail }
  if (policy === 'pass') return { ...c, tp: c.tp + errors.pass, fp: c.fp + errors.fail }
  return c
}

/** Production verdicts with their errors counted in: under `fail` m grows, under `pass` k and m. */
export function applyErrorPolicyToProduction<T extends { k: number; m: number }>(
  c: T,
  errors: number,
  policy: ErrorPolicy,
): T {
  if (policy === 'fail') return { ...c, m: c.m + errors }
  if (policy === 'pass') return { ...c, k: c.k + errors, m: c.m + errors }
  return c
}

/**
 * The counts an estimate uses: pass/fail counts plus the error verdicts as the policy says. Under
 * `exclude`, or without errors, the counts come back unchanged (the same object).
 */
export function applyErrorPolicy(
  counts: CalibrationCounts,
  errors: ErrorCounts,
  policy: ErrorPolicy,
): CalibrationCounts {
  checkErrorCounts(errors)
  if (policy === 'exclude' || errors.pass + errors.fail + errors.unlabeled === 0) return counts
  return applyErrorPolicyToProduction(applyErrorPolicyToMatrix(counts, errors, policy), errors.unlabeled, policy)
}

/** Error verdicts in words: "3 on human-Pass test items, 1 on human-Fail test items, 0 in production". */
export function describeErrors(errors: ErrorCounts): string {
  return `${errors.pass} on human-Pass test items, ${errors.fail} on human-Fail test items, ${errors.unlabeled} in production`
}
