/**
 * The flat record an eval-tool result (promptfoo, Inspect AI) is read as. Eval tools nest their
 * verdicts in per-assertion / per-scorer lists whose length varies from row to row; a mapping
 * names fixed fields. So the readers turn each verdict into four fixed fields named after it
 * (`verdict: NAME`, `critique: NAME`, plus the judge and criterion it belongs to, which
 * `suggestEvalMapping` reads to build the mapping and then leaves out of the metadata).
 */
import type { Mapping } from '../../../../../shared/import'

/** Prefixes of the fields each verdict becomes. */
export const EVAL_FIELD = {
  verdict: 'verdict: ',
  critique: 'critique: ',
  judge: 'judge: ',
  criterion: 'criterion: ',
} as const

/** A verdict as the reader found it: its value is a pass/fail word, a score letter or a number, as the file had it. */
export interface VerdictCell {
  judge: string
  criterion: string
  value: unknown
  critique: string
}

/** Builds one flat record: id, the trace, metadata, and verdict fields named so that they never collide. */
export class EvalRecord {
  readonly fields: Record<string, unknown> = {}

  constructor(id: string) {
    this.fields.id = id
  }

  /** The trace as text: the prompt (or the question) and the model's answer. */
  text(input: string, output: string): void {
    this.fields.input = input
    this.fields.output = output
  }

  /** A metadata field; empty strings and absent values are left out so the item stays readable. */
  meta(name: string, value: unknown): void {
    if (value === undefined || value === null || value === '') return
    this.fields[name] = value
  }

  /**
   * A verdict under `name`; a second one of the same name in the record (two `contains`
   * assertions) becomes `name #2`, so that neither hides the other.
   */
  verdict(name: string, cell: VerdictCell): void {
    let key = name
    let suffix = ''
    for (let n = 2; Object.hasOwn(this.fields, EVAL_FIELD.verdict + key); n++) {
      suffix = ` #${n}`
      key = name + suffix
    }
    this.fields[EVAL_FIELD.verdict + key] = cell.value
    if (cell.critique !== '') this.fields[EVAL_FIELD.critique + key] = cell.critique
    this.fields[EVAL_FIELD.judge + key] = cell.judge
    // A judge gives one verdict per item and criterion: the second assertion of a kind is a criterion of its own.
    this.fields[EVAL_FIELD.criterion + key] = cell.criterion + suffix
  }
}

/** The verdict names a record carries, in its order. */
export function verdictNames(columns: string[]): string[] {
  return columns.filter((c) => c.startsWith(EVAL_FIELD.verdict)).map((c) => c.slice(EVAL_FIELD.verdict.length))
}

/** Pass/fail words plus Inspect's score letters: `C` correct, `I` incorrect, `N` no answer (scored 0 by Inspect). */
export const EVAL_VALUES: Mapping['values'] = {
  pass: ['pass', 'c', 'true'],
  fail: ['fail', 'i', 'n', 'false'],
  // Inspect's `P` (partial credit) is neither a pass nor a fail: an "error" (no decision) verdict, counted as such.
  error: ['error', 'p'],
}
