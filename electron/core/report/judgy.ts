import { AppError } from '../../../shared/errors'
import { judgeByName, type JudgeDeps } from '../judge/context'
import { assignSplits } from '../judge/splits'

/**
 * judgy's three arrays for a judge's newest version (1 = Pass): the test split's human labels
 * and the judge's verdicts on the same items, and its verdicts on items without a human label —
 * so `judgy.estimate_success_rate(test_labels, test_preds, unlabeled_preds)` reproduces the
 * estimate in Python. Error verdicts are left out, as the Calibrate screen leaves them out.
 * Exporting test pairs shows test results: it is recorded like viewing them.
 */
export function judgyArrays(d: JudgeDeps, judgeName: string): { test_labels: number[]; test_preds: number[]; unlabeled_preds: number[] } {
  const judge = judgeByName(d, judgeName)
  const version = d.repos.judges.versions(judge.id).at(-1)
  if (!version) throw new AppError('not_found', `Judge "${judgeName}" has no version yet.`)
  const labeled = new Map(assignSplits(d, judge.criterionId).map((r) => [r.itemId, r]))
  const out = { test_labels: [] as number[], test_preds: [] as number[], unlabeled_preds: [] as number[] }
  const verdicts = d.repos.judges.latestVerdicts(version.id).sort((a, b) => a.itemId - b.itemId)
  for (const v of verdicts) {
    if (v.verdict === 'error') continue
    const l = labeled.get(v.itemId)
    const human = l && (l.verdict === 'pass' || l.verdict === 'fail') ? l.verdict : null
    if (human === null) out.unlabeled_preds.push(v.verdict === 'pass' ? 1 : 0)
    else if (l!.split === 'test') {
      out.test_labels.push(human === 'pass' ? 1 : 0)
      out.test_preds.push(v.verdict === 'pass' ? 1 : 0)
    }
  }
  if (out.test_labels.length > 0 && !d.db.readonly) d.repos.judges.markTestViewed(version.id, d.clock().toISOString())
  return out
}
