/**
 * The one entry point for a corrected pass rate: counts in, point values + a named interval +
 * warnings out. Invalid input throws `StatsError { code, message }` (codes of statistics.md
 * §3.1 plus a few of ours); the IPC and CLI boundaries turn it into an error value. Everything a
 * stored estimate needs to be reproduced (method, B, seed, PRNG, confidence, design, the error
 * policy and the error verdicts it was applied to) is in the result.
 */
import { calibrationWarnings, type StatsWarning } from './advice'
import { bcaInterval, type BcaLevels } from './bca'
import { bootstrapDraws } from './bootstrap'
import type { CalibrationCounts } from './confusion'
import {
  applyErrorPolicy,
  checkErrorPolicy,
  DEFAULT_ERROR_POLICY,
  describeErrors,
  NO_ERRORS,
  type ErrorCounts,
  type ErrorPolicy,
} from './error-policy'
import { isStatsError, StatsError, type StatsErrorCode } from './errors'
import { EXACT_MAX_N, exactBootstrapInterval } from './exact'
import { langReiczigelInterval, waldInterval } from './lang-reiczigel'
import { percentileInterval } from './quantile'
import { judgeRates, type RateInterval } from './rates'
import { createRng, PRNG_NAME } from './rng'
import { roganGladen } from './rogan-gladen'

/**
 * Interval methods. `judgy`: judgy-compatible percentile bootstrap of the test pairs only;
 * `bootstrap`: percentile bootstrap that also resamples the unlabeled verdicts; `bca`: BCa on the
 * same draws; `exact`: judgy's interval at B = ∞ by enumeration (n ≤ 300); `lang-reiczigel`:
 * adjusted analytic interval; `wald`: plain delta method, for comparison only.
 */
export const INTERVAL_METHODS = ['judgy', 'bootstrap', 'bca', 'exact', 'lang-reiczigel', 'wald'] as const

export type IntervalMethod = (typeof INTERVAL_METHODS)[number]

/**
 * The default for new estimates: the method with the best worst-case coverage in our simulation
 * (`coverage.ts`; test/unit/stats/coverage.test.ts, larger in the bench). Lang–Reiczigel stayed
 * near or above the nominal 0.95 (≥ 0.94) in all ten scenarios — the five of statistics.md §5.1
 * plus θ near and at 0 and 1 — while every other method, judgy's included, fell to 0.75–0.81
 * with a small test set near 0 and to 0.87–0.90 at θ = 1. It also needs no random numbers.
 * judgy stays available as method `judgy` for course parity.
 */
export const DEFAULT_METHOD: IntervalMethod = 'lang-reiczigel'
/** judgy's default number of bootstrap iterations. */
export const DEFAULT_ITERATIONS = 20_000
export const DEFAULT_CONFIDENCE = 0.95
/** Fixed default seed so that an estimate is reproducible unless a seed is chosen. */
export const DEFAULT_SEED = 0
/** Guard against accidental huge B (the draws are kept in memory: 8 bytes each). */
export const MAX_ITERATIONS = 10_000_000

export interface EstimateInput {
  counts: CalibrationCounts
  method?: IntervalMethod
  /** Bootstrap iterations B (bootstrap methods only). Default 20 000. */
  iterations?: number
  /** Two-sided confidence level in (0, 1). Default 0.95. */
  confidence?: number
  /** Non-negative integer seed for xoshiro128**. Default 0. */
  seed?: number
  /** Resample within each human class (`bootstrap`, `bca`, `exact`). Default false (joint, as judgy). */
  stratified?: boolean
  /** Also resample the unlabeled verdicts (`bootstrap`, `bca`). Default true; `judgy` and `exact` never do. */
  resampleUnlabeled?: boolean
  /** Return the kept bootstrap draws, sorted ascending (for a histogram). */
  keepDraws?: boolean
  /**
   * Error verdicts by human class and in production, beside `counts` (which hold pass/fail verdicts only). Default
   * none.
   */
  errors?: ErrorCounts
  /** What an error verdict counts as (`error-policy.ts`). Default `exclude`: left out. */
  errorPolicy?: ErrorPolicy
}

export interface EstimateResult {
  theta: number
  thetaUnclipped: number
  clipped: boolean
  lower: number
  upper: number
  tpr: number
  tnr: number
  pObs: number
  youdenJ: number
  method: IntervalMethod
  confidence: number
  /** B for bootstrap methods, null otherwise. */
  iterations: number | null
  seed: number
  prng: string
  nValid: number | null
  nDropped: number | null
  /** `exact` only: probability that a resample is valid. */
  pValid: number | null
  /** The resampling design used (for analytic methods: the design their variance formula assumes). */
  stratified: boolean
  resampleUnlabeled: boolean
  /** The counts the estimate used: pass/fail verdicts with the error verdicts counted in by `errorPolicy`. */
  counts: CalibrationCounts & { n: number; pos: number; neg: number }
  /** What an error verdict counted as. */
  errorPolicy: ErrorPolicy
  /** The error verdicts as given (before the policy). */
  errors: ErrorCounts
  tprInterval: RateInterval
  tnrInterval: RateInterval
  /** `bca` only. */
  bca: BcaLevels | null
  /** Analytic methods only: the standard error. */
  se: number | null
  warnings: StatsWarning[]
  draws?: Float64Array
}

interface Design {
  stratified: boolean
  resampleUnlabeled: boolean
}

/** Corrected pass rate with the requested interval; throws `StatsError` on invalid input. */
export function estimate(input: EstimateInput): EstimateResult {
  const { confidence, iterations, method, seed } = checkOptions(input)
  const design = resolveDesign(method, input)
  const errorPolicy = checkErrorPolicy(input.errorPolicy ?? DEFAULT_ERROR_POLICY)
  const errors = { ...(input.errors ?? NO_ERRORS) }
  const c = applyErrorPolicy(input.counts, errors, errorPolicy)
  const point = withErrorHint(() => roganGladen(c), errors, errorPolicy)
  const counts = {
    tp: c.tp,
    fn: c.fn,
    tn: c.tn,
    fp: c.fp,
    k: c.k,
    m: c.m,
    n: c.tp + c.fn + c.tn + c.fp,
    pos: c.tp + c.fn,
    neg: c.tn + c.fp,
  }
  const rates = judgeRates(c, confidence)
  const base = {
    ...point,
    method,
    confidence,
    seed,
    prng: PRNG_NAME,
    ...design,
    counts,
    errorPolicy,
    errors,
    tprInterval: rates.tpr,
    tnrInterval: rates.tnr,
    iterations: null,
    nValid: null,
    nDropped: null,
    pValid: null,
    bca: null,
    se: null,
  }
  const problem = { c, counts, theta: point.theta, confidence, design }
  let result: Omit<EstimateResult, 'warnings'>
  if (method === 'lang-reiczigel' || method === 'wald') {
    const ci = method === 'wald' ? waldInterval(c, confidence) : langReiczigelInterval(c, confidence)
    result = { ...base, lower: ci.lower, upper: ci.upper, se: ci.se }
  } else if (method === 'exact') {
    result = { ...base, ...exactPart(problem) }
  } else {
    result = { ...base, ...bootstrapPart(problem, method === 'bca', iterations, seed, input.keepDraws === true) }
  }
  return { ...result, warnings: calibrationWarnings(result) }
}

/** The options every method takes, with their defaults, checked in this order (the first bad one is named). */
function checkOptions(input: EstimateInput): {
  confidence: number
  iterations: number
  method: IntervalMethod
  seed: number
} {
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsError(
      'bad_confidence',
      `confidence must be between 0 and 1 (exclusive), got ${confidence}; e.g. 0.95`,
    )
  }
  const iterations = input.iterations ?? DEFAULT_ITERATIONS
  if (!(Number.isInteger(iterations) && iterations > 0)) {
    throw new StatsError(
      'bad_iterations',
      `bootstrap iterations must be a positive integer, got ${iterations}; e.g. 20000`,
    )
  }
  if (iterations > MAX_ITERATIONS) {
    throw new StatsError('bad_iterations', `bootstrap iterations must be at most ${MAX_ITERATIONS}, got ${iterations}`)
  }
  // The type says IntervalMethod, but JavaScript callers (and the CLI's parsed text) may pass anything.
  const method = input.method ?? DEFAULT_METHOD
  if (!INTERVAL_METHODS.includes(method)) {
    throw new StatsError('bad_method', `unknown method "${method}"; use one of ${INTERVAL_METHODS.join(', ')}`)
  }
  const seed = input.seed ?? DEFAULT_SEED
  if (!(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new StatsError('bad_seed', `seed must be a non-negative integer, got ${seed}`)
  }
  return { confidence, iterations, method, seed }
}

/** What an interval method needs to know: the counts after the error policy, θ̂, the level and the design. */
interface IntervalProblem {
  c: CalibrationCounts
  counts: { n: number; pos: number; neg: number }
  theta: number
  confidence: number
  design: Design
}

/** `exact`: judgy's interval at B = ∞, by enumeration of the test resamples. */
function exactPart({ c, counts, confidence, design }: IntervalProblem): {
  lower: number
  upper: number
  pValid: number
} {
  if (counts.n > EXACT_MAX_N) {
    throw new StatsError(
      'too_large_for_exact',
      `exact enumeration handles at most ${EXACT_MAX_N} test items (got ${counts.n}); use method bootstrap or lang-reiczigel`,
    )
  }
  const ci = exactBootstrapInterval(c, confidence, design.stratified)
  return { lower: ci.lower, upper: ci.upper, pValid: ci.pValid }
}

/** `judgy`, `bootstrap` and `bca`: the seeded draws, and the percentile (or BCa) interval of them. */
function bootstrapPart(
  { c, counts, theta, confidence, design }: IntervalProblem,
  bca: boolean,
  iterations: number,
  seed: number,
  keepDraws: boolean,
): Pick<EstimateResult, 'lower' | 'upper' | 'iterations' | 'nValid' | 'nDropped' | 'bca' | 'draws'> {
  const boot = bootstrapDraws(c, iterations, createRng(seed), design)
  if (boot.nValid === 0) {
    throw new StatsError(
      'no_valid_bootstrap',
      `No valid bootstrap samples generated: all ${iterations} resamples lacked a class or had TPR + TNR <= 1. ` +
        `Label more test items (now ${counts.pos} Pass, ${counts.neg} Fail) or use method lang-reiczigel.`,
    )
  }
  const ci = bca
    ? bcaInterval(boot.draws, theta, confidence, c, design.resampleUnlabeled)
    : { ...percentileInterval(boot.draws, confidence), levels: null }
  return {
    lower: ci.lower,
    upper: ci.upper,
    iterations,
    nValid: boot.nValid,
    nDropped: boot.nDropped,
    bca: ci.levels,
    ...(keepDraws ? { draws: boot.draws.slice().sort() } : {}),
  }
}

/**
 * Refusals that the left-out error verdicts may explain (a class or the production set emptied, a judge made to look
 * worse).
 */
const EXPLAINED_BY_ERRORS: readonly StatsErrorCode[] = [
  'empty_test',
  'empty_unlabeled',
  'single_class_test',
  'judge_not_better_than_chance',
]

/** Runs `f`; a refusal that left-out error verdicts may explain names them and the policy that counts them. */
function withErrorHint<T>(f: () => T, errors: ErrorCounts, policy: ErrorPolicy): T {
  try {
    return f()
  } catch (e) {
    if (
      !isStatsError(e) ||
      policy !== 'exclude' ||
      !EXPLAINED_BY_ERRORS.includes(e.code) ||
      errors.pass + errors.fail + errors.unlabeled === 0
    )
      throw e
    throw new StatsError(
      e.code,
      `${e.message}${/[.!?]$/.test(e.message) ? '' : '.'} Error verdicts were left out (${describeErrors(errors)}): to count them as Fail, as the AI-evals course does, use the error policy "fail" (assay estimate --errors fail).`,
    )
  }
}

function resolveDesign(method: IntervalMethod, input: EstimateInput): Design {
  const refuse = (option: string, why: string): never => {
    throw new StatsError('bad_option', `method ${method} does not support ${option}: ${why}`)
  }
  switch (method) {
    case 'judgy':
      if (input.stratified === true)
        refuse('stratified resampling', 'judgy resamples test pairs jointly; use method bootstrap')
      if (input.resampleUnlabeled === true)
        refuse('resampling unlabeled verdicts', 'judgy keeps p_obs fixed; use method bootstrap')
      return { stratified: false, resampleUnlabeled: false }
    case 'exact':
      if (input.resampleUnlabeled === true) refuse('resampling unlabeled verdicts', 'it enumerates test resamples only')
      return { stratified: input.stratified ?? false, resampleUnlabeled: false }
    case 'bootstrap':
    case 'bca':
      return { stratified: input.stratified ?? false, resampleUnlabeled: input.resampleUnlabeled ?? true }
    case 'lang-reiczigel':
    case 'wald':
      // The analytic variance assumes fixed P, N and m with sampling error in all three proportions.
      if (input.stratified === false) refuse('joint resampling', 'its variance assumes fixed class sizes')
      if (input.resampleUnlabeled === false)
        refuse('a fixed p_obs', 'its variance includes the sampling error of p_obs')
      return { stratified: true, resampleUnlabeled: true }
  }
}
