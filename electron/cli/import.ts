import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DuplicatePolicy, EMPTY_MAPPING, FileFormat, Mapping, type Mapping as MappingType } from '../../shared/import'
import { openProject } from '../core/db/open'
import { detectFormat } from '../core/import/detect'
import { suggestMapping } from '../core/import/mapping'
import { runImport } from '../core/import/run'
import { CliError, type Command } from './command'

const usage = `Usage: assay import PROJECT FILE [--format F] [--delimiter D] [--map KEY=FIELD ...]
                    [--on-error abort|skip] [--duplicates abort|skip|replace|keep-both]
                    [--dataset NAME] [--annotator NAME] [--no-suggest] [--progress] [--json]

Imports traces (or labels and judge verdicts for items already in PROJECT) from FILE, in one
transaction: either every good row is imported, or nothing is. Creates PROJECT if it does not
exist. The format and the mapping are detected; --map overrides one part of the mapping.

  --format F        csv, jsonl, json-array, json-records or json-columns (pandas)
  --delimiter D     for csv: , ; tab |
  --map KEY=FIELD   KEY is one of:
                      id, input, output, messages, steps    the trace
                      label=F  or  label:CRITERION=F       a human verdict column (pass/fail)
                      note=F   or  note:CRITERION=F        its note column
                      verdict:JUDGE=F  or  verdict:JUDGE@CRITERION=F   a judge verdict column
                      critique:JUDGE=F                     that judge's critique column
                      split=F  or  split:CRITERION=F       a train/dev/test column
                      metadata=F1,F2                       fields kept as metadata
                      unit=step:NAME                       review one pipeline step across traces
                    a FIELD may be a column name or a dotted path into JSON (attributes.input.value);
                    an empty FIELD (id=) unmaps it
  --on-error        abort (default): stop at bad rows and import nothing; skip: skip and list them
  --duplicates      what to do with repeated ids (default abort)
  --dataset NAME    name of the new dataset (default: the file name)
  --annotator NAME  who made the labels in FILE (default "imported", or the file's annotator column):
                    import a colleague's labels under their name to measure agreement (Cohen's κ)
  --no-suggest      start from an empty mapping instead of the detected one
  --progress        print "N rows read (P%)" to standard error as the import goes (before it commits)
  --json            print {dataset, rows, imported, skipped, errors: [{line, column, message}], ...}

Exit code 0 when the import was committed, 1 otherwise.`

export const importCommand: Command = {
  summary: 'import traces, labels or judge verdicts from CSV, TSV, JSON or JSONL',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        delimiter: { type: 'string' },
        map: { type: 'string', multiple: true, default: [] },
        'on-error': { type: 'string', default: 'abort' },
        duplicates: { type: 'string', default: 'abort' },
        dataset: { type: 'string' },
        annotator: { type: 'string' },
        'no-suggest': { type: 'boolean', default: false },
        progress: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length !== 2) throw new CliError('bad_arguments', 'import needs PROJECT and FILE, e.g. `assay import evals.assay traces.csv`.')
    const project = resolve(io.cwd, positionals[0]!)
    const file = resolve(io.cwd, positionals[1]!)
    if (!existsSync(file)) throw new CliError('not_found', `No file at ${file}.`)
    const onError = values['on-error']
    if (onError !== 'abort' && onError !== 'skip') throw new CliError('bad_arguments', `--on-error must be abort or skip, got "${onError}".`)
    const duplicates = DuplicatePolicy.safeParse(values.duplicates)
    if (!duplicates.success) throw new CliError('bad_arguments', `--duplicates must be abort, skip, replace or keep-both, got "${values.duplicates}".`)
    const format = values.format === undefined ? undefined : FileFormat.safeParse(values.format)
    if (format && !format.success) throw new CliError('bad_arguments', `--format must be one of ${FileFormat.options.join(', ')}, got "${values.format}".`)
    const delimiter = values.delimiter === 'tab' ? '\t' : values.delimiter
    if (delimiter !== undefined && ![',', ';', '\t', '|'].includes(delimiter)) throw new CliError('bad_arguments', `--delimiter must be , ; tab or |, got "${values.delimiter}".`)

    const detected = await detectFormat(file, { format: format?.data, delimiter: delimiter as ',' | undefined }).catch((error: unknown) => {
      throw new CliError('bad_input', error instanceof Error ? error.message : String(error))
    })
    const base = values['no-suggest'] ? EMPTY_MAPPING : suggestMapping(detected)
    const mapped = applyMapArgs(base, values.map)
    const annotator = values.annotator?.trim()
    const mapping = annotator ? { ...mapped, labels: mapped.labels.map((l) => ({ ...l, annotator })) } : mapped

    // Create or open (and so check and migrate) the project, then import on a connection of its own.
    openProject(project, { mode: existsSync(project) ? 'open' : 'create' }).db.close()
    const report = await runImport(project, {
      file,
      format: detected.format,
      delimiter: detected.delimiter,
      mapping,
      datasetName: values.dataset,
      onError,
      duplicates: duplicates.data,
    }, { onProgress: values.progress ? (p) => io.stderr(`${p.rows.toLocaleString('en-US')} rows read${p.total ? ` (${Math.floor((100 * p.bytes) / p.total)}%)` : ''}\n`) : undefined })
    if (values.json) {
      io.stdout(`${JSON.stringify(report)}\n`)
    } else {
      const what = report.mode === 'join' ? `added labels/verdicts to ${report.imported} existing items` : `imported ${report.imported} items into dataset "${report.dataset}"`
      io.stdout(`${report.committed ? what : 'Nothing was imported'} (${report.rows} rows read, ${report.skipped} skipped, ${report.errorCount} problems).\n`)
      if (report.duplicates.count) io.stdout(`${report.duplicates.count} duplicate ids: ${report.duplicates.ids.slice(0, 10).join(', ')}\n`)
      if (report.unmatched.count) io.stdout(`${report.unmatched.count} ids match no item: ${report.unmatched.ids.slice(0, 10).join(', ')}\n`)
      for (const e of report.errors.slice(0, 20)) io.stderr(`${file}:${e.line}${e.column ? ` [${e.column}]` : ''}: ${e.message}\n`)
      if (report.errorCount > 20) io.stderr(`… and ${report.errorCount - 20} more.\n`)
    }
    // A join in which no id matched changed nothing: say so with the exit code too.
    const joinedNothing = report.mode === 'join' && report.imported === 0
    if (joinedNothing && !values.json) io.stderr('No id in the file matches an item of the project: nothing was added. Check the id column (--map id=COLUMN).\n')
    return report.committed && !joinedNothing ? 0 : 1
  },
}


/** Applies `--map KEY=FIELD` overrides to a mapping; unknown keys are refused with the list. */
export function applyMapArgs(base: MappingType, args: string[]): MappingType {
  const m: MappingType = structuredClone(base)
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq < 1) throw new CliError('bad_arguments', `--map needs KEY=FIELD, got "${arg}".`)
    const key = arg.slice(0, eq)
    const value = arg.slice(eq + 1).trim()
    const fieldOrNull = value === '' ? null : value
    const [kind, rest = ''] = key.split(/:(.*)/s) as [string, string?]
    switch (kind) {
      case 'id':
      case 'input':
      case 'output':
      case 'messages':
      case 'steps':
        m[kind] = fieldOrNull
        if (kind !== 'id' && fieldOrNull) m.spans = null
        break
      case 'label': {
        const criterion = rest || 'Overall'
        m.labels = m.labels.filter((l) => l.criterion !== criterion)
        if (fieldOrNull) m.labels.push({ field: fieldOrNull, criterion, note: null, annotator: 'imported' })
        break
      }
      case 'note': {
        const criterion = rest || 'Overall'
        const label = m.labels.find((l) => l.criterion === criterion)
        if (!label) throw new CliError('bad_arguments', `--map ${arg}: map the label column of "${criterion}" first (label:${criterion}=COLUMN).`)
        label.note = fieldOrNull
        break
      }
      case 'verdict': {
        const [judge, criterion = 'Overall'] = rest.split('@') as [string, string?]
        if (!judge) throw new CliError('bad_arguments', `--map ${arg}: name the judge, e.g. verdict:my-judge=predicted_label.`)
        m.verdicts = m.verdicts.filter((v) => v.judge !== judge)
        if (fieldOrNull) m.verdicts.push({ field: fieldOrNull, judge, criterion, critique: null })
        break
      }
      case 'critique': {
        const verdict = m.verdicts.find((v) => v.judge === rest)
        if (!verdict) throw new CliError('bad_arguments', `--map ${arg}: map the verdict column of judge "${rest}" first (verdict:${rest}=COLUMN).`)
        verdict.critique = fieldOrNull
        break
      }
      case 'split': {
        const criterion = rest || 'Overall'
        m.splits = m.splits.filter((s) => s.criterion !== criterion)
        if (fieldOrNull) m.splits.push({ field: fieldOrNull, criterion })
        break
      }
      case 'metadata':
        m.metadata = value.split(',').map((f) => f.trim()).filter(Boolean)
        break
      case 'unit':
        m.unit = value.startsWith('step:') && value.length > 5 ? { kind: 'step', step: value.slice(5) } : value === 'trace' ? { kind: 'trace' } : badUnit(value)
        break
      default:
        throw new CliError('bad_arguments', `--map: unknown key "${kind}". Use id, input, output, messages, steps, label, note, verdict, critique, split, metadata or unit.`)
    }
  }
  const parsed = Mapping.safeParse(m)
  if (!parsed.success) throw new CliError('bad_arguments', `the mapping is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data
}

function badUnit(value: string): never {
  throw new CliError('bad_arguments', `--map unit= takes "trace" or "step:NAME", got "${value}".`)
}
