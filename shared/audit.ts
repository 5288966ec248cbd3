/**
 * Fewer labels for the same certainty (issue 18; statistics spec §7): a production audit
 * stratified by the judge's verdict, PPI++ on the random test split, and both beside
 * Rogan–Gladen. The boundary's schemas; every number comes from `shared/stats`.
 */
import { z } from 'zod'
import { SessionView } from './domain'

/** Rogan–Gladen's interval methods by name, for the side-by-side table (the course's estimator). */
export const ROGAN_GLADEN_INTERVALS: Record<string, string> = {
  'lang-reiczigel': 'Lang–Reiczigel adjusted',
  judgy: 'judgy bootstrap (course)',
  bootstrap: 'bootstrap, production resampled',
  bca: 'BCa bootstrap',
  exact: 'exact (judgy at B = ∞)',
  wald: 'Wald',
}

/** The default size of one audit draw (the e2e audits 60). */
export const DEFAULT_AUDIT_SIZE = 60

export const AuditRequest = z
  .object({
    versionId: z.number().int(),
    /** How many production items to draw now (an existing audit of the version is extended). */
    size: z.number().int().min(1).max(10_000).default(DEFAULT_AUDIT_SIZE),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  })
  .strict()
export type AuditRequest = z.input<typeof AuditRequest>

export const AuditStratum = z.object({
  name: z.string(),
  verdict: z.enum(['pass', 'fail', 'error']),
  /** Production items with this verdict when the audit was first drawn. */
  N: z.number().int(),
  drawn: z.number().int(),
  /** Drawn items with a pass or fail human label: the stratum's n. */
  n: z.number().int(),
  humanPass: z.number().int(),
  deferred: z.number().int(),
})
export type AuditStratum = z.infer<typeof AuditStratum>

/** An estimate as the side-by-side table shows it. */
export const MethodEstimate = z.object({
  theta: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** The interval's name, in words. */
  interval: z.string(),
  /** The human labels it used. */
  labels: z.number().int(),
})
export type MethodEstimate = z.infer<typeof MethodEstimate>

export const AuditView = z.object({
  id: z.number().int(),
  seed: z.number().int(),
  createdAt: z.string(),
  strata: z.array(AuditStratum),
  drawn: z.number().int(),
  labeled: z.number().int(),
  /** The newest session that labels its draw (to resume it). */
  sessionId: z.number().int().nullable(),
  estimate: MethodEstimate.nullable(),
  /** Why there is no estimate yet (a stratum without a label), in words. */
  refusal: z.string().nullable(),
  /**
   * The strata JSON `assay estimate --method stratified` reads to recompute the estimate (`assay export
   * --audit` writes the same).
   */
  estimateInput: z.object({
    strata: z.array(z.object({ name: z.string(), N: z.number(), n: z.number(), humanPass: z.number() })),
  }),
  warnings: z.array(z.string()),
})
export type AuditView = z.infer<typeof AuditView>

/** "Label next": what to label to narrow the interval most, and the width after `more` labels. */
export const LabelNext = z.object({
  message: z.string(),
  more: z.number().int(),
  widthNow: z.number(),
  widthAfter: z.number(),
})
export type LabelNext = z.infer<typeof LabelNext>

export const Alternatives = z.object({
  /** Rogan–Gladen on the test split (the course's method), as Calibrate computed it. */
  roganGladen: MethodEstimate.nullable(),
  /** PPI++ on the test split, or why it is not offered. */
  ppi: MethodEstimate.extend({ lambda: z.number() }).nullable(),
  ppiRefusal: z.string().nullable(),
  /** What to know about the PPI++ estimate (a label shift, λ = 0, a small test split). */
  ppiWarnings: z.array(z.string()),
  ppiAssumption: z.string(),
  /** The counts JSON `assay estimate --method ppi` reads. */
  ppiInput: z.record(z.string(), z.number().int()).nullable(),
  audit: AuditView.nullable(),
  /** Two estimates whose intervals do not overlap, in words (an assumption fails). */
  disagreement: z.string().nullable(),
  next: z.object({ roganGladen: LabelNext.nullable(), audit: LabelNext.nullable() }),
})
export type Alternatives = z.infer<typeof Alternatives>

export const AuditStarted = z.object({ audit: AuditView, session: SessionView, message: z.string() })
export type AuditStarted = z.infer<typeof AuditStarted>

/** One row of the side-by-side table: an estimator, its estimate (or why there is none) and what it assumes. */
export interface AlternativeRow {
  key: 'rg' | 'ppi' | 'audit'
  name: string
  assumes: string
  estimate: MethodEstimate | null
  why: string | null
  /** Its interval's width over Rogan–Gladen's; null without both. */
  widthRatio: number | null
}

/** The side-by-side rows, the same on Calibrate, in the report and its Markdown. */
export function alternativeRows(a: Alternatives): AlternativeRow[] {
  const rg = a.roganGladen
  const ratio = (e: MethodEstimate | null) =>
    e && rg && rg.upper > rg.lower ? (e.upper - e.lower) / (rg.upper - rg.lower) : null
  const audit = a.audit?.estimate ?? null
  return [
    {
      key: 'rg',
      name: 'Rogan–Gladen (course)',
      assumes: 'TPR and TNR carry over from the test split to production',
      estimate: rg,
      why: rg ? null : 'needs the test split and production verdicts',
      widthRatio: ratio(rg),
    },
    {
      key: 'ppi',
      name: 'PPI++',
      assumes: a.ppiAssumption,
      estimate: a.ppi,
      why: a.ppiRefusal,
      widthRatio: ratio(a.ppi),
    },
    {
      key: 'audit',
      name: 'Production audit',
      assumes: 'nothing beyond its own random draw (only the items it drew count)',
      estimate: audit,
      why: a.audit ? a.audit.refusal : 'no audit yet (Calibrate → Audit production, or `assay audit`)',
      widthRatio: ratio(audit),
    },
  ]
}
