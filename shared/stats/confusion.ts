/**
 * Confusion counts from paired verdicts. Convention as in judgy (statistics.md §2.2): 1 = Pass =
 * positive, the human label is the truth, so TPR = P(judge Pass | human Pass) and
 * TNR = P(judge Fail | human Fail).
 */
import { StatsError } from './errors'

/** The 2×2 matrix of a binary judge against human labels (rows human, columns judge). */
export interface ConfusionCounts {
  tp: number
  fn: number
  tn: number
  fp: number
}

/** Test-set confusion counts plus the judge's verdicts on the unlabeled set: k of m judged Pass. */
export interface CalibrationCounts extends ConfusionCounts {
  k: number
  m: number
}

/** A verdict as it arrives from judgy-style arrays: 1/0 or true/false, nothing else. */
export type BinaryValue = number | boolean

function toBit(value: BinaryValue, name: string, index: number): 0 | 1 {
  if (value === 1 || value === true) return 1
  if (value === 0 || value === false) return 0
  throw new StatsError(
    'non_binary',
    `${name} must contain only 0 and 1 values (1 = Pass, 0 = Fail); ${name}[${index}] is ${JSON.stringify(value)}`,
  )
}

/** Counts TP/FN/TN/FP from equally long human and judge arrays; values must be exactly 0/1 or booleans. */
export function confusionFromVerdicts(
  human: ArrayLike<BinaryValue>,
  judge: ArrayLike<BinaryValue>,
  names: { human: string; judge: string } = { human: 'test_labels', judge: 'test_preds' },
): ConfusionCounts {
  if (human.length !== judge.length) {
    throw new StatsError(
      'length_mismatch',
      `${names.human} and ${names.judge} must have the same length. Got ${human.length} and ${judge.length}`,
    )
  }
  const c: ConfusionCounts = { tp: 0, fn: 0, tn: 0, fp: 0 }
  for (let i = 0; i < human.length; i++) {
    const h = toBit(human[i], names.human, i)
    const j = toBit(judge[i], names.judge, i)
    if (h === 1) {
      if (j === 1) c.tp++
      else c.fn++
    } else if (j === 0) c.tn++
    else c.fp++
  }
  return c
}

/** Number of Pass verdicts k among m verdicts. */
export function countPasses(verdicts: ArrayLike<BinaryValue>, name = 'unlabeled_preds'): { k: number; m: number } {
  let k = 0
  for (let i = 0; i < verdicts.length; i++) k += toBit(verdicts[i], name, i)
  return { k, m: verdicts.length }
}

/**
 * judgy's three arrays → counts, checking in judgy's order (statistics.md §2.3): lengths, empty
 * test set, empty unlabeled set, then non-binary values. Unlike judgy, 0.9 is rejected rather
 * than truncated to 0.
 */
export function countsFromArrays(
  testLabels: ArrayLike<BinaryValue>,
  testPreds: ArrayLike<BinaryValue>,
  unlabeledPreds: ArrayLike<BinaryValue>,
): CalibrationCounts {
  if (testLabels.length !== testPreds.length) {
    throw new StatsError(
      'length_mismatch',
      `test_labels and test_preds must have the same length. Got ${testLabels.length} and ${testPreds.length}`,
    )
  }
  if (testLabels.length === 0)
    throw new StatsError('empty_test', 'test_labels cannot be empty: label some test items first')
  if (unlabeledPreds.length === 0) {
    throw new StatsError('empty_unlabeled', 'unlabeled_preds cannot be empty: run the judge on production items first')
  }
  return { ...confusionFromVerdicts(testLabels, testPreds), ...countPasses(unlabeledPreds) }
}
