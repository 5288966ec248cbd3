/**
 * The Calibrate screen's data (DESIGN §3.6; methodology §4.6–§5.4): confusion matrices per split,
 * judge quality against targets, the corrected production rate with its named interval, and the
 * slices and comparisons around it. Every number comes from `shared/stats`.
 */
import { z } from 'zod'
import { Alternatives } from './audit'
import { Split, Verdict } from './domain'
import { ERROR_POLICIES, errorPolicyEffect, type ErrorPolicy } from './stats/error-policy'
import { INTERVAL_METHODS } from './stats/estimate'

/** The interval methods of `shared/stats/estimate.ts`, for the boundary. */
export const IntervalMethodSchema = z.enum(INTERVAL_METHODS)

/** What an error verdict counts as: left out (default), a Fail verdict (the course's convention), or a Pass verdict. */
export const ErrorPolicySchema = z.enum(ERROR_POLICIES)

export const CalibrateRequest = z
  .object({
    versionId: z.number().int(),
    method: IntervalMethodSchema.optional(),
    iterations: z.number().int().min(100).max(1_000_000).default(20_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    confidence: z.number().gt(0).lt(1).default(0.95),
    /** Show (and record the viewing of) test results: the test lock. */
    revealTest: z.boolean().default(false),
    /** Metadata field to slice the production estimate by. */
    sliceBy: z.string().min(1).max(200).nullable().default(null),
    /** Full interval width the labeling advice aims at. */
    targetWidth: z.number().gt(0).lt(1).default(0.1),
    /** What an error verdict counts as, in the matrices and the estimate (shared/stats/error-policy.ts). */
    errors: ErrorPolicySchema.default('exclude'),
  })
  .strict()
export type CalibrateRequest = z.infer<typeof CalibrateRequest>

const Rate = z.object({
  estimate: z.number().nullable(),
  lower: z.number(),
  upper: z.number(),
  successes: z.number(),
  trials: z.number(),
})
export const Matrix = z.object({
  split: Split,
  /** The cells, with the error verdicts counted in by `errorPolicy` (under `exclude`: pass/fail verdicts only). */
  tp: z.number().int(),
  fn: z.number().int(),
  tn: z.number().int(),
  fp: z.number().int(),
  /** Error verdicts of the split's labeled items, in all: `errorsPass + errorsFail`. */
  errors: z.number().int(),
  /** Error verdicts on items a human passed, and on items a human failed. */
  errorsPass: z.number().int(),
  errorsFail: z.number().int(),
  /** What the error verdicts count as in this matrix. */
  errorPolicy: ErrorPolicySchema,
  missing: z.number().int(),
  tpr: Rate,
  tnr: Rate,
})
export type Matrix = z.infer<typeof Matrix>

const Warning = z.object({ code: z.string(), message: z.string() })

/**
 * The judge's verdicts on unlabeled items: k of m judged pass, with the error verdicts counted in by the policy;
 * `errors` of them were error verdicts.
 */
export const Production = z.object({ m: z.number().int(), k: z.number().int(), errors: z.number().int() })

export const EstimateView = z.object({
  method: z.string(),
  theta: z.number(),
  thetaUnclipped: z.number(),
  clipped: z.boolean(),
  lower: z.number(),
  upper: z.number(),
  pObs: z.number(),
  tpr: z.number(),
  tnr: z.number(),
  confidence: z.number(),
  iterations: z.number().nullable(),
  seed: z.number(),
  prng: z.string(),
  nValid: z.number().nullable(),
  nDropped: z.number().nullable(),
  /** The counts θ̂ was computed from: pass/fail verdicts with the error verdicts counted in by `errorPolicy`. */
  counts: z.object({ tp: z.number(), fn: z.number(), tn: z.number(), fp: z.number(), k: z.number(), m: z.number() }),
  /** What an error verdict counted as, and the error verdicts (test items by human class, production). */
  errorPolicy: ErrorPolicySchema,
  errors: z.object({ pass: z.number().int(), fail: z.number().int(), unlabeled: z.number().int() }),
  /**
   * The counts JSON that \`assay estimate --errors POLICY\` reads to recompute this estimate:
   * pass/fail verdicts only, with errors_pass, errors_fail and errors_unlabeled when there are error verdicts.
   */
  estimateInput: z.record(z.string(), z.number().int()),
  warnings: z.array(Warning),
  /** The stored estimate (estimates table). */
  /** The stored estimate's id; null when the project is read-only (computed, not stored). */
  estimateId: z.number().int().nullable(),
})
export type EstimateView = z.infer<typeof EstimateView>

export const Histogram = z.object({
  /** Which draws: the chosen method's, or (for an analytic method) a bootstrap of the same design, for reference. */
  source: z.string(),
  x0: z.number(),
  width: z.number(),
  counts: z.array(z.number().int()),
})

export const Slice = z.object({
  value: z.string(),
  m: z.number().int(),
  k: z.number().int(),
  testItems: z.number().int(),
  theta: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  warning: z.string().nullable(),
})

export const CompareRow = z.object({
  label: z.string(),
  versionId: z.number().int(),
  criterion: z.string(),
  testN: z.number().int(),
  tpr: z.number().nullable(),
  tnr: z.number().nullable(),
  pObs: z.number().nullable(),
  theta: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  note: z.string().nullable(),
})
export type CompareRow = z.infer<typeof CompareRow>

/** Every failure mode's judge at once, and "passes all" as its own judge (statistics.md §5.3). */
export const AllModes = z.object({
  rows: z.array(
    z.object({
      name: z.string(),
      theta: z.number().nullable(),
      lower: z.number().nullable(),
      upper: z.number().nullable(),
      simultaneousLower: z.number().nullable(),
      simultaneousUpper: z.number().nullable(),
      note: z.string().nullable(),
    }),
  ),
  testItems: z.number().int(),
  productionItems: z.number().int(),
  /** Why there is no joint estimate, in words. */
  reason: z.string().nullable(),
})

export const CalibrationView = z.object({
  judge: z.object({
    id: z.number().int(),
    name: z.string(),
    criterion: z.string(),
    criterionId: z.number().int(),
    versionId: z.number().int(),
    version: z.number().int(),
  }),
  judges: z.array(z.object({ versionId: z.number().int(), label: z.string() })),
  testRevealed: z.boolean(),
  testEvaluations: z.number().int(),
  /** The criterion's quality targets for TPR and TNR. */
  targets: z.object({ target: z.number(), minimum: z.number() }),
  /** The error policy these numbers use. */
  errorPolicy: ErrorPolicySchema,
  matrices: z.array(Matrix),
  production: Production,
  estimate: EstimateView.nullable(),
  /** Why there is no estimate (test hidden, TPR + TNR ≤ 1, no production verdicts…), in words. */
  refusal: z.string().nullable(),
  histogram: Histogram.nullable(),
  advice: z
    .object({
      nextClass: Verdict,
      message: z.string(),
      additionalPass: z.number(),
      additionalFail: z.number(),
    })
    .nullable(),
  slices: z.object({ key: z.string().nullable(), keys: z.array(z.string()), rows: z.array(Slice) }),
  /** Every version of this judge, and the latest version of every other judge (one row per failure mode). */
  compare: z.array(CompareRow),
  allModes: AllModes,
  /** Rogan–Gladen beside PPI++ and the production audit, with "label next" (issue 18). */
  alternatives: Alternatives,
})
export type CalibrationView = z.infer<typeof CalibrationView>

export const CellItem = z.object({
  itemId: z.number().int(),
  externalId: z.string(),
  human: Verdict,
  judge: Verdict,
  /** The judge's verdict was an error, counted into this cell by the error policy. */
  error: z.boolean(),
  note: z.string(),
  critique: z.string(),
})
export type CellItem = z.infer<typeof CellItem>

/**
 * Which matrix cell to list; under an error policy other than `exclude` error verdicts are listed in the cell they
 * count in.
 */
export const CellRequest = z
  .object({
    versionId: z.number().int(),
    split: Split,
    human: Verdict,
    judge: Verdict,
    errors: ErrorPolicySchema.default('exclude'),
  })
  .strict()
export type CellRequest = z.input<typeof CellRequest>

/** Quality targets for TPR and TNR (methodology §4.7): 0.90 target, 0.80 minimum. */
export const DEFAULT_TARGETS = { target: 0.9, minimum: 0.8 }

/** A criterion's quality targets for TPR and TNR, kept in the project (the report uses them too). */
export const Targets = z
  .object({ target: z.number().gt(0).max(1), minimum: z.number().gt(0).max(1) })
  .strict()
  .refine((t) => t.minimum <= t.target, { error: 'the minimum cannot be above the target', path: ['minimum'] })
export type Targets = z.infer<typeof Targets>

/** The error policies as the screens and reports name them. */
export const ERROR_POLICY_NAMES: Record<ErrorPolicy, string> = {
  exclude: 'left out (default)',
  fail: 'count as Fail (course convention)',
  pass: 'count as Pass',
}

/**
 * A matrix's error verdicts by human class and what the policy did with them, for every place a
 * matrix is shown (screen, HTML, Markdown): "errors: 3 on human Pass, 1 on human Fail — left out
 * of the matrix (error policy exclude)". Empty when the split has none.
 */
export function matrixErrorsText(m: Pick<Matrix, 'errors' | 'errorsPass' | 'errorsFail' | 'errorPolicy'>): string {
  if (m.errors === 0) return ''
  const where =
    m.errorPolicy === 'exclude'
      ? 'left out of the matrix'
      : `${errorPolicyEffect(m.errorPolicy)} (in the judge: ${m.errorPolicy} column)`
  return `errors: ${m.errorsPass} on human Pass, ${m.errorsFail} on human Fail — ${where}; error policy ${m.errorPolicy}`
}

/** An estimate's error policy and the error verdicts it applied to, in one line. */
export function estimateErrorsText(e: Pick<EstimateView, 'errorPolicy' | 'errors'>): string {
  const { pass, fail, unlabeled } = e.errors
  if (pass + fail + unlabeled === 0) return `error policy ${e.errorPolicy} (no error verdicts)`
  return `error policy ${e.errorPolicy}: ${pass + fail + unlabeled} error verdicts ${errorPolicyEffect(e.errorPolicy)} — ${pass} on human-Pass test items, ${fail} on human-Fail test items, ${unlabeled} in production`
}

/** A pair of rates worth a warning: a perfect score, or a judge no better than chance. */
export interface ScoreCheck {
  kind: 'perfect' | 'chance'
  /** The sentence beside a matrix. */
  text: string
  /** A few words for a table cell. */
  short: string
}

/**
 * What a split's TPR and TNR together call for. Only both rates at 1 are a perfect score (check
 * for leakage or too-easy items); a rate of 1 beside a TNR (or TPR) of 0 is the opposite — a judge
 * that says Pass (or Fail) to everything — and any TPR + TNR ≤ 1 is no better than chance. Never
 * claims "no errors" while error verdicts of the split are left out of the rates.
 */
export function scoreCheck(m: {
  tpr: number | null
  tnr: number | null
  errorsPass: number
  errorsFail: number
  errorPolicy: ErrorPolicy
}): ScoreCheck | null {
  const { tpr, tnr } = m
  if (tpr === null || tnr === null) return null
  const pct = (x: number) => `${Math.round(x * 100)} %`
  if (tpr === 1 && tnr === 1) {
    const left = m.errorPolicy === 'exclude' ? m.errorsPass + m.errorsFail : 0
    if (left > 0) {
      return {
        kind: 'perfect',
        text: `A perfect score on the items with a verdict: ${left} item${left === 1 ? '' : 's'} got an error verdict and ${left === 1 ? 'is' : 'are'} left out (press e to count error verdicts as Fail). Check for leakage or too-easy items too.`,
        short: '100% of those with a verdict: check',
      }
    }
    return {
      kind: 'perfect',
      text: 'A perfect score (TPR and TNR 100 %): check for leakage or too-easy items.',
      short: '100%: check',
    }
  }
  if (tpr + tnr > 1) return null
  if (tpr === 1 && tnr === 0)
    return {
      kind: 'chance',
      text: 'The judge passed every item (TPR 100 %, TNR 0 %): it does not tell Pass from Fail.',
      short: 'passes everything',
    }
  if (tpr === 0 && tnr === 1)
    return {
      kind: 'chance',
      text: 'The judge failed every item (TPR 0 %, TNR 100 %): it does not tell Pass from Fail.',
      short: 'fails everything',
    }
  return {
    kind: 'chance',
    text: `No better than chance: TPR ${pct(tpr)} + TNR ${pct(tnr)} ≤ 100 %. The judge does not tell Pass from Fail.`,
    short: 'no better than chance',
  }
}

/**
 * Whether the version judged any labeled item of the split: a split never run has an all-zero matrix that says nothing.
 */
export const splitRan = (m: Pick<Matrix, 'tp' | 'fn' | 'tn' | 'fp' | 'errors'>): boolean =>
  m.tp + m.fn + m.tn + m.fp + m.errors > 0

/** What a report says instead of the matrix of a split the version never ran on. */
export function notRunText(m: Pick<Matrix, 'split' | 'missing'>): string {
  const labeled =
    m.missing === 0 ? 'no labeled items' : `${m.missing} labeled item${m.missing === 1 ? '' : 's'} without a verdict`
  return `${m.split} split: not run by this version (${labeled}).`
}

/**
 * A rate with its interval and n, "93.3% [81.1%, 98.0%] n=30" — or why there is none, never the empty
 * interval [0%, 100%] of n = 0.
 */
export function rateText(r: Matrix['tpr'], humanClass: 'Pass' | 'Fail'): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  if (r.estimate === null) return `— (no human-${humanClass} item with a pass/fail verdict)`
  return `${pct(r.estimate)} [${pct(r.lower)}, ${pct(r.upper)}] n=${r.trials}`
}
