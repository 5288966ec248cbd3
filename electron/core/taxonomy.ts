import type { NoteView, Taxonomy } from '../../shared/domain'
import { placeLabeled } from './judge/splits'
import { AppError } from '../../shared/errors'
import { wilsonInterval } from '../../shared/stats/rates'
import { stamp, type LabelingContext, type Stamp } from './context'
import type { Repos } from './db/repos'
import { stateOrder, type OrderEvidence } from '../../shared/state-order'

/**
 * Axial coding (methodology §2.3–§2.5, §6.2): failure modes are criteria of kind failure_mode; a
 * trace has a mode when its current label on that mode is a fail. Assigning a note to a mode
 * labels the note's trace; merges, splits, renames and deletes are recorded in the events table
 * and never delete a label.
 */
export function listNotes(d: Pick<LabelingContext, 'repos'>): NoteView[] {
  const present = modesByItem(d)
  return d.repos.taxonomy
    .notes()
    .map((n) => ({ ...n, metadata: flatMetadata(n.metadata), modes: present.get(n.itemId) ?? [] }))
}

export function countTaxonomy(d: Pick<LabelingContext, 'repos'>, pivotKey: string | null): Taxonomy {
  const t = d.repos.taxonomy
  const reviewed = new Set(t.reviewed())
  const failing = new Map<number, Set<number>>()
  for (const f of t.failing()) entry(failing, f.modeId, () => new Set<number>()).add(f.itemId)
  // Most frequent first (the Pareto order); every table below follows it.
  const modes = t
    .modes()
    .map((m) => ({ ...m, items: failing.get(m.id) ?? new Set<number>() }))
    .sort((a, b) => b.count - a.count || a.id - b.id)
  const pivotIds = [...new Set([...reviewed, ...modes.flatMap((m) => [...m.items])])]
  const values = pivotKey ? new Map(t.metadata(pivotKey, pivotIds).map((r) => [r.id, r.value ?? '(none)'])) : null
  const pivot =
    pivotKey && values
      ? {
          key: pivotKey,
          values: [...new Set(pivotIds.map((id) => values.get(id) ?? '(none)'))].sort().map((value) => {
            const ids = pivotIds.filter((id) => (values.get(id) ?? '(none)') === value)
            const cells = modes.map((m) => ids.filter((id) => m.items.has(id)))
            return {
              value,
              reviewed: ids.filter((id) => reviewed.has(id)).length,
              counts: cells.map((c) => c.length),
              itemIds: cells,
            }
          }),
        }
      : null
  const examples = t.examples()
  return {
    reviewed: reviewed.size,
    reviewedIds: [...reviewed],
    modes: modes.map((m) => {
      const { estimate, lower, upper } = wilsonInterval(m.count, Math.max(reviewed.size, m.count))
      const pinned = examples
        .filter((e) => e.modeId === m.id)
        .map(({ kind, itemId, externalId }) => ({ kind, itemId, externalId }))
      return {
        id: m.id,
        name: m.name,
        definition: m.definition,
        version: m.version,
        count: m.count,
        rate: { estimate, lower, upper },
        itemIds: [...m.items],
        examples: pinned,
      }
    }),
    cooccurrence: modes.map((a) => modes.map((b) => [...a.items].filter((id) => b.items.has(id)).length)),
    pivot,
    transitions: transitionsOf(d.repos),
    saturation: d.repos.criteria.saturation(),
  }
}

/**
 * The transition failure matrix (methodology §6.2): for each failing trace, the last state that
 * succeeded (or "(start)") × the first that failed — a pipeline's steps (its first failing step
 * marked while labeling or imported), or an agent's states named in its label (imported) — with
 * per-state counts in the state order (the user's, or inferred: see `stateOrder`); and per
 * pipeline step, of the reviewed traces that reached it, how many passed it.
 */
export function transitionsOf(repos: Pick<Repos, 'taxonomy'>): Taxonomy['transitions'] {
  type Cell = Taxonomy['transitions']['cells'][number]
  const cells = new Map<string, Cell>()
  const steps = new Map<string, { reached: number; passed: number }>()
  const stepStat = (name: string) => entry(steps, name, () => ({ reached: 0, passed: 0 }))
  const evidence: OrderEvidence[] = []
  let unmarked = 0
  let onlySteps = true
  const addCell = (last: string | null, first: string, itemId: number) => {
    const lastSuccess = last ?? START
    const key = `${lastSuccess}\u0000${first}`
    const cell = entry(cells, key, () => ({ lastSuccess, firstFailure: first, count: 0, itemIds: [] }))
    cell.count++
    cell.itemIds.push(itemId)
  }
  for (const p of repos.taxonomy.stepwise()) {
    if (p.steps.length === 0) {
      // An agent's named states: a transition when it failed, else only evidence of the order.
      onlySteps = false
      if (p.verdict === 'fail' && p.firstFailure !== null) addCell(p.lastSuccess, p.firstFailure, p.itemId)
      else if (p.verdict === 'fail') unmarked++
      evidence.push({ states: [p.lastSuccess, p.firstFailure].filter((s): s is string => s !== null), weight: 1 })
      continue
    }
    evidence.push({ states: p.steps, weight: 1 })
    const failAt =
      p.verdict === 'fail' &&
      p.firstFailingStep !== null &&
      p.firstFailingStep >= 0 &&
      p.firstFailingStep < p.steps.length
        ? p.firstFailingStep
        : null
    if (p.verdict === 'fail' && failAt === null) {
      unmarked++ // failed, but no failing step marked: not counted
      continue
    }
    p.steps.forEach((name, index) => {
      if (failAt !== null && index > failAt) return
      const s = stepStat(name)
      s.reached++
      if (failAt === null || index < failAt) s.passed++
    })
    if (failAt !== null) addCell(failAt === 0 ? null : p.steps[failAt - 1], p.steps[failAt], p.itemId)
  }
  const { order, source, unfixed } = stateOrder(evidence, repos.taxonomy.stateOrder(), onlySteps)
  const at = new Map(order.map((s, i) => [s, i]))
  const position = (s: string) => (s === START ? -1 : (at.get(s) ?? order.length))
  const sorted = [...cells.values()].sort(
    (a, b) => position(a.lastSuccess) - position(b.lastSuccess) || position(a.firstFailure) - position(b.firstFailure),
  )
  const sum = (pick: (c: Cell) => boolean) => sorted.filter(pick).reduce((n, c) => n + c.count, 0)
  return {
    cells: sorted,
    steps: [...steps]
      .sort(([a], [b]) => position(a) - position(b))
      .map(([step, s]) => {
        const { estimate, lower, upper } = wilsonInterval(s.passed, s.reached)
        return { step, reached: s.reached, passed: s.passed, rate: { estimate, lower, upper } }
      }),
    states: order.map((state) => ({
      state,
      firstFailures: sum((c) => c.firstFailure === state),
      lastSuccesses: sum((c) => c.lastSuccess === state),
    })),
    orderSource: source,
    unfixed,
    failed: sum(() => true),
    unmarked,
    backwards: sum((c) => c.lastSuccess !== START && position(c.lastSuccess) > position(c.firstFailure)),
  }
}

/** The row of the transition matrix for traces that failed at their first state. */
const START = '(start)'

/** A new failure mode (a criterion with its definition); the given traces get it at once. */
export function createMode(
  context: LabelingContext,
  input: { name: string; definition: string; itemIds: number[] },
): number {
  const d = stamp(context)
  if (d.repos.project.criterionId(input.name) !== undefined)
    throw new AppError(
      'conflict',
      `A criterion named "${input.name}" already exists: choose another name, or merge into it.`,
    )
  return d.transaction(() => {
    const id = d.repos.project.addCriterion(input.name, 'failure_mode', input.definition, d.now)
    for (const itemId of input.itemIds) mark(d, itemId, id, 'fail', '')
    d.repos.project.log('mode.create', { id, name: input.name, items: input.itemIds.length }, d.now)
    return id
  })
}

export function renameMode(context: LabelingContext, id: number, name: string): void {
  const d = stamp(context)
  const before = mode(d, id)
  if (before.name === name) return
  if (d.repos.project.criterionId(name) !== undefined)
    throw new AppError('conflict', `A criterion named "${name}" already exists: choose another name, or merge into it.`)
  d.transaction(() => {
    d.repos.taxonomy.rename(id, name)
    d.repos.project.log('mode.rename', { id, from: before.name, to: name }, d.now)
  })
}

export function deleteMode(context: LabelingContext, id: number): void {
  const d = stamp(context)
  const before = mode(d, id)
  d.transaction(() => {
    d.repos.taxonomy.remove(id, d.now)
    d.repos.project.log('mode.delete', { id, name: before.name, count: before.count }, d.now)
  })
}

/** Merge: every trace with `from` gets `into`, then `from` is deleted (its labels stay, as history). */
export function mergeModes(context: LabelingContext, from: number, into: number): void {
  const d = stamp(context)
  if (from === into) throw new AppError('invalid_input', 'Choose two different failure modes to merge.')
  const a = mode(d, from)
  const b = mode(d, into)
  const has = new Set(
    d.repos.taxonomy
      .failing()
      .filter((f) => f.modeId === into)
      .map((f) => f.itemId),
  )
  const moving = d.repos.taxonomy.failing().filter((f) => f.modeId === from && !has.has(f.itemId))
  d.transaction(() => {
    for (const f of moving) mark(d, f.itemId, into, 'fail', `merged from "${a.name}"`)
    d.repos.taxonomy.remove(from, d.now)
    d.repos.project.log('mode.merge', { from, fromName: a.name, into, intoName: b.name, moved: moving.length }, d.now)
  })
}

/** Split, or correct: these traces leave `from` (a pass on it) and get `to` (a fail). */
export function moveTraces(context: LabelingContext, itemIds: number[], from: number, to: number): void {
  const d = stamp(context)
  const a = mode(d, from)
  const b = mode(d, to)
  d.transaction(() => {
    for (const itemId of itemIds) {
      mark(d, itemId, from, 'pass', `moved to "${b.name}"`)
      mark(d, itemId, to, 'fail', `moved from "${a.name}"`)
    }
    d.repos.project.log('mode.move', { from, to, items: itemIds.length }, d.now)
  })
}

/** Pins (or unpins) a trace as an example of the mode present (`fail`) or absent (`pass`). */
export function pinExample(
  d: LabelingContext,
  modeId: number,
  itemId: number,
  kind: 'pass' | 'fail',
  on: boolean,
): void {
  mode(d, modeId)
  const current = d.repos.taxonomy.examples().filter((e) => e.modeId === modeId)
  const ids = (k: 'pass' | 'fail') => current.filter((e) => e.kind === k && e.itemId !== itemId).map((e) => e.itemId)
  const pass = ids('pass')
  const fail = ids('fail')
  if (on) (kind === 'pass' ? pass : fail).push(itemId)
  d.repos.taxonomy.setExamples(modeId, pass, fail)
}

/** Assigns a trace to a mode (a fail on it) or takes it out (a pass: the human says the failure is absent). */
export function assignMode(context: LabelingContext, itemId: number, modeId: number, on: boolean): void {
  const d = stamp(context)
  mode(d, modeId)
  mark(d, itemId, modeId, on ? 'fail' : 'pass', '')
}

function mark(d: Stamp, itemId: number, criterionId: number, verdict: 'pass' | 'fail', note: string): void {
  d.repos.labels.add(
    {
      itemId,
      criterionId,
      criterionVersion: d.repos.project.criterionVersion(criterionId),
      verdict,
      note,
      annotator: d.annotator,
      firstFailingStep: null,
    },
    d.now,
  )
  placeLabeled(d, criterionId, itemId)
}

function mode(d: Pick<Stamp, 'repos'>, id: number) {
  const found = d.repos.taxonomy.modes().find((m) => m.id === id)
  if (!found)
    throw new AppError('not_found', `There is no failure mode with id ${id} (it may have been merged or deleted).`)
  return found
}

/** Top-level metadata values as text, for filtering notes by a field (objects and lists are left out). */
function flatMetadata(json: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
    if (value === null || typeof value === 'object') continue
    out[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return out
}

function modesByItem(d: Pick<Stamp, 'repos'>): Map<number, number[]> {
  const present = new Map<number, number[]>()
  for (const f of d.repos.taxonomy.failing()) present.set(f.itemId, [...(present.get(f.itemId) ?? []), f.modeId])
  return present
}

/** The value at `key`, made and kept there the first time it is asked for. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key)
  if (found !== undefined) return found
  const made = make()
  map.set(key, made)
  return made
}
