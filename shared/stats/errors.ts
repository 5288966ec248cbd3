/**
 * Errors of the statistics core. The first nine codes mirror judgy's exceptions (statistics.md
 * §3.1) and are what `ref_estimator.py` emits; the rest cover inputs judgy never sees. Functions
 * throw `StatsError`; the IPC and CLI boundaries turn it into `{ code, message }` values.
 */
export type StatsErrorCode =
  | 'bad_confidence'
  | 'bad_iterations'
  | 'length_mismatch'
  | 'empty_test'
  | 'empty_unlabeled'
  | 'non_binary'
  | 'single_class_test'
  | 'judge_not_better_than_chance'
  | 'no_valid_bootstrap'
  /** Counts that are not non-negative integers, or k > m. */
  | 'bad_counts'
  /** An unknown interval method name. */
  | 'bad_method'
  /** A seed that is not a non-negative safe integer. */
  | 'bad_seed'
  /** An option that the chosen method does not support (e.g. resampling unlabeled verdicts with `judgy`). */
  | 'bad_option'
  /** `exact` enumeration asked for more test items than it can enumerate quickly. */
  | 'too_large_for_exact'
  /** Stratified audit: no strata given. */
  | 'no_strata'
  /** Stratified audit: a stratum whose N, n or humanPass is not an integer with 0 ≤ humanPass ≤ n ≤ N, N > 0. */
  | 'bad_stratum'
  /** Stratified audit: a stratum with no labeled item. */
  | 'empty_stratum'
  /** PPI: fewer than 2 labeled items or no production item. */
  | 'too_few'

/** A failure with a stable machine-readable code and a message that says what to do about it. */
export class StatsError extends Error {
  constructor(
    readonly code: StatsErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'StatsError'
  }
}

/** Narrowing helper for catch blocks (`instanceof` can fail across bundles). */
export function isStatsError(e: unknown): e is StatsError {
  return e instanceof StatsError || (e instanceof Error && e.name === 'StatsError' && 'code' in e)
}
