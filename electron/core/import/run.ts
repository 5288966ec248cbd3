import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type {
  ColumnTally,
  DuplicatePolicy,
  ExistingPolicy,
  ImportReport,
  Listed,
  Mapping,
  SplitName,
} from '../../../shared/import'
import { AppError } from '../../../shared/errors'
import { openConnection, type Db } from '../db/open'
import { createRepos, type Repos } from '../db/repos'
import { importWriter, ROWS_PER_INSERT, storedLabel, type ExistingItem, type VersionTarget } from '../db/repos/imports'
import { emptyColumnErrors } from './checks'
import { compareTrace, glimpse, stepsText, traceOf, type StoredTrace, type TraceMatch } from './join'
import type { MappedLabel, MappedVerdict, MapResult } from './mapping/apply'
import { joinOnly, prepareMapping, type PreparedMapping } from './mapping/prepare'
import { resolveStates } from './mapping/stepwise'
import { transitionsOf } from '../taxonomy'
import { mappedEvents } from './source'
import { ImportSplits } from './splits'
import type { FileFormat, LabelStates, MappedItem, RecordError } from './types'

export type { ImportReport }

export interface ImportRequest {
  file: string
  format: FileFormat
  delimiter?: ',' | ';' | '\t' | '|'
  mapping: Mapping
  /** Name of the new dataset; the file's name by default. */
  datasetName?: string
  /** Stop at bad rows (default, nothing is written) or skip them (counted and listed). */
  onError: 'abort' | 'skip'
  duplicates: DuplicatePolicy
  /** Rows whose id is already an item of the project: join them (default) or import a copy. */
  existing?: ExistingPolicy
  /** "These items are the test set": each imported item with a human label goes to this split. */
  split?: SplitName | null
  /** Label columns the caller left out of the mapping and offers instead (see `offerLabels`): echoed in the report. */
  offered?: ImportReport['offered']
}

export interface ImportProgress {
  rows: number
  bytes: number
  total: number
}

const MAX_LISTED = 100

const listed = (): Listed => ({ count: 0, ids: [] })
const list = (l: Listed, id: string): void => {
  l.count++
  if (l.ids.length < MAX_LISTED) l.ids.push(id)
}

/**
 * Imports a file into a project in one transaction on a connection of its own: either every
 * good row is committed, or (cancelled, killed, or stopped at a bad row) nothing is. Rows stream
 * through; memory stays flat except for span exports, whose traces must be assembled whole.
 *
 * A row whose id is an item of the project already joins it (unless `existing: 'copy'`): its
 * labels, verdicts, split and new metadata go to that item, and its trace text, if different, is
 * reported and not written. Anything that would make wrong data stops the import with where and
 * why: a mapped field no row has, a label or verdict column with no verdict in it, repeated ids, a
 * verdict that contradicts the one the item has in the same judge version.
 */
export async function runImport(
  projectPath: string,
  request: ImportRequest,
  options: {
    signal?: AbortSignal
    onProgress?: (p: ImportProgress) => void
    now?: () => Date
    nativeBinding?: string
  } = {},
): Promise<ImportReport> {
  const at = (options.now ?? (() => new Date()))().toISOString()
  const total = statSync(request.file).size // before opening anything: a missing file leaks no handle
  const db = openConnection(projectPath, options.nativeBinding)
  // A big transaction with SQLite's default 2 MB page cache spills pages to the WAL again and
  // again; 64 MB keeps the b-trees in memory (a fixed cap, so memory stays flat in file size).
  db.pragma('cache_size = -65536')
  // Every reference this connection writes is to a row it just wrote or looked up (items of the
  // new dataset, criteria, runs), so the per-row foreign-key lookups only cost time (~30%).
  db.pragma('foreign_keys = OFF')
  let lastProgress = 0
  let bytes = 0
  try {
    // Prepared before the transaction: a repository prepares pragmas, which SQLite refuses inside one.
    const repos = createRepos(db)
    db.exec('BEGIN IMMEDIATE')
    const prepared = prepareMapping(request.mapping)
    const run = new ImportRun(db, repos, request, prepared, at)
    const progress = (force = false) => {
      const now = Date.now()
      if (!force && now - lastProgress < 100) return
      lastProgress = now
      options.onProgress?.({ rows: run.report.rows, bytes, total })
    }
    read: for await (const events of mappedEvents(request, options.signal, prepared)) {
      for (const event of events) {
        if (event.kind === 'mapped') {
          if (!run.add(event.line, event.result)) break read
          continue
        }
        if (!run.flush() || run.stopping(options.signal)) break read
        if (event.kind === 'progress') {
          run.report.rows = event.rows
          bytes = event.bytes
          progress()
        } else if (!run.unreadable(event.error)) break read
      }
    }
    run.flush() // what is left when the file ends
    const report = run.end(Boolean(options.signal?.aborted))
    if (report.committed) {
      repos.project.log('import', { ...report, errors: report.errors.slice(0, 10) }, at)
      db.exec('COMMIT')
    } else {
      db.exec('ROLLBACK')
      report.datasetId = null
      // Where each repeated id first appeared: the file is read again, after the write lock is let go.
      if (run.duplicateErrors.length > 0)
        run.locateFirsts(
          await firstLines(
            request,
            run.duplicateErrors.filter((d) => d.first === null).map((d) => d.id),
          ),
        )
    }
    progress(true)
    return report
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    db.close()
  }
}

/** What became of one mapped row: a new item, an item of the project, nothing (reported), or a problem. */
type Placement =
  { kind: 'new' } | { kind: 'join'; item: ExistingItem } | { kind: 'unmatched' } | { kind: 'error'; error: RecordError }

/** One import in progress: the rows' writes, in file order, and what the report says of them. */
class ImportRun {
  readonly report: ImportReport
  private readonly write: ReturnType<typeof importWriter>
  private readonly source: string
  /** A file of labels or verdicts only: every row must name an item of the project. */
  private readonly joinOnly: boolean
  /** Whether rows' ids are looked up among the project's items (not for a copy, generated ids or an empty project). */
  private readonly lookup: boolean
  private readonly datasetId: number | null
  private readonly targets: VersionTarget[]
  private pending: { line: number; result: MapResult }[] = []
  /** Records offered as items (rows, or assembled traces), rows the reader rejected, and rows written (new, replacing or joined). */
  private candidates = 0
  private unread = 0
  private applied = 0
  private readonly joinedDatasets = new Set<number>()
  private readonly counts: {
    labels: { added: number; unchanged: number }[]
    verdicts: { added: number; unchanged: number }[]
    states: { added: number; unchanged: number }
  }
  /** Deferrals and notes not written because another annotator's verdict on the item would be hidden by them. */
  private keptVerdicts = 0
  /** What the import does with splits: the file's, the ones it places, the moves it reports. */
  private readonly splits: ImportSplits
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
    this.source = basename(request.file)
    this.joinOnly = joinOnly(m)
    const idsGenerated = m.id === null && m.spans === null
    this.lookup = !this.joinOnly && (request.existing ?? 'join') === 'join' && !idsGenerated && this.write.hasItems()
    const dataset = this.joinOnly ? null : (request.datasetName ?? this.source)
    this.datasetId = dataset === null ? null : this.write.dataset(dataset, request.file, request.format, m)
    this.targets = m.verdicts.map((v) => this.write.version(v, this.source, m.assayExport === true))
    // Two columns writing one version would overwrite each other's verdicts row by row.
    for (const [i, t] of this.targets.entries()) {
      const j = t.id === null ? i : this.targets.findIndex((o) => o.id === t.id)
      if (j < i)
        throw new AppError(
          'invalid_input',
          `The verdict columns "${m.verdicts[j].field}" and "${m.verdicts[i].field}" both go to judge "${m.verdicts[i].judge}" v${t.version}: name another judge for one of them, or make a new version for it.`,
        )
    }
    this.splits = new ImportSplits(db, repos, this.write, request, at)
    this.counts = {
      labels: m.labels.map(() => ({ added: 0, unchanged: 0 })),
      verdicts: m.verdicts.map(() => ({ added: 0, unchanged: 0 })),
      states: { added: 0, unchanged: 0 },
    }
    this.report = {
      mode: this.joinOnly ? 'join' : 'new',
      dataset,
      datasetId: this.datasetId,
      rows: 0,
      imported: 0,
      matched: listed(),
      skipped: 0,
      duplicates: listed(),
      unmatched: listed(),
      textCut: listed(),
      textFilled: listed(),
      notJudged: listed(),
      idsGenerated,
      columns: [],
      offered: request.offered ?? [],
      states: null,
      warnings: [],
      errors: [],
      errorCount: 0,
      committed: false,
      cancelled: false,
    }
  }

  /** Counts a label written (`added`) or found there already (`unchanged`): with its column, and with the step-wise columns if they made or completed it. */
  private tallyLabel(label: MappedLabel, what: 'added' | 'unchanged'): void {
    if (label.column >= 0) this.counts.labels[label.column][what]++
    if (label.byStates) this.counts.states[what]++
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
      else if (place.kind === 'join') this.joinRow(line, result, place.item)
      else {
        const written = ids ? { id: ids[next++], fresh: true } : this.itemFor(line, result.item)
        if (written) this.newRow(result, written.id, written.fresh)
      }
    }
    return true
  }

  /** Where each row goes: found among the project's items (by id) or new; checked before anything of the batch is written. */
  private place(rows: { line: number; result: MapResult }[]): Placement[] {
    const ok = rows.flatMap(({ result }) => (result.ok ? [result.item.externalId] : []))
    const found =
      this.lookup || this.joinOnly ? this.write.existing(ok, this.datasetId) : new Map<string, ExistingItem[]>()
    return rows.map(({ line, result }): Placement => {
      if (!result.ok) return { kind: 'new' }
      const matches = found.get(result.item.externalId)
      if (matches && matches.length > 1) {
        const column = this.request.mapping.id ?? undefined
        return {
          kind: 'error',
          error: {
            line,
            column,
            message: `id "${result.item.externalId}" matches items in ${matches.length} datasets (${matches.map((f) => f.dataset).join(', ')}); which one this row is about cannot be told. Import into a project where ids are unique, or make the ids unique.`,
          },
        }
      }
      if (matches) return { kind: 'join', item: matches[0] }
      if (this.joinOnly) return { kind: 'unmatched' }
      // A new item has no verdict in any version yet, so only a prompt version can refuse it.
      const refused = result.verdicts.find((v) => !this.targets[v.column].external)
      return refused ? { kind: 'error', error: this.promptVersion(line, refused.column) } : { kind: 'new' }
    })
  }

  private promptVersion(line: number, column: number): RecordError {
    const v = this.request.mapping.verdicts[column]
    return {
      line,
      column: v.field,
      message: `judge "${v.judge}" v${this.targets[column].version} is a prompt that Assay runs, not an imported version: verdicts from a file cannot be added to it (it already has this item's verdict only if they agree). Import them as a new version of the judge (--judge-version new), or under another judge name.`,
    }
  }

  /** A new item's id in the dataset under the duplicate policy (fresh: not a replaced one); null when the row has none (reported, or skipped by policy). */
  private itemFor(line: number, item: MappedItem): { id: number; fresh: boolean } | null {
    const policy = this.request.duplicates
    const written = this.write.item(this.datasetId!, item, policy === 'abort' ? 'skip' : policy)
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
      this.tallyLabel(label, 'added')
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

  /**
   * A row about an item of the project, which it joins: its labels and verdicts go to that item
   * (the same label or verdict again changes nothing), its split moves it, new metadata fields
   * are added, and trace parts the item lacks are filled in. Refused, before anything is written:
   * a trace that is not the stored one (the labels are about another text), a verdict that
   * contradicts the item's in the same judge version, and, under "stop", a second row for the item.
   */
  private joinRow(line: number, result: MapResult & { ok: true }, item: ExistingItem): void {
    const mapped = result.item
    const annotators = [...new Set(result.labels.map((l) => l.annotator))].join('\u0000')
    const first = this.write.joinedBefore(`${mapped.externalId}\u0000${annotators}`, line)
    if (first !== null) {
      list(this.report.duplicates, mapped.externalId)
      if (this.request.duplicates === 'abort') {
        this.duplicate(line, mapped.externalId, first)
        return
      }
      if (this.request.duplicates !== 'replace') return // skip; one item cannot be kept twice
      this.write.flush() // "keep the last": compared with what the earlier row wrote
    }

    let match: TraceMatch = { kind: 'same' }
    if (!this.joinOnly) {
      const stored = {
        input: item.input,
        output: item.output,
        messages: item.messages,
        steps: mapped.steps.length === 0 ? '[]' : stepsText(this.write.stepsOf(item.id)),
      }
      match = compareTrace(stored, traceOf(mapped))
      if (match.kind === 'differs') {
        this.fail(this.otherTrace(line, mapped.externalId, match))
        return
      }
    }

    const verdicts: { v: (typeof result.verdicts)[number]; same: boolean }[] = []
    for (const v of result.verdicts) {
      const target = this.targets[v.column]
      const had = this.write.verdictIn(target, item.id)
      const same = had !== undefined && had.verdict === v.verdict && had.critique === v.critique
      if (had && !same && !had.ours) {
        this.fail(this.otherVerdict(line, mapped.externalId, v, had))
        return
      }
      if (!had && !target.external) {
        this.fail(this.promptVersion(line, v.column))
        return
      }
      verdicts.push({ v, same })
    }

    // Step-wise labels name states; on an item with steps (stored, not in this file) they must be its steps.
    const labels: MappedLabel[] = []
    for (const label of result.labels) {
      const named = label.states && (label.states.firstFailure !== null || label.states.lastSuccess !== null)
      const steps = named && mapped.steps.length === 0 ? this.write.stepsOf(item.id).map((st) => st.name) : []
      if (steps.length === 0) {
        labels.push(label)
        continue
      }
      const resolved = resolveStates(steps, label.states!.lastSuccess, label.states!.firstFailure)
      if ('error' in resolved) {
        const m = this.request.mapping.states
        this.fail({
          line,
          column: (m?.firstFailure ?? m?.lastSuccess) || undefined,
          message: `item "${mapped.externalId}" of the project ${resolved.error}`,
        })
        return
      }
      labels.push({ ...label, states: resolved.states })
    }

    if (match.kind === 'fill' || match.kind === 'cut') this.fill(item.id, mapped, match.parts)
    if (match.kind === 'cut') list(this.report.textCut, mapped.externalId)
    if (!this.joinOnly) this.write.addMetadata(item, mapped.metadata)
    for (const label of labels) this.joinLabel(item.id, label)
    for (const { v, same } of verdicts) {
      if (same) {
        this.counts.verdicts[v.column].unchanged++
        continue
      }
      this.write.verdict(this.targets[v.column], item.id, v.verdict, v.critique)
      this.counts.verdicts[v.column].added++
    }
    for (const s of result.splits) this.splits.move(item.id, mapped.externalId, s.criterion, s.split)
    this.splits.touched(item.id)
    this.joinedDatasets.add(item.datasetId)
    this.applied++
    if (first === null) list(this.report.matched, mapped.externalId)
  }

  /**
   * A label for a joined item. The same label (verdict and note) again changes nothing. A row with
   * no verdict — a note alone, UNKNOWN, "defer" — never takes away a pass or fail: the
   * annotator's own verdict stays (with the new note), and another annotator's is not hidden
   * behind a deferral (counted; the report says how to add such notes).
   */
  private joinLabel(itemId: number, label: MappedLabel): void {
    const c = this.write.criterion(label.criterion)
    const had = this.write.currentLabel(itemId, c.id, label.annotator)
    let verdict = storedLabel(label.verdict)
    if (verdict === 'defer') {
      if (had && (had.verdict === 'pass' || had.verdict === 'fail')) verdict = had.verdict
      else if (this.write.hasVerdict(itemId, c.id)) {
        this.keptVerdicts++
        return
      }
    }
    const note = verdict !== storedLabel(label.verdict) && label.note === '' ? (had?.note ?? '') : label.note
    // A row that says nothing of states keeps the ones the same verdict has.
    const kept =
      had && had.verdict === verdict
        ? { firstFailingStep: had.firstFailingStep, lastSuccess: had.lastSuccess, firstFailure: had.firstFailure }
        : undefined
    const states = label.states ?? kept
    if (had && had.verdict === verdict && had.note === note && sameStates(had, states)) {
      this.tallyLabel(label, 'unchanged')
      return
    }
    this.write.label(itemId, { ...label, verdict, note, states })
    this.tallyLabel(label, 'added')
  }

  /** Fills in the parts of a joined item's trace it lacked. */
  private fill(itemId: number, mapped: MappedItem, parts: Partial<StoredTrace>): void {
    const { steps, ...text } = parts
    if (Object.keys(text).length > 0) this.write.fillText(itemId, text)
    if (steps !== undefined) this.write.fillSteps(itemId, mapped.steps)
    if (Object.keys(parts).length > 0) list(this.report.textFilled, mapped.externalId)
  }

  private otherTrace(line: number, id: string, match: TraceMatch & { kind: 'differs' }): RecordError {
    const m = this.request.mapping
    const column = { input: m.input, output: m.output, messages: m.messages, steps: m.steps }[match.field]
    return {
      line,
      column: column ?? undefined,
      message: `item "${id}" of the project has another ${match.field} ("${glimpse(match.stored)}") than this row ("${glimpse(match.incoming)}"): this row's labels and verdicts are about its own text, so they cannot go to that item. Import the file as a copy to keep both traces (--existing copy; in the wizard, "import a copy"), or map an id column that tells them apart.`,
    }
  }

  private otherVerdict(
    line: number,
    id: string,
    v: MappedVerdict,
    had: { verdict: string; critique: string },
  ): RecordError {
    const column = this.request.mapping.verdicts[v.column]
    const version = `judge "${column.judge}" v${this.targets[v.column].version}`
    const what =
      had.verdict !== v.verdict
        ? `verdict "${had.verdict}" in ${version}, and this file says "${v.verdict}"`
        : `verdict "${v.verdict}" in ${version} with another critique`
    return {
      line,
      column: column.field,
      message: `item "${id}" already has ${what}. Verdicts of another run are another version: import them as a new version (--judge-version new), or choose the version they belong to.`,
    }
  }

  /** Checks what only the whole file can tell, places the items in their splits, and decides whether to commit. */
  end(cancelled: boolean): ImportReport {
    const report = this.report
    report.cancelled = cancelled
    if (!cancelled)
      for (const error of emptyColumnErrors(this.request.mapping, this.prepared.tallies, report.errors))
        this.fail(error)
    report.columns = this.columns()
    report.skipped = this.candidates + this.unread - this.applied - report.unmatched.count
    const fatal = report.errors.some((e) => e.fatal)
    // Duplicates under "stop" stop the import whatever the bad-row policy says.
    const duplicatesStop = this.request.duplicates === 'abort' && report.duplicates.count > 0
    const keep =
      !cancelled &&
      !fatal &&
      !duplicatesStop &&
      (report.errorCount === 0 || this.request.onError === 'skip') &&
      (report.imported > 0 || report.matched.count > 0 || this.joinOnly)
    if (!keep) {
      // Rolled back: nothing was imported or added, whatever the rows before the stop were.
      report.imported = 0
      report.matched = listed()
      for (const c of report.columns) c.added = c.unchanged = 0
      report.states = this.stateReport(false)
      return report
    }

    this.write.finish()
    report.warnings.push(
      ...this.splits.place({
        joined: report.matched.count > 0,
        replaced: this.request.duplicates === 'replace' && report.duplicates.count > 0,
      }),
    )
    this.findNotJudged()
    if (this.datasetId !== null) {
      this.write.endDataset(this.datasetId, report.imported)
      if (report.imported === 0) {
        report.dataset = null
        report.datasetId = null
      }
    }
    report.mode = report.imported > 0 ? 'new' : 'join'
    report.states = this.stateReport(true)
    this.warn()
    report.committed = true
    return report
  }

  private warn(): void {
    const { report } = this
    const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`
    const first = (l: Listed) => l.ids.slice(0, 5).join(', ')
    if (report.textCut.count > 0) {
      report.warnings.push(
        `${items(report.textCut.count)} of this file hold a shortened copy of the stored trace (first: ${first(report.textCut)}): the whole stored text was kept, and the labels and verdicts added to it.`,
      )
    }
    if (report.textFilled.count > 0) {
      report.warnings.push(
        `${items(report.textFilled.count)} of the project lacked an input, output, messages or steps that this file has (first: ${first(report.textFilled)}): filled in from the file; nothing stored was replaced.`,
      )
    }
    if (this.keptVerdicts > 0) {
      report.warnings.push(
        `${this.keptVerdicts} deferral${this.keptVerdicts === 1 ? '' : 's'} or note${this.keptVerdicts === 1 ? '' : 's'} without a verdict were not imported: their items have a pass or fail by another annotator, which a deferral would hide. To add such notes, import them under that annotator's name (--annotator NAME).`,
      )
    }
  }

  /**
   * What the step-wise columns held and wrote, and (committed) the project's state order with
   * them: the order the user gave is kept for the project first.
   */
  private stateReport(committed: boolean): ImportReport['states'] {
    const m = this.request.mapping.states
    if (!m) return null
    const t = this.prepared.tallies.states
    const given = m.order && m.order.length > 0 ? m.order : null
    if (committed && given) this.repos.taxonomy.setStateOrder(given)
    const order = committed
      ? transitionsOf(this.repos)
      : { states: [], orderSource: given ? ('user' as const) : ('inferred' as const), unfixed: [] }
    return {
      lastSuccess: m.lastSuccess,
      firstFailure: m.firstFailure,
      criterion: m.criterion,
      failed: t.failed,
      lastOnly: t.lastOnly,
      empty: t.empty,
      ...(committed ? this.counts.states : { added: 0, unchanged: 0 }),
      order: committed ? order.states.map((s) => s.state) : (given ?? []),
      orderSource: order.orderSource,
      unfixed: order.unfixed,
    }
  }

  private columns(): ColumnTally[] {
    const m = this.request.mapping
    const { labels, verdicts } = this.prepared.tallies
    return [
      ...m.labels.map((l, i): ColumnTally => {
        const t = labels[i]
        return {
          kind: 'label',
          field: l.field ?? l.note ?? '',
          criterion: l.criterion,
          judge: null,
          version: null,
          pass: t.pass,
          fail: t.fail,
          error: t.error,
          defer: t.defer,
          empty: t.empty,
          ...this.counts.labels[i],
        }
      }),
      ...m.verdicts.map((v, i): ColumnTally => {
        const t = verdicts[i]
        const target = this.targets[i]
        const version = target.id === null ? null : `v${target.version}${target.created ? ' (new)' : ''}`
        return {
          kind: 'verdict',
          field: v.field,
          criterion: v.criterion,
          judge: v.judge,
          version,
          pass: t.pass,
          fail: t.fail,
          error: t.error,
          defer: t.defer,
          empty: t.empty,
          ...this.counts.verdicts[i],
        }
      }),
    ]
  }

  /** Verdicts that joined labeled items: the labeled items of those datasets that have no verdict in the version they went to. */
  private findNotJudged(): void {
    if (this.joinedDatasets.size === 0) return
    const missing = new Map<number, string>()
    for (const [i, v] of this.request.mapping.verdicts.entries()) {
      const judged = this.write.judgedIn(this.targets[i])
      for (const row of this.write.labeled(this.write.criterion(v.criterion).id, [...this.joinedDatasets]))
        if (!judged.has(row.id)) missing.set(row.id, row.externalId)
    }
    for (const externalId of missing.values()) list(this.report.notJudged, externalId)
  }
}

const sameStates = (a: LabelStates, b: LabelStates | undefined): boolean =>
  a.firstFailingStep === (b?.firstFailingStep ?? null) &&
  a.lastSuccess === (b?.lastSuccess ?? null) &&
  a.firstFailure === (b?.firstFailure ?? null)

const duplicateMessage = (id: string, first: number | null): string =>
  `duplicate id "${id}"${first === null ? '' : ` (first on line ${first})`}: ids must be unique within the file. Map the column that holds unique ids, number the rows instead (no id column), or choose to keep the first, the last or all of the repeats.`

/**
 * The line where each of `ids` first appears in the file: read again, only after an import
 * stopped at repeated ids, so that the import itself keeps no id → line table for every row.
 */
async function firstLines(request: ImportRequest, ids: string[]): Promise<Map<string, number>> {
  const wanted = new Set(ids)
  const found = new Map<string, number>()
  for await (const events of mappedEvents(request)) {
    for (const event of events) {
      if (event.kind !== 'mapped' || !event.result.ok) continue
      const id = event.result.item.externalId
      if (wanted.has(id) && !found.has(id)) found.set(id, event.line)
    }
    if (found.size === wanted.size) break
  }
  return found
}
