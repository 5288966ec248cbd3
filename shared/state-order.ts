/**
 * The order of a system's states (pipeline steps, or an agent's named states such as tool calls),
 * for the transition failure matrix (methodology §6.2). The user may give it; otherwise it is
 * inferred from what the data says about which state comes before which: each pipeline's steps in
 * order, and each failing trace's last successful state before its first failing one.
 */
import type { OrderSource } from './domain'

/**
 * States seen in this order, `weight` times (a pipeline's step names; a last success and the first failure after it).
 */
export interface OrderEvidence {
  states: readonly string[]
  weight: number
}

export interface StateOrder {
  order: string[]
  /**
   * `user`: given at import; `steps`: every state is a pipeline step, in the steps' order; `inferred`: worked out from
   * the data.
   */
  source: OrderSource
  /**
   * Neighbouring states whose order nothing in the data fixes (the first seen is put first): give the order to settle
   * them.
   */
  unfixed: [string, string][]
}

/**
 * A total order of the states: the user's, with any state it leaves out placed after it (in the
 * inferred order); otherwise a topological order of the "comes before" evidence. Ties (states the
 * data does not order) go to the state seen first and are listed in `unfixed`; a cycle (the data
 * contradicts itself, e.g. a loop in an agent) is broken at the state with the least evidence
 * against going next. Deterministic for the same evidence in the same order.
 */
export function stateOrder(
  evidence: readonly OrderEvidence[],
  user: readonly string[] | null,
  fromSteps: boolean,
): StateOrder {
  const inferred = inferOrder(evidence)
  if (user && user.length > 0) {
    const given = [...new Set(user)]
    return { order: [...given, ...inferred.order.filter((s) => !given.includes(s))], source: 'user', unfixed: [] }
  }
  return { order: inferred.order, source: fromSteps ? 'steps' : 'inferred', unfixed: inferred.unfixed }
}

function inferOrder(evidence: readonly OrderEvidence[]): { order: string[]; unfixed: [string, string][] } {
  const seen: string[] = []
  // before.get(b).get(a) = how often a was seen right before b.
  const before = new Map<string, Map<string, number>>()
  // The same sequence many times over (every trace of a pipeline) is read once, with its weight.
  const distinct = new Map<string, OrderEvidence>()
  for (const e of evidence) {
    const key = e.states.join('\u0000')
    const seenBefore = distinct.get(key)
    distinct.set(key, { states: e.states, weight: (seenBefore?.weight ?? 0) + e.weight })
  }
  for (const e of distinct.values()) {
    e.states.forEach((s, i) => {
      let preceding = before.get(s)
      if (preceding === undefined) {
        seen.push(s)
        preceding = new Map()
        before.set(s, preceding)
      }
      const prev = i > 0 ? e.states[i - 1] : null
      if (prev !== null && prev !== s) preceding.set(prev, (preceding.get(prev) ?? 0) + e.weight)
    })
  }
  const placed = new Set<string>()
  const order: string[] = []
  const unfixed: [string, string][] = []
  // Every seen state has its map; a state without one has nothing against it.
  const against = (s: string) => [...(before.get(s) ?? [])].reduce((n, [p, w]) => (placed.has(p) ? n : n + w), 0)
  while (order.length < seen.length) {
    const open = seen.filter((s) => !placed.has(s))
    const ready = open.filter((s) => against(s) === 0)
    let next: string
    if (ready.length > 0) {
      next = ready[0]
      for (const other of ready.slice(1)) unfixed.push([next, other])
    } else {
      next = open.reduce((best, s) => (against(s) < against(best) ? s : best))
    }
    placed.add(next)
    order.push(next)
  }
  return { order, unfixed }
}
