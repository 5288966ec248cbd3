/**
 * Train/dev/test splits per criterion (requirement 23): stratified by human label, in a seeded
 * hash order, and stable — an item keeps its split when labels are added.
 */
import { createHash } from 'node:crypto'
import type { SplitRatios } from '../../../shared/judges'
import type { LabeledRow } from '../db/repos/splits'
import { criterion, now, tx, type JudgeDeps } from './context'

type SplitName = 'train' | 'dev' | 'test'
const SPLITS: readonly SplitName[] = ['train', 'dev', 'test']

const rank = (seed: number, criterionId: number, externalId: string): number =>
  createHash('sha256').update(`${seed}\u0000${criterionId}\u0000${externalId}`).digest().readUInt32BE(0)

/**
 * Gives every labeled item of a criterion that has no split one (requirement 23): within each
 * human class, items in the order of a seeded hash of their id each go to the split furthest
 * below its share. An item keeps its split for good, so adding labels never reshuffles; the
 * classes stay stratified because each is filled on its own.
 */
export function assignSplits(d: JudgeDeps, criterionId: number): LabeledRow[] {
  const ratios = d.repos.splits.ratios(criterionId)
  return tx(d, () => {
    const rows = d.repos.splits.labeled(criterionId)
    const at = now(d)
    for (const verdict of ['pass', 'fail'] as const) {
      const ofClass = rows.filter((r) => r.verdict === verdict)
      const count: Record<SplitName, number> = { train: 0, dev: 0, test: 0 }
      for (const r of ofClass) if (r.split) count[r.split]++
      const fresh = ofClass.filter((r) => !r.split).sort((a, b) => rank(ratios.seed, criterionId, a.externalId) - rank(ratios.seed, criterionId, b.externalId) || a.itemId - b.itemId)
      let total = ofClass.length - fresh.length
      for (const r of fresh) {
        total++
        const split = SPLITS.reduce((best, s) => (ratios[s] * total - count[s] > ratios[best] * total - count[best] ? s : best), 'train' as SplitName)
        count[split]++
        r.split = split
        if (!d.db.readonly) d.repos.splits.assign(criterionId, r.itemId, split, ratios.seed, at) // read-only: computed the same, not kept
      }
    }
    return rows
  })
}

export function setSplitRatios(d: JudgeDeps, criterionId: number, ratios: SplitRatios): void {
  criterion(d, criterionId)
  d.repos.splits.setRatios(criterionId, ratios)
  d.repos.project.log('splits.settings', { criterionId, ...ratios }, now(d))
}

