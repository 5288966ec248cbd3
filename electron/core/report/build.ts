/**
 * The calibration report's data (methodology §5.4): the project and its datasets, the criteria,
 * the failure taxonomy, and for each judge its prompt, model, labels per split, matrices, TPR/TNR
 * against targets, the production estimate, an interpretation in words, representative
 * disagreements and the command that recomputes the estimate. Every number comes from the same
 * code as the Calibrate screen (`calibrate`), so the report and the screen cannot disagree.
 * Making a report shows test results, so it records their viewing (the test lock).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { CalibrateRequest, type CalibrationView, type Matrix } from '../../../shared/calibrate'
import { AppError } from '../../../shared/errors'
import { errorPolicyEffect, type ErrorPolicy } from '../../../shared/stats'
import { REPORT_SCHEMA, type ReportData, type ReportJudge } from '../../../shared/report/data'
import { calibrate, cellItems } from '../calibrate'
import type { EvaluationContext } from '../context'
import { found, listJudges } from '../judge/context'
import { assignSplits } from '../judge/splits'
import { projectName } from '../settings'
import { countTaxonomy } from '../taxonomy'

export interface ReportOptions {
  projectPath: string
  appVersion: string
  /** Only judges of this criterion / with this name; every judge by default. */
  criterion?: string
  judge?: string
  method?: string
  iterations?: number
  seed?: number
  confidence?: number
  /** What an error verdict counts as (default exclude). */
  errors?: ErrorPolicy
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

export function buildReport(d: EvaluationContext, o: ReportOptions): ReportData {
  const judges = listJudges(d).filter(
    (j) => (!o.criterion || j.criterion === o.criterion) && (!o.judge || j.name === o.judge),
  )
  if ((o.criterion || o.judge) && judges.length === 0)
    throw new AppError(
      'not_found',
      `No judge matches${o.judge ? ` name "${o.judge}"` : ''}${o.criterion ? ` on criterion "${o.criterion}"` : ''}. Judges: ${
        listJudges(d)
          .map((j) => `"${j.name}" (${j.criterion})`)
          .join(', ') || 'none yet'
      }.`,
    )
  const reportJudges = judges.flatMap((j) => {
    const v = d.repos.judges.versions(j.id).at(-1)
    return v ? [judgeSection(d, j.id, v.id, o)] : []
  })
  const taxonomy = countTaxonomy(d, null)
  if (!d.db.readonly) d.repos.project.checkpoint() // read-only: the file is what it is
  const counts = d.repos.project.counts()
  return {
    schema: REPORT_SCHEMA,
    generatedAt: d.now(),
    app: { name: 'Assay', version: o.appVersion },
    project: {
      name: projectName(o.projectPath),
      file: o.projectPath,
      sha256: createHash('sha256').update(readFileSync(o.projectPath)).digest('hex'),
      items: counts.itemCount,
      synthetic: d.repos.project.meta('synthetic') === '1',
      datasets: d.repos.project.datasets(),
    },
    criteria: d.repos.criteria
      .list()
      .map((c) => ({ name: c.name, kind: c.kind, version: c.version, definition: c.definition, labeled: c.labeled })),
    taxonomy: {
      reviewed: taxonomy.reviewed,
      modes: taxonomy.modes.map((m) => ({
        id: m.id,
        name: m.name,
        definition: m.definition,
        count: m.count,
        rate: { estimate: m.rate.estimate, lower: m.rate.lower, upper: m.rate.upper },
      })),
    },
    judges: reportJudges,
  }
}

function judgeSection(d: EvaluationContext, judgeId: number, versionId: number, o: ReportOptions): ReportJudge {
  const view = calibrate(
    d,
    CalibrateRequest.parse({
      versionId,
      revealTest: true,
      method: o.method,
      iterations: o.iterations,
      seed: o.seed,
      confidence: o.confidence,
      errors: o.errors,
    }),
  )
  const { targets } = view
  const v = found(d.repos.judges.version(versionId), `version ${versionId}`)
  const labels = { train: { pass: 0, fail: 0 }, dev: { pass: 0, fail: 0 }, test: { pass: 0, fail: 0 } }
  for (const r of assignSplits(d, view.judge.criterionId))
    if (r.split && (r.verdict === 'pass' || r.verdict === 'fail')) labels[r.split][r.verdict]++
  const test = view.matrices.find((m) => m.split === 'test')
  const split = test && test.tp + test.fn + test.tn + test.fp > 0 ? 'test' : 'dev'
  const disagreements = [
    ...cellItems(d, { versionId, split, human: 'fail', judge: 'pass', errors: view.errorPolicy }).slice(0, 5),
    ...cellItems(d, { versionId, split, human: 'pass', judge: 'fail', errors: view.errorPolicy }).slice(0, 5),
  ]
  const e = view.estimate
  return {
    name: view.judge.name,
    criterion: view.judge.criterion,
    version: v.version,
    createdAt: v.created_at,
    prompt: v.prompt,
    model: JSON.parse(v.model_json) as Record<string, unknown>,
    params: JSON.parse(v.params_json) as Record<string, unknown>,
    fewshotItems: (JSON.parse(v.fewshot_ids) as number[]).length,
    testEvaluations: v.test_evaluations,
    labels,
    matrices: view.matrices,
    targets,
    errorPolicy: view.errorPolicy,
    production: view.production,
    estimate: e,
    refusal: view.refusal,
    histogram: view.histogram,
    interpretation: interpret(view, test, targets),
    disagreements,
    alternatives: view.alternatives,
    command: e
      ? `echo '${JSON.stringify(e.estimateInput)}' | assay estimate --input - --method ${e.method}${e.iterations !== null ? ` --iterations ${e.iterations}` : ''} --seed ${e.seed} --confidence ${e.confidence}${errorsFlag(e)} --json`
      : null,
  }
}

/** `--errors POLICY` when the policy matters to the command: error verdicts exist, or the policy is not the default. */
function errorsFlag(e: NonNullable<CalibrationView['estimate']>): string {
  return e.errorPolicy !== 'exclude' || e.errors.pass + e.errors.fail + e.errors.unlabeled > 0
    ? ` --errors ${e.errorPolicy}`
    : ''
}

/** How the test items' error verdicts enter the sentence on TPR and TNR. */
function testItemsPhrase(test: Matrix): string {
  const n = test.tp + test.fn + test.tn + test.fp
  if (test.errors === 0) return `On ${n} held-out test items`
  const errors = `${test.errors} error verdict${test.errors === 1 ? '' : 's'} (${test.errorsPass} on human passes, ${test.errorsFail} on human failures)`
  return test.errorPolicy === 'exclude'
    ? `On the ${n} held-out test items the judge gave a verdict on (${errors} left out: error policy "exclude")`
    : `On ${n} held-out test items, ${errors} ${errorPolicyEffect(test.errorPolicy)} (error policy "${test.errorPolicy}")`
}

/** The numbers in plain words: how good the judge is, and what the success rate is. */
function interpret(
  view: CalibrationView,
  test: Matrix | undefined,
  targets: { target: number; minimum: number },
): string[] {
  const lines: string[] = []
  if (test && test.tpr.estimate !== null && test.tnr.estimate !== null) {
    const grade = (x: number) =>
      x >= targets.target
        ? 'meets the target'
        : x >= targets.minimum
          ? 'is above the minimum but below the target'
          : 'is below the minimum'
    lines.push(
      `${testItemsPhrase(test)}, the judge agreed with the human on ${pct(test.tpr.estimate)} of the passes (TPR, which ${grade(test.tpr.estimate)} of ${pct(targets.target)}) and on ${pct(test.tnr.estimate)} of the failures (TNR, which ${grade(test.tnr.estimate)}).`,
    )
  }
  const e = view.estimate
  if (e) {
    const name =
      e.method === 'judgy'
        ? "judgy's bootstrap"
        : e.method === 'lang-reiczigel'
          ? 'the Lang–Reiczigel interval'
          : `the ${e.method} interval`
    const n = view.production.errors
    const prodErrors =
      n === 0
        ? ''
        : view.errorPolicy === 'exclude'
          ? ` (${n} more got an error verdict, left out)`
          : ` (${n} of them error verdicts, ${errorPolicyEffect(view.errorPolicy)})`
    lines.push(
      `Of ${view.production.m} unlabeled items${prodErrors} the judge passed ${pct(e.pObs)}. Corrected for the judge's measured errors, the estimated true success rate is ${pct(e.theta)}, with a ${Math.round(e.confidence * 100)}% confidence interval from ${pct(e.lower)} to ${pct(e.upper)} (${name}).`,
    )
    if (e.upper - e.lower > 0.2)
      lines.push('The interval is wide: more labeled test items, especially of the rarer class, would narrow it.')
    if (e.clipped)
      lines.push(`The raw correction fell outside [0, 1] (${e.thetaUnclipped.toFixed(3)}) and was clipped.`)
  }
  // Without an estimate the reason is said once, under "Production estimate" (the refusal), not here too.
  return lines
}
