/**
 * Items of a merge, matched by external id under the import's join rule (import/join.ts): a
 * source item whose id the target has joins it when their traces agree (up to line endings, or
 * filling in what the target lacks); a trace that differs is a conflict, and nothing about that
 * item is merged. Items the target lacks are copied with their steps and their dataset.
 */
import { joinedItemWriter } from '../db/repos/imports/items'
import type { SourceItem, SourceStep } from '../db/repos/merge-source'
import type { TargetItem } from '../db/repos/merge-target'
import { compareTrace, glimpse, stepsText, type StoredTrace } from '../import/join'
import type { MergeState } from './state'

/** Matches or copies every item of the source (see the module's comment). */
export function mergeItems(s: MergeState): void {
  const join = joinedItemWriter(s.db)
  const datasets = datasetMap(s)
  const added = new Map<number, number>()
  // Target items already joined by a source item: a second one (the same id in two source datasets) conflicts.
  const joined = new Set<number>()
  for (const item of s.src.items()) {
    s.externalIds.set(item.id, item.external_id)
    const steps = s.src.steps(item.id)
    const found = pick(s.tgt.byExternalId(item.external_id), datasets.matched.get(item.dataset_id))
    if (found === null) {
      const datasetId = datasets.target(item.dataset_id)
      const id = s.tgt.addItem(datasetId, item)
      steps.forEach((st, idx) => s.tgt.addStep(id, idx, st))
      s.items.set(item.id, id)
      added.set(datasetId, (added.get(datasetId) ?? 0) + 1)
      s.report.items.added++
      continue
    }
    if ('ambiguous' in found) {
      conflict(
        s,
        item,
        `its id names items in ${found.ambiguous.length} datasets of the target (${found.ambiguous.join(', ')})`,
      )
      continue
    }
    if (joined.has(found.id)) {
      conflict(s, item, 'another item of the source, with the same id, joins the same item of the target')
      continue
    }
    const match = compareTrace(storedTrace(found, join.stepsOf(found.id)), storedTrace(item, steps))
    if (match.kind === 'differs') {
      const at = firstDifference(match.stored, match.incoming)
      const what = `another ${match.field} ("${glimpse(match.incoming.slice(at))}") than the target's ("${glimpse(match.stored.slice(at))}")${at > 0 ? ` from character ${String(at + 1)} on` : ''}`
      conflict(s, item, `it has ${what}`)
      continue
    }
    if (match.kind === 'fill' || match.kind === 'cut') {
      const { steps: fillSteps, ...text } = match.parts
      if (Object.keys(text).length > 0) join.fillText(found.id, text)
      if (fillSteps !== undefined) join.fillSteps(found.id, steps.map(parsedStep))
      if (Object.keys(match.parts).length > 0) s.report.items.filled++
    }
    join.addMetadata(
      { id: found.id, metadata: found.metadata_json },
      JSON.parse(item.metadata_json) as Record<string, unknown>,
    )
    s.items.set(item.id, found.id)
    joined.add(found.id)
    s.report.items.matched++
  }
  for (const [datasetId, n] of added) s.tgt.addRows(datasetId, n)
}

/**
 * The target item a source item joins: the one in the same dataset, else the only one with its
 * id; null when the target has none; several in other datasets cannot be told apart.
 */
function pick(candidates: TargetItem[], sameDataset: number | undefined): TargetItem | { ambiguous: string[] } | null {
  if (candidates.length === 0) return null
  const same = candidates.find((c) => c.dataset_id === sameDataset)
  if (same) return same
  if (candidates.length === 1) return candidates[0]
  return { ambiguous: candidates.map((c) => c.dataset) }
}

/** Where two texts start to differ, a few characters early so the glimpse has context. */
function firstDifference(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return Math.max(0, i - 20)
}

function conflict(s: MergeState, item: SourceItem, reason: string): void {
  s.conflicting.add(item.id)
  s.report.items.conflicting.push({ id: item.external_id, dataset: item.dataset, reason })
}

/** An item's trace as the join compares it. */
function storedTrace(
  item: Pick<SourceItem, 'input' | 'output' | 'messages_json'>,
  steps: Pick<SourceStep, 'name' | 'input' | 'output'>[],
): StoredTrace {
  return {
    input: item.input,
    output: item.output,
    messages: item.messages_json,
    steps: steps.length === 0 ? '[]' : stepsText(steps),
  }
}

const parsedStep = (st: SourceStep) => ({
  name: st.name,
  input: st.input,
  output: st.output,
  metadata: JSON.parse(st.metadata_json) as Record<string, unknown>,
})

/**
 * The source's datasets in the target: the same dataset (name, format and time of import) where
 * the target has it; otherwise made, as in the source, when its first new item is copied.
 */
function datasetMap(s: MergeState) {
  const target = s.tgt.datasets()
  const matched = new Map<number, number>()
  const source = new Map(s.src.datasets().map((d) => [d.id, d]))
  for (const d of source.values()) {
    const same = target.find((t) => t.name === d.name && t.format === d.format && t.created_at === d.created_at)
    if (same) matched.set(d.id, same.id)
  }
  return {
    matched,
    target(sourceId: number): number {
      const known = matched.get(sourceId)
      if (known !== undefined) return known
      const d = source.get(sourceId)
      if (!d) throw new Error(`merge: the source has no dataset ${sourceId}`)
      const id = s.tgt.addDataset(d)
      matched.set(sourceId, id)
      s.report.datasets.added.push(d.name)
      return id
    },
  }
}
