/**
 * Numeric judge scores (Langfuse NUMERIC scores, Braintrust's 0..1 scores, LangSmith feedback)
 * read as pass/fail against the threshold the user gives for the verdict column.
 */
import type { Mapping } from '../../../../shared/import'
import { toText } from '../fields'
import type { NormalVerdict } from '../types'
import { isContainer } from './values'

/**
 * A numeric score read against the verdict column's threshold (null when the column has none, or the cell is no
 * number: the value map reads it): at or above passes. The critique keeps the score and the line, since the
 * verdict alone loses them.
 */
export function scoreVerdict(
  v: Mapping['verdicts'][number],
  raw: unknown,
  critique: string,
): { verdict: NormalVerdict; critique: string } | null {
  if (v.threshold === undefined) return null
  const score = numericScore(raw)
  // A letter or word (Inspect's C/I beside numeric scorers, under `threshold=N` for every column) is the value map's.
  if (score === null) return null
  const verdict = score >= v.threshold ? 'pass' : 'fail'
  const line = `score ${score} ${verdict === 'pass' ? '≥' : '<'} threshold ${v.threshold}`
  return { verdict, critique: critique === '' ? line : `${line}. ${critique}` }
}

/** A cell as a finite number (a number, or text that is one); null otherwise. */
export function numericScore(raw: unknown): number | null {
  if (typeof raw === 'boolean' || isContainer(raw)) return null
  const text = toText(raw).trim()
  const n = typeof raw === 'number' ? raw : text === '' ? Number.NaN : Number(text)
  return Number.isFinite(n) ? n : null
}

/** Why a verdict cell is refused; a numeric score is told how to give its threshold. */
export function unknownVerdict(v: Mapping['verdicts'][number], raw: unknown): string {
  if (numericScore(raw) === null) return unknownValue('verdict', v.field, raw)
  return `verdict column "${v.field}": value ${toText(raw).trim()} is a numeric score, not pass/fail; give the threshold at or above which judge "${v.judge}" passes (CLI: --map "threshold:${v.judge}=0.5"; import wizard: the verdict's Threshold field), or unmap the column`
}

/** Why a label or verdict cell is refused: its value is in no list of the value map. */
export function unknownValue(what: 'label' | 'verdict', column: string, raw: unknown): string {
  const shown = toText(raw)
  return `${what} column "${column}": value "${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}" is not a known pass/fail/error value; add it to the value map or fix the cell`
}
