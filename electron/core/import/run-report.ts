/**
 * The import's report as the run builds it: the empty report, the per-column tallies, the
 * step-wise summary, the warnings, and the messages of the rows the run refuses.
 */
import type { ColumnTally, ImportReport, Listed, Mapping } from '../../../shared/import'
import type { Repos } from '../db/repos'
import type { VersionTarget } from '../db/repos/imports'
import { transitionsOf } from '../taxonomy'
import type { TraceMatch } from './join'
import { glimpse } from './join'
import type { MappedLabel, MappedVerdict } from './mapping/apply'
import type { PreparedMapping } from './mapping/prepare'
import type { RecordError } from './types'

/** Errors, and ids of each list in the report, kept at most. */
export const MAX_LISTED = 100

/** An empty list of ids. */
export const listed = (): Listed => ({ count: 0, ids: [] })

/** Counts an id, and lists it while the list is short. */
export const list = (l: Listed, id: string): void => {
  l.count++
  if (l.ids.length < MAX_LISTED) l.ids.push(id)
}

/** Labels and verdicts written (`added`) or found there already (`unchanged`), per column. */
export interface WriteCounts {
  labels: { added: number; unchanged: number }[]
  verdicts: { added: number; unchanged: number }[]
  states: { added: number; unchanged: number }
}

/** Nothing written yet, for each label and verdict column of the mapping. */
export const newCounts = (m: Mapping): WriteCounts => ({
  labels: m.labels.map(() => ({ added: 0, unchanged: 0 })),
  verdicts: m.verdicts.map(() => ({ added: 0, unchanged: 0 })),
  states: { added: 0, unchanged: 0 },
})

/**
 * Counts a label written (`added`) or found there already (`unchanged`): with its column, and
 * with the step-wise columns if they made or completed it.
 */
export function tallyLabel(counts: WriteCounts, label: MappedLabel, what: 'added' | 'unchanged'): void {
  if (label.column >= 0) counts.labels[label.column][what]++
  if (label.byStates) counts.states[what]++
}

/** The report before the first row. */
export function emptyReport(
  mode: ImportReport['mode'],
  dataset: string | null,
  datasetId: number | null,
  idsGenerated: boolean,
  offered: ImportReport['offered'],
): ImportReport {
  return {
    mode,
    dataset,
    datasetId,
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
    offered,
    states: null,
    warnings: [],
    errors: [],
    errorCount: 0,
    committed: false,
    cancelled: false,
  }
}

/** What each label and verdict column held, and what became of it. */
export function columnTallies(
  m: Mapping,
  tallies: PreparedMapping['tallies'],
  counts: WriteCounts,
  targets: VersionTarget[],
): ColumnTally[] {
  const held = (t: PreparedMapping['tallies']['labels'][number]) => ({
    pass: t.pass,
    fail: t.fail,
    error: t.error,
    defer: t.defer,
    empty: t.empty,
    notes: t.notes,
  })
  return [
    ...m.labels.map((l, i): ColumnTally => ({
      kind: 'label',
      field: l.field ?? l.note ?? '',
      criterion: l.criterion,
      judge: null,
      version: null,
      ...held(tallies.labels[i]),
      ...counts.labels[i],
    })),
    ...m.verdicts.map((v, i): ColumnTally => {
      const target = targets[i]
      const version = target.id === null ? null : `v${target.version}${target.created ? ' (new)' : ''}`
      return {
        kind: 'verdict',
        field: v.field,
        criterion: v.criterion,
        judge: v.judge,
        version,
        ...held(tallies.verdicts[i]),
        ...counts.verdicts[i],
      }
    }),
  ]
}

/**
 * What the step-wise columns held and wrote, and (committed) the project's state order with
 * them: the order the user gave is kept for the project first.
 */
export function stateReport(
  repos: Repos,
  m: Mapping,
  tallies: PreparedMapping['tallies'],
  counts: WriteCounts,
  committed: boolean,
): ImportReport['states'] {
  const states = m.states
  if (!states) return null
  const t = tallies.states
  const given = states.order && states.order.length > 0 ? states.order : null
  if (committed && given) repos.taxonomy.setStateOrder(given)
  const order = committed
    ? transitionsOf(repos)
    : { states: [], orderSource: given ? ('user' as const) : ('inferred' as const), unfixed: [] }
  return {
    lastSuccess: states.lastSuccess,
    firstFailure: states.firstFailure,
    criterion: states.criterion,
    failed: t.failed,
    lastOnly: t.lastOnly,
    empty: t.empty,
    ...(committed ? counts.states : { added: 0, unchanged: 0 }),
    order: committed ? order.states.map((s) => s.state) : (given ?? []),
    orderSource: order.orderSource,
    unfixed: order.unfixed,
  }
}

/** What a committed import tells of the items it joined: shortened and filled-in texts, and notes not written. */
export function joinWarnings(report: ImportReport, keptVerdicts: number): string[] {
  const warnings: string[] = []
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`
  const first = (l: Listed) => l.ids.slice(0, 5).join(', ')
  if (report.textCut.count > 0) {
    warnings.push(
      `${items(report.textCut.count)} of this file hold a shortened copy of the stored trace (first: ${first(report.textCut)}): the whole stored text was kept, and the labels and verdicts added to it.`,
    )
  }
  if (report.textFilled.count > 0) {
    warnings.push(
      `${items(report.textFilled.count)} of the project lacked an input, output, messages or steps that this file has (first: ${first(report.textFilled)}): filled in from the file; nothing stored was replaced.`,
    )
  }
  if (keptVerdicts > 0) {
    warnings.push(
      `${keptVerdicts} deferral${keptVerdicts === 1 ? '' : 's'} or note${keptVerdicts === 1 ? '' : 's'} without a verdict were not imported: their items have a pass or fail by another annotator, which a deferral would hide. To add such notes, import them under that annotator's name (--annotator NAME).`,
    )
  }
  return warnings
}

/** A repeated id under "stop", with where it first appeared when that is known. */
export const duplicateMessage = (id: string, first: number | null): string =>
  `duplicate id "${id}"${first === null ? '' : ` (first on line ${first})`}: ids must be unique within the file. Map the column that holds unique ids, number the rows instead (no id column), or choose to keep the first, the last or all of the repeats.`

/** A row whose id names items in several datasets of the project. */
export function ambiguousId(line: number, column: string | undefined, id: string, datasets: string[]): RecordError {
  return {
    line,
    column,
    message: `id "${id}" matches items in ${datasets.length} datasets (${datasets.join(', ')}); which one this row is about cannot be told. Import into a project where ids are unique, or make the ids unique.`,
  }
}

/** Verdicts from a file for a judge version Assay runs from a prompt. */
export function promptVersion(m: Mapping, targets: VersionTarget[], line: number, column: number): RecordError {
  const v = m.verdicts[column]
  return {
    line,
    column: v.field,
    message: `judge "${v.judge}" v${targets[column].version} is a prompt that Assay runs, not an imported version: verdicts from a file cannot be added to it (it already has this item's verdict only if they agree). Import them as a new version of the judge (--judge-version new), or under another judge name.`,
  }
}

/** A joined row whose trace differs from the stored item's. */
export function otherTrace(m: Mapping, line: number, id: string, match: TraceMatch & { kind: 'differs' }): RecordError {
  const column = { input: m.input, output: m.output, messages: m.messages, steps: m.steps }[match.field]
  return {
    line,
    column: column ?? undefined,
    message: `item "${id}" of the project has another ${match.field} ("${glimpse(match.stored)}") than this row ("${glimpse(match.incoming)}"): this row's labels and verdicts are about its own text, so they cannot go to that item. Import the file as a copy to keep both traces (--existing copy; in the wizard, "import a copy"), or map an id column that tells them apart.`,
  }
}

/** A joined row's verdict that contradicts the item's verdict in the same judge version. */
export function otherVerdict(
  m: Mapping,
  target: VersionTarget,
  line: number,
  id: string,
  v: MappedVerdict,
  had: { verdict: string; critique: string },
): RecordError {
  const column = m.verdicts[v.column]
  const version = `judge "${column.judge}" v${target.version}`
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
