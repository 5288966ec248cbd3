import { statSync } from 'node:fs'
import { basename } from 'node:path'
import type { ColumnTally, DuplicatePolicy, ExistingPolicy, ImportReport, Listed, Mapping, SplitName } from '../../../shared/import'
import { openConnection, type Db } from '../db/open'
import { createRepos, type Repos } from '../db/repos'
import { importWriter, ROWS_PER_INSERT, storedLabel, type ExistingItem, type VersionTarget } from '../db/repos/imports'
import { assign } from '../judge/splits'
import { emptyColumnError } from './checks'
import { joinOnly, prepareMapping, type MapResult, type PreparedMapping } from './mapping'
import { mappedEvents } from './source'
import type { FileFormat, MappedItem, RecordError } from './types'

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
  options: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; now?: () => Date; nativeBinding?: string } = {},
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
    if (!report.committed && run.duplicateErrors.length > 0) await run.locateFirsts(await firstLines(request, run.duplicateErrors.map((d) => d.id)))
    if (report.committed) {
      db.prepare('INSERT INTO events (at, kind, payload_json) VALUES (?, ?, ?)').run(at, 'import', JSON.stringify({ ...report, errors: report.errors.slice(0, 10) }))
      db.exec('COMMIT')
    } else {
      db.exec('ROLLBACK')
      report.datasetId = null
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
type Placement = { kind: 'new' } | { kind: 'join'; item: ExistingItem } | { kind: 'unmatched' } | { kind: 'error'; error: RecordError }

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
  /** Records offered as items (rows, or assembled traces) and rows the reader rejected. */
  private candidates = 0
  private unread = 0
  /** Items this import wrote to, new or joined: "these items are the test set" places them. */
  private readonly touched = new Set<number>()
  private readonly joinedDatasets = new Set<number>()
  /** Per verdict column: the items it gave a verdict (new or the same as before). */
  private readonly judged: Set<number>[]
  private readonly counts: { labels: { added: number; unchanged: number }[]; verdicts: { added: number; unchanged: number }[] }
  /** What this import wrote to items that existed before it (the tables lag behind the batched writes). */
  private readonly recentLabels = new Map<string, { verdict: string; note: string }>()
  private readonly recentVerdicts = new Map<string, { verdict: string; critique: string }>()
  /** The first repeated ids' errors, to be told where each id first appeared. */
  readonly duplicateErrors: { id: string; error: RecordError }[] = []
  /** Items whose split this import changed. */
  private readonly moves: { criterion: string; criterionId: number; externalId: string; from: SplitName; to: SplitName }[] = []

  constructor(
    private readonly db: Db,
    private readonly repos: Repos,
    private readonly request: ImportRequest,
    private readonly prepared: PreparedMapping,
    private readonly at: string,
  ) {
    const m = request.mapping
    this.write = importWriter(db, at)
    this.source = basename(request.file)
    this.joinOnly = joinOnly(m)
    const idsGenerated = m.id === null && m.spans === null
    this.lookup = !this.joinOnly && (request.existing ?? 'join') === 'join' && !idsGenerated && this.write.hasItems()
    const dataset = this.joinOnly ? null : (request.datasetName ?? this.source)
    this.datasetId = this.joinOnly
      ? null
      : Number(
          db
            .prepare('INSERT INTO datasets (name, source_path, format, mapping_json, row_count, created_at) VALUES (?, ?, ?, ?, 0, ?)')
            .run(dataset, request.file, request.format, JSON.stringify(m), at).lastInsertRowid,
        )
    this.targets = m.verdicts.map((v) => this.write.version(v, this.source))
    this.judged = m.verdicts.map(() => new Set<number>())
    this.counts = { labels: m.labels.map(() => ({ added: 0, unchanged: 0 })), verdicts: m.verdicts.map(() => ({ added: 0, unchanged: 0 })) }
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
      textChanged: listed(),
      textFilled: listed(),
      notJudged: listed(),
      idsGenerated,
      columns: [],
      offered: request.offered ?? [],
      warnings: [],
      errors: [],
      errorCount: 0,
      committed: false,
      cancelled: false,
    }
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
      if (result.ok && places[i]!.kind === 'new') fresh.push(result.item)
    })
    const ids = this.datasetId === null ? null : this.write.items(this.datasetId, fresh)
    let next = 0
    for (const [i, { line, result }] of rows.entries()) {
      if (this.stopping()) return false
      this.candidates++
      const place = places[i]!
      if (!result.ok) this.fail(result.error)
      else if (place.kind === 'error') this.fail(place.error)
      else if (place.kind === 'unmatched') list(this.report.unmatched, result.item.externalId)
      else if (place.kind === 'join') this.joinRow(line, result, place.item)
      else {
        const itemId = ids ? ids[next++]! : this.itemFor(line, result.item)
        if (itemId !== null) this.newRow(result, itemId)
      }
    }
    return true
  }

  /** Where each row goes: found among the project's items (by id) or new; checked before anything of the batch is written. */
  private place(rows: { line: number; result: MapResult }[]): Placement[] {
    const ok = rows.flatMap(({ result }) => (result.ok ? [result.item.externalId] : []))
    const found = this.lookup || this.joinOnly ? this.write.existing(ok, this.datasetId) : new Map<string, ExistingItem[]>()
    return rows.map(({ line, result }): Placement => {
      if (!result.ok) return { kind: 'new' }
      const matches = found.get(result.item.externalId)
      if (matches && matches.length > 1) {
        const column = this.request.mapping.id ?? undefined
        return { kind: 'error', error: { line, column, message: `id "${result.item.externalId}" matches items in ${matches.length} datasets (${matches.map((f) => f.dataset).join(', ')}); which one this row is about cannot be told. Import into a project where ids are unique, or make the ids unique.` } }
      }
      if (matches) return { kind: 'join', item: matches[0]! }
      if (this.joinOnly) return { kind: 'unmatched' }
      // A new item has no verdict in any version yet, so only a prompt version can refuse it.
      const refused = result.verdicts.find((v) => !this.targets[v.column]!.external)
      return refused ? { kind: 'error', error: this.promptVersion(line, refused.column) } : { kind: 'new' }
    })
  }

  private promptVersion(line: number, column: number): RecordError {
    const v = this.request.mapping.verdicts[column]!
    return {
      line,
      column: v.field,
      message: `judge "${v.judge}" v${this.targets[column]!.version} is a prompt that Assay runs, not an imported version: verdicts from a file cannot be added to it (it already has this item's verdict only if they agree). Import them as a new version of the judge (--judge-version new), or under another judge name.`,
    }
  }

  /** A new item's id in the dataset under the duplicate policy: null when the row has none (reported, or skipped by policy). */
  private itemFor(line: number, item: MappedItem): number | null {
    const policy = this.request.duplicates
    const written = this.write.item(this.datasetId!, item, policy === 'abort' ? 'skip' : policy)
    if (!written || written.duplicate) {
      list(this.report.duplicates, item.externalId)
      if (policy === 'abort') {
        const error: RecordError = { line, column: this.request.mapping.id ?? undefined, message: duplicateMessage(item.externalId, null) }
        if (this.duplicateErrors.length < 10) this.duplicateErrors.push({ id: item.externalId, error })
        this.fail(error)
        return null
      }
    }
    return written ? written.id : null
  }

  /** Says where each listed repeated id first appeared (found by `firstLines` once the import has stopped). */
  locateFirsts(lines: Map<string, number>): void {
    for (const { id, error } of this.duplicateErrors) error.message = duplicateMessage(id, lines.get(id) ?? null)
  }

  private newRow(result: MapResult & { ok: true }, itemId: number): void {
    for (const label of result.labels) {
      this.write.label(itemId, label)
      this.counts.labels[label.column]!.added++
    }
    for (const v of result.verdicts) {
      this.write.verdict(this.targets[v.column]!, itemId, v.verdict, v.critique)
      this.counts.verdicts[v.column]!.added++
      this.judged[v.column]!.add(itemId)
    }
    for (const s of result.splits) this.write.split(itemId, s.criterion, s.split)
    this.touched.add(itemId)
    this.report.imported++
  }

  /**
   * A row about an item of the project: its labels and verdicts go to that item (the same label
   * or verdict again changes nothing), its split moves it, new metadata fields are added; a trace
   * text that differs from the stored one is reported and the stored one kept. A verdict that
   * contradicts the item's verdict in the same judge version refuses the whole row.
   */
  private joinRow(line: number, result: MapResult & { ok: true }, item: ExistingItem): void {
    const verdicts: { v: (typeof result.verdicts)[number]; same: boolean }[] = []
    for (const v of result.verdicts) {
      const target = this.targets[v.column]!
      const had = this.recentVerdicts.get(`${target.version}\u0000${v.column}\u0000${item.id}`) ?? this.write.verdictIn(target, item.id)
      if (had && (had.verdict !== v.verdict || had.critique !== v.critique)) {
        const column = this.request.mapping.verdicts[v.column]!
        const version = `judge "${column.judge}" v${target.version}`
        const what = had.verdict !== v.verdict ? `verdict "${had.verdict}" in ${version}, and this file says "${v.verdict}"` : `verdict "${v.verdict}" in ${version} with another critique`
        this.fail({
          line,
          column: column.field,
          message: `item "${result.item.externalId}" already has ${what}. Verdicts of another run are another version: import them as a new version (--judge-version new), or choose the version they belong to.`,
        })
        return
      }
      if (!had && !target.external) return this.fail(this.promptVersion(line, v.column))
      verdicts.push({ v, same: had !== undefined })
    }

    const mapped = result.item
    if (!this.joinOnly) {
      this.compareText(item, mapped)
      this.write.addMetadata(item, mapped.metadata)
    }
    for (const label of result.labels) {
      const c = this.write.criterion(label.criterion)
      const key = `${item.id}\u0000${c.id}\u0000${label.annotator}`
      const had = this.recentLabels.get(key) ?? this.write.currentLabel(item.id, c.id, label.annotator)
      const verdict = storedLabel(label.verdict)
      if (had && had.verdict === verdict && had.note === label.note) {
        this.counts.labels[label.column]!.unchanged++
        continue
      }
      this.write.label(item.id, label)
      this.recentLabels.set(key, { verdict, note: label.note })
      this.counts.labels[label.column]!.added++
    }
    for (const { v, same } of verdicts) {
      this.judged[v.column]!.add(item.id)
      if (same) {
        this.counts.verdicts[v.column]!.unchanged++
        continue
      }
      const target = this.targets[v.column]!
      this.write.verdict(target, item.id, v.verdict, v.critique)
      this.recentVerdicts.set(`${target.version}\u0000${v.column}\u0000${item.id}`, { verdict: v.verdict, critique: v.critique })
      this.counts.verdicts[v.column]!.added++
    }
    for (const s of result.splits) this.moveSplit(item.id, mapped.externalId, s.criterion, s.split)
    this.touched.add(item.id)
    this.joinedDatasets.add(item.datasetId)
    list(this.report.matched, mapped.externalId)
  }

  /**
   * The file's trace against the stored one: what the item lacks (an empty input, output or no
   * messages) is filled in; what differs is reported and the stored text kept.
   */
  private compareText(item: ExistingItem, mapped: MappedItem): void {
    const messages = mapped.messages.length === 0 ? '[]' : JSON.stringify(mapped.messages)
    const fill: { input?: string; output?: string; messages?: string } = {}
    let differs = false
    const check = (key: 'input' | 'output' | 'messages', stored: string, incoming: string, empty: string) => {
      if (stored === incoming || incoming === empty || incoming.trim() === '') return
      if (stored === empty || stored.trim() === '') fill[key] = incoming
      else differs = true
    }
    check('input', item.input, mapped.input, '')
    check('output', item.output, mapped.output, '')
    check('messages', item.messages, messages, '[]')
    if (differs) list(this.report.textChanged, mapped.externalId)
    else if (Object.keys(fill).length > 0) {
      this.write.fillText(item.id, fill)
      list(this.report.textFilled, mapped.externalId)
    }
  }

  private moveSplit(itemId: number, externalId: string, criterion: string, split: SplitName): void {
    const criterionId = this.write.criterion(criterion).id
    const from = this.write.moveSplit(itemId, criterionId, split)
    if (from !== null) this.moves.push({ criterion, criterionId, externalId, from, to: split })
  }

  /** Checks what only the whole file can tell, places the items in their splits, and decides whether to commit. */
  end(cancelled: boolean): ImportReport {
    const report = this.report
    const m = this.request.mapping
    report.cancelled = cancelled
    if (!cancelled) {
      // A column the file does not have was reported as such already.
      const missing = new Set(report.errors.filter((e) => e.fatal).map((e) => e.column))
      for (const [i, l] of m.labels.entries()) {
        const error = l.field === null || missing.has(l.field) ? null : emptyColumnError({ kind: 'label', field: l.field, criterion: l.criterion, judge: null }, this.prepared.tallies.labels[i]!)
        if (error) this.fail(error)
      }
      for (const [i, v] of m.verdicts.entries()) {
        const error = missing.has(v.field) ? null : emptyColumnError({ kind: 'verdict', field: v.field, criterion: v.criterion, judge: v.judge }, this.prepared.tallies.verdicts[i]!)
        if (error) this.fail(error)
      }
    }
    report.columns = this.columns()
    report.skipped = this.candidates + this.unread - report.imported - report.matched.count - report.unmatched.count
    const fatal = report.errors.some((e) => e.fatal)
    // Duplicates under "stop" stop the import whatever the bad-row policy says.
    const duplicatesStop = this.request.duplicates === 'abort' && report.duplicates.count > 0
    const keep = !cancelled && !fatal && !duplicatesStop && (report.errorCount === 0 || this.request.onError === 'skip') && (report.imported > 0 || report.matched.count > 0 || this.joinOnly)
    if (!keep) {
      // Rolled back: nothing was imported or added, whatever the rows before the stop were.
      report.imported = 0
      report.matched = listed()
      return report
    }

    this.write.finish()
    this.placeSplits()
    this.findNotJudged()
    if (this.datasetId !== null) {
      if (report.imported > 0) this.db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?').run(report.imported, this.datasetId)
      else {
        this.db.prepare('DELETE FROM datasets WHERE id = ?').run(this.datasetId)
        report.dataset = null
        report.datasetId = null
      }
    }
    report.mode = report.imported > 0 ? 'new' : 'join'
    if (report.textChanged.count > 0) {
      report.warnings.push(
        `${report.textChanged.count} item${report.textChanged.count === 1 ? '' : 's'} of the project ha${report.textChanged.count === 1 ? 's' : 've'} another input, output or messages than this file (first: ${report.textChanged.ids.slice(0, 5).join(', ')}): the stored trace${report.textChanged.count === 1 ? ' was' : 's were'} kept, and the labels and verdicts added to ${report.textChanged.count === 1 ? 'it' : 'them'}. To keep both texts, import the file as a copy (--existing copy; in the wizard, "Rows whose id is in the project: import a copy").`,
      )
    }
    if (report.textFilled.count > 0) {
      report.warnings.push(
        `${report.textFilled.count} item${report.textFilled.count === 1 ? '' : 's'} of the project lacked an input, output or messages that this file has (first: ${report.textFilled.ids.slice(0, 5).join(', ')}): filled in from the file; nothing stored was replaced.`,
      )
    }
    report.committed = true
    return report
  }

  private columns(): ColumnTally[] {
    const m = this.request.mapping
    const { labels, verdicts } = this.prepared.tallies
    return [
      ...m.labels.flatMap((l, i): ColumnTally[] => {
        const t = labels[i]!
        return [{ kind: 'label', field: l.field ?? l.note ?? '', criterion: l.criterion, judge: null, version: null, pass: t.pass, fail: t.fail, error: t.error, defer: t.defer, empty: t.empty, ...this.counts.labels[i]! }]
      }),
      ...m.verdicts.map((v, i): ColumnTally => {
        const t = verdicts[i]!
        const target = this.targets[i]!
        const version = target.id === null ? null : `v${target.version}${target.created ? ' (new)' : ''}`
        return { kind: 'verdict', field: v.field, criterion: v.criterion, judge: v.judge, version, pass: t.pass, fail: t.fail, error: t.error, defer: t.defer, empty: t.empty, ...this.counts.verdicts[i]! }
      }),
    ]
  }

  /**
   * Splits once the rows are written: "these items are the test set" puts every item of the
   * import that has a human label on a criterion of the file in that split; every other labeled
   * item of those criteria without a split gets one at once (seeded, stratified). A move out of a
   * test split whose results were viewed is a warning, and every move is in the events.
   */
  private placeSplits(): void {
    const m = this.request.mapping
    const criteria = [...new Set([...m.labels.map((l) => l.criterion), ...m.verdicts.map((v) => v.criterion), ...m.splits.map((s) => s.criterion)])]
    const split = this.request.split ?? null
    if (split !== null) {
      for (const name of criteria) {
        const criterionId = this.write.criterion(name).id
        for (const row of this.write.labeled(criterionId)) if (this.touched.has(row.id)) this.moveSplit(row.id, row.externalId, name, split)
      }
    }
    const d = { repos: this.repos, transaction: <T>(fn: () => T) => this.db.transaction(fn)(), now: this.at, place: this.write.placeSplit }
    for (const name of criteria) {
      assign(d, this.write.criterion(name).id)
      this.write.flush()
    }
    this.recordMoves()
  }

  private recordMoves(): void {
    const byCriterion = new Map<number, typeof this.moves>()
    for (const move of this.moves) byCriterion.set(move.criterionId, [...(byCriterion.get(move.criterionId) ?? []), move])
    for (const [criterionId, moves] of byCriterion) {
      const viewed = this.write.testViewed(criterionId)
      const out = moves.filter((x) => x.from === 'test')
      this.db.prepare('INSERT INTO events (at, kind, payload_json) VALUES (?, ?, ?)').run(
        this.at,
        'splits.moved',
        JSON.stringify({ criterionId, criterion: moves[0]!.criterion, source: this.source, count: moves.length, moves: moves.slice(0, MAX_LISTED).map((x) => ({ id: x.externalId, from: x.from, to: x.to })), testViewed: viewed }),
      )
      if (viewed && out.length > 0) {
        this.report.warnings.push(
          `${out.length} item${out.length === 1 ? '' : 's'} of "${moves[0]!.criterion}" moved out of the test split (first: ${out.slice(0, 5).map((x) => x.externalId).join(', ')}) after ${viewed}'s test results were viewed: those results no longer describe a held-out set. The move is recorded in the project's events.`,
        )
      }
    }
  }

  /** Verdict files that joined labeled items: the labeled items of those datasets that got no verdict from the file. */
  private findNotJudged(): void {
    if (this.joinedDatasets.size === 0) return
    const missing = new Map<number, string>()
    for (const [i, v] of this.request.mapping.verdicts.entries()) {
      for (const row of this.write.labeled(this.write.criterion(v.criterion).id, [...this.joinedDatasets])) if (!this.judged[i]!.has(row.id)) missing.set(row.id, row.externalId)
    }
    for (const externalId of missing.values()) list(this.report.notJudged, externalId)
  }
}

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
