/**
 * The words of a merge report, shared by `assay merge` and File → Merge project… so the terminal
 * and the app say the same thing.
 */
import type { MergeReport, SourceReport } from './merge'

const plural = (n: number, one: string, many = `${one}s`) => `${String(n)} ${n === 1 ? one : many}`
const counts = (list: { annotator: string; n: number }[]) => list.map((c) => `${c.annotator} ${String(c.n)}`).join(', ')

/** The lines about one source: what was added, matched and refused. */
function sourceLines(r: SourceReport): string[] {
  const lines = [`From ${r.path}:`]
  const i = r.items
  lines.push(
    `  items: ${String(i.added)} added, ${String(i.matched)} matched${i.filled ? ` (${String(i.filled)} filled in)` : ''}, ${String(i.conflicting.length)} conflicting`,
  )
  for (const c of i.conflicting.slice(0, 10))
    lines.push(`    conflict: "${c.id}" (${c.dataset}): ${c.reason}; its labels and verdicts were not merged`)
  if (i.conflicting.length > 10)
    lines.push(`    … and ${String(i.conflicting.length - 10)} more (--json lists them all)`)
  if (r.datasets.added.length) lines.push(`  datasets added: ${r.datasets.added.join(', ')}`)
  const l = r.labels
  const added = l.added.reduce((n, c) => n + c.n, 0)
  lines.push(
    `  labels: ${String(added)} added${added ? ` (${counts(l.added)})` : ''}, ${String(l.unchanged)} already there${l.skipped ? `, ${String(l.skipped)} on conflicting items or refused criteria not merged` : ''}`,
  )
  if (l.superseded.length)
    lines.push(
      `    not copied: ${counts(l.superseded)} older than the same annotator's later label on the item in the target (that one stays current)`,
    )
  const c = r.criteria
  if (c.added.length) lines.push(`  criteria added: ${c.added.join(', ')}`)
  for (const x of c.differing)
    lines.push(`  criterion "${x.name}" has another definition in the source (the target's is kept): "${x.source}"`)
  for (const x of c.refused) lines.push(`  criterion "${x.name}" refused: ${x.reason}`)
  const j = r.judges
  for (const v of j.versionsAdded)
    lines.push(`  judge "${v.judge}" (${v.criterion}): v${String(v.from)} added as v${String(v.version)}`)
  for (const v of j.versionsRefused)
    lines.push(`  judge "${v.judge}" v${String(v.version)} (${v.criterion}) not merged: ${v.reason}`)
  lines.push(
    `  judges: ${plural(j.versionsAdded.length, 'version')} added, ${String(j.versionsMatched)} already there; ${plural(j.runsAdded, 'run')} and ${plural(j.verdictsAdded, 'verdict')} added (${String(j.runsMatched)} runs already there${j.verdictsSkipped ? `, ${String(j.verdictsSkipped)} verdicts on conflicting items not merged` : ''})`,
  )
  if (r.splits.copied || r.splits.placed)
    lines.push(
      `  splits: ${String(r.splits.copied)} copied with new criteria, ${String(r.splits.placed)} newly labeled items placed`,
    )
  return lines
}

/** The report `assay merge` prints: per source, then what a merge never copies. */
export function formatMergeReport(report: MergeReport): string {
  const lines = report.sources.flatMap(sourceLines)
  lines.push(
    report.changed
      ? `Merged into ${report.target} (one transaction).`
      : `Nothing to merge: ${report.target} has everything these projects hold.`,
  )
  lines.push(report.notCopied)
  return `${lines.join('\n')}\n`
}
