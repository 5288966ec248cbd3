/**
 * A row of the file about an item the project has already: is it the same trace? The file's
 * labels and verdicts are about the text it holds, so they may join the stored item only when the
 * texts agree — up to line endings and trailing blanks, or when the file holds a cut copy (a
 * predictions export that shortens responses to 200 characters and "..."). What the item lacks,
 * the file may fill in; a text that really differs refuses the row.
 */
import type { MappedItem } from './types'

/** The stored trace of a joined item, as the comparison needs it. */
export interface StoredTrace {
  input: string
  output: string
  /** JSON text of the messages (`[]` when none). */
  messages: string
  /** JSON text of the steps' names, inputs and outputs (`[]` when none). */
  steps: string
}

export type TraceMatch =
  | { kind: 'same' }
  /** The stored item lacks parts the file has: those parts (as stored text). */
  | { kind: 'fill'; parts: Partial<StoredTrace> }
  /**
   * The file's text is a shortened copy of the stored one (its first field that is); parts the item
   * lacks, to fill in.
   */
  | { kind: 'cut'; field: keyof StoredTrace; parts: Partial<StoredTrace> }
  /** A different trace: the first field that differs, both values. */
  | { kind: 'differs'; field: keyof StoredTrace; stored: string; incoming: string }

/** The comparable texts of a mapped row (the same JSON shapes the import stores). */
export function traceOf(item: MappedItem): StoredTrace {
  return {
    input: item.input,
    output: item.output,
    messages: item.messages.length === 0 ? '[]' : JSON.stringify(item.messages),
    steps: item.steps.length === 0 ? '[]' : stepsText(item.steps),
  }
}

/** Steps as compared: names, inputs and outputs in order (their metadata may be re-derived differently). */
export const stepsText = (steps: { name: string; input: string; output: string }[]): string =>
  JSON.stringify(steps.map((s) => [s.name, s.input, s.output]))

const EMPTY: Record<keyof StoredTrace, string> = { input: '', output: '', messages: '[]', steps: '[]' }

/** Line endings and trailing blanks do not make another trace (a file re-saved by a spreadsheet). */
const normal = (text: string): string => text.replace(/\r\n?/g, '\n').trimEnd()

/** The file's text ends in "..." or "…" and the rest begins the stored text. */
function isCut(stored: string, incoming: string): boolean {
  const head = incoming.replace(/(\.\.\.|…)$/, '')
  return head !== incoming && head.length > 0 && head.length < stored.length && stored.startsWith(head)
}

export function compareTrace(stored: StoredTrace, incoming: StoredTrace): TraceMatch {
  const parts: Partial<StoredTrace> = {}
  let cut: keyof StoredTrace | null = null
  for (const field of ['input', 'output', 'messages', 'steps'] as const) {
    const a = normal(stored[field])
    const b = normal(incoming[field])
    if (a === b || b === EMPTY[field] || b === '') continue
    if (a === EMPTY[field] || a === '') parts[field] = incoming[field]
    else if ((field === 'input' || field === 'output') && isCut(a, b)) cut ??= field
    else return { kind: 'differs', field, stored: stored[field], incoming: incoming[field] }
  }
  if (cut) return { kind: 'cut', field: cut, parts }
  return Object.keys(parts).length > 0 ? { kind: 'fill', parts } : { kind: 'same' }
}

/** A value in a message: its start, on one line. */
export const glimpse = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat
}
