/**
 * The Calibrate screen's data (DESIGN §3.6; methodology §4.6–§5.4): confusion matrices per split,
 * judge quality against targets, the corrected production rate with its named interval, and the
 * slices and comparisons around it. Every number comes from `shared/stats`.
 */
import { z } from 'zod'
import { INTERVAL_METHODS } from './stats/estimate'

export const IntervalMethodSchema = z.enum(INTERVAL_METHODS as unknown as [string, ...string[]])

export const CalibrateRequest = z
  .object({
    versionId: z.number().int(),
    method: IntervalMethodSchema.optional(),
    iterations: z.number().int().min(100).max(1_000_000).default(20_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    confidence: z.number().gt(0).lt(1).default(0.95),
    /** Show (and record the viewing of) test results: the test lock. */
    revealTest: z.boolean().default(false),
    /** Metadata field to slice the production estimate by. */
    sliceBy: z.string().min(1).max(200).nullable().default(null),
    /** Full interval width the labeling advice aims at. */
    targetWidth: z.number().gt(0).lt(1).default(0.1),
  })
  .strict()
export type CalibrateRequest = z.infer<typeof CalibrateRequest>

const Rate = z.object({ estimate: z.number().nullable(), lower: z.number(), upper: z.number(), successes: z.number(), trials: z.number() })
export const Matrix = z.object({
  split: z.enum(['train', 'dev', 'test']),
  tp: z.number().int(),
  fn: z.number().int(),
  tn: z.number().int(),
  fp: z.number().int(),
  errors: z.number().int(),
  missing: z.number().int(),
  tpr: Rate,
  tnr: Rate,
})
export type Matrix = z.infer<typeof Matrix>

const Warning = z.object({ code: z.string(), message: z.string() })

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
  counts: z.object({ tp: z.number(), fn: z.number(), tn: z.number(), fp: z.number(), k: z.number(), m: z.number() }),
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
  rows: z.array(z.object({ name: z.string(), theta: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(), simultaneousLower: z.number().nullable(), simultaneousUpper: z.number().nullable(), note: z.string().nullable() })),
  testItems: z.number().int(),
  productionItems: z.number().int(),
  /** Why there is no joint estimate, in words. */
  reason: z.string().nullable(),
})

export const CalibrationView = z.object({
  judge: z.object({ id: z.number().int(), name: z.string(), criterion: z.string(), criterionId: z.number().int(), versionId: z.number().int(), version: z.number().int() }),
  judges: z.array(z.object({ versionId: z.number().int(), label: z.string() })),
  testRevealed: z.boolean(),
  testEvaluations: z.number().int(),
  /** The criterion's quality targets for TPR and TNR. */
  targets: z.object({ target: z.number(), minimum: z.number() }),
  matrices: z.array(Matrix),
  production: z.object({ m: z.number().int(), k: z.number().int(), errors: z.number().int() }),
  estimate: EstimateView.nullable(),
  /** Why there is no estimate (test hidden, TPR + TNR ≤ 1, no production verdicts…), in words. */
  refusal: z.string().nullable(),
  histogram: Histogram.nullable(),
  advice: z.object({ nextClass: z.enum(['pass', 'fail']), message: z.string(), additionalPass: z.number(), additionalFail: z.number() }).nullable(),
  slices: z.object({ key: z.string().nullable(), keys: z.array(z.string()), rows: z.array(Slice) }),
  /** Every version of this judge, and the latest version of every other judge (one row per failure mode). */
  compare: z.array(CompareRow),
  allModes: AllModes,
})
export type CalibrationView = z.infer<typeof CalibrationView>

export const CellItem = z.object({
  itemId: z.number().int(),
  externalId: z.string(),
  human: z.enum(['pass', 'fail']),
  judge: z.enum(['pass', 'fail']),
  note: z.string(),
  critique: z.string(),
})
export type CellItem = z.infer<typeof CellItem>

/** Quality targets for TPR and TNR (methodology §4.7): 0.90 target, 0.80 minimum. */
export const DEFAULT_TARGETS = { target: 0.9, minimum: 0.8 }

/** A criterion's quality targets for TPR and TNR, kept in the project (the report uses them too). */
export const Targets = z
  .object({ target: z.number().gt(0).max(1), minimum: z.number().gt(0).max(1) })
  .strict()
  .refine((t) => t.minimum <= t.target, { message: 'the minimum cannot be above the target', path: ['minimum'] })
export type Targets = z.infer<typeof Targets>
