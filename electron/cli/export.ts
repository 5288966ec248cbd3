import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openProject } from '../core/db/open'
import { exportHistory, exportItems, exportToFile } from '../core/export'
import { CliError, type Command } from './command'

const usage = `Usage: assay export PROJECT [--format csv|jsonl] [--history] [--out FILE] [--json]

Writes one row per item: id, dataset, kind, input, output, messages, steps, metadata, and per
criterion its current human verdict, note, annotator, time and split, and the verdict and
critique of each judge version. \`assay import\` reads the file back.

  --format     csv (default) or jsonl
  --history    instead, one row per label ever saved (undos included): label_id, id, dataset,
               criterion, criterion_version, verdict, note, annotator, first_failing_step,
               session, reverts_label_id, created_at
  --out FILE   write to FILE (default: standard output)
  --json       with --out, print {"path", "rows", "format"} when done`

export const exportCommand: Command = {
  summary: 'export items with labels, splits and judge verdicts as CSV or JSONL',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, history: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } })
    if (positionals.length !== 1) throw new CliError('bad_arguments', 'export needs one PROJECT, e.g. `assay export evals.assay --out items.csv`.')
    const format = values.format
    if (format !== 'csv' && format !== 'jsonl') throw new CliError('bad_arguments', `--format must be csv or jsonl, got "${format}".`)
    if (values.json && !values.out) throw new CliError('bad_arguments', '--json reports on a file written with --out; without --out the export itself goes to standard output.')
    const { db } = openProject(resolve(io.cwd, positionals[0]!), { mode: 'open' })
    try {
      if (!values.out) {
        // A reader that stops early (`| head`) is not an error.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') throw error
        })
        await (values.history ? exportHistory : exportItems)(db, process.stdout, format).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') throw error
        })
        return 0
      }
      const path = resolve(io.cwd, values.out)
      const rows = await exportToFile(db, path, format, values.history ? 'history' : 'items')
      io.stdout(values.json ? `${JSON.stringify({ path, rows, format })}\n` : `Wrote ${rows} items to ${path}.\n`)
      return 0
    } finally {
      db.close()
    }
  },
}
