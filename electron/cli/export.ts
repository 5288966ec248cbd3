import { basename, extname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileSync } from 'node:fs'
import { auditCounts } from '../core/audit'
import { openContext } from '../core/context'
import { ERROR_POLICIES, type ErrorPolicy } from '../../shared/stats'
import { judgyArrays, judgyErrorsMessage } from '../core/report/judgy'
import { exportHistory, exportItems, exportToFile } from '../core/export'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay export PROJECT [--format csv|jsonl|parquet] [--history] [--out FILE] [--json]
       assay export PROJECT --judgy --judge NAME [--errors exclude|fail|pass] [--out FILE]
       assay export PROJECT --audit --judge NAME [--out FILE]

Writes one row per item: id, dataset, kind, input, output, messages, steps, metadata, and per
criterion its current human verdict, note, annotator, time and split, and the verdict and
critique of each judge version. \`assay import\` reads the file back.

  --format     csv, jsonl, or parquet (needs --out): the CSV's columns, each a nullable
               string (an empty cell is null), for pd.read_parquet / pl.read_parquet. By
               default the name of --out FILE decides (.csv, .jsonl or .ndjson, .parquet), and
               CSV otherwise; a --format that contradicts the name stops
  --history    instead, one row per label ever saved (undos included): label_id, id, dataset,
               criterion, criterion_version, verdict, note, annotator, first_failing_step,
               session, reverts_label_id, created_at
  --judgy      instead, judgy's arrays for a judge's newest version, 1 = Pass:
               {"test_labels": [...], "test_preds": [...], "unlabeled_preds": [...]} — the test
               split's human labels and verdicts, and the verdicts on unlabeled items:
               judgy.estimate_success_rate(**arrays) reproduces the Calibrate estimate under
               the same error policy, and so does \`assay estimate FILE --method judgy\`.
               Counts as viewing test results.
  --errors P   with --judgy, what a judge's error verdict (UNKNOWN/ERROR) becomes, since judgy
               takes 0/1 only: exclude (default) leaves the item out of the arrays, as the
               Calibrate screen does by default, and says how many on standard error; fail
               writes 0 (the AI-evals course's convention); pass writes 1
  --audit      instead, the counts of the production audit of a judge's newest version (see
               \`assay audit\`): {"strata": [{"name", "N", "n", "humanPass"}, ...]} — each
               stratum's size and its drawn items labeled pass or fail, as \`assay estimate
               FILE --method stratified\` reads them (the Calibrate screen's audit estimate)
  --out FILE   write to FILE (default: standard output)
  --json       with --out, print {"path", "rows", "format"} when done`

export const exportCommand: Command = {
  summary: 'export items with labels, splits and judge verdicts as CSV, JSONL or Parquet',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        history: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        judgy: { type: 'boolean', default: false },
        audit: { type: 'boolean', default: false },
        judge: { type: 'string' },
        errors: { type: 'string' },
      },
    })
    if (positionals.length !== 1)
      throw new CliError('bad_arguments', 'export needs one PROJECT, e.g. `assay export evals.assay --out items.csv`.')
    const format = values.judgy || values.audit ? 'csv' : exportFormat(values.format, values.out)
    if (format === 'parquet' && !values.out)
      throw new CliError('bad_arguments', 'A Parquet file is binary: write it to a file with --out FILE.parquet.')
    if (values.json && !values.out)
      throw new CliError(
        'bad_arguments',
        '--json reports on a file written with --out; without --out the export itself goes to standard output.',
      )
    if (values.judgy && values.audit)
      throw new CliError('bad_arguments', '--judgy and --audit are two exports: choose one.')
    if ((values.judgy || values.audit) !== Boolean(values.judge))
      throw new CliError(
        'bad_arguments',
        '--judgy (or --audit) and --judge NAME go together: `assay export PROJECT --judgy --judge NAME --out arrays.json`.',
      )
    if (values.errors !== undefined && !values.judgy)
      throw new CliError(
        'bad_arguments',
        '--errors goes with --judgy (what an error verdict becomes in the 0/1 arrays).',
      )
    if (values.errors !== undefined && !(ERROR_POLICIES as readonly string[]).includes(values.errors))
      throw new CliError(
        'bad_arguments',
        `--errors must be one of ${ERROR_POLICIES.join(', ')}, got "${values.errors}".`,
      )
    const d = openContext(resolve(io.cwd, positionals[0]))
    const { db } = d
    try {
      if (values.audit && values.judge) {
        writeObject(io, values, auditCounts(d, values.judge), { format: 'audit', what: "the audit's counts" })
        return 0
      }
      if (values.judgy && values.judge) {
        const policy = (values.errors ?? 'exclude') as ErrorPolicy
        const judgy = judgyArrays(d, values.judge, policy)
        const note = judgyErrorsMessage(judgy.errors, policy)
        if (note) io.stderr(`${note}\n`)
        writeObject(io, values, judgy.arrays, { format: 'judgy', what: "judgy's arrays" })
        return 0
      }
      if (!values.out) {
        // A reader that stops early (`| head`) is not an error.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') throw error
        })
        await (values.history ? exportHistory : exportItems)(db, process.stdout, format).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
        })
        return 0
      }
      const path = resolve(io.cwd, values.out)
      const rows = await exportToFile(db, path, format, values.history ? 'history' : 'items')
      io.stdout(values.json ? `${JSON.stringify({ path, rows, format })}\n` : `Wrote ${rows} items to ${path}.\n`)
      return 0
    } finally {
      d.close()
    }
  },
}

type ExportFormat = 'csv' | 'jsonl' | 'parquet'

/** The formats the name of `--out FILE` says by its extension. */
const NAMED: Record<string, ExportFormat | undefined> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
}

const KIND: Record<ExportFormat, string> = { csv: 'CSV', jsonl: 'JSON Lines', parquet: 'Parquet' }

/**
 * The items' (or history's) format: `--format`, or else what the name of `--out` says, or CSV. A
 * file whose name says one format never gets another: `--out items.jsonl` with `--format csv`
 * stops, and so does `.json`, which would get CSV and has no export of its own.
 */
function exportFormat(format: string | undefined, out: string | undefined): ExportFormat {
  if (format !== undefined && format !== 'csv' && format !== 'jsonl' && format !== 'parquet')
    throw new CliError('bad_arguments', `--format must be csv, jsonl or parquet, got "${format}".`)
  const name = out === undefined ? '' : basename(out)
  const extension = extname(name).toLowerCase()
  if (extension === '.json')
    throw new CliError(
      'bad_arguments',
      `${name}: the export has no single-JSON form; JSON Lines, one object per item, is --out ${name.slice(0, -extension.length)}.jsonl.`,
    )
  const named = NAMED[extension]
  if (format === undefined) return named ?? 'csv'
  if (named !== undefined && named !== format)
    throw new CliError(
      'bad_arguments',
      `--format ${format} would write ${KIND[format]} into ${name}, a name that says ${KIND[named]}: leave --format out (the name decides) or name the file to match.`,
    )
  return format
}

/** One JSON object to standard output, or to --out FILE with a line (or --json) that says where. */
function writeObject(
  io: CliIo,
  values: { out?: string; json: boolean },
  object: unknown,
  o: { format: string; what: string },
): void {
  const text = `${JSON.stringify(object)}\n`
  if (!values.out) {
    io.stdout(text)
    return
  }
  const path = resolve(io.cwd, values.out)
  writeFileSync(path, text)
  io.stdout(values.json ? `${JSON.stringify({ path, format: o.format })}\n` : `Wrote ${o.what} to ${path}.\n`)
}
