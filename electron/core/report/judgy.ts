import { AppError } from '../../../shared/errors'
import { NO_ERRORS, type ErrorCounts, type ErrorPolicy } from '../../../shared/stats'
import type { EvaluationContext } from '../context'
import { judgeByName, revealTest } from '../judge/context'
import { assignSplits } from '../judge/splits'

/** judgy's three arrays, 1 = Pass. */
export interface JudgyArrays {
  test_labels: number[]
  test_preds: number[]
  unlabeled_preds: number[]
}

/**
 * judgy's three arrays for a judge's newest version (1 = Pass): the test split's human labels
 * and the judge's verdicts on the same items, and its verdicts on items without a human label —
 * so `judgy.estimate_success_rate(test_labels, test_preds, unlabeled_preds)` reproduces the
 * Calibrate screen's estimate under the same error policy. judgy's arrays hold 0 and 1 only, so an
 * error verdict is left out (`exclude`, the default, as the screen does by default), written as
 * 0 (`fail`, the course's convention) or as 1 (`pass`); `errors` counts them by human class.
 * Exporting test pairs shows test results: it is recorded like viewing them.
 */
export function judgyArrays(
  d: EvaluationContext,
  judgeName: string,
  policy: ErrorPolicy = 'exclude',
): { arrays: JudgyArrays; errors: ErrorCounts } {
  const judge = judgeByName(d, judgeName)
  const version = d.repos.judges.versions(judge.id).at(-1)
  if (!version) throw new AppError('not_found', `Judge "${judgeName}" has no version yet.`)
  const labeled = new Map(assignSplits(d, judge.criterionId).map((r) => [r.itemId, r]))
  const arrays: JudgyArrays = { test_labels: [], test_preds: [], unlabeled_preds: [] }
  const errors = { ...NO_ERRORS }
  const verdicts = d.repos.judges.latestVerdicts(version.id).sort((a, b) => a.itemId - b.itemId)
  for (const v of verdicts) {
    const l = labeled.get(v.itemId)
    // A labeled item without a split (an audit's draw) is production, as on the Calibrate screen.
    const human = l && (l.verdict === 'pass' || l.verdict === 'fail') && l.split !== null ? l.verdict : null
    if (human !== null && l?.split !== 'test') continue
    if (v.verdict === 'error') errors[human === null ? 'unlabeled' : human]++
    const bit =
      v.verdict === 'error' ? (policy === 'exclude' ? null : policy === 'pass' ? 1 : 0) : v.verdict === 'pass' ? 1 : 0
    if (bit === null) continue
    if (human === null) arrays.unlabeled_preds.push(bit)
    else {
      arrays.test_labels.push(human === 'pass' ? 1 : 0)
      arrays.test_preds.push(bit)
    }
  }
  if (arrays.test_labels.length > 0 || errors.pass + errors.fail > 0) revealTest(d, version.id)
  return { arrays, errors }
}

/**
 * What became of a judge's error verdicts in judgy's 0/1 arrays, for the user: the CLI prints it
 * on standard error and the app shows it beside the saved file; '' when there were none.
 */
export function judgyErrorsMessage(errors: ErrorCounts, policy: ErrorPolicy, how: 'cli' | 'app' = 'cli'): string {
  const { pass, fail, unlabeled } = errors
  const total = pass + fail + unlabeled
  if (total === 0) return ''
  const where = `${pass} on human-Pass test items, ${fail} on human-Fail test items, ${unlabeled} in production`
  if (policy !== 'exclude') return `Wrote ${total} error verdicts as ${policy === 'fail' ? 0 : 1} (${where}).`
  const other =
    how === 'cli'
      ? "--errors fail writes them as 0 (the course's convention), --errors pass as 1."
      : 'Choose "count as Fail" to write them as 0 (the course\'s convention), or "count as Pass" to write them as 1.'
  return `Left out ${total} error verdicts (${where}): judgy takes 0/1 only. ${other}`
}
