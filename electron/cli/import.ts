import { existsSync, rmSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  Delimiter,
  DuplicatePolicy,
  EMPTY_MAPPING,
  ExistingPolicy,
  FileFormat,
  Mapping,
  SplitName,
  type ImportReport,
  type Mapping as MappingType,
} from '../../shared/import'
import { openContext } from '../core/context'
import { detectFormat } from '../core/import/detect'
import { suggestMapping } from '../core/import/mapping/suggest'
import { offerLabels, sampleMatches } from '../core/import/plan'
import { runImport, type ImportProgress } from '../core/import/run'
import type { Detected } from '../core/import/types'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay import PROJECT FILE [--format F] [--delimiter D] [--records KEY] [--map KEY=FIELD ...]
                    [--on-error abort|skip] [--duplicates abort|skip|replace|keep-both]
                    [--existing join|copy] [--split train|dev|test]
                    [--judge NAME] [--judge-version N|new] [--state-order A,B,…]
                    [--dataset NAME] [--annotator NAME] [--no-suggest] [--progress] [--json]

Imports traces (or labels and judge verdicts for items already in PROJECT) from FILE, in one
transaction: either every good row is imported, or nothing is. Creates PROJECT if it does not
exist (and removes it again if nothing could be imported). The format and the mapping are
detected; --map overrides one part of the mapping. A mapped field that the file does not have,
a label or verdict column with no verdict in it, or an id column whose values repeat stops the
import with what was wrong and where.

  --format F        csv, jsonl, json-array, json-records, json-columns (pandas), parquet,
                    promptfoo (results.json) or inspect (an Inspect AI .eval or .json log). Span exports
                    are recognised and grouped into traces: LangSmith runs, Langfuse traces (with
                    observations and scores) or observations, Braintrust events, OpenInference,
                    OpenTelemetry (OTLP JSON)
  --delimiter D     for csv: , ; tab |
  --records KEY     for a JSON object holding several arrays: the key of the records (\`test\`,
                    or \`results.items\` one level down)
  --map KEY=FIELD   KEY is one of:
                      id, input, output, messages, steps    the trace
                      trace=F, span=F, parent=F            group rows (spans, runs) into traces by hand:
                                                           trace id, span id, parent span id fields
                                                           (span-name=F, span-start=F order the steps);
                                                           a parent naming no span of its trace, or a
                                                           cycle, is an error; trace= unmaps grouping
                      label=F  or  label:CRITERION=F       a human verdict column (pass/fail)
                      note=F   or  note:CRITERION=F        its note column
                      verdict:JUDGE=F  or  verdict:JUDGE@CRITERION=F   a judge verdict column
                      critique:JUDGE=F                     that judge's critique column
                      threshold:JUDGE=N  or  threshold=N   numeric scores: N or more is a pass, less a
                                                           fail (one judge, or every verdict column);
                                                           without one a numeric score stops the import
                      split=F  or  split:CRITERION=F       a train/dev/test column
                      last-success=F, first-failure=F      step-wise labels: per trace, the last state
                                                           that succeeded and the first that failed
                                                           (step or agent state names, e.g. tool names);
                                                           a named first failure is a fail on Overall
                                                           (first-failure:CRITERION=F for another)
                      metadata=F1,F2                       fields kept as metadata
                      unit=step:NAME                       review one pipeline step across traces
                    a FIELD may be a column name or a dotted path into JSON (attributes.input.value);
                    an empty FIELD (id=) unmaps it (no id column: rows are numbered row-<line>)
  --on-error        abort (default): stop at bad rows and import nothing; skip: skip and list them
  --duplicates      what to do with ids repeated within FILE (default abort: stop, with their lines)
  --existing        rows whose id is already an item of PROJECT: join (default) adds their labels,
                    verdicts, split and new metadata to that item (a differing trace text is
                    reported, the stored one kept); copy imports them again as new items
  --split S         "these items are the S set": every item of FILE with a human label goes to
                    split S (train, dev or test) of each criterion FILE labels or judges
  --judge NAME      the judge of the file's verdict column (default: the column's name)
  --judge-version V add the verdicts to version V of the judge, or make a new one (new); by default
                    they go to the judge's newest imported version (a new one if it has none), so
                    a judge's test and production verdicts from two files are one version
  --dataset NAME    name of the new dataset (default: the file name)
  --state-order A,B,…  the order of the states the step-wise columns name (rows naming another
                    state, or a last success not before its first failure, are refused); kept for
                    the project. Without it the order is inferred from the data, and printed
  --annotator NAME  who made the labels in FILE (default "imported", or the file's annotator column):
                    import a colleague's labels under their name to measure agreement (Cohen's κ)
  --no-suggest      start from an empty mapping instead of the detected one
  --progress        print "N rows read (P%)" to standard error as the import goes (before it commits)
  --json            print the report: {dataset, rows, imported, matched, skipped, duplicates,
                    unmatched, textCut, textFilled, notJudged, idsGenerated, columns, offered, warnings,
                    errors: [{line, column, message}], committed, ...}

A file of judge verdicts for items PROJECT has already does not import its human-label column
again (it is listed under "offered"); map it (--map label=COLUMN) to import it too.
Exit code 0 when the import was committed, 1 otherwise.`

/** The command's options, parsed and checked. */
interface ImportArgs {
  project: string
  file: string
  values: ReturnType<typeof parseImportArgs>['values']
  onError: 'abort' | 'skip'
  duplicates: DuplicatePolicy
  existing: ExistingPolicy
  split: SplitName | null
  format: FileFormat | undefined
  delimiter: Delimiter | undefined
  recordsKey: string | undefined
}

function parseImportArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      delimiter: { type: 'string' },
      records: { type: 'string' },
      map: { type: 'string', multiple: true, default: [] },
      'on-error': { type: 'string', default: 'abort' },
      duplicates: { type: 'string', default: 'abort' },
      existing: { type: 'string', default: 'join' },
      split: { type: 'string' },
      judge: { type: 'string' },
      'judge-version': { type: 'string' },
      dataset: { type: 'string' },
      annotator: { type: 'string' },
      'state-order': { type: 'string' },
      'no-suggest': { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
}

/** The command line, checked: each bad value refused with the values it may take. */
function importArgs(args: string[], cwd: string): ImportArgs {
  const { values, positionals } = parseImportArgs(args)
  if (positionals.length !== 2)
    throw new CliError('bad_arguments', 'import needs PROJECT and FILE, e.g. `assay import evals.assay traces.csv`.')
  const project = resolve(cwd, positionals[0])
  const file = resolve(cwd, positionals[1])
  if (!existsSync(file)) throw new CliError('not_found', `No file at ${file}.`)
  const onError = values['on-error']
  if (onError !== 'abort' && onError !== 'skip')
    throw new CliError('bad_arguments', `--on-error must be abort or skip, got "${onError}".`)
  const duplicates = DuplicatePolicy.safeParse(values.duplicates)
  if (!duplicates.success)
    throw new CliError(
      'bad_arguments',
      `--duplicates must be abort, skip, replace or keep-both, got "${values.duplicates}".`,
    )
  const existing = ExistingPolicy.safeParse(values.existing)
  if (!existing.success)
    throw new CliError('bad_arguments', `--existing must be join or copy, got "${values.existing}".`)
  const split = values.split === undefined ? null : SplitName.safeParse(values.split)
  if (split && !split.success)
    throw new CliError('bad_arguments', `--split must be train, dev or test, got "${values.split}".`)
  const format = values.format === undefined ? undefined : FileFormat.safeParse(values.format)
  if (format && !format.success)
    throw new CliError(
      'bad_arguments',
      `--format must be one of ${FileFormat.options.join(', ')}, got "${values.format}".`,
    )
  if (values.records === '')
    throw new CliError('bad_arguments', '--records needs the key of an array, e.g. --records test.')
  const delimiter =
    values.delimiter === undefined
      ? undefined
      : Delimiter.safeParse(values.delimiter === 'tab' ? '\t' : values.delimiter)
  if (delimiter && !delimiter.success)
    throw new CliError('bad_arguments', `--delimiter must be , ; tab or |, got "${values.delimiter}".`)
  return {
    project,
    file,
    values,
    onError,
    duplicates: duplicates.data,
    existing: existing.data,
    split: split?.data ?? null,
    format: format?.data,
    delimiter: delimiter?.data,
    recordsKey: values.records,
  }
}

/** The detected (or empty) mapping with the command line's overrides. */
function mappingOf(detected: Detected, values: ImportArgs['values']): MappingType {
  const base = values['no-suggest'] ? EMPTY_MAPPING : suggestMapping(detected)
  const mapped = applyStateOrder(
    applyJudgeArgs(applyMapArgs(base, values.map), values.judge, values['judge-version']),
    values['state-order'],
  )
  const annotator = values.annotator?.trim()
  return annotator
    ? {
        ...mapped,
        labels: mapped.labels.map((l) => ({ ...l, annotator })),
        states: mapped.states && { ...mapped.states, annotator },
      }
    : mapped
}

/**
 * Creates or opens (and so checks and migrates) the project, then imports on a connection of its
 * own. A project this command made is removed again when nothing could be imported into it.
 */
async function importInto(a: ImportArgs, detected: Detected, mapping: MappingType, io: CliIo): Promise<ImportReport> {
  const { project, values } = a
  const created = !existsSync(project)
  const removeCreated = () => {
    if (created) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${project}${suffix}`, { force: true })
  }
  try {
    const { db } = openContext(project, { mode: created ? 'create' : 'open' })
    const explicit = explicitLabels(values.map)
    let offer: ReturnType<typeof offerLabels>
    try {
      const joins = !created && a.existing === 'join' && sampleMatches(db, detected.sample, mapping).matched > 0
      offer = offerLabels(mapping, joins, (l) => explicit.has(l.criterion))
    } finally {
      db.close()
    }
    const report = await runImport(
      project,
      {
        file: a.file,
        format: detected.format,
        delimiter: detected.delimiter,
        recordsKey: a.recordsKey,
        mapping: offer.mapping,
        datasetName: values.dataset,
        onError: a.onError,
        duplicates: a.duplicates,
        existing: a.existing,
        split: a.split,
        offered: offer.offered,
      },
      { onProgress: values.progress ? (p) => io.stderr(progressLine(p)) : undefined },
    )
    if (!report.committed) removeCreated()
    return report
  } catch (error) {
    removeCreated()
    throw error
  }
}

const progressLine = (p: ImportProgress): string =>
  `${p.rows.toLocaleString('en-US')} rows read${p.total ? ` (${Math.floor((100 * p.bytes) / p.total)}%)` : ''}\n`

export const importCommand: Command = {
  summary: 'import traces, labels or judge verdicts from CSV, TSV, JSON, JSONL or Parquet',
  usage,
  async run(args, io) {
    const a = importArgs(args, io.cwd)
    const detected = await detectFormat(a.file, {
      format: a.format,
      delimiter: a.delimiter,
      recordsKey: a.recordsKey,
    }).catch((error: unknown) => {
      throw new CliError('bad_input', error instanceof Error ? error.message : String(error))
    })
    if (a.recordsKey !== undefined && detected.format !== 'json-records')
      throw new CliError(
        'bad_arguments',
        `--records names an array of a JSON object holding records; ${basename(a.file)} was read as ${detected.format}. Leave --records out, or add --format json-records.`,
      )
    // Where the records were found in a nested document (promptfoo's results.results, an Inspect log's samples).
    if (!a.values.json)
      for (const n of detected.notes.filter((note) => /^(Records read from|promptfoo|Inspect)/.test(note)))
        io.stdout(`${n}.\n`)
    const report = await importInto(a, detected, mappingOf(detected, a.values), io)
    if (a.values.json) io.stdout(`${JSON.stringify(report)}\n`)
    else printReport(report, a.file, io, detected.format)
    // A join in which no id matched changed nothing: say so with the exit code too.
    const joinedNothing = report.committed && report.mode === 'join' && report.matched.count === 0
    if (joinedNothing && !a.values.json)
      io.stderr(
        'No id in the file matches an item of the project: nothing was added. Check the id column (--map id=COLUMN).\n',
      )
    return report.committed && !joinedNothing ? 0 : 1
  },
}

/** The report in words: what was imported or joined, what each label and verdict column held, what to look at. */
function printReport(
  report: ImportReport,
  file: string,
  io: { stdout(text: string): void; stderr(text: string): void },
  format?: FileFormat,
): void {
  const name = basename(file)
  const done = [
    report.imported > 0 || report.mode === 'new'
      ? `imported ${report.imported} new items into dataset "${report.dataset ?? name}"`
      : '',
    report.matched.count > 0 ? `added to ${report.matched.count} items the project had already` : '',
  ].filter(Boolean)
  io.stdout(
    `${report.committed ? done.join('; ') || 'nothing to add' : 'Nothing was imported'} (${report.rows} rows read, ${report.skipped} skipped, ${report.errorCount} problems).\n`,
  )
  if (report.idsGenerated && report.committed)
    io.stdout('Ids generated (no id column): each item is row-<line>; such rows never join items of the project.\n')
  for (const c of report.committed ? report.columns : []) {
    const values = [
      ['pass', c.pass],
      ['fail', c.fail],
      ['error', c.error],
      ['defer', c.defer],
      ['empty', c.empty],
      ['notes without a verdict (kept as deferred labels)', c.notes],
    ]
      .filter(([, n]) => n !== 0)
      .map(([k, n]) => `${n} ${k}`)
    const target =
      c.kind === 'label'
        ? `labels of "${c.criterion}"`
        : `verdicts of judge "${c.judge}"${c.version ? ` ${c.version}` : ''}`
    io.stdout(
      `  ${c.field} → ${target}: ${values.join(', ') || 'no values'}; ${c.added} added${c.unchanged ? `, ${c.unchanged} unchanged (already there)` : ''}\n`,
    )
  }
  const ids = (l: { count: number; ids: string[] }) => `${l.ids.slice(0, 10).join(', ')}${l.count > 10 ? ', …' : ''}`
  if (report.duplicates.count) io.stdout(`${report.duplicates.count} duplicate ids: ${ids(report.duplicates)}\n`)
  if (report.unmatched.count) io.stdout(`${report.unmatched.count} ids match no item: ${ids(report.unmatched)}\n`)
  if (report.notJudged.count)
    io.stdout(
      `${report.notJudged.count} labeled item${report.notJudged.count === 1 ? '' : 's'} of the joined datasets got no verdict from this file: ${ids(report.notJudged)}\n`,
    )
  if (report.committed && report.states) printStates(report.states, io)
  for (const o of report.offered) io.stdout(`Not imported: ${o.why}.\n`)
  for (const w of report.warnings) io.stderr(`warning: ${w}\n`)
  for (const e of report.errors.slice(0, 20))
    io.stderr(
      `${file}${format === 'parquet' ? ` row ${e.line}` : `:${e.line}`}${e.column ? ` [${e.column}]` : ''}: ${e.message}\n`,
    )
  if (report.errorCount > 20) io.stderr(`… and ${report.errorCount - 20} more.\n`)
}

/** What the step-wise columns held, and the state order the project now has (the one the taxonomy uses). */
function printStates(st: NonNullable<ImportReport['states']>, io: { stdout(text: string): void }): void {
  const fields = [st.lastSuccess, st.firstFailure].filter(Boolean).join(', ')
  const held = [
    [st.failed, 'with a first failing state (a fail)'],
    [st.lastOnly, 'with a last successful state only'],
    [st.empty, 'empty'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`)
  io.stdout(
    `  ${fields} → step-wise labels of "${st.criterion}": ${held.join(', ') || 'no values'}; ${st.added} added${st.unchanged ? `, ${st.unchanged} unchanged (already there)` : ''}\n`,
  )
  const source = { user: 'as given', steps: "from the pipelines' steps", inferred: 'inferred from the data' }[
    st.orderSource
  ]
  io.stdout(`State order (${source}): ${st.order.join(' → ')}\n`)
  if (st.unfixed.length > 0) {
    const pairs = st.unfixed
      .slice(0, 5)
      .map(([a, b]) => `${a} / ${b}`)
      .join(', ')
    io.stdout(
      `  The data does not order ${pairs}${st.unfixed.length > 5 ? ', …' : ''}: give the order with --state-order ${st.order.join(',')} (edited as needed).\n`,
    )
  }
}

/** Criteria whose label column `--map label[:CRITERION]=F` named (kept even in a verdicts file). */
function explicitLabels(args: string[]): Set<string> {
  const out = new Set<string>()
  for (const arg of args) {
    const key = arg.slice(0, Math.max(0, arg.indexOf('=')))
    if (key === 'label' || key.startsWith('label:')) out.add(key.slice('label:'.length) || 'Overall')
  }
  return out
}

/** `--state-order A,B,…` (commas, or arrows as the import prints it) gives the step-wise columns' state order. */
export function applyStateOrder(mapping: MappingType, order: string | undefined): MappingType {
  if (order === undefined) return mapping
  if (!mapping.states)
    throw new CliError(
      'bad_arguments',
      '--state-order: the mapping has no step-wise columns. Map them: --map last-success=COLUMN --map first-failure=COLUMN.',
    )
  const names = order
    .split(/,|→|->/)
    .map((s) => s.trim())
    .filter(Boolean)
  const repeated = names.find((n, i) => names.indexOf(n) !== i)
  if (names.length === 0)
    throw new CliError(
      'bad_arguments',
      '--state-order: name the states in order, separated by commas, e.g. --state-order ParseRequest,PlanToolCalls,GetRecipes.',
    )
  if (repeated)
    throw new CliError(
      'bad_arguments',
      `--state-order names "${repeated}" twice: each state has one place in the order.`,
    )
  return { ...mapping, states: { ...mapping.states, order: names } }
}

/**
 * `--judge NAME` names the file's one verdict column's judge; `--judge-version N|new` picks the
 * version its verdicts go to.
 */
export function applyJudgeArgs(
  mapping: MappingType,
  judge: string | undefined,
  version: string | undefined,
): MappingType {
  if (judge === undefined && version === undefined) return mapping
  const flags = [judge !== undefined ? '--judge' : '', version !== undefined ? '--judge-version' : '']
    .filter(Boolean)
    .join(' and ')
  if (mapping.verdicts.length === 0)
    throw new CliError(
      'bad_arguments',
      `${flags}: the mapping has no verdict column. Map one: --map verdict:JUDGE=COLUMN.`,
    )
  if (mapping.verdicts.length > 1 && judge !== undefined)
    throw new CliError(
      'bad_arguments',
      `--judge: the mapping has ${mapping.verdicts.length} verdict columns (${mapping.verdicts.map((v) => v.field).join(', ')}); name each judge with --map verdict:JUDGE=COLUMN.`,
    )
  let parsed: number | 'new' | undefined
  if (version !== undefined) {
    parsed = version === 'new' ? 'new' : Number(version)
    if (parsed !== 'new' && !(Number.isInteger(parsed) && parsed >= 1))
      throw new CliError(
        'bad_arguments',
        `--judge-version must be a version number (1, 2, …) or new, got "${version}".`,
      )
  }
  return {
    ...mapping,
    verdicts: mapping.verdicts.map((v) => ({
      ...v,
      ...(judge !== undefined ? { judge: judge.trim() || v.judge } : {}),
      ...(parsed !== undefined ? { version: parsed } : {}),
    })),
  }
}

/** One `--map KEY=FIELD` argument, split: `kind[:rest]=value`, and the field (null for an empty one: unmapped). */
interface MapArg {
  arg: string
  kind: string
  rest: string
  value: string
  field: string | null
}

/**
 * The trace's own fields; mapping one of its text fields leaves a guessed span grouping (not one
 * set by hand, nor a recognised export's, whose input and output are read from the root span).
 */
function mapTraceField(m: MappingType, kind: 'id' | 'input' | 'output' | 'messages' | 'steps', a: MapArg): void {
  m[kind] = a.field
  const kept = m.spans && (m.spans.strict || m.spans.source) && (kind === 'input' || kind === 'output')
  if (kind !== 'id' && a.field && !kept) m.spans = null
}

function mapLabel(m: MappingType, a: MapArg): void {
  const criterion = a.rest || 'Overall'
  m.labels = m.labels.filter((l) => l.criterion !== criterion)
  if (a.field) m.labels.push({ field: a.field, criterion, note: null, annotator: 'imported' })
}

function mapNote(m: MappingType, a: MapArg): void {
  const criterion = a.rest || 'Overall'
  const label = m.labels.find((l) => l.criterion === criterion)
  if (!label)
    throw new CliError(
      'bad_arguments',
      `--map ${a.arg}: map the label column of "${criterion}" first (label:${criterion}=COLUMN).`,
    )
  label.note = a.field
}

function mapVerdict(m: MappingType, a: MapArg): void {
  const [judge, criterion = 'Overall'] = a.rest.split('@') as [string, string?]
  if (!judge)
    throw new CliError('bad_arguments', `--map ${a.arg}: name the judge, e.g. verdict:my-judge=predicted_label.`)
  m.verdicts = m.verdicts.filter((v) => v.judge !== judge && v.field !== a.field)
  if (a.field) m.verdicts.push({ field: a.field, judge, criterion, critique: null })
}

function mapCritique(m: MappingType, a: MapArg): void {
  const verdict = m.verdicts.find((v) => v.judge === a.rest)
  if (!verdict)
    throw new CliError(
      'bad_arguments',
      `--map ${a.arg}: map the verdict column of judge "${a.rest}" first (verdict:${a.rest}=COLUMN).`,
    )
  verdict.critique = a.field
}

/** `threshold:JUDGE=N` (a judge, or its verdict column) or `threshold=N` (every verdict column). */
function mapThreshold(m: MappingType, a: MapArg): void {
  const threshold = Number(a.value)
  if (a.value === '' || !Number.isFinite(threshold))
    throw new CliError(
      'bad_arguments',
      `--map ${a.arg}: the threshold must be a number, e.g. threshold:${a.rest || 'JUDGE'}=0.5.`,
    )
  const chosen = a.rest ? m.verdicts.filter((v) => v.judge === a.rest || v.field === a.rest) : m.verdicts
  if (chosen.length === 0)
    throw new CliError(
      'bad_arguments',
      `--map ${a.arg}: ${a.rest ? `no verdict column of judge "${a.rest}"` : 'the mapping has no verdict column'}. Judges: ${m.verdicts.map((v) => `"${v.judge}"`).join(', ') || 'none'}.`,
    )
  for (const v of chosen) v.threshold = threshold
}

function mapSplit(m: MappingType, a: MapArg): void {
  const criterion = a.rest || 'Overall'
  m.splits = m.splits.filter((s) => s.criterion !== criterion)
  if (a.field) m.splits.push({ field: a.field, criterion })
}

/** `last-success=F` / `first-failure[:CRITERION]=F`: the step-wise columns; unmapping both drops them. */
function mapStates(m: MappingType, a: MapArg): void {
  const criterion = a.rest || m.states?.criterion || 'Overall'
  const states = m.states ?? { lastSuccess: null, firstFailure: null, criterion, annotator: 'imported', order: null }
  m.states = { ...states, criterion, [a.kind === 'last-success' ? 'lastSuccess' : 'firstFailure']: a.field }
  if (!m.states.lastSuccess && !m.states.firstFailure) m.states = null
}

function mapMetadata(m: MappingType, a: MapArg): void {
  m.metadata = a.value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
}

function mapUnit(m: MappingType, a: MapArg): void {
  const { value } = a
  m.unit =
    value.startsWith('step:') && value.length > 5
      ? { kind: 'step', step: value.slice(5) }
      : value === 'trace'
        ? { kind: 'trace' }
        : badUnit(value)
}

/**
 * `trace=F`, `span=F`, `parent=F` (and `span-name=F`, `span-start=F`): group the rows into traces
 * by hand, strictly (see `SpanMapping.strict`); `trace=` unmaps the grouping (each row a trace).
 * The span id is set only with the trace id, so the pair is checked once all arguments are read.
 */
function mapGrouping(m: MappingType, a: MapArg): void {
  if (a.kind === 'trace' && a.field === null) {
    m.spans = null
    return
  }
  const spans = m.spans ?? { traceId: '', spanId: '', parentId: null, name: null, start: null }
  const key = (
    { trace: 'traceId', span: 'spanId', parent: 'parentId', 'span-name': 'name', 'span-start': 'start' } as const
  )[a.kind as 'trace' | 'span' | 'parent' | 'span-name' | 'span-start']
  if ((key === 'traceId' || key === 'spanId') && a.field === null)
    throw new CliError(
      'bad_arguments',
      `--map ${a.arg}: a ${a.kind} id field is needed; --map trace= unmaps the grouping.`,
    )
  m.spans = { ...spans, [key]: a.field, strict: true, source: undefined }
  if (key === 'traceId' && !m.id) m.id = a.field
}

/** What each `--map` key does (a Map, so that no key finds Object's members). */
const MAP_KEYS = new Map<string, (m: MappingType, a: MapArg) => void>([
  ['id', (m, a) => mapTraceField(m, 'id', a)],
  ['input', (m, a) => mapTraceField(m, 'input', a)],
  ['output', (m, a) => mapTraceField(m, 'output', a)],
  ['messages', (m, a) => mapTraceField(m, 'messages', a)],
  ['steps', (m, a) => mapTraceField(m, 'steps', a)],
  ['label', mapLabel],
  ['note', mapNote],
  ['verdict', mapVerdict],
  ['critique', mapCritique],
  ['threshold', mapThreshold],
  ['split', mapSplit],
  ['last-success', mapStates],
  ['first-failure', mapStates],
  ['metadata', mapMetadata],
  ['unit', mapUnit],
  ['trace', mapGrouping],
  ['span', mapGrouping],
  ['parent', mapGrouping],
  ['span-name', mapGrouping],
  ['span-start', mapGrouping],
  ['threshold', mapThreshold],
])

/** Applies `--map KEY=FIELD` overrides to a mapping; unknown keys are refused with the list. */
export function applyMapArgs(base: MappingType, args: string[]): MappingType {
  const m: MappingType = structuredClone(base)
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq < 1) throw new CliError('bad_arguments', `--map needs KEY=FIELD, got "${arg}".`)
    const key = arg.slice(0, eq)
    const value = arg.slice(eq + 1).trim()
    const [kind, rest = ''] = key.split(/:(.*)/s) as [string, string?]
    const apply = MAP_KEYS.get(kind)
    if (!apply)
      throw new CliError(
        'bad_arguments',
        `--map: unknown key "${kind}". Use id, input, output, messages, steps, trace, span, parent, span-name, span-start, label, note, verdict, critique, threshold, split, last-success, first-failure, metadata or unit.`,
      )
    apply(m, { arg, kind, rest, value, field: value === '' ? null : value })
  }
  if (m.spans && (m.spans.traceId === '' || m.spans.spanId === ''))
    throw new CliError(
      'bad_arguments',
      `--map: grouping rows into traces needs both the trace id and the span id field: --map trace=FIELD --map span=FIELD (and --map parent=FIELD for the tree).`,
    )
  const parsed = Mapping.safeParse(m)
  if (!parsed.success)
    throw new CliError(
      'bad_arguments',
      `the mapping is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

function badUnit(value: string): never {
  throw new CliError('bad_arguments', `--map unit= takes "trace" or "step:NAME", got "${value}".`)
}
