/**
 * One import in progress: the mapped rows' writes, in file order, and what the report says of
 * them. New rows are written here; rows about items of the project go to `JoinRows`.
 */
import { basename } from 'node:path'
import type { ImportReport, Mapping } from '../../../shared/import'
import { AppError } from '../../../shared/errors'
import type { Db } from '../db/open'
import type { Repos } from '../db/repos'
import {
  importWriter,
  ROWS_PER_INSERT,
  type ExistingItem,
  type ImportWriter,
  type VersionTarget,
} from '../db/repos/imports'
import { emptyColumnErrors } from './checks'
import type { MapResult } from './mapping/apply'
import { joinOnly, type PreparedMapping } from './mapping/prepare'
import type { ImportRequest } from './run'
import { JoinRows } from './run-join'
import {
  ambiguousId,
  columnTallies,
  duplicateMessage,
  emptyReport,
  joinWarnings,
  list,
  listed,
  MAX_LISTED,
  newCounts,
  promptVersion,
  stateReport,
  tallyLabel,
  type WriteCounts,
} from './run-report'
import { ImportSplits } from './splits'
import type { MappedItem, RecordError } from './types'

/** What became of one mapped row: a new item, an item of the project, nothing (reported), or a problem. */
type Placement =
  { kind: 'new' } | { kind: 'join'; item: ExistingItem } | { kind: 'unmatched' } | { kind: 'error'; error: RecordError }

/** See the module's comment. */
export class ImportRun {
  readonly report: ImportReport
  private readonly write: ImportWriter
  /** A file of labels or verdicts only: every row must name an item of the project. */
  private readonly joinOnly: boolean
  /** Whether rows' ids are looked up among the project's items (not for a copy, generated ids or an empty project). */
  private readonly lookup: boolean
  private readonly datasetId: number | null
  private readonly targets: VersionTarget[]
  private pending: { line: number; result: MapResult }[] = []
  /**
   * Records offered as items (rows, or assembled traces), rows the reader rejected, and rows written
   * (new, replacing or joined).
   */
  private candidates = 0
  private unread = 0
  private applied = 0
  private readonly counts: WriteCounts
  /** What the import does with splits: the file's, the ones it places, the moves it reports. */
  private readonly splits: ImportSplits
  private readonly joins: JoinRows
  /** The first repeated ids' errors, to be told where each id first appeared (`first` known for joined rows). */
  readonly duplicateErrors: { id: string; first: number | null; error: RecordError }[] = []

  constructor(
    db: Db,
    private readonly repos: Repos,
    private readonly request: ImportRequest,
    private readonly prepared: PreparedMapping,
    at: string,
  ) {
    const m = request.mapping
    this.write = importWriter(db, at)
    const source = basename(request.file)
    this.joinOnly = joinOnly(m)
    const idsGenerated = m.id === null && m.spans === null
    this.lookup = !this.joinOnly && (request.existing ?? 'join') === 'join' && !idsGenerated && this.write.hasItems()
    const dataset = this.joinOnly ? null : (request.datasetName ?? source)
    this.datasetId = dataset === null ? null : this.write.dataset(dataset, request.file, request.format, m)
    if (this.datasetId !== null) this.write.startBulk()
    this.targets = verdictTargets(this.write, m, source)
    this.splits = new ImportSplits(db, repos, this.write, request, at)
    this.counts = newCounts(m)
    this.report = emptyReport(
      this.joinOnly ? 'join' : 'new',
      dataset,
      this.datasetId,
      idsGenerated,
      request.offered ?? [],
    )
    this.joins = new JoinRows({
      write: this.write,
      mapping: m,
      duplicates: request.duplicates,
      report: this.report,
      targets: this.targets,
      counts: this.counts,
      splits: this.splits,
      joinOnly: this.joinOnly,
      fail: (error) => this.fail(error),
      duplicate: (line, id, first) => this.duplicate(line, id, first),
    })
  }

  /** Takes a mapped row; false when the import stops. */
  add(line: number, result: MapResult): boolean {
    this.pending.push({ line, result })
    return this.pending.length < ROWS_PER_INSERT || this.flush()
  }

  /** A row the reader rejected; false when the import cannot go on. */
  unreadable(error: RecordError): boolean {
    this.fail(error)
    if (error.fatal) return false
    this.unread++
    return true
  }

  /** Whether the import stops now: cancelled, or (stopping at bad rows) as many errors as are listed. */
  stopping(signal?: AbortSignal): boolean {
    return Boolean(signal?.aborted) || (this.request.onError === 'abort' && this.report.errorCount >= MAX_LISTED)
  }

  private fail(error: RecordError): void {
    this.report.errorCount++
    if (this.report.errors.length < MAX_LISTED) this.report.errors.push(error)
  }

  /**
   * Writes the waiting rows in file order, as if one by one; false when the import stops at one
   * of them. New items go in as one statement (a batch with a repeated id goes row by row, so
   * that the duplicate policy applies exactly); rows after a stop are written but rolled back.
   */
  flush(): boolean {
    const rows = this.pending
    this.pending = []
    if (rows.length === 0) return true
    const places = this.place(rows)
    const fresh: MappedItem[] = []
    rows.forEach(({ result }, i) => {
      if (result.ok && places[i].kind === 'new') fresh.push(result.item)
    })
    const ids = this.datasetId === null ? null : this.write.items(this.datasetId, fresh)
    let next = 0
    for (const [i, { line, result }] of rows.entries()) {
      if (this.stopping()) return false
      this.candidates++
      const place = places[i]
      if (!result.ok) this.fail(result.error)
      else if (place.kind === 'error') this.fail(place.error)
      else if (place.kind === 'unmatched') list(this.report.unmatched, result.item.externalId)
      else if (place.kind === 'join') {
        if (this.joins.row(line, result, place.item)) this.applied++
      } else {
        const written = ids ? { id: ids[next++], fresh: true } : this.itemFor(line, result.item)
        if (written) this.newRow(result, written.id, written.fresh)
      }
    }
    return true
  }

  /**
   * Where each row goes: found among the project's items (by id) or new; checked before anything of
   * the batch is written.
   */
  private place(rows: { line: number; result: MapResult }[]): Placement[] {
    const ok = rows.flatMap(({ result }) => (result.ok ? [result.item.externalId] : []))
    const found =
      this.lookup || this.joinOnly ? this.write.existing(ok, this.datasetId) : new Map<string, ExistingItem[]>()
    const m = this.request.mapping
    return rows.map(({ line, result }): Placement => {
      if (!result.ok) return { kind: 'new' }
      const matches = found.get(result.item.externalId)
      if (matches && matches.length > 1) {
        const datasets = matches.map((f) => f.dataset)
        return { kind: 'error', error: ambiguousId(line, m.id ?? undefined, result.item.externalId, datasets) }
      }
      if (matches) return { kind: 'join', item: matches[0] }
      if (this.joinOnly) return { kind: 'unmatched' }
      // A new item has no verdict in any version yet, so only a prompt version can refuse it.
      const refused = result.verdicts.find((v) => !this.targets[v.column].external)
      return refused ? { kind: 'error', error: promptVersion(m, this.targets, line, refused.column) } : { kind: 'new' }
    })
  }

  /**
   * A new item's id in the dataset under the duplicate policy (fresh: not a replaced one); null
   * when the row has none (reported, or skipped by policy).
   */
  private itemFor(line: number, item: MappedItem): { id: number; fresh: boolean } | null {
    const policy = this.request.duplicates
    if (this.datasetId === null) return null
    const written = this.write.item(this.datasetId, item, policy === 'abort' ? 'skip' : policy)
    if (!written || written.duplicate) {
      list(this.report.duplicates, item.externalId)
      if (policy === 'abort') {
        this.duplicate(line, item.externalId, null)
        return null
      }
    }
    return written && { id: written.id, fresh: !written.duplicate || policy === 'keep-both' }
  }

  /** A repeated id under "stop": an error that will say where the id first appeared. */
  private duplicate(line: number, id: string, first: number | null): void {
    const error: RecordError = {
      line,
      column: this.request.mapping.id ?? undefined,
      message: duplicateMessage(id, first),
    }
    if (this.duplicateErrors.length < 10) this.duplicateErrors.push({ id, first, error })
    this.fail(error)
  }

  /** Says where each listed repeated id first appeared (found by `firstLines` once the import has stopped). */
  locateFirsts(lines: Map<string, number>): void {
    for (const d of this.duplicateErrors)
      if (d.first === null) d.error.message = duplicateMessage(d.id, lines.get(d.id) ?? null)
  }

  private newRow(result: MapResult & { ok: true }, itemId: number, fresh: boolean): void {
    for (const label of result.labels) {
      this.write.label(itemId, label)
      tallyLabel(this.counts, label, 'added')
      this.splits.labeled(label, itemId, result.item.externalId)
    }
    for (const v of result.verdicts) {
      this.write.verdict(this.targets[v.column], itemId, v.verdict, v.critique)
      this.counts.verdicts[v.column].added++
    }
    for (const s of result.splits) this.write.split(itemId, s.criterion, s.split)
    this.splits.touched(itemId)
    this.applied++
    if (fresh) this.report.imported++
  }

  /** Checks what only the whole file can tell, places the items in their splits, and decides whether to commit. */
  end(cancelled: boolean): ImportReport {
    const { report, request, prepared } = this
    report.cancelled = cancelled
    // Rows the run went through, when it stopped before the reader's next progress (at its 100th problem, say).
    report.rows = Math.max(report.rows, this.candidates)
    if (!cancelled)
      for (const error of emptyColumnErrors(request.mapping, prepared.tallies, report.errors)) this.fail(error)
    report.columns = columnTallies(request.mapping, prepared.tallies, this.counts, this.targets)
    report.skipped = this.candidates + this.unread - this.applied - report.unmatched.count
    if (!this.keeps(cancelled)) {
      // Rolled back: nothing was imported or added, whatever the rows before the stop were.
      report.imported = 0
      report.matched = listed()
      for (const c of report.columns) c.added = c.unchanged = 0
      report.states = stateReport(this.repos, request.mapping, prepared.tallies, this.counts, false)
      return report
    }
    this.write.finish()
    report.warnings.push(
      ...this.splits.place({
        joined: report.matched.count > 0,
        replaced: request.duplicates === 'replace' && report.duplicates.count > 0,
      }),
    )
    this.joins.findNotJudged()
    if (this.datasetId !== null) {
      this.write.endDataset(this.datasetId, report.imported)
      if (report.imported === 0) {
        report.dataset = null
        report.datasetId = null
      }
    }
    report.mode = report.imported > 0 ? 'new' : 'join'
    report.states = stateReport(this.repos, request.mapping, prepared.tallies, this.counts, true)
    report.warnings.push(...joinWarnings(report, this.joins.keptVerdicts))
    report.committed = true
    return report
  }

  /**
   * Whether what was written is committed: not cancelled, nothing fatal, and bad rows only where they
   * may be skipped.
   */
  private keeps(cancelled: boolean): boolean {
    const { report, request } = this
    const fatal = report.errors.some((e) => e.fatal)
    // Duplicates under "stop" stop the import whatever the bad-row policy says.
    const duplicatesStop = request.duplicates === 'abort' && report.duplicates.count > 0
    return (
      !cancelled &&
      !fatal &&
      !duplicatesStop &&
      (report.errorCount === 0 || request.onError === 'skip') &&
      (report.imported > 0 || report.matched.count > 0 || this.joinOnly)
    )
  }
}

/**
 * The judge version each verdict column adds to; two columns writing one version would overwrite each
 * other's verdicts row by row.
 */
function verdictTargets(write: ImportWriter, m: Mapping, source: string): VersionTarget[] {
  const targets = m.verdicts.map((v) => write.version(v, source, m.assayExport === true))
  for (const [i, t] of targets.entries()) {
    const j = t.id === null ? i : targets.findIndex((o) => o.id === t.id)
    if (j < i)
      throw new AppError(
        'invalid_input',
        `The verdict columns "${m.verdicts[j].field}" and "${m.verdicts[i].field}" both go to judge "${m.verdicts[i].judge}" v${t.version}: name another judge for one of them, or make a new version for it.`,
      )
  }
  return targets
}
