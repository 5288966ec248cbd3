import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openContext } from '../core/context'
import { formatMergeReport, mergeProjects } from '../core/merge'
import { CliError, type Command } from './command'

const usage = `Usage: assay merge TARGET SOURCE... [--json]

Merges annotators' copies of a project into TARGET, all or nothing (one transaction: a failure
leaves TARGET as it was; the sources are only read):
  - items by id: a source item whose id TARGET has joins it when the traces agree; one whose
    trace differs is a conflict (reported; its labels and verdicts are not merged); new items
    come with their dataset;
  - labels with their annotator, criterion, verdict, note and time, undos included, so each
    annotator's current label is the one they had; a label TARGET has already is not added again;
  - failure modes by name: new ones with their definitions; a definition that differs is
    reported and TARGET's is kept;
  - judge versions by content (prompt, model, parameters, few-shot items by id) with their runs
    and verdicts; a version or run TARGET has is not copied again (a run gets only the verdicts
    it lacks);
  - splits: TARGET's stay; newly labeled items are placed by the usual rule.
Labeling sessions, estimates and audits are not copied. Merging the same sources again changes
nothing. Cohen's kappa and the "adjudicate" session order then work across the annotators.

  --json   print the report as JSON`

export const mergeCommand: Command = {
  summary: "merge annotators' copies of a project (labels, failure modes, judge versions) into one",
  usage,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    })
    if (positionals.length < 2)
      throw new CliError(
        'bad_arguments',
        'merge needs a TARGET and at least one SOURCE, e.g. `assay merge team.assay alice.assay bob.assay`.',
      )
    const [target, ...sources] = positionals.map((p) => resolve(io.cwd, p))
    if (!existsSync(target))
      throw new CliError(
        'not_found',
        `${target} does not exist: a merge goes into a project that exists. Start from one annotator's copy (cp alice.assay team.assay), then merge the others into it.`,
      )
    const d = openContext(target)
    try {
      const report = mergeProjects(d, sources)
      io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatMergeReport(report))
      return 0
    } finally {
      d.close()
    }
  },
}
