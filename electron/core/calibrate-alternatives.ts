/**
 * Rogan–Gladen beside the estimators that need fewer labels (issue 18; statistics spec §7): PPI++
 * on the test split — offered only when its labels were chosen at random — and the version's
 * production audit, with "label next" for each and a flag when their intervals disagree.
 */
import type { Alternatives, AuditView, MethodEstimate } from '../../shared/audit'
import type { SessionSettings } from '../../shared/domain'
import { SESSION_ORDERS, type SessionOrder } from '../../shared/session'
import { isStatsError, type CalibrationCounts, type EstimateResult } from '../../shared/stats'
import { auditNext, rgNext } from '../../shared/stats/allocation'
import { ppiEstimate, PPI_ASSUMPTION } from '../../shared/stats/ppi'
import { auditView } from './audit'
import type { EvaluationContext } from './context'

/** How many more labels "label next" projects the width for. */
export const NEXT_LABELS = 60

/** Orders that take a random sample of what the session chose from (a re-label or adjudication keeps its item). */
const RANDOM_ORDERS: readonly SessionOrder[] = ['random', 'unlabeled', 'unlabeled-mine', 'relabel', 'adjudicate']

export interface AlternativesInput {
  versionId: number
  criterionId: number
  /** The test matrix and production counts with the error policy applied; null while the test lock holds. */
  counts: CalibrationCounts | null
  roganGladen: EstimateResult | null
  /** Rogan–Gladen's interval, named. */
  roganGladenInterval: string
  confidence: number
}

/** The side-by-side estimates of one judge version, for Calibrate and the report. */
export function alternatives(d: EvaluationContext, o: AlternativesInput): Alternatives {
  const audit = auditView(d, o.versionId, o.confidence)
  const rg = o.roganGladen
  const roganGladen: MethodEstimate | null = rg
    ? { theta: rg.theta, lower: rg.lower, upper: rg.upper, interval: o.roganGladenInterval, labels: rg.counts.n }
    : null
  const ppi = ppiOf(d, o)
  return {
    roganGladen,
    ppi: ppi.estimate,
    ppiRefusal: ppi.refusal,
    ppiWarnings: ppi.warnings,
    ppiAssumption: PPI_ASSUMPTION,
    ppiInput: o.counts
      ? { tp: o.counts.tp, fn: o.counts.fn, fp: o.counts.fp, tn: o.counts.tn, k: o.counts.k, m: o.counts.m }
      : null,
    audit,
    disagreement: disagreement([
      ['Rogan–Gladen', roganGladen],
      ['PPI++', ppi.estimate],
      ['the audit', audit?.estimate ?? null],
    ]),
    next: {
      roganGladen: rg && o.counts ? { more: NEXT_LABELS, ...pick(rgNext(o.counts, NEXT_LABELS, o.confidence)) } : null,
      audit: audit?.estimate
        ? { more: NEXT_LABELS, ...pick(auditNext(strataOf(audit), NEXT_LABELS, o.confidence)) }
        : null,
    },
  }
}

const pick = (x: { message: string; widthNow: number; widthAfter: number }) => ({
  message: x.message,
  widthNow: x.widthNow,
  widthAfter: x.widthAfter,
})

const strataOf = (a: AuditView) => a.strata.map((s) => ({ name: s.name, N: s.N, n: s.n, humanPass: s.humanPass }))

/** PPI++ on the test split, or why it is not offered (the test lock, labels not chosen at random, a refusal). */
function ppiOf(
  d: EvaluationContext,
  o: AlternativesInput,
): { estimate: (MethodEstimate & { lambda: number }) | null; refusal: string | null; warnings: string[] } {
  const refused = (refusal: string) => ({ estimate: null, refusal, warnings: [] })
  if (!o.counts || !o.roganGladen)
    return refused('PPI++ uses the test split: it is shown with the Rogan–Gladen estimate.')
  const chosen = nonRandomLabels(d, o.criterionId)
  if (chosen) return refused(chosen)
  try {
    const e = ppiEstimate(o.counts, o.confidence)
    return {
      estimate: {
        theta: e.theta,
        lower: e.lower,
        upper: e.upper,
        interval: e.intervalName,
        labels: e.labels,
        lambda: e.lambda,
      },
      refusal: null,
      warnings: e.warnings.map((w) => w.message),
    }
  } catch (error) {
    if (!isStatsError(error)) throw error
    return refused(error.message)
  }
}

/**
 * Why the test labels are not a random sample, when some were made in a session that chose its items by something
 * else (a stratified, balanced or outlier order, a search or filter); null when every one was random or came
 * without a session (an import: Assay cannot tell, and PPI++'s assumption is stated beside it).
 */
function nonRandomLabels(d: EvaluationContext, criterionId: number): string | null {
  const origins = d.repos.audits.testLabelOrigins(criterionId)
  const why = new Map<string, number>()
  for (const o of origins) {
    if (o.settings === null) continue
    const s = JSON.parse(o.settings) as Partial<SessionSettings>
    const order = s.order ?? 'random'
    const reason = !RANDOM_ORDERS.includes(order)
      ? `order "${SESSION_ORDERS.find((x) => x.id === order)?.title ?? order}"`
      : s.search || s.filter || s.ids || s.step
        ? 'a session over a search, filter or selection'
        : null
    if (reason) why.set(reason, (why.get(reason) ?? 0) + 1)
  }
  if (why.size === 0) return null
  const count = [...why.values()].reduce((a, b) => a + b, 0)
  const reasons = [...why.entries()].map(([r, n]) => `${n} by ${r}`).join(', ')
  return `PPI++ is not offered: ${count} of the ${origins.length} test labels were not chosen at random (${reasons}). PPI++ needs the labeled items to be a random sample of production; Rogan–Gladen needs only that TPR and TNR carry over, and an audit draws its own random sample.`
}

/** The first two estimates whose intervals do not overlap, in words; null when all agree. */
function disagreement(named: readonly [string, MethodEstimate | null][]): string | null {
  const shown = named.filter((x): x is [string, MethodEstimate] => x[1] !== null)
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  for (let i = 0; i < shown.length; i++)
    for (let j = i + 1; j < shown.length; j++) {
      const [a, x] = shown[i]
      const [b, y] = shown[j]
      if (x.upper < y.lower || y.upper < x.lower)
        return `${a} (${pct(x.theta)}) and ${b} (${pct(y.theta)}) disagree beyond their intervals: an assumption fails — the test labels may not be a random sample of production (PPI++), or TPR and TNR may not carry over to production (Rogan–Gladen). The audit assumes neither.`
    }
  return null
}
