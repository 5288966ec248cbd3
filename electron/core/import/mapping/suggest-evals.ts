/**
 * The mapping of an eval tool's results (promptfoo, Inspect AI): their readers name every field
 * (eval-record.ts), so the mapping is known, not guessed: the id, the trace, and one verdict
 * column per assertion or scorer with its critique, judge and criterion as the reader found them.
 */
import { EMPTY_MAPPING, type Mapping } from '../../../../shared/import'
import { EVAL_FIELD, EVAL_VALUES, verdictNames } from '../readers/evals/eval-record'
import type { Detected } from '../types'

/** The mapping for a promptfoo or Inspect file, or null for any other format. */
export function suggestEvalMapping(detected: Detected): Mapping | null {
  if (detected.format !== 'promptfoo' && detected.format !== 'inspect') return null
  const m: Mapping = structuredClone(EMPTY_MAPPING)
  const { columns } = detected
  m.id = 'id'
  m.input = 'input'
  m.output = 'output'
  if (columns.includes('messages')) m.messages = 'messages'
  m.values = structuredClone(EVAL_VALUES)
  // The judge and criterion of a verdict are the same on every record that has it: read from the first that does.
  const first = (field: string): string => detected.firstValues?.[field] ?? ''
  const ignore: string[] = []
  for (const name of verdictNames(columns)) {
    const critique = EVAL_FIELD.critique + name
    m.verdicts.push({
      field: EVAL_FIELD.verdict + name,
      judge: first(EVAL_FIELD.judge + name) || name,
      criterion: first(EVAL_FIELD.criterion + name) || name,
      critique: columns.includes(critique) ? critique : null,
    })
    ignore.push(EVAL_FIELD.judge + name, EVAL_FIELD.criterion + name)
  }
  m.ignore = ignore
  return m
}
