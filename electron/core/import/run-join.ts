/**
 * Rows about items the project has already, which they join: their labels and verdicts go to
 * that item (the same label or verdict again changes nothing), their split moves it, new metadata
 * fields are added, and trace parts the item lacks are filled in.
 */
import type { DuplicatePolicy, ImportReport, Mapping } from '../../../shared/import'
import { storedLabel, type ExistingItem, type ImportWriter, type VersionTarget } from '../db/repos/imports'
import { compareTrace, stepsText, traceOf, type StoredTrace, type TraceMatch } from './join'
import type { MappedLabel, MappedVerdict, MapResult } from './mapping/apply'
import { resolveStates } from './mapping/stepwise'
import { list, otherTrace, otherVerdict, promptVersion, tallyLabel, type WriteCounts } from './run-report'
import type { ImportSplits } from './splits'
import type { LabelStates, MappedItem, RecordError } from './types'

/** What joining shares with the rest of the run. */
export interface JoinContext {
  write: ImportWriter
  mapping: Mapping
  duplicates: DuplicatePolicy
  report: ImportReport
  targets: VersionTarget[]
  counts: WriteCounts
  splits: ImportSplits
  /** A file of labels or verdicts only: its rows bring no trace to compare. */
  joinOnly: boolean
  fail(error: RecordError): void
  /** A repeated id under "stop" (see `ImportRun`). */
  duplicate(line: number, id: string, first: number | null): void
}

type Mapped = MapResult & { ok: true }

/** The rows of one import that join items of the project. */
export class JoinRows {
  /** Deferrals and notes not written because another annotator's verdict on the item would be hidden by them. */
  keptVerdicts = 0
  /** Datasets of the items joined. */
  private readonly datasets = new Set<number>()

  constructor(private readonly run: JoinContext) {}

  /**
   * A row about an item of the project, which it joins; true when it was applied. Refused, before
   * anything is written: a trace that is not the stored one (the labels are about another text), a
   * verdict that contradicts the item's in the same judge version, and, under "stop", a second
   * row for the item.
   */
  row(line: number, result: Mapped, item: ExistingItem): boolean {
    const mapped = result.item
    const first = this.repeatOf(line, result)
    if (first === false) return false
    let match: TraceMatch = { kind: 'same' }
    if (!this.run.joinOnly) {
      match = this.compare(mapped, item)
      if (match.kind === 'differs') {
        this.run.fail(otherTrace(this.run.mapping, line, mapped.externalId, match))
        return false
      }
    }
    const verdicts = this.checkVerdicts(line, result, item.id)
    if (!verdicts) return false
    const labels = this.resolveLabels(line, result, item.id)
    if (!labels) return false
    const { write, report } = this.run
    if (match.kind === 'fill' || match.kind === 'cut') this.fill(item.id, mapped, match.parts)
    if (match.kind === 'cut') list(report.textCut, mapped.externalId)
    if (!this.run.joinOnly) write.addMetadata(item, mapped.metadata)
    for (const label of labels) this.label(item.id, label)
    this.writeVerdicts(item.id, verdicts)
    for (const s of result.splits) this.run.splits.move(item.id, mapped.externalId, s.criterion, s.split)
    this.run.splits.touched(item.id)
    this.datasets.add(item.datasetId)
    if (first === null) list(report.matched, mapped.externalId)
    return true
  }

  /**
   * The line of an earlier row of this import that joined the same item (with the same
   * annotators): null when none did, false when this row is dropped as a duplicate.
   */
  private repeatOf(line: number, result: Mapped): number | null | false {
    const mapped = result.item
    const annotators = [...new Set(result.labels.map((l) => l.annotator))].join('\u0000')
    const first = this.run.write.joinedBefore(`${mapped.externalId}\u0000${annotators}`, line)
    if (first === null) return null
    list(this.run.report.duplicates, mapped.externalId)
    if (this.run.duplicates === 'abort') {
      this.run.duplicate(line, mapped.externalId, first)
      return false
    }
    if (this.run.duplicates !== 'replace') return false // skip; one item cannot be kept twice
    this.run.write.flush() // "keep the last": compared with what the earlier row wrote
    return first
  }

  private compare(mapped: MappedItem, item: ExistingItem): TraceMatch {
    const stored = {
      input: item.input,
      output: item.output,
      messages: item.messages,
      steps: mapped.steps.length === 0 ? '[]' : stepsText(this.run.write.stepsOf(item.id)),
    }
    return compareTrace(stored, traceOf(mapped))
  }

  /** The row's verdicts, each with whether the item has it already; null (reported) when one cannot be added. */
  private checkVerdicts(line: number, result: Mapped, itemId: number): { v: MappedVerdict; same: boolean }[] | null {
    const { write, targets } = this.run
    const verdicts: { v: MappedVerdict; same: boolean }[] = []
    for (const v of result.verdicts) {
      const target = targets[v.column]
      const had = write.verdictIn(target, itemId)
      const same = had !== undefined && had.verdict === v.verdict && had.critique === v.critique
      if (had && !same && !had.ours) {
        this.run.fail(otherVerdict(this.run.mapping, target, line, result.item.externalId, v, had))
        return null
      }
      if (!had && !target.external) {
        this.run.fail(promptVersion(this.run.mapping, targets, line, v.column))
        return null
      }
      verdicts.push({ v, same })
    }
    return verdicts
  }

  /**
   * The row's labels; step-wise labels name states, and on an item with steps (stored, not in
   * this file) they must be its steps. Null (reported) when they are not.
   */
  private resolveLabels(line: number, result: Mapped, itemId: number): MappedLabel[] | null {
    const mapped = result.item
    const labels: MappedLabel[] = []
    for (const label of result.labels) {
      const states = label.states
      const named = states && (states.firstFailure !== null || states.lastSuccess !== null)
      const steps = named && mapped.steps.length === 0 ? this.run.write.stepsOf(itemId).map((st) => st.name) : []
      if (!states || steps.length === 0) {
        labels.push(label)
        continue
      }
      const resolved = resolveStates(steps, states.lastSuccess, states.firstFailure)
      if ('error' in resolved) {
        const m = this.run.mapping.states
        this.run.fail({
          line,
          column: (m?.firstFailure ?? m?.lastSuccess) || undefined,
          message: `item "${mapped.externalId}" of the project ${resolved.error}`,
        })
        return null
      }
      labels.push({ ...label, states: resolved.states })
    }
    return labels
  }

  private writeVerdicts(itemId: number, verdicts: { v: MappedVerdict; same: boolean }[]): void {
    const { write, targets, counts } = this.run
    for (const { v, same } of verdicts) {
      if (same) {
        counts.verdicts[v.column].unchanged++
        continue
      }
      write.verdict(targets[v.column], itemId, v.verdict, v.critique)
      counts.verdicts[v.column].added++
    }
  }

  /**
   * A label for a joined item. The same label (verdict and note) again changes nothing. A row with
   * no verdict — a note alone, UNKNOWN, "defer" — never takes away a pass or fail: the
   * annotator's own verdict stays (with the new note), and another annotator's is not hidden
   * behind a deferral (counted; the report says how to add such notes).
   */
  private label(itemId: number, label: MappedLabel): void {
    const { write, counts } = this.run
    const c = write.criterion(label.criterion)
    const had = write.currentLabel(itemId, c.id, label.annotator)
    let verdict = storedLabel(label.verdict)
    if (verdict === 'defer') {
      if (had && (had.verdict === 'pass' || had.verdict === 'fail')) verdict = had.verdict
      else if (write.hasVerdict(itemId, c.id)) {
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
      tallyLabel(counts, label, 'unchanged')
      return
    }
    write.label(itemId, { ...label, verdict, note, states })
    tallyLabel(counts, label, 'added')
  }

  /** Fills in the parts of a joined item's trace it lacked. */
  private fill(itemId: number, mapped: MappedItem, parts: Partial<StoredTrace>): void {
    const { steps, ...text } = parts
    if (Object.keys(text).length > 0) this.run.write.fillText(itemId, text)
    if (steps !== undefined) this.run.write.fillSteps(itemId, mapped.steps)
    if (Object.keys(parts).length > 0) list(this.run.report.textFilled, mapped.externalId)
  }

  /**
   * Verdicts that joined labeled items: the labeled items of those datasets that have no verdict in
   * the version they went to.
   */
  findNotJudged(): void {
    if (this.datasets.size === 0) return
    const { write, targets, mapping, report } = this.run
    const missing = new Map<number, string>()
    for (const [i, v] of mapping.verdicts.entries()) {
      const judged = write.judgedIn(targets[i])
      for (const row of write.labeled(write.criterion(v.criterion).id, [...this.datasets]))
        if (!judged.has(row.id)) missing.set(row.id, row.externalId)
    }
    for (const externalId of missing.values()) list(report.notJudged, externalId)
  }
}

const sameStates = (a: LabelStates, b: LabelStates | undefined): boolean =>
  a.firstFailingStep === (b?.firstFailingStep ?? null) &&
  a.lastSuccess === (b?.lastSuccess ?? null) &&
  a.firstFailure === (b?.firstFailure ?? null)
