/**
 * Calibration of one judge version (DESIGN §3.6; methodology §4.6–§5.4, requirements 24–31):
 * confusion matrices per split against the current human labels, TPR/TNR with Wilson intervals,
 * the Rogan–Gladen corrected production rate with its named interval (stored as an estimate),
 * labeling advice, slices by a metadata field, and a comparison of versions and criteria — all
 * under one error policy (what the judge's error verdicts count as). All statistics are
 * `shared/stats`; this file only gathers counts and keeps the test lock.
 */
import {
  CellRequest,
  type CalibrateRequest,
  type CalibrationView,
  type CellItem,
  type Targets,
} from '../../shared/calibrate'
import {
  estimate,
  labelingAdvice,
  type CalibrationCounts,
  type EstimateResult,
  type IntervalMethod,
} from '../../shared/stats'
import { DEFAULT_METHOD } from '../../shared/stats/estimate'
import { ROGAN_GLADEN_INTERVALS } from '../../shared/audit'
import { alternatives } from './calibrate-alternatives'
import { allModes, compare, slices } from './calibrate-compare'
import { bin, estimateInput, matricesOf, referenceDraws, refusalOf, versionContext } from './calibrate-matrices'
import type { EvaluationContext } from './context'
import { humanNote } from './db/repos/splits'
import { criterion, listJudges, revealTest } from './judge/context'
import { assignSplits } from './judge/splits'
import { AppError } from '../../shared/errors'

const BOOTSTRAP_METHODS: readonly string[] = ['judgy', 'bootstrap', 'bca']

/** Every judge version that can be calibrated, latest first per judge, for the screen's picker. */
export function calibrationChoices(d: EvaluationContext): { versionId: number; label: string }[] {
  return listJudges(d).flatMap((j) =>
    [...d.repos.judges.versions(j.id)]
      .reverse()
      .map((v) => ({ versionId: v.id, label: `${j.name} v${v.version} (${j.criterion})` })),
  )
}

/**
 * Sets a criterion's quality targets for TPR and TNR: the Calibrate screen and the report grade its judges against
 * them.
 */
export function setTargets(d: EvaluationContext, criterionId: number, targets: Targets): Targets {
  criterion(d, criterionId)
  d.repos.criteria.setTargets(criterionId, targets)
  d.repos.project.log('targets.set', { criterionId, ...targets }, d.now())
  return targets
}

/**
 * The calibration of one version: what the Calibrate screen shows, and what `assay estimate`
 * would compute from the same counts.
 */
export function calibrate(d: EvaluationContext, r: CalibrateRequest): CalibrationView {
  const { v, judge } = versionContext(d, r.versionId)
  const labeled = assignSplits(d, judge.criterionId)
  const policy = r.errors
  const first = matricesOf(d, v.id, labeled, true, r.confidence, policy)
  // A read-only project shows what it is asked to and records nothing (the file cannot change).
  if (r.revealTest && first.hasTest) revealTest(d, v.id)
  const testRevealed = (r.revealTest || v.test_viewed_at !== null) && first.hasTest
  const matrices = testRevealed ? first.matrices : first.matrices.filter((m) => m.split !== 'test')
  const method = r.method ?? DEFAULT_METHOD
  const attempt = estimateOf(first, r, { version: v.version, testRevealed, method })
  const shown = attempt.result
    ? shownEstimate(d, attempt.result, attempt, { criterionId: judge.criterionId, versionId: v.id, method, r })
    : { estimate: null, histogram: null, advice: null }
  return {
    judge: {
      id: judge.id,
      name: judge.name,
      criterion: judge.criterion,
      criterionId: judge.criterionId,
      versionId: v.id,
      version: v.version,
    },
    judges: calibrationChoices(d),
    testRevealed,
    testEvaluations: v.test_evaluations,
    targets: d.repos.criteria.targets(judge.criterionId),
    errorPolicy: policy,
    matrices,
    production: first.production,
    estimate: shown.estimate,
    refusal: attempt.refusal,
    histogram: shown.histogram,
    advice: shown.advice,
    slices: slices(d, v.id, labeled, r, attempt.result ? attempt.result.counts : null),
    compare: compare(d, judge.id, r.confidence, policy),
    allModes: allModes(d, r),
    alternatives: alternatives(d, {
      versionId: v.id,
      criterionId: judge.criterionId,
      counts: attempt.result ? attempt.result.counts : null,
      roganGladen: attempt.result,
      roganGladenInterval: ROGAN_GLADEN_INTERVALS[method] ?? method,
      confidence: r.confidence,
    }),
  }
}

type Counted = ReturnType<typeof matricesOf>
type ErrorsBeside = { pass: number; fail: number; unlabeled: number }

/**
 * The corrected rate from the test and production counts, or why there is none (nothing to correct, the test lock, a
 * refusal).
 */
function estimateOf(
  first: Counted,
  r: CalibrateRequest,
  o: { version: number; testRevealed: boolean; method: IntervalMethod },
): { result: EstimateResult | null; refusal: string | null; verdictCounts: CalibrationCounts; errors: ErrorsBeside } {
  const { test, prod } = first
  // Pass/fail verdicts only, the error verdicts beside: `estimate` applies the policy (and says so in its warnings).
  const verdictCounts = {
    tp: test.tp,
    fn: test.fn,
    tn: test.tn,
    fp: test.fp,
    k: prod.judgedPass,
    m: prod.judgedPass + prod.judgedFail,
  }
  const errors = { pass: test.errorsPass, fail: test.errorsFail, unlabeled: prod.errors }
  const refused = (refusal: string) => ({ result: null, refusal, verdictCounts, errors })
  if (!first.hasTest)
    return refused(
      `Version ${o.version} has no verdicts on the test split yet: run it on test (Judges screen, once the judge is final) to measure TPR and TNR.`,
    )
  if (!o.testRevealed)
    return refused(
      'Test results are hidden (the test lock): show them to compute the corrected rate. Viewing is recorded, and changing the judge afterwards warns.',
    )
  if (first.production.m === 0)
    return refused(
      `No production verdicts: run version ${o.version} on the unlabeled items (Judges screen, scope "unlabeled items") to estimate the success rate.`,
    )
  try {
    const result = estimate({
      counts: verdictCounts,
      errors,
      errorPolicy: r.errors,
      method: o.method,
      iterations: r.iterations,
      seed: r.seed,
      confidence: r.confidence,
      keepDraws: BOOTSTRAP_METHODS.includes(o.method),
    })
    return { result, refusal: null, verdictCounts, errors }
  } catch (error) {
    return refused(refusalOf(error))
  }
}

/**
 * An estimate as the screen shows it: stored (unless the project is read-only), with its draws as a
 * histogram and advice on what to label next.
 */
function shownEstimate(
  d: EvaluationContext,
  result: EstimateResult,
  from: { verdictCounts: CalibrationCounts; errors: ErrorsBeside },
  o: { criterionId: number; versionId: number; method: IntervalMethod; r: CalibrateRequest },
): Pick<CalibrationView, 'estimate' | 'histogram' | 'advice'> {
  const { method, r } = o
  const counts = {
    tp: result.counts.tp,
    fn: result.counts.fn,
    tn: result.counts.tn,
    fp: result.counts.fp,
    k: result.counts.k,
    m: result.counts.m,
  }
  const stored = { ...result, draws: undefined }
  const estimateId = d.db.readonly
    ? null
    : d.repos.judges.saveEstimate(
        {
          criterionId: o.criterionId,
          versionId: o.versionId,
          method,
          iterations: result.iterations,
          seed: result.seed,
          prng: result.prng,
          confidence: result.confidence,
          result: stored,
        },
        d.now(),
      )
  const draws = result.draws ?? referenceDraws(counts, r)
  const a = labelingAdvice(counts, r.targetWidth, r.confidence)
  return {
    estimate: {
      method,
      theta: result.theta,
      thetaUnclipped: result.thetaUnclipped,
      clipped: result.clipped,
      lower: result.lower,
      upper: result.upper,
      pObs: result.pObs,
      tpr: result.tpr,
      tnr: result.tnr,
      confidence: result.confidence,
      iterations: result.iterations,
      seed: result.seed,
      prng: result.prng,
      nValid: result.nValid,
      nDropped: result.nDropped,
      counts,
      errorPolicy: r.errors,
      errors: from.errors,
      estimateInput: estimateInput(from.verdictCounts, from.errors),
      warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
      estimateId,
    },
    histogram:
      draws && draws.length > 0
        ? {
            ...bin(draws),
            source: result.draws
              ? `${method} draws`
              : 'a bootstrap of the same counts, for reference (the interval is the chosen method’s)',
          }
        : null,
    advice: {
      nextClass: a.nextClass,
      message: a.message,
      additionalPass: a.additionalPass,
      additionalFail: a.additionalFail,
    },
  }
}

/**
 * The items of one matrix cell, the judge's critique beside the human note; error verdicts in the cell the policy
 * counts them in.
 */
export function cellItems(d: EvaluationContext, request: CellRequest): CellItem[] {
  const input = CellRequest.parse(request)
  const { v, judge } = versionContext(d, input.versionId)
  // Read-only, a view of test results cannot be recorded: showing them is what the caller asked for.
  if (input.split === 'test' && v.test_viewed_at === null && !d.db.readonly)
    throw new AppError('forbidden', 'Test results are hidden (the test lock): show them on the Calibrate screen first.')
  const labeled = new Map(d.repos.splits.labeled(judge.criterionId).map((x) => [x.itemId, x]))
  return d.repos.judges.latestVerdicts(v.id).flatMap((x) => {
    const l = labeled.get(x.itemId)
    const counted = x.verdict === 'error' ? (input.errors === 'exclude' ? null : input.errors) : x.verdict
    if (!l || l.split !== input.split || l.verdict !== input.human || counted !== input.judge) return []
    return [
      {
        itemId: x.itemId,
        externalId: x.externalId,
        human: input.human,
        judge: input.judge,
        error: x.verdict === 'error',
        note: humanNote(l),
        critique: x.critique,
      },
    ]
  })
}
