import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { taxonomyJson, taxonomyMarkdown } from '../../shared/taxonomy-report'
import { openContext } from '../core/context'
import { projectName } from '../core/settings'
import { countTaxonomy, listNotes } from '../core/taxonomy'
import { CliError, type Command } from './command'

const usage = `Usage: assay taxonomy PROJECT [--format md|json] [--out FILE]

Writes the project's failure taxonomy: each failure mode's definition, example traces with
their notes, how many reviewed traces have it (rate and 95% Wilson interval, most frequent
first), co-occurrences, and the transition matrix: for each failing trace, the last state that
succeeded × the first that failed (pipeline steps marked while labeling, or states imported with
--map last-success=F --map first-failure=F), with failures per state, each step's pass rate and
where the state order comes from. The same counts as the Analyze screen; \`assay export\` has one
column per mode.

  --format   md (default) or json (schema "assay.taxonomy/v1")
  --out FILE write to FILE (default: standard output)`

export const taxonomyCommand: Command = {
  summary: 'write the failure taxonomy (definitions, examples, counts) as Markdown or JSON',
  usage,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'md' }, out: { type: 'string' } },
    })
    if (positionals.length !== 1)
      throw new CliError('bad_arguments', 'taxonomy needs one PROJECT, e.g. `assay taxonomy evals.assay --format md`.')
    if (values.format !== 'md' && values.format !== 'json')
      throw new CliError('bad_arguments', `--format must be md or json, got "${values.format}".`)
    const path = resolve(io.cwd, positionals[0])
    const d = openContext(path)
    try {
      const t = countTaxonomy(d, null)
      const notes = listNotes(d)
      const text =
        values.format === 'json'
          ? `${JSON.stringify(taxonomyJson(t, notes, projectName(path)), null, 2)}\n`
          : taxonomyMarkdown(t, notes, projectName(path))
      if (values.out) writeFileSync(resolve(io.cwd, values.out), text)
      else io.stdout(text)
      return 0
    } finally {
      d.close()
    }
  },
}
