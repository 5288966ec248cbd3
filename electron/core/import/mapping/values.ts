/**
 * Cell values read as verdicts, deferrals and splits: the vocabulary both applying a mapping and
 * suggesting one agree on, so that a suggested column is one the import can read.
 */
import type { SplitName, ValueMap } from '../../../../shared/import'
import { isPlainObject, toText } from '../fields'
import type { NormalVerdict } from '../types'

/** A cell as a lookup key: trimmed, lower-case, without the quotes a cell may have kept. */
export function verdictKey(value: unknown): string {
  let s = toText(value).trim()
  // A cell that kept its quotes (`"PASS"`) means the same as PASS.
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1).trim()
  return s.toLowerCase()
}

/**
 * A value map as a lookup from verdict key to verdict, built once per import rather than per cell.
 * A key listed under several verdicts takes the first of pass, fail, error.
 */
export function verdictTable(values: ValueMap): (key: string) => NormalVerdict | null {
  const table = new Map<string, NormalVerdict>()
  for (const verdict of ['pass', 'fail', 'error'] as const) {
    for (const v of values[verdict]) {
      const k = verdictKey(v)
      if (!table.has(k)) table.set(k, verdict)
    }
  }
  return (key) =>
    table.get(key) ?? (key !== '' && Number.isFinite(Number(key)) ? table.get(String(Number(key))) : undefined) ?? null
}

/**
 * A cell → pass / fail / error by the value map (trimmed, case-insensitive; booleans and numbers
 * by their text, so `true`, `1` and `1.0` all read as "1"/"true"). Null when the map lists the value
 * nowhere: the caller reports the row, never guesses.
 */
export function normalizeVerdict(value: unknown, values: ValueMap): NormalVerdict | null {
  if (Array.isArray(value) || isPlainObject(value)) return null
  return verdictTable(values)(verdictKey(value))
}

/** Cells by which a human defers an item (Assay's own export writes "defer"). */
export const DEFER = new Set(['defer', 'deferred'])

/**
 * Split names as files write them. A Map, not an object literal: a cell reading "constructor" or
 * "__proto__" must not find Object's members.
 */
export const SPLITS = new Map<string, SplitName>(
  Object.entries({
    train: 'train',
    training: 'train',
    dev: 'dev',
    val: 'dev',
    valid: 'dev',
    validation: 'dev',
    development: 'dev',
    test: 'test',
    testing: 'test',
    holdout: 'test',
  } as const),
)

/** A list or an object: never a verdict, a state name or a split. */
export const isContainer = (value: unknown): boolean => Array.isArray(value) || isPlainObject(value)
