/**
 * A calibration's comparisons (calibrate.ts): the estimate per slice of a metadata field, the
 * versions and judges side by side, and every failure mode at once with "passes all".
 */
import type { CalibrateRequest, CalibrationView, CompareRow } from '../../shared/calibrate'
import { ALL_MODES, estimate, estimateModes, judgeRates, type ErrorPolicy } from '../../shared/stats'
import { matricesOf, refusalOf } from './calibrate-matrices'
import type { EvaluationContext } from './context'
import type { LabeledRow } from './db/repos/splits'
import { found, listJudges } from './judge/context'

/**
 * All criteria with a judge at once (the newest judge of each, its newest version with test
 * results shown): one joint bootstrap over the items every judge saw, so the modes' correlation
 * is kept and the intervals hold together (Bonferroni), plus "passes all" as a judge of its own —
 * the AND of the verdicts against the AND of the human labels, not a product of rates.
 */
export function allModes(d: EvaluationContext, r: CalibrateRequest): CalibrationView['allModes'] {
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
    labels.every((l) => {
      const label = l.get(id)
      return label?.split === 'test' && (label.verdict === 'pass' || label.verdict === 'fail')
    }),
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
        testHuman: test.map((id) => bit(labels[i].get(id)?.verdict)),
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
 * The production estimate per value of a metadata field, each with the test set's TPR and TNR
 * (Lang–Reiczigel: analytic, so many slices cost nothing). A slice with no test items of its own
 * is flagged: the correction then assumes the judge errs there as it does elsewhere.
 */
export function slices(
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
  const group = (value: string) => {
    const g = groups.get(value) ?? { m: 0, k: 0, testItems: 0 }
    groups.set(value, g)
    return g
  }
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
export function compare(d: EvaluationContext, judgeId: number, confidence: number, policy: ErrorPolicy): CompareRow[] {
  const rows: CompareRow[] = []
  const labeledBy = new Map<number, LabeledRow[]>()
  const row = (
    label: string,
    criterionId: number,
    criterion: string,
    versionId: number,
    viewed: boolean,
  ): CompareRow => {
    const labeled = labeledBy.get(criterionId) ?? d.repos.splits.labeled(criterionId)
    labeledBy.set(criterionId, labeled)
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
  const own = found(
    judges.find((j) => j.id === judgeId),
    `judge ${judgeId}`,
  )
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
