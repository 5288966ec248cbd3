// Labeling-session constants, kept free of zod so the renderer can use them without bundling it
// (the type import below is erased).
import type { LabelVerdict } from './domain'

/** The orders a session can take its items in (methodology §2.6, requirement 15). */
export const SESSION_ORDERS = [
  { id: 'random', title: 'Seeded random', hint: 'A fair sample; the default of the method.' },
  {
    id: 'unlabeled',
    title: 'Unlabeled by anyone first',
    hint: "Items no annotator has labeled (anyone's label counts), then deferred ones, each in seeded random order.",
  },
  {
    id: 'unlabeled-mine',
    title: 'Unlabeled by me first',
    hint: "Items you have not labeled pass or fail, then the ones you deferred, each in seeded random order. Other annotators' labels do not count: you label their items too (for agreement, κ).",
  },
  {
    id: 'stratified-metadata',
    title: 'Stratified by a metadata field',
    hint: 'Takes the values of the field in turn, so every value is seen early.',
  },
  { id: 'stratified-judge', title: 'Stratified by judge verdict', hint: 'Judge passes, fails and errors in turn.' },
  {
    id: 'disagreements',
    title: 'Judge/human disagreements first',
    hint: 'Items where the judge and the current label (the newest of any annotator) differ.',
  },
  { id: 'stale', title: 'Needs re-review first', hint: 'Labels made under an older definition of the criterion.' },
  { id: 'longest', title: 'Outliers: longest traces', hint: 'The longest traces first.' },
  { id: 'tool-calls', title: 'Outliers: most tool calls', hint: 'Traces with the most tool calls first.' },
  {
    id: 'adjudicate',
    title: 'Annotator disagreements (adjudicate)',
    hint: "Items whose annotators' current labels differ, shown with each one's verdict and note; your label becomes the current one.",
  },
  {
    id: 'relabel',
    title: 'Self-consistency re-label (10%)',
    hint: 'A blind second look at a random 10% of the items you labeled; agreement with yourself is reported as κ.',
  },
  {
    id: 'audit',
    title: 'Production audit (label next)',
    hint: "The production items an audit drew by the judge's verdict, spread so each label narrows the interval most; started from Calibrate → Audit production.",
  },
] as const

/** Orders a session can be started with from its setup ('audit' starts from Calibrate, with its draw). */
export const PICKABLE_ORDERS = SESSION_ORDERS.filter((o) => o.id !== 'audit')

export type SessionOrder = (typeof SESSION_ORDERS)[number]['id']
export const SESSION_ORDER_IDS: readonly SessionOrder[] = SESSION_ORDERS.map((o) => o.id)
export const DEFAULT_SESSION_SIZE = 100

/** The saturation meter's window (methodology §2.5): new failure modes in the last this-many reviewed traces. */
export const SATURATION_WINDOW = 20
/** Roughly how many traces the method reviews before it expects saturation. */
export const SATURATION_REVIEWED = 100

/** Where a session stands: each item counted once; a deferred item is not labeled (it still needs a verdict). */
export interface SessionCounts {
  pass: number
  fail: number
  defer: number
  /** Items with no label of this annotator yet. */
  open: number
  /** pass + fail: the items that have a verdict. */
  labeled: number
}

/** A session item as far as its counts go: its current label, if any. */
type SessionEntry = { label: { verdict: LabelVerdict } | null }

/** Counts a session's items by their current label (the bar, the summary and Resume all say these). */
export function sessionCounts(items: readonly SessionEntry[]): SessionCounts {
  const c = { pass: 0, fail: 0, defer: 0, open: 0, labeled: 0 }
  for (const i of items) c[i.label?.verdict ?? 'open']++
  c.labeled = c.pass + c.fail
  return c
}

/** The Resume button's words: "62 of 100 labeled, 4 deferred". */
export function resumeProgress(items: readonly SessionEntry[]): string {
  const c = sessionCounts(items)
  return `${c.labeled} of ${items.length} labeled${c.defer > 0 ? `, ${c.defer} deferred` : ''}`
}
