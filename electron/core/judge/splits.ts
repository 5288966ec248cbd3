/**
 * Train/dev/test splits per criterion (requirement 23): stratified by human label, in a seeded
 * hash order, and stable — an item keeps its split when labels are added. An item is placed as
 * soon as it has a pass or fail label (on save, on import), so every view and export shows it.
 */
import { hash } from 'node:crypto'
import type { SplitRatios } from '../../../shared/judges'
import type { Repos } from '../db/repos'
import type { LabeledRow } from '../db/repos/splits'
import type { SplitName } from '../../../shared/import'
import type { EvaluationContext } from '../context'
import { criterion } from './context'

const SPLITS: readonly SplitName[] = ['train', 'dev', 'test']

/** What placing items needs: the repos, a write transaction and the time (labeling's deps fit). */
export interface SplitDeps {
  repos: Repos
  transaction<T>(fn: () => T): T
  now: string
  /** A read-only project: splits are worked out the same way but not kept. */
  readOnly?: boolean
  /** Writes one placement (by default `repos.splits.assign`; an import batches them). */
  place?(criterionId: number, itemId: number, split: SplitName, seed: number): void
}

/** An item's place in a criterion's seeded order: the first 32 bits of sha256(seed, criterion, external id). */
export const splitRank = (seed: number, criterionId: number, externalId: string): number =>
  // One-shot `hash`: an import ranks every labeled row, and a `createHash` object per row cost as much as writing it.
  Number.parseInt(hash('sha256', `${seed}\u0000${criterionId}\u0000${externalId}`).slice(0, 8), 16)

/**
 * The rule of requirement 23 for one human class: its items without a split, in rank order
 * (ties by item id), each go to the split furthest below its share, counting the class's items
 * that have one (`placed`). Returns each new item's split, in the order given.
 */
export function placeClass(
  placed: Record<SplitName, number>,
  fresh: { itemId: number; rank: number }[],
  ratios: SplitRatios,
): SplitName[] {
  const count = { ...placed }
  let total = count.train + count.dev + count.test
  const order = fresh
    .map((_, i) => i)
    .sort((a, b) => fresh[a].rank - fresh[b].rank || fresh[a].itemId - fresh[b].itemId)
  const out = new Array<SplitName>(fresh.length)
  for (const i of order) {
    total++
    const split = SPLITS.reduce<SplitName>(
      (best, s) => (ratios[s] * total - count[s] > ratios[best] * total - count[best] ? s : best),
      'train',
    )
    count[split]++
    out[i] = split
  }
  return out
}

/**
 * Gives every labeled item of a criterion that has no split one (requirement 23): within each
 * human class, items in the order of a seeded hash of their id each go to the split furthest
 * below its share (`placeClass`). An item keeps its split for good, so adding labels never
 * reshuffles; the classes stay stratified because each is filled on its own.
 */
export function assignSplits(d: EvaluationContext, criterionId: number): LabeledRow[] {
  return assign({ repos: d.repos, transaction: d.transaction, now: d.now(), readOnly: d.db.readonly }, criterionId)
}

/** After a pass or fail label on an item: places it (and any other labeled item still without one) in its split. */
export function placeLabeled(d: SplitDeps, criterionId: number, itemId: number): void {
  if (d.repos.splits.of(criterionId, itemId) !== null) return
  if (d.repos.audits.drawnItems(criterionId).has(itemId)) return // an audit's item stays in production
  assign(d, criterionId)
}

/** `assignSplits` over `SplitDeps`: for an import, which writes the placements in bulk. */
export function assign(d: SplitDeps, criterionId: number): LabeledRow[] {
  const ratios = d.repos.splits.ratios(criterionId)
  return d.transaction(() => {
    const rows = d.repos.splits.labeled(criterionId)
    // A production audit's items are drawn by the judge's verdict: in a split they would bias TPR and TNR.
    const audited = d.repos.audits.drawnItems(criterionId)
    for (const verdict of ['pass', 'fail'] as const) {
      const ofClass = rows.filter((r) => r.verdict === verdict)
      const placed: Record<SplitName, number> = { train: 0, dev: 0, test: 0 }
      for (const r of ofClass) if (r.split) placed[r.split]++
      const fresh = ofClass.filter((r) => !r.split && !audited.has(r.itemId))
      const splits = placeClass(
        placed,
        fresh.map((r) => ({ itemId: r.itemId, rank: splitRank(ratios.seed, criterionId, r.externalId) })),
        ratios,
      )
      fresh.forEach((r, i) => {
        const split = splits[i]
        r.split = split
        if (d.readOnly) return // computed the same, not kept
        if (d.place) d.place(criterionId, r.itemId, split, ratios.seed)
        else d.repos.splits.assign(criterionId, r.itemId, split, ratios.seed, d.now)
      })
    }
    return rows
  })
}

/**
 * New shares and seed for a criterion. While no judge depends on its splits (no verdict on a
 * labeled item, no few-shot example), every item Assay placed is placed again under them (a
 * file's splits stay); after that, items keep their split and only new labels follow the shares,
 * so that dev results are never re-read as test results.
 */
export function setSplitRatios(
  d: EvaluationContext,
  criterionId: number,
  ratios: SplitRatios,
): { replaced: number; message: string } {
  criterion(d, criterionId)
  return d.transaction(() => {
    d.repos.splits.setRatios(criterionId, ratios)
    const usedBy = d.repos.splits.usedBy(criterionId)
    const replaced = usedBy === null ? d.repos.splits.clearPlaced(criterionId) : 0
    if (usedBy === null) assignSplits(d, criterionId)
    d.repos.project.log('splits.settings', { criterionId, ...ratios, replaced }, d.now())
    const shares = `${Math.round(ratios.train * 100)}/${Math.round(ratios.dev * 100)}/${Math.round(ratios.test * 100)} (seed ${ratios.seed})`
    return {
      replaced,
      message:
        usedBy === null
          ? `Shares ${shares} saved; ${replaced} labeled item${replaced === 1 ? ' was' : 's were'} placed again under them (splits given by a file stay).`
          : `Shares ${shares} saved for new labels; items keep their splits, because ${usedBy} already has verdicts or few-shot examples on them.`,
    }
  })
}
