/**
 * The calibration report (methodology §5.4; requirements 32–33) as data: schema "assay.report/v1".
 * The HTML, Markdown and PDF reports are views of this one object, and `--format json` writes it
 * as is; `docs/report.schema.json` is generated from this schema (a test keeps them equal).
 */
import { z } from 'zod'
import { Alternatives } from '../audit'
import { CellItem, ErrorPolicySchema, EstimateView, Histogram, Matrix, Production } from '../calibrate'

export const REPORT_SCHEMA = 'assay.report/v1'

const Counts = z.object({ pass: z.number().int(), fail: z.number().int() })

export const ReportJudge = z.object({
  name: z.string(),
  criterion: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  prompt: z.string(),
  /** The model profile as the version recorded it (never an API key). */
  model: z.record(z.string(), z.unknown()),
  params: z.record(z.string(), z.unknown()),
  fewshotItems: z.number().int(),
  testEvaluations: z.number().int(),
  labels: z.object({ train: Counts, dev: Counts, test: Counts }),
  matrices: z.array(Matrix),
  targets: z.object({ target: z.number(), minimum: z.number() }),
  /** What an error verdict counts as in this judge's matrices and estimate. */
  errorPolicy: ErrorPolicySchema,
  production: Production,
  estimate: EstimateView.nullable(),
  refusal: z.string().nullable(),
  histogram: Histogram.nullable(),
  /** What the numbers mean, in plain words. */
  interpretation: z.array(z.string()),
  /** Representative disagreements of the test split (dev when test has none): critique beside note. */
  disagreements: z.array(CellItem),
  /** The exact command that recomputes the estimate from these counts. */
  command: z.string().nullable(),
  /** Rogan–Gladen beside PPI++ and the production audit (issue 18). */
  alternatives: Alternatives,
})
export type ReportJudge = z.infer<typeof ReportJudge>

/**
 * A field of the model profile a version recorded, as text. The profile is kept as free-form JSON
 * (`ReportJudge.model`), so a field is shown as is when it is text and as JSON otherwise.
 */
export function profileField(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export const ReportData = z
  .object({
    schema: z.literal(REPORT_SCHEMA),
    generatedAt: z.string(),
    app: z.object({ name: z.literal('Assay'), version: z.string() }),
    project: z.object({
      name: z.string(),
      file: z.string(),
      /** SHA-256 of the project file when the report was made. */
      sha256: z.string(),
      items: z.number().int(),
      synthetic: z.boolean(),
      datasets: z.array(
        z.object({ name: z.string(), format: z.string(), rows: z.number().int(), createdAt: z.string() }),
      ),
    }),
    criteria: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        version: z.number().int(),
        definition: z.string(),
        labeled: z.number().int(),
      }),
    ),
    taxonomy: z.object({
      reviewed: z.number().int(),
      modes: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          definition: z.string(),
          count: z.number().int(),
          rate: z.object({ estimate: z.number().nullable(), lower: z.number(), upper: z.number() }),
        }),
      ),
    }),
    judges: z.array(ReportJudge),
  })
  .meta({
    title: 'Assay calibration report',
    description:
      'Schema assay.report/v1, written by `assay report --format json` (Assay). Rates are proportions in [0, 1]; Pass is the positive class (TPR = P(judge pass | human pass), TNR = P(judge fail | human fail)); theta is the Rogan–Gladen corrected success rate; every estimate names its interval method, B, seed, PRNG and confidence, and its error policy (what an error verdict of the judge counts as: left out, Fail or Pass). A new major version of the schema gets a new name.',
  })
export type ReportData = z.infer<typeof ReportData>

export const REPORT_FORMATS = ['html', 'md', 'json', 'pdf'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** What a report covers and how its estimate is computed. */
export const ReportRequest = z
  .object({
    criterion: z.string().min(1).max(200).optional(),
    judge: z.string().min(1).max(200).optional(),
    method: z.string().max(40).optional(),
    iterations: z.number().int().min(100).max(1_000_000).optional(),
    seed: z.number().int().min(0).optional(),
    confidence: z.number().gt(0).lt(1).optional(),
    /** What an error verdict counts as (default exclude: left out). */
    errors: ErrorPolicySchema.optional(),
  })
  .strict()
export type ReportRequest = z.infer<typeof ReportRequest>
