/**
 * Labels of a merge, replayed in the source's order so that each annotator's current label (their
 * newest row) is the one they had in the source, undo rows included (an undo names the row it
 * takes back, mapped to the target's copy). A label equal in item, criterion, annotator, verdict,
 * note and time is the same label: a second merge adds nothing. Where the same annotator has
 * labeled the item in both projects, the later one in time stays current: the source's rows older
 * than the target's newest are not copied (counted as superseded). Labels belong to no session.
 */
import { assign } from '../judge/splits'
import type { SourceLabel } from '../db/repos/merge-source'
import { tally, type MappedCriterion, type MergeState } from './state'

/** Copies the source's labels the target lacks (see the module's comment). */
export function mergeLabels(s: MergeState): void {
  // Per item, criterion and annotator: the time of the target's newest row before the merge wrote any.
  const newest = new Map<string, string | null>()
  for (const l of s.src.labels()) {
    const item = s.items.get(l.item_id)
    const c = s.criteria.get(l.criterion_id)
    if (item === undefined || c === undefined) {
      s.report.labels.skipped++
      continue
    }
    const same = s.tgt.same({
      item,
      criterion: c.id,
      annotator: l.annotator,
      verdict: l.verdict,
      note: l.note,
      at: l.created_at,
    })
    if (same !== undefined) {
      s.labels.set(l.id, same)
      s.report.labels.unchanged++
      continue
    }
    const triple = `${String(item)}\u0000${String(c.id)}\u0000${l.annotator}`
    if (!newest.has(triple)) newest.set(triple, s.tgt.newest(item, c.id, l.annotator) ?? null)
    const before = newest.get(triple)
    if (before !== undefined && before !== null && l.created_at <= before) {
      tally(s.report.labels.superseded, l.annotator)
      continue
    }
    s.labels.set(l.id, copy(s, l, item, c))
    s.labeled.add(c.id)
    tally(s.report.labels.added, l.annotator)
  }
}

function copy(s: MergeState, l: SourceLabel, itemId: number, c: MappedCriterion): number {
  const reverts = l.reverts_id === null ? null : (s.labels.get(l.reverts_id) ?? null)
  return s.repos.labels.add(
    {
      itemId,
      criterionId: c.id,
      criterionVersion: c.versions.get(l.criterion_version) ?? s.repos.project.criterionVersion(c.id),
      verdict: l.verdict,
      note: l.note,
      annotator: l.annotator,
      firstFailingStep: l.first_failing_step,
      lastSuccess: l.last_success_state,
      firstFailure: l.first_failure_state,
      sessionId: null,
      revertsId: reverts,
    },
    l.created_at,
  )
}

/**
 * Items newly labeled on a criterion get their split by the usual rule (judge/splits.ts): the
 * target's splits stay as they are.
 */
export function placeSplits(s: MergeState): void {
  for (const criterionId of s.labeled) {
    assign(
      {
        repos: s.repos,
        transaction: (fn) => fn(),
        now: s.now,
        place: (c, item, split, seed) => {
          s.repos.splits.assign(c, item, split, seed, s.now)
          s.report.splits.placed++
        },
      },
      criterionId,
    )
  }
}
