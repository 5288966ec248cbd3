/**
 * What the steps of one source's merge share: both sides' statements, the maps from the source's
 * ids to the target's, and the report being filled in.
 */
import type { SourceReport } from '../../../shared/merge'
import type { Db } from '../db/open'
import type { Repos } from '../db/repos'
import type { MergeSource } from '../db/repos/merge-source'
import type { MergeTarget } from '../db/repos/merge-target'

/** A criterion of the source as the target has it. */
export interface MappedCriterion {
  id: number
  name: string
  /** Source version → the target version with the same definition (else the target's current one). */
  versions: Map<number, number>
  /** Made by this merge: its splits are copied, not placed. */
  added: boolean
}

export interface MergeState {
  /** The target's connection. */
  readonly db: Db
  readonly src: MergeSource
  readonly tgt: MergeTarget
  readonly repos: Repos
  /** The merge's time (events, split placements). */
  readonly now: string
  readonly report: SourceReport
  /** Source item id → target item id, for items matched or added. */
  readonly items: Map<number, number>
  /** Source item ids whose trace differs from the target's: nothing about them is merged. */
  readonly conflicting: Set<number>
  /** Source item id → its external id. */
  readonly externalIds: Map<number, string>
  readonly criteria: Map<number, MappedCriterion>
  /** Source label id → target label id (matched or copied), for undo rows. */
  readonly labels: Map<number, number>
  /** Target criteria that got labels: their new items are placed in splits. */
  readonly labeled: Set<number>
}

/** An empty report for the source at `path`. */
export function emptyReport(path: string): SourceReport {
  return {
    path,
    items: { added: 0, matched: 0, filled: 0, conflicting: [] },
    datasets: { added: [] },
    labels: { added: [], unchanged: 0, superseded: [], skipped: 0 },
    criteria: { added: [], differing: [], refused: [] },
    judges: {
      versionsAdded: [],
      versionsMatched: 0,
      versionsRefused: [],
      runsAdded: 0,
      runsMatched: 0,
      verdictsAdded: 0,
      verdictsSkipped: 0,
    },
    splits: { copied: 0, placed: 0 },
  }
}

/** Adds one to an annotator's count in a list of counts. */
export function tally(counts: { annotator: string; n: number }[], annotator: string): void {
  const found = counts.find((c) => c.annotator === annotator)
  if (found) found.n++
  else counts.push({ annotator, n: 1 })
}
