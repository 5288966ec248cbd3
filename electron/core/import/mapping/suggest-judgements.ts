/**
 * The judgement columns of a suggested mapping: human labels (a pass/fail column, 0/1 failure
 * modes), judge verdicts with their critiques, notes and the split.
 */
import type { Mapping } from '../../../../shared/import'
import { EXPLANATION, FAILURE_NAME, JUDGE_NAME, LABEL_NAMES, NOTE_NAMES, SPLIT_NAMES } from './names'
import { normalizeVerdict, SPLITS, verdictKey } from './values'

type Filled = (col: string) => unknown[]
const lower = (c: string) => c.toLowerCase()

/** Labels (human and 0/1 failure modes), judge verdicts, critiques, notes and the split. */
export function suggestJudgements(m: Mapping, columns: string[], filled: Filled): void {
  const { judgeCols, labelCols, failureCols } = judgementColumns(m, columns, filled)
  const critiques = new Critiques(columns, filled)
  const labelCol = labelCols.at(0) ?? null
  const labelPair = labelCol ? critiques.pairOf(labelCol) : null
  const judgePairs = judgeCols.map((c) => critiques.pairOf(c))
  m.verdicts = judgeCols.map((c, i) => ({
    field: c,
    judge: c,
    criterion: 'Overall',
    critique: judgePairs[i] ?? critiques.nearest(c),
  }))

  const notes = columns
    .filter((c) => NOTE_NAMES.includes(lower(c)) || /(^|_)notes?$/i.test(c))
    .map((c) => ({ c, n: filled(c).filter((v) => typeof v === 'string').length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)
  const noteCol = notes.at(0)?.c ?? null

  if (labelCol) {
    m.labels.push({
      field: labelCol,
      criterion: 'Overall',
      note: noteCol ?? labelPair ?? critiques.nearest(labelCol),
      annotator: 'imported',
    })
  } else if (noteCol) {
    // Open-coding notes with no verdict column: kept as deferred labels that carry the note.
    m.labels.push({ field: null, criterion: 'Overall', note: noteCol, annotator: 'imported' })
  }
  for (const c of failureCols) {
    // 1 = this failure mode is present, i.e. the trace fails this criterion.
    m.labels.push({ field: c, criterion: humanize(c), note: null, annotator: 'imported', invert: true })
  }

  const splitCol = columns.find(
    (c) => SPLIT_NAMES.includes(lower(c)) && filled(c).length > 0 && filled(c).every((v) => SPLITS.has(verdictKey(v))),
  )
  if (splitCol) m.splits = [{ field: splitCol, criterion: m.labels.at(0)?.criterion ?? 'Overall' }]
}

/** Judge verdict columns, human label columns (best first) and 0/1 failure-mode columns. */
function judgementColumns(
  m: Mapping,
  columns: string[],
  filled: Filled,
): { judgeCols: string[]; labelCols: string[]; failureCols: string[] } {
  const verdictValues = (col: string, needPassFail: boolean) => {
    const vs = filled(col)
    if (vs.length === 0) return false
    const normal = vs.map((v) => normalizeVerdict(v, m.values))
    // A column named like a verdict keeps its suggestion when a few cells hold odd values
    // ("MAYBE"): the import then reports those rows instead of silently keeping them as metadata.
    const known = normal.filter((v) => v !== null).length
    return known >= 0.5 * normal.length && (!needPassFail || normal.some((v) => v !== null && v !== 'error'))
  }
  // A judge's 0/1 column named like a failure ("llm_hallucination") has the opposite polarity and
  // verdicts cannot be inverted: it is left for the user rather than imported backwards.
  const judgeCols = columns.filter(
    (c) =>
      JUDGE_NAME.test(c) &&
      !EXPLANATION.test(c) &&
      verdictValues(c, false) &&
      !(FAILURE_NAME.test(c) && isBinaryOnly(filled(c))),
  )
  const labelRank = (c: string) => {
    const i = LABEL_NAMES.indexOf(lower(c))
    return i >= 0 ? i : /(_label|_verdict)$/i.test(c) ? LABEL_NAMES.indexOf('ground_truth_label') + 0.5 : -1
  }
  const labelCols = columns
    .filter((c) => !judgeCols.includes(c) && labelRank(c) >= 0 && verdictValues(c, true))
    .sort((a, b) => labelRank(a) - labelRank(b))
  const failureCols = columns.filter(
    (c) => !judgeCols.includes(c) && !labelCols.includes(c) && FAILURE_NAME.test(c) && isBinaryOnly(filled(c)),
  )
  return { judgeCols, labelCols, failureCols }
}

/** Explanation columns handed out as critiques and notes, each at most once. */
class Critiques {
  private readonly explanations: string[]
  private readonly paired = new Set<string>()

  constructor(
    private readonly columns: string[],
    filled: Filled,
  ) {
    this.explanations = columns.filter((c) => EXPLANATION.test(c) && filled(c).length > 0)
  }

  /** The free explanation column named like `col` (`judge_verdict` → `judge_reasoning`), if any. */
  pairOf(col: string): string | null {
    const s = stem(col)
    const e = s === '' ? undefined : this.explanations.find((x) => !this.paired.has(x) && stem(x) === s)
    if (e) this.paired.add(e)
    return e ?? null
  }

  /** The free explanation column nearest after `col`, else nearest before it. */
  nearest(col: string): string | null {
    const { columns } = this
    const i = columns.indexOf(col)
    const free = this.explanations.filter((x) => !this.paired.has(x))
    const after = free.filter((x) => columns.indexOf(x) > i).sort((a, b) => columns.indexOf(a) - columns.indexOf(b))
    const before = free.filter((x) => columns.indexOf(x) < i).sort((a, b) => columns.indexOf(b) - columns.indexOf(a))
    const e = after.at(0) ?? before.at(0)
    if (e) this.paired.add(e)
    return e ?? null
  }
}

/** A column's name without its verdict or explanation suffix, to pair a verdict with its reasoning. */
const stem = (c: string) =>
  lower(c)
    .replace(
      /[_.\s-]?(label|verdict|prediction|pred|reasoning|reason|explanation|critique|rationale|justification)$/,
      '',
    )
    .replace(/[_.\s-]+$/, '')

/** Values that are all 0/1 (or true/false): a flag column rather than a pass/fail word. */
function isBinaryOnly(values: unknown[]): boolean {
  if (values.length === 0) return false
  return values.every((v) => {
    const k = verdictKey(v)
    return ['0', '1', 'true', 'false'].includes(k) || (Number.isFinite(Number(k)) && [0, 1].includes(Number(k)))
  })
}

/**
 * A column's name as a criterion: `Failure_Mode_Time_Effort_Mismatch` → `Time effort mismatch`;
 * `MissingResponseContent` → `Missing response content`.
 */
export function humanize(column: string): string {
  const words = column
    .slice(column.lastIndexOf('.') + 1)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s-]+/)
    .filter(Boolean)
  if (words.length > 2 && /^failure$/i.test(words[0]) && /^modes?$/i.test(words[1])) words.splice(0, 2)
  const text = words.map((w) => (/^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1) || column
}
