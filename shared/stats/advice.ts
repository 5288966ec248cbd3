/**
 * What a careful statistician would tell the user next to a corrected rate (statistics.md §6):
 * structured warnings with actionable messages, and a label-budget hint — which class to label
 * next and roughly how many labels bring the interval to a target width (§5.2, Lee et al. 2025).
 */
import type { CalibrationCounts } from './confusion'
import { describeErrors, NO_ERRORS, type ErrorCounts, type ErrorPolicy } from './error-policy'
import type { PointEstimate } from './rogan-gladen'
import { zForConfidence } from './normal'

/** One warning; `code` is stable for the UI and tests, `message` says what to do. */
export interface StatsWarning {
  code:
    | 'small_class'
    | 'small_test'
    | 'weak_judge'
    | 'perfect_scores'
    | 'clipped'
    | 'prevalence_extreme'
    | 'many_dropped'
    | 'unlabeled_fixed'
    | 'uninformative_interval'
    | 'error_verdicts'
  message: string
}

/** The parts of an estimate the warnings look at (an `EstimateResult` fits). */
export interface WarningInput extends PointEstimate {
  counts: CalibrationCounts
  method: string
  lower: number
  upper: number
  iterations: number | null
  nDropped: number | null
  resampleUnlabeled: boolean
  /** Error verdicts beside the counts, and what they counted as (none and `exclude` when absent). */
  errors?: ErrorCounts
  errorPolicy?: ErrorPolicy
}

/** Thresholds of statistics.md §6. */
export const WARNING_THRESHOLDS = {
  minPerClass: 20,
  minTest: 60,
  minJ: 0.5,
  maxDroppedShare: 0.01,
  extreme: 0.05,
} as const

const f3 = (x: number): string => x.toFixed(3)

/** Warnings for one estimate, most important first. */
export function calibrationWarnings(e: WarningInput): StatsWarning[] {
  const t = WARNING_THRESHOLDS
  const out: StatsWarning[] = []
  const pos = e.counts.tp + e.counts.fn
  const neg = e.counts.tn + e.counts.fp
  const errors = errorVerdicts(e)
  if (errors !== null) out.push({ code: 'error_verdicts', message: errors })
  for (const [cls, count] of [
    ['Pass', pos],
    ['Fail', neg],
  ] as const) {
    if (count < t.minPerClass) {
      out.push({
        code: 'small_class',
        message: `Only ${count} human-${cls} items in the test set: the interval is wide. Label at least ${t.minPerClass - count} more ${cls} examples (aim for 30–50 per class).`,
      })
    }
  }
  if (pos + neg < t.minTest) {
    out.push({
      code: 'small_test',
      message: `The test set has ${pos + neg} labelled items; below about ${t.minTest} the interval is close to uninformative. Label about 100 (50 Pass, 50 Fail).`,
    })
  }
  if (e.youdenJ < t.minJ) {
    out.push({
      code: 'weak_judge',
      message: `Weak judge: TPR + TNR − 1 = ${f3(e.youdenJ)} (< ${t.minJ}). The correction divides by this, multiplying every error by ${(1 / e.youdenJ).toFixed(1)}; improve the judge on the dev set before trusting the corrected rate.`,
    })
  }
  const perfect = perfectScores(e, pos, neg)
  if (perfect !== null) out.push({ code: 'perfect_scores', message: perfect })
  if (e.clipped) {
    out.push({
      code: 'clipped',
      message: `The corrected rate was clipped to ${e.theta} (unclipped ${f3(e.thetaUnclipped)}): p_obs = ${f3(e.pObs)} lies outside [1 − TNR, TPR] = [${f3(1 - e.tnr)}, ${f3(e.tpr)}]. Either the true rate is at the bound or the judge errs differently on production items; re-check TPR and TNR on fresh labels.`,
    })
  } else if (e.theta < t.extreme || e.theta > 1 - t.extreme) {
    out.push({
      code: 'prevalence_extreme',
      message:
        `The corrected rate ${f3(e.theta)} is near ${e.theta < 0.5 ? 0 : 1}, where intervals are least reliable: ` +
        (e.method === 'lang-reiczigel'
          ? 'lang-reiczigel (used here) kept its coverage there in our simulation; read the bound at the edge with care.'
          : 'percentile bootstrap intervals pile up at the bound and undercover. Prefer method lang-reiczigel.'),
    })
  }
  if (e.iterations !== null && e.nDropped !== null && e.nDropped / e.iterations > t.maxDroppedShare) {
    out.push({
      code: 'many_dropped',
      message: `${e.nDropped} of ${e.iterations} bootstrap draws (${((100 * e.nDropped) / e.iterations).toFixed(1)}%) were dropped because the resample lacked a class or had TPR + TNR ≤ 1, which biases the interval. Label more items of the smaller class or use lang-reiczigel.`,
    })
  }
  if (!e.resampleUnlabeled) {
    out.push({
      code: 'unlabeled_fixed',
      message: `This interval ignores the sampling error of the ${e.counts.m} production verdicts (p_obs is held fixed, as judgy does), so it is too narrow${e.tpr === 1 && e.tnr === 1 ? ' — here of zero width' : ''}. Use it for course parity; report the default method.`,
    })
  }
  if (e.upper - e.lower >= 0.5) {
    out.push({
      code: 'uninformative_interval',
      message: `The interval [${f3(e.lower)}, ${f3(e.upper)}] is too wide to say much. Label more test items, especially of the ${pos <= neg ? 'Pass' : 'Fail'} class.`,
    })
  }
  return out
}

const items = (n: number, what: string): string => `${n} ${what} item${n === 1 ? '' : 's'}`

/** What happened to the error verdicts, when there are any: never silent, since they move every rate. */
function errorVerdicts(e: WarningInput): string | null {
  const errors = e.errors ?? NO_ERRORS
  const total = errors.pass + errors.fail + errors.unlabeled
  if (total === 0) return null
  const head = `${total} error verdict${total === 1 ? '' : 's'} (${describeErrors(errors)})`
  switch (e.errorPolicy ?? 'exclude') {
    case 'exclude':
      return `${head} ${total === 1 ? 'is' : 'are'} left out of TPR, TNR and p_obs (error policy "exclude"). If the judge fails to answer on hard items, the rates are optimistic: the error policy "fail" counts an error as a Fail verdict (the AI-evals course's convention), "pass" as a Pass verdict.`
    case 'fail':
      return `${head} ${total === 1 ? 'is' : 'are'} counted as Fail verdicts (error policy "fail", the AI-evals course's convention): a false fail on a human-Pass item, a true fail on a human-Fail item, a non-pass in production.`
    case 'pass':
      return `${head} ${total === 1 ? 'is' : 'are'} counted as Pass verdicts (error policy "pass"): a true pass on a human-Pass item, a false pass on a human-Fail item, a pass in production.`
  }
}

/**
 * A rate of exactly 1 on the test set. It never claims "no errors" while error verdicts exist:
 * under `exclude` it says how many items of the class were left out, under `fail`/`pass` how
 * many of the class's items are error verdicts counted in.
 */
function perfectScores(e: WarningInput, pos: number, neg: number): string | null {
  const errors = e.errors ?? NO_ERRORS
  const policy = e.errorPolicy ?? 'exclude'
  const part = (rate: string, cls: 'Pass' | 'Fail', n: number, errorsOfClass: number): string => {
    if (errorsOfClass === 0) return `${rate} = 1 on ${n} ${cls} items`
    if (policy === 'exclude')
      return `${rate} = 1 on the ${items(n, cls)} with a verdict; ${items(errorsOfClass, cls)} got an error verdict and ${errorsOfClass === 1 ? 'is' : 'are'} left out`
    return `${rate} = 1 on ${n} ${cls} items, ${errorsOfClass} of them error verdicts counted as ${policy === 'fail' ? 'Fail' : 'Pass'}`
  }
  const perfect = [
    e.tpr === 1 ? part('TPR', 'Pass', pos, errors.pass) : '',
    e.tnr === 1 ? part('TNR', 'Fail', neg, errors.fail) : '',
  ].filter(Boolean)
  if (perfect.length === 0) return null
  if (errors.pass + errors.fail === 0) {
    // Only when both rates are 1 is the whole test set error-free; otherwise name the class.
    const where =
      perfect.length === 2 ? 'the test set' : e.tpr === 1 ? 'the human-Pass test items' : 'the human-Fail test items'
    return `The judge made no errors on ${where} (${perfect.join(', ')}). That overstates its accuracy; bootstrap intervals treat the rate as exact. Label more items or use lang-reiczigel, which allows for unseen errors.`
  }
  return (
    `A perfect rate, but not a flawless judge: ${perfect.join('; ')}. A rate of 1 overstates the judge's accuracy; bootstrap intervals treat it as exact. ` +
    (policy === 'exclude'
      ? 'Count the error verdicts as Fail with the error policy "fail" (the AI-evals course\'s convention) to see them as misses, label more items, or use lang-reiczigel, which allows for unseen errors.'
      : 'Label more items or use lang-reiczigel, which allows for unseen errors.')
  )
}

/** Lee et al.'s split of a label budget between the classes. */
export interface Allocation {
  /** Share of test labels that should be human-Pass items. */
  passShare: number
  pass: number
  fail: number
}

/**
 * Lee, Zeng, Jeong, Sohn & Lee (2025), arXiv:2511.21140, `allocate_calibration_sample`:
 * m₁ = M/(1 + (1/p − 1)·√κ), κ = (1 − Sp)/(1 − Se), m₀ = M − m₁ (statistics.md §5.2). It is the
 * variance-minimising (Neyman) split with θ ≈ p and q(1 − q) ≈ 1 − q for accurate judges. Pilot
 * Se and Sp are taken as (x + 1)/(n + 2) so that a perfect pilot does not give κ = 0 or ∞, and p
 * is kept inside [ε, 1 − ε] as Lee et al.'s `eps` does.
 */
export function leeAllocation(total: number, pObs: number, se: number, sp: number, eps = 1e-6): Allocation {
  const p = Math.min(1 - eps, Math.max(eps, pObs))
  const kappa = (1 - sp) / (1 - se)
  const pass = total / (1 + (1 / p - 1) * Math.sqrt(kappa))
  return { passShare: pass / total, pass, fail: total - pass }
}

/** Which class to label next and roughly how many labels reach a target interval width. */
export interface LabelingAdvice {
  nextClass: 'pass' | 'fail'
  /** Lee et al.'s target share of Pass items among test labels. */
  targetPassShare: number
  /** Full width of the interval predicted by the delta method with the current labels. */
  projectedWidthNow: number
  targetWidth: number
  /** False when the production sample alone is too small for the target (then more production verdicts are needed). */
  reachable: boolean
  additionalPass: number
  additionalFail: number
  message: string
}

/**
 * Label-budget advice. Width is projected with the delta-method variance of statistics.md §5.2,
 * [p(1−p)/m + θ²Se(1−Se)/P + (1−θ)²Sp(1−Sp)/N]/J², at pilot Se = (TP+1)/(P+2),
 * Sp = (TN+1)/(N+2); extra labels are split by `leeAllocation` without removing existing ones.
 */
export function labelingAdvice(c: CalibrationCounts, targetWidth: number, confidence = 0.95): LabelingAdvice {
  const pos = c.tp + c.fn
  const neg = c.tn + c.fp
  const se = (c.tp + 1) / (pos + 2)
  const sp = (c.tn + 1) / (neg + 2)
  const p = c.k / c.m
  const j = Math.max(se + sp - 1, 1e-3)
  const theta = Math.min(1, Math.max(0, (p + sp - 1) / j))
  const z = zForConfidence(confidence)
  const width = (P: number, N: number, pTerm = (p * (1 - p)) / c.m): number =>
    (2 * z * Math.sqrt(pTerm + (theta ** 2 * se * (1 - se)) / P + ((1 - theta) ** 2 * sp * (1 - sp)) / N)) / j
  const split = (total: number): [number, number] => {
    const want = Math.round(leeAllocation(total, p, se, sp).pass)
    const P = Math.min(total - neg, Math.max(pos, want))
    return [P, total - P]
  }
  const now = width(Math.max(pos, 1), Math.max(neg, 1))
  const share = leeAllocation(pos + neg, p, se, sp).passShare
  const nextClass = pos / (pos + neg) < share ? 'pass' : 'fail'
  const pct = `${Math.round(confidence * 100)}%`
  const base = { nextClass, targetPassShare: share, projectedWidthNow: now, targetWidth } as const
  if (now <= targetWidth) {
    return {
      ...base,
      reachable: true,
      additionalPass: 0,
      additionalFail: 0,
      message: `The ${pct} interval is already about ±${(now / 2).toFixed(3)}; no more labels are needed for ±${(targetWidth / 2).toFixed(3)}.`,
    }
  }
  const floor = width(Infinity, Infinity)
  if (floor >= targetWidth) {
    const mNeeded = Math.ceil((p * (1 - p)) / ((targetWidth * j) / (2 * z)) ** 2)
    return {
      ...base,
      reachable: false,
      additionalPass: 0,
      additionalFail: 0,
      message: `Even unlimited test labels cannot reach ±${(targetWidth / 2).toFixed(3)} with ${c.m} production verdicts; judge at least ${mNeeded} production items. Label ${nextClass === 'pass' ? 'Pass' : 'Fail'} items next.`,
    }
  }
  let hi = 1
  while (width(...split(pos + neg + hi)) > targetWidth && hi < 1e9) hi *= 2
  let lo = 0
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (width(...split(pos + neg + mid)) > targetWidth) lo = mid
    else hi = mid
  }
  const [P, N] = split(pos + neg + hi)
  const addPass = P - pos
  const addFail = N - neg
  return {
    ...base,
    reachable: true,
    additionalPass: addPass,
    additionalFail: addFail,
    message: `Label about ${addPass + addFail} more test items (${addPass} Pass, ${addFail} Fail) to narrow the ${pct} interval from about ±${(now / 2).toFixed(3)} to ±${(targetWidth / 2).toFixed(3)}. Label ${nextClass === 'pass' ? 'Pass' : 'Fail'} items next.`,
  }
}
