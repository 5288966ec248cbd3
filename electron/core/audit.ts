/**
 * Production audits (issue 18; statistics spec §7.1): a seeded sample of a judge version's
 * production items, drawn stratified by its verdict (Neyman allocation from the current estimates,
 * proportional with at least 10 per stratum until there are any), queued as a blind labeling
 * session, and the stratified estimate θ̂ = Σ W_h·p̂_h from the labels of exactly the items it drew.
 * All statistics are `shared/stats`; this file draws, records and counts.
 */
import type { AuditRequest, AuditStarted, AuditStratum, AuditView } from '../../shared/audit'
import { AuditRequest as AuditRequestSchema } from '../../shared/audit'
import { AppError } from '../../shared/errors'
import { isStatsError } from '../../shared/stats'
import { neymanAllocation } from '../../shared/stats/allocation'
import { stratifiedEstimate, type Stratum } from '../../shared/stats/stratified'
import { versionContext } from './calibrate-matrices'
import type { ProjectContext } from './context'
import type { AuditRow, AuditStratumFrame } from './db/repos/audits'
import { criterion, judgeByName } from './judge/context'
import { assignSplits } from './judge/splits'
import { createSession } from './labeling'
import { rank } from './queue/order'

type Verdict = AuditStratumFrame['verdict']
const STRATUM_NAMES: Record<Verdict, string> = { pass: 'judge pass', fail: 'judge fail', error: 'judge error' }
const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error']

/** What an audit works on: a project that can be written (it labels), with its clock and annotator. */
type AuditContext = Pick<ProjectContext, 'db' | 'repos' | 'transaction' | 'now' | 'annotator' | 'onTestRevealed'>

/**
 * The version's production items by verdict: those with a verdict of the version that are not in the criterion's
 * train/dev/test split (the same items as Calibrate's production counts; an audit's labeled items stay among them).
 */
function productionFrame(d: AuditContext, versionId: number, criterionId: number): Record<Verdict, number[]> {
  const inSplit = new Set(
    assignSplits(d, criterionId)
      .filter((r) => (r.verdict === 'pass' || r.verdict === 'fail') && r.split !== null)
      .map((r) => r.itemId),
  )
  const frame: Record<Verdict, number[]> = { pass: [], fail: [], error: [] }
  for (const v of d.repos.judges.latestVerdicts(versionId)) if (!inSplit.has(v.itemId)) frame[v.verdict].push(v.itemId)
  return frame
}

/**
 * Draws `size` more production items for the version's audit (a new audit, or the newest one extended while its
 * frame still holds) and queues them as a blind session of this annotator.
 */
export function startAudit(d: AuditContext, request: AuditRequest): AuditStarted {
  const r = AuditRequestSchema.parse(request)
  const { v, judge } = versionContext(d, r.versionId)
  const c = criterion(d, judge.criterionId)
  if (c.step !== null)
    throw new AppError(
      'invalid_input',
      `"${c.name}" is a step-level criterion: an audit draws whole traces; audit a trace-level judge.`,
    )
  const now = d.now()
  return d.transaction(() => {
    const frame = productionFrame(d, v.id, c.id)
    const total = frame.pass.length + frame.fail.length + frame.error.length
    if (total === 0)
      throw new AppError(
        'invalid_input',
        `Version ${v.version} of "${judge.name}" has no verdicts on production items: run it on the unlabeled items first (Judges screen, scope "unlabeled items").`,
      )
    const { audit, fresh } = auditFor(d, { versionId: v.id, criterionId: c.id, seed: r.seed, frame, now })
    const state = strataOf(d, audit)
    const room = state.map((s) => ({ N: s.N - (s.drawn - s.n), n: s.n, humanPass: s.humanPass }))
    const counts = neymanAllocation(room, r.size)
    const drawn = new Set(d.repos.audits.draws(audit.id, c.id).map((x) => x.itemId))
    const batch = audit.strata.map((s, h) =>
      frame[s.verdict]
        .filter((id) => !drawn.has(id))
        .sort((a, b) => rank(audit.seed, a) - rank(audit.seed, b) || a - b)
        .slice(0, counts[h] ?? 0),
    )
    const queue = labelNextOrder(batch, state)
    if (queue.length === 0)
      throw new AppError('invalid_input', `The audit has drawn every production item of version ${v.version} already.`)
    const session = createSession(d, {
      criterionId: c.id,
      step: null,
      order: 'audit',
      stratifyKey: null,
      seed: audit.seed,
      size: queue.length,
      blind: true,
      ids: queue,
    })
    const stratumOf = new Map(batch.flatMap((ids, h) => ids.map((id) => [id, audit.strata[h].name] as const)))
    d.repos.audits.addDraws(
      audit.id,
      queue.map((itemId, i) => ({ itemId, stratum: stratumOf.get(itemId) ?? '', position: drawn.size + i })),
      session.id,
      now,
    )
    d.repos.project.log('audit.draw', { auditId: audit.id, versionId: v.id, drawn: queue.length, fresh }, now)
    const view = auditView(d, v.id, 0.95)
    if (!view) throw new Error('an audit that was just drawn is missing')
    const split = audit.strata.map((s, h) => `${batch[h].length} ${s.name}`).join(', ')
    const message = `${fresh ? 'Audit' : 'Audit extended'}: drew ${queue.length} production items (${split}); label them blind in this session.`
    return { audit: view, session, message }
  })
}

/**
 * The version's newest audit while production still has the sizes it recorded (then its draws stay a sample of the
 * same frame), else a new audit recording the current frame.
 */
function auditFor(
  d: AuditContext,
  o: { versionId: number; criterionId: number; seed: number; frame: Record<Verdict, number[]>; now: string },
): { audit: AuditRow; fresh: boolean } {
  const latest = d.repos.audits.latest(o.versionId)
  const strata = VERDICTS.filter((verdict) => o.frame[verdict].length > 0).map((verdict) => ({
    name: STRATUM_NAMES[verdict],
    verdict,
    N: o.frame[verdict].length,
  }))
  const same =
    latest !== null &&
    latest.strata.length === strata.length &&
    latest.strata.every((s, h) => s.verdict === strata[h].verdict && s.N === strata[h].N)
  if (latest && same) return { audit: latest, fresh: false }
  const id = d.repos.audits.create({ ...o, strata, createdAt: o.now })
  const audit = d.repos.audits.byId(id)
  if (!audit) throw new Error('an audit that was just created is missing')
  return { audit, fresh: true }
}

/** Each stratum's frame size with what its drawn items' current labels say. */
function strataOf(d: Pick<AuditContext, 'repos'>, audit: AuditRow): AuditStratum[] {
  const draws = d.repos.audits.draws(audit.id, audit.criterionId)
  return audit.strata.map((s) => {
    const mine = draws.filter((x) => x.stratum === s.name)
    const pass = mine.filter((x) => x.label === 'pass').length
    const fail = mine.filter((x) => x.label === 'fail').length
    return {
      name: s.name,
      verdict: s.verdict,
      N: s.N,
      drawn: mine.length,
      n: pass + fail,
      humanPass: pass,
      deferred: mine.filter((x) => x.label === 'defer').length,
    }
  })
}

/**
 * "Label next": a batch's items in the order that shrinks the interval most per label — each next item from the
 * stratum whose next label removes the most of the variance Σ W_h²·S_h²/n_h (S_h from the labels so far, with
 * a prior so a stratum of one verdict keeps weight; n_h counting what is drawn already). Labeling stopped early
 * still leaves the best sample of that size the batch allows.
 */
function labelNextOrder(batch: readonly number[][], state: readonly AuditStratum[]): number[] {
  const total = state.reduce((a, s) => a + s.N, 0)
  const counts = state.map((s) => s.drawn)
  const taken = batch.map(() => 0)
  const gain = (h: number): number => {
    const s = state[h]
    const p = (s.humanPass + 1) / (s.n + 2)
    const k = counts[h] + 1
    return (s.N / total) ** 2 * p * (1 - p) * (1 / k - 1 / (k + 1))
  }
  const out: number[] = []
  for (;;) {
    let best = -1
    for (let h = 0; h < batch.length; h++)
      if (taken[h] < batch[h].length && (best < 0 || gain(h) > gain(best))) best = h
    if (best < 0) return out
    out.push(batch[best][taken[best]++])
    counts[best]++
  }
}

/** The version's newest audit with its estimate (or why there is none yet); null when it has none. */
export function auditView(d: Pick<AuditContext, 'repos'>, versionId: number, confidence: number): AuditView | null {
  const audit = d.repos.audits.latest(versionId)
  if (!audit) return null
  const strata = strataOf(d, audit)
  const input: Stratum[] = strata.map((s) => ({ name: s.name, N: s.N, n: s.n, humanPass: s.humanPass }))
  const drawn = strata.reduce((a, s) => a + s.drawn, 0)
  const labeled = strata.reduce((a, s) => a + s.n, 0)
  const empty = strata.filter((s) => s.n === 0)
  let estimate: AuditView['estimate'] = null
  let refusal: string | null = null
  let notes: string[] = []
  if (empty.length > 0)
    refusal = `Label at least one drawn item of every stratum: ${empty.map((s) => `${s.name} has ${s.drawn === 0 ? 'none drawn' : 'none labeled yet'}`).join(', ')}.`
  else {
    try {
      const e = stratifiedEstimate(input, confidence)
      estimate = { theta: e.theta, lower: e.lower, upper: e.upper, interval: e.intervalName, labels: e.labels }
      notes = e.warnings.map((w) => w.message)
    } catch (error) {
      if (!isStatsError(error)) throw error
      refusal = error.message
    }
  }
  const sessionId = d.repos.audits
    .draws(audit.id, audit.criterionId)
    .reduce<number | null>((a, x) => (x.sessionId !== null && (a === null || x.sessionId > a) ? x.sessionId : a), null)
  return {
    id: audit.id,
    seed: audit.seed,
    createdAt: audit.createdAt,
    strata,
    drawn,
    labeled,
    sessionId,
    estimate,
    refusal,
    estimateInput: { strata: input.map((s) => ({ name: s.name, N: s.N, n: s.n, humanPass: s.humanPass })) },
    warnings: [...auditWarnings(strata), ...notes],
  }
}

/** What the user should know about the sample as labeled so far: open and deferred draws. */
function auditWarnings(strata: readonly AuditStratum[]): string[] {
  const open = strata.reduce((a, s) => a + s.drawn - s.n - s.deferred, 0)
  const deferred = strata.reduce((a, s) => a + s.deferred, 0)
  const out: string[] = []
  if (open > 0)
    out.push(
      `${open} drawn item${open === 1 ? ' is' : 's are'} not labeled yet: the estimate uses the labeled ones; finish the session for the planned width.`,
    )
  if (deferred > 0)
    out.push(
      `${deferred} drawn item${deferred === 1 ? ' is' : 's are'} deferred and left out: hard items skipped can bias the sample — label them.`,
    )
  return out
}

/**
 * The strata counts of the audit of a judge's newest version, as `assay estimate --method stratified` reads them
 * (`assay export --audit`).
 */
export function auditCounts(d: Pick<AuditContext, 'repos' | 'db' | 'transaction' | 'now'>, judgeName: string) {
  const judge = judgeByName(d, judgeName)
  const version = d.repos.judges.versions(judge.id).at(-1)
  if (!version) throw new AppError('not_found', `Judge "${judgeName}" has no version yet.`)
  const view = auditView(d, version.id, 0.95)
  if (!view)
    throw new AppError(
      'not_found',
      `Version ${version.version} of "${judgeName}" has no audit yet: draw one with \`assay audit PROJECT --judge "${judgeName}"\` (or Calibrate → Audit production).`,
    )
  return view.estimateInput
}
