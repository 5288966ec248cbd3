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
  type CompareRow,
  type Matrix,
  type Targets,
} from '../../shared/calibrate'
import { AppError } from '../../shared/errors'
import {
  ALL_MODES,
  applyErrorPolicyToMatrix,
  applyErrorPolicyToProduction,
  estimate,
  estimateModes,
  isStatsError,
  judgeRates,
  labelingAdvice,
  type CalibrationCounts,
  type ErrorPolicy,
  type EstimateResult,
  type IntervalMethod,
} from '../../shared/stats'
import { DEFAULT_METHOD } from '../../shared/stats/estimate'
import type { EvaluationContext } from './context'
import { criterion, listJudges, revealTest } from './judge/context'
import { versionMetrics } from './judge/judges'
import { assignSplits } from './judge/splits'
import { humanNote, type LabeledRow } from './db/repos/splits'

const BOOTSTRAP_METHODS: readonly string[] = ['judgy', 'bootstrap', 'bca']
const HISTOGRAM_BINS = 40

/** Every judge version that can be calibrated, latest first per judge, for the screen's picker. */
export function calibrationChoices(d: EvaluationContext): { versionId: number; label: string }[] {
  return listJudges(d).flatMap((j) =>
    [...d.repos.judges.versions(j.id)]
      .reverse()
      .map((v) => ({ versionId: v.id, label: `${j.name} v${v.version} (${j.criterion})` })),
  )
}

function versionContext(d: EvaluationContext, versionId: number) {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const judge = listJudges(d).find((j) => j.id === v.judge_id)
  if (!judge)
    throw new AppError('not_found', `Judge version ${versionId} belongs to a judge whose criterion was deleted.`)
  return { v, judge }
}

/**
 * The matrices of a version (train, dev, and test only when revealed) and its production verdicts,
 * with the error verdicts counted in by the policy; `test` and `prod` are the counts before it.
 */
function matricesOf(
  d: EvaluationContext,
  versionId: number,
  labeled: LabeledRow[],
  withTest: boolean,
  confidence: number,
  policy: ErrorPolicy,
) {
  const splits = versionMetrics(d, versionId, labeled)
  const cellsOf = (s: (typeof splits)[number]) =>
    applyErrorPolicyToMatrix(
      { tp: s.tp, fn: s.fn, tn: s.tn, fp: s.fp },
      { pass: s.errorsPass, fail: s.errorsFail },
      policy,
    )
  const matrices: Matrix[] = splits
    .filter(
      (s): s is typeof s & { split: Matrix['split'] } => s.split !== 'unlabeled' && (withTest || s.split !== 'test'),
    )
    .map((s) => {
      const cells = cellsOf(s)
      return {
        split: s.split,
        ...cells,
        errors: s.errors,
        errorsPass: s.errorsPass,
        errorsFail: s.errorsFail,
        errorPolicy: policy,
        missing: s.missing,
        ...judgeRates(cells, confidence),
      }
    })
  const prod = splits.find((s) => s.split === 'unlabeled')!
  const test = splits.find((s) => s.split === 'test')!
  const production = {
    ...applyErrorPolicyToProduction({ m: prod.judgedPass + prod.judgedFail, k: prod.judgedPass }, prod.errors, policy),
    errors: prod.errors,
  }
  return {
    matrices,
    production,
    test,
    testCells: cellsOf(test),
    prod,
    hasTest: test.tp + test.fn + test.tn + test.fp + test.errors > 0,
  }
}

const refusalOf = (error: unknown): string =>
  isStatsError(error) ? error.message : error instanceof Error ? error.message : String(error)

/** Sets a criterion's quality targets for TPR and TNR: the Calibrate screen and the report grade its judges against them. */
export function setTargets(d: EvaluationContext, criterionId: number, targets: Targets): Targets {
  criterion(d, criterionId)
  d.repos.criteria.setTargets(criterionId, targets)
  d.repos.project.log('targets.set', { criterionId, ...targets }, d.now())
  return targets
}

/** The calibration of one version: what the Calibrate screen shows, and what `assay estimate` would compute from the same counts. */
export function calibrate(d: EvaluationContext, r: CalibrateRequest): CalibrationView {
  const { v, judge } = versionContext(d, r.versionId)
  const labeled = assignSplits(d, judge.criterionId)
  const policy = r.errors
  const first = matricesOf(d, v.id, labeled, true, r.confidence, policy)
  // A read-only project shows what it is asked to and records nothing (the file cannot change).
  if (r.revealTest && first.hasTest) revealTest(d, v.id)
  const testRevealed = (r.revealTest || v.test_viewed_at !== null) && first.hasTest
  const { production, test, prod } = first
  const matrices = testRevealed ? first.matrices : first.matrices.filter((m) => m.split !== 'test')
  const method = (r.method ?? DEFAULT_METHOD) as IntervalMethod
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

  let result: EstimateResult | null = null
  let refusal: string | null = null
  if (!first.hasTest)
    refusal = `Version ${v.version} has no verdicts on the test split yet: run it on test (Judges screen, once the judge is final) to measure TPR and TNR.`
  else if (!testRevealed)
    refusal =
      'Test results are hidden (the test lock): show them to compute the corrected rate. Viewing is recorded, and changing the judge afterwards warns.'
  else if (production.m === 0)
    refusal = `No production verdicts: run version ${v.version} on the unlabeled items (Judges screen, scope "unlabeled items") to estimate the success rate.`
  else {
    try {
      result = estimate({
        counts: verdictCounts,
        errors,
        errorPolicy: policy,
        method,
        iterations: r.iterations,
        seed: r.seed,
        confidence: r.confidence,
        keepDraws: BOOTSTRAP_METHODS.includes(method),
      })
    } catch (error) {
      refusal = refusalOf(error)
    }
  }

  let estimateView: CalibrationView['estimate'] = null
  let histogram: CalibrationView['histogram'] = null
  let advice: CalibrationView['advice'] = null
  if (result) {
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
            criterionId: judge.criterionId,
            versionId: v.id,
            method,
            iterations: result.iterations,
            seed: result.seed,
            prng: result.prng,
            confidence: result.confidence,
            result: stored,
          },
          d.now(),
        )
    estimateView = {
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
      errorPolicy: policy,
      errors,
      estimateInput: estimateInput(verdictCounts, errors),
      warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
      estimateId,
    }
    const draws = result.draws ?? referenceDraws(counts, r)
    if (draws && draws.length > 0)
      histogram = {
        ...bin(draws),
        source: result.draws
          ? `${method} draws`
          : 'a bootstrap of the same counts, for reference (the interval is the chosen method’s)',
      }
    const a = labelingAdvice(counts, r.targetWidth, r.confidence)
    advice = {
      nextClass: a.nextClass,
      message: a.message,
      additionalPass: a.additionalPass,
      additionalFail: a.additionalFail,
    }
  }

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
    production,
    estimate: estimateView,
    refusal,
    histogram,
    advice,
    slices: slices(d, v.id, labeled, r, result ? result.counts : null),
    compare: compare(d, judge.id, r.confidence, policy),
    allModes: allModes(d, r),
  }
}

/**
 * All criteria with a judge at once (the newest judge of each, its newest version with test
 * results shown): one joint bootstrap over the items every judge saw, so the modes' correlation
 * is kept and the intervals hold together (Bonferroni), plus "passes all" as a judge of its own —
 * the AND of the verdicts against the AND of the human labels, not a product of rates.
 */
function allModes(d: EvaluationContext, r: CalibrateRequest): CalibrationView['allModes'] {
  const none = (reason: string) => ({ rows: [], testItems: 0, productionItems: 0, reason })
  const newest = new Map<number, { name: string; criterionId: number; versionId: number }>()
  for (const j of listJudges(d)) {
    const v = d.repos.judges.versions(j.id).at(-1)
    if (v && v.test_viewed_at !== null)
      newest.set(j.criterionId, { name: j.criterion, criterionId: j.criterionId, versionId: v.id })
  }
  const modes = [...newest.values()]
  if (modes.length < 2) return none('Needs judges on at least two criteria, each with test results shown.')
  const labels = modes.map((m) => new Map(d.repos.splits.labeled(m.criterionId).map((x) => [x.itemId, x])))
  const verdicts = modes.map(
    (m) => new Map(d.repos.judges.latestVerdicts(m.versionId).map((x) => [x.itemId, x.verdict])),
  )
  // An error verdict is a Fail or a Pass under those policies; under `exclude` its item is left out.
  const judged = (id: number) =>
    verdicts.every(
      (v) => v.get(id) === 'pass' || v.get(id) === 'fail' || (v.get(id) === 'error' && r.errors !== 'exclude'),
    )
  const bit = (v: string | undefined) => (v === 'pass' || (v === 'error' && r.errors === 'pass') ? 1 : 0)
  const ids = [...verdicts[0].keys()].filter(judged)
  const test = ids.filter((id) =>
    labels.every(
      (l) => l.get(id)?.split === 'test' && (l.get(id)!.verdict === 'pass' || l.get(id)!.verdict === 'fail'),
    ),
  )
  const production = ids.filter((id) =>
    labels.every((l) => l.get(id)?.verdict !== 'pass' && l.get(id)?.verdict !== 'fail'),
  )
  if (test.length === 0) return none('No test item is labeled and judged on every criterion with a judge.')
  if (production.length === 0) return none('No unlabeled item is judged by every judge.')
  try {
    const result = estimateModes({
      modes: modes.map((m, i) => ({
        name: m.name,
        testHuman: test.map((id) => bit(labels[i].get(id)!.verdict)),
        testJudge: test.map((id) => bit(verdicts[i].get(id))),
        unlabeled: production.map((id) => bit(verdicts[i].get(id))),
      })),
      iterations: r.iterations,
      seed: r.seed,
      confidence: r.confidence,
    })
    const rows = result.modes.map((m) =>
      m.ok
        ? {
            name: m.name === ALL_MODES ? 'passes all' : m.name,
            theta: m.point.theta,
            lower: m.lower,
            upper: m.upper,
            simultaneousLower: m.simultaneousLower,
            simultaneousUpper: m.simultaneousUpper,
            note: null,
          }
        : {
            name: m.name === ALL_MODES ? 'passes all' : m.name,
            theta: null,
            lower: null,
            upper: null,
            simultaneousLower: null,
            simultaneousUpper: null,
            note: m.error.message,
          },
    )
    return { rows, testItems: test.length, productionItems: production.length, reason: null }
  } catch (error) {
    return none(refusalOf(error))
  }
}

/**
 * The counts JSON `assay estimate` reads to recompute an estimate: pass/fail verdicts, and the
 * error verdicts apart (only when there are any, so an estimate without errors keeps its old command).
 */
function estimateInput(
  c: CalibrationCounts,
  errors: { pass: number; fail: number; unlabeled: number },
): Record<string, number> {
  const base: Record<string, number> = { tp: c.tp, fn: c.fn, tn: c.tn, fp: c.fp, k: c.k, m: c.m }
  if (errors.pass + errors.fail + errors.unlabeled === 0) return base
  return { ...base, errors_pass: errors.pass, errors_fail: errors.fail, errors_unlabeled: errors.unlabeled }
}

/** A bootstrap of the same counts, drawn beside an analytic interval; none when every draw is degenerate. */
function referenceDraws(counts: CalibrationCounts, r: CalibrateRequest): Float64Array | undefined {
  try {
    return estimate({
      counts,
      method: 'bootstrap',
      iterations: r.iterations,
      seed: r.seed,
      confidence: r.confidence,
      keepDraws: true,
    }).draws
  } catch {
    return undefined
  }
}

/**
 * Bootstrap draws (sorted, from `estimate`) as a histogram over their central 99.8%, so a few
 * extreme draws do not squash the picture; the draws beyond are counted in the edge bins.
 */
function bin(draws: Float64Array): { x0: number; width: number; counts: number[] } {
  const at = (q: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))]
  const lo = at(0.001)
  const hi = at(0.999)
  const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 0.01
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  for (const x of draws) counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((x - lo) / width)))]++
  return { x0: lo, width, counts }
}

/**
 * The production estimate per value of a metadata field, each with the test set's TPR and TNR
 * (Lang–Reiczigel: analytic, so many slices cost nothing). A slice with no test items of its own
 * is flagged: the correction then assumes the judge errs there as it does elsewhere.
 */
function slices(
  d: EvaluationContext,
  versionId: number,
  labeled: LabeledRow[],
  r: CalibrateRequest,
  counts: { tp: number; fn: number; tn: number; fp: number } | null,
): CalibrationView['slices'] {
  const keys = d.repos.items.facets().metadataKeys
  if (!r.sliceBy || !counts) return { key: r.sliceBy, keys, rows: [] }
  const verdicts = d.repos.judges.latestVerdicts(versionId)
  const byItem = new Map(labeled.map((x) => [x.itemId, x]))
  const values = d.repos.judges.metadataValues(
    [...verdicts.map((x) => x.itemId), ...labeled.map((x) => x.itemId)],
    r.sliceBy,
  )
  const groups = new Map<string, { m: number; k: number; testItems: number }>()
  const group = (value: string) => groups.get(value) ?? groups.set(value, { m: 0, k: 0, testItems: 0 }).get(value)!
  for (const x of verdicts) {
    const label = byItem.get(x.itemId)
    if (
      (label && (label.verdict === 'pass' || label.verdict === 'fail')) ||
      (x.verdict === 'error' && r.errors === 'exclude')
    )
      continue
    const g = group(values.get(x.itemId) ?? '(none)')
    g.m++
    if (x.verdict === 'pass' || (x.verdict === 'error' && r.errors === 'pass')) g.k++
  }
  for (const x of labeled)
    if (x.split === 'test' && (x.verdict === 'pass' || x.verdict === 'fail'))
      group(values.get(x.itemId) ?? '(none)').testItems++
  const rows = [...groups].map(([value, g]) => {
    let theta: number | null = null
    let lower: number | null = null
    let upper: number | null = null
    let warning: string | null =
      g.testItems === 0
        ? `No test items have ${r.sliceBy} = ${value}: the correction assumes the judge's TPR and TNR hold here too. Label some of these items to check.`
        : null
    if (g.m > 0) {
      try {
        const e = estimate({
          counts: { ...counts, k: g.k, m: g.m },
          method: 'lang-reiczigel',
          confidence: r.confidence,
        })
        ;({ theta, lower, upper } = e)
      } catch (error) {
        warning = refusalOf(error)
      }
    } else warning = warning ?? 'No production verdicts in this slice.'
    return { value, ...g, theta, lower, upper, warning }
  })
  return { key: r.sliceBy, keys, rows: rows.sort((a, b) => b.m - a.m || a.value.localeCompare(b.value)) }
}

/** Versions of this judge side by side, then the latest version of every other judge (one row per failure mode). */
function compare(d: EvaluationContext, judgeId: number, confidence: number, policy: ErrorPolicy): CompareRow[] {
  const rows: CompareRow[] = []
  const labeledBy = new Map<number, LabeledRow[]>()
  const row = (
    label: string,
    criterionId: number,
    criterion: string,
    versionId: number,
    viewed: boolean,
  ): CompareRow => {
    const labeled =
      labeledBy.get(criterionId) ?? labeledBy.set(criterionId, d.repos.splits.labeled(criterionId)).get(criterionId)!
    const { testCells: test, production } = matricesOf(d, versionId, labeled, true, confidence, policy)
    const testN = test.tp + test.fn + test.tn + test.fp
    const base = { label, versionId, criterion, testN, pObs: production.m ? production.k / production.m : null }
    const empty = { tpr: null, tnr: null, theta: null, lower: null, upper: null }
    if (!viewed) return { ...base, ...empty, note: testN > 0 ? 'test results hidden' : 'not run on test' }
    const { tpr, tnr } = judgeRates(test, confidence)
    if (production.m === 0)
      return { ...base, ...empty, tpr: tpr.estimate, tnr: tnr.estimate, note: 'no production verdicts' }
    try {
      const e = estimate({
        counts: { ...test, k: production.k, m: production.m },
        method: 'lang-reiczigel',
        confidence,
      })
      return { ...base, tpr: e.tpr, tnr: e.tnr, theta: e.theta, lower: e.lower, upper: e.upper, note: null }
    } catch (error) {
      return { ...base, ...empty, tpr: tpr.estimate, tnr: tnr.estimate, note: refusalOf(error) }
    }
  }
  const judges = listJudges(d)
  const own = judges.find((j) => j.id === judgeId)!
  for (const v of [...d.repos.judges.versions(judgeId)].reverse())
    rows.push(row(`${own.name} v${v.version}`, own.criterionId, own.criterion, v.id, v.test_viewed_at !== null))
  for (const j of judges) {
    if (j.id === judgeId) continue
    const latest = d.repos.judges.versions(j.id).at(-1)
    if (latest)
      rows.push(
        row(`${j.name} v${latest.version}`, j.criterionId, j.criterion, latest.id, latest.test_viewed_at !== null),
      )
  }
  return rows
}

/** The items of one matrix cell, the judge's critique beside the human note; error verdicts in the cell the policy counts them in. */
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
