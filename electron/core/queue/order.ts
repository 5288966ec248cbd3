import type { SessionOrder } from '../../../shared/session'

/** What ordering a session needs to know about one candidate item. */
export interface Candidate {
  id: number
  /** The current human label on the session's criterion (any annotator). */
  label: 'pass' | 'fail' | 'defer' | null
  /** The newest judge verdict on the session's criterion. */
  judge: 'pass' | 'fail' | 'error' | null
  /** The current label was made under an older version of the criterion's definition. */
  stale: boolean
  /**
   * This annotator's own current label (the self-consistency re-label draws from the pass/fail ones;
   * "unlabeled by me" orders by it).
   */
  mine: 'pass' | 'fail' | 'defer' | null
  /** Annotators' current pass/fail labels on this item differ (the adjudication order draws from these). */
  conflict: boolean
  /** The metadata value a stratified order groups by (as text), when it asks for one. */
  stratum: string | null
  length: number
  toolCalls: number
}

/**
 * A seeded 32-bit hash of (seed, id): the random part of every order. Hash-based rather than a
 * shuffle, so an item keeps its place relative to the others when candidates come and go.
 */
export function rank(seed: number, id: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(id, 0xc2b2ae35)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * The items of a session, in order, at most `size` of them (methodology §2.6; requirement 15:
 * every order keeps a random component — ties and groups are broken by the seeded hash).
 */
export function orderSession(
  candidates: readonly Candidate[],
  order: SessionOrder,
  seed: number,
  size: number,
): number[] {
  const random = (a: Candidate, b: Candidate) => rank(seed, a.id) - rank(seed, b.id)
  const first = (pick: (c: Candidate) => boolean) => (a: Candidate, b: Candidate) =>
    Number(pick(b)) - Number(pick(a)) || random(a, b)
  const pool =
    order === 'relabel'
      ? candidates.filter((c) => c.mine === 'pass' || c.mine === 'fail')
      : order === 'adjudicate'
        ? candidates.filter((c) => c.conflict)
        : [...candidates]
  let sorted: Candidate[]
  switch (order) {
    case 'random':
    case 'audit': // its draw's order is kept by createSession; a random order otherwise
    case 'relabel':
    case 'adjudicate':
      sorted = pool.sort(random)
      break
    case 'unlabeled':
      // Unlabeled, then deferred, then the rest: a session resumes the work that is left.
      sorted = pool.sort((a, b) => weight(a.label) - weight(b.label) || random(a, b))
      break
    case 'unlabeled-mine':
      // The same, by this annotator's own labels: another annotator's label does not count.
      sorted = pool.sort((a, b) => weight(a.mine) - weight(b.mine) || random(a, b))
      break
    case 'disagreements':
      sorted = pool.sort(
        first(
          (c) =>
            (c.label === 'pass' || c.label === 'fail') &&
            (c.judge === 'pass' || c.judge === 'fail') &&
            c.label !== c.judge,
        ),
      )
      break
    case 'stale':
      sorted = pool.sort(first((c) => c.stale))
      break
    case 'longest':
      sorted = pool.sort((a, b) => b.length - a.length || random(a, b))
      break
    case 'tool-calls':
      sorted = pool.sort((a, b) => b.toolCalls - a.toolCalls || random(a, b))
      break
    case 'stratified-metadata':
      sorted = interleave(pool, (c) => c.stratum ?? '(none)', seed, random)
      break
    case 'stratified-judge':
      sorted = interleave(pool, (c) => c.judge ?? '(no verdict)', seed, random)
      break
  }
  const ids = sorted.map((c) => c.id)
  // Self-consistency: a random 10% of the items this annotator has labeled (at least one).
  const limit = order === 'relabel' ? Math.min(size, Math.max(1, Math.round(ids.length / 10))) : size
  return ids.slice(0, limit)
}

/** Where a label puts an item in an "unlabeled first" order: none, deferred, then pass or fail. */
const weight = (label: Candidate['label']): number => (label === null ? 0 : label === 'defer' ? 1 : 2)

/** Round-robin over the strata (each in seeded random order), so every value is seen early. */
function interleave(
  pool: Candidate[],
  key: (c: Candidate) => string,
  seed: number,
  random: (a: Candidate, b: Candidate) => number,
): Candidate[] {
  const strata = new Map<string, Candidate[]>()
  for (const c of pool) {
    const k = key(c)
    const list = strata.get(k)
    if (list) list.push(c)
    else strata.set(k, [c])
  }
  const lists = [...strata.entries()]
    .sort((a, b) => rank(seed, hashText(a[0])) - rank(seed, hashText(b[0])))
    .map(([, list]) => list.sort(random))
  const out: Candidate[] = []
  for (let i = 0; out.length < pool.length; i++) for (const list of lists) if (i < list.length) out.push(list[i])
  return out
}

function hashText(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}
