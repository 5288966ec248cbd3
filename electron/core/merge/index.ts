/**
 * Merging annotators' projects (issue 20, item 7; Prodigy's `db-merge` is the anchor): each
 * source's items, criteria, labels, judge versions, runs and verdicts go into the target, matched
 * so that a second merge of the same sources changes nothing. All-or-nothing: every source is
 * merged in one transaction of the target, so a failure (or a killed process) leaves the target
 * as it was; the sources are only read.
 */
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import { NOT_COPIED, type MergeReport, type SourceReport } from '../../../shared/merge'
import type { ProjectContext } from '../context'
import { assertWritable, openProject, type Db } from '../db/open'
import { mergeSource } from '../db/repos/merge-source'
import { mergeTarget } from '../db/repos/merge-target'
import { copySplits, mergeCriteria } from './criteria'
import { mergeItems } from './items'
import { mergeJudges } from './judges'
import { mergeLabels, placeSplits } from './labels'
import { emptyReport, type MergeState } from './state'

export { formatMergeReport } from '../../../shared/merge-report'

/** What a merge needs besides the target: the addon the sources are opened with. */
export interface MergeOptions {
  nativeBinding?: string
}

/**
 * Merges each source project into the open target `d` (see the module's comment) and reports,
 * per source, what was added, matched, conflicting and refused.
 */
export function mergeProjects(d: ProjectContext, sourcePaths: string[], options: MergeOptions = {}): MergeReport {
  assertWritable(d)
  if (sourcePaths.length === 0) throw new AppError('invalid_input', 'Name at least one project to merge into this one.')
  const sources: { path: string; db: Db }[] = []
  try {
    for (const path of sourcePaths) sources.push(openSource(d, path, options))
    const total = d.db.prepare('SELECT total_changes()').pluck()
    const before = total.get() as number
    const now = d.now()
    const reports = d.transaction(() => {
      const done = sources.map((source) => mergeOne(d, source, now))
      if ((total.get() as number) > before) d.repos.project.log('project.merge', summary(done), now)
      return done
    })
    return { target: d.path, sources: reports, changed: (total.get() as number) > before, notCopied: NOT_COPIED }
  } finally {
    for (const source of sources) source.db.close()
  }
}

/** A source project, checked as any project is opened (an older one is upgraded, with a backup). */
function openSource(d: ProjectContext, path: string, options: MergeOptions): { path: string; db: Db } {
  const absolute = resolve(path)
  const real = (p: string) => {
    try {
      return realpathSync(p)
    } catch {
      return p
    }
  }
  if (real(absolute) === real(d.path))
    throw new AppError('invalid_input', `${absolute} is the project being merged into: choose another project.`)
  const opened = openProject(absolute, { mode: 'open', nativeBinding: options.nativeBinding })
  return { path: absolute, db: opened.db }
}

function mergeOne(d: ProjectContext, source: { path: string; db: Db }, now: string): SourceReport {
  const s: MergeState = {
    db: d.db,
    src: mergeSource(source.db),
    tgt: mergeTarget(d.db),
    repos: d.repos,
    now,
    report: emptyReport(source.path),
    items: new Map(),
    conflicting: new Set(),
    externalIds: new Map(),
    criteria: new Map(),
    labels: new Map(),
    labeled: new Set(),
  }
  mergeItems(s)
  mergeCriteria(s)
  copySplits(s)
  mergeLabels(s)
  placeSplits(s)
  mergeJudges(s)
  return s.report
}

/** The merge's event in the project's log: per source, the counts. */
const summary = (reports: SourceReport[]) =>
  reports.map((r) => ({
    path: r.path,
    itemsAdded: r.items.added,
    itemsMatched: r.items.matched,
    conflicting: r.items.conflicting.length,
    labelsAdded: r.labels.added.reduce((n, c) => n + c.n, 0),
    criteriaAdded: r.criteria.added.length,
    versionsAdded: r.judges.versionsAdded.length,
    verdictsAdded: r.judges.verdictsAdded,
  }))
