/**
 * `assay audit`: a production audit from the command line (issue 18) — draws production items
 * stratified by a judge's verdict into a blind labeling session, or shows the audit's strata and
 * its stratified estimate — through the same core as Calibrate → Audit production.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_AUDIT_SIZE, type AuditView } from '../../shared/audit'
import { auditView, startAudit } from '../core/audit'
import { openContext } from '../core/context'
import { assertWritable } from '../core/db/open'
import { judgeByName } from '../core/judge/context'
import { CliError, type Command } from './command'

const usage = `Usage: assay audit PROJECT --judge NAME [--size N] [--seed S] [--annotator NAME] [--json]
       assay audit PROJECT --judge NAME --status [--json]

A production audit of a judge's newest version (statistics spec §7.1): draws N production
items (those without a train/dev/test label) stratified by the judge's verdict — Neyman
allocation from the current estimates, proportional with at least 10 per stratum until there
are any — and queues them as a blind labeling session (open it in the app: Label → Resume).
The audit's estimate, Σ N_h/N · (human passes ÷ labeled in stratum h), needs no TPR + TNR > 1
and holds when production differs from the labeled set. Only the items the audit drew count.
Run it again to draw more: the same audit is extended while production is unchanged.

  --judge NAME      the judge whose newest version is audited
  --size N          how many items to draw now (default ${DEFAULT_AUDIT_SIZE})
  --seed S          seed of the draw (default 1; an extended audit keeps its first seed)
  --annotator NAME  who labels the session (default "cli"; the app's Settings name to label it there)
  --status          instead, print the audit's strata, labels and estimate
  --json            print JSON`

export const auditCommand: Command = {
  summary: "audit production: a blind sample stratified by a judge's verdict, and its estimate",
  usage,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        judge: { type: 'string' },
        size: { type: 'string' },
        seed: { type: 'string' },
        annotator: { type: 'string' },
        status: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length !== 1 || !values.judge)
      throw new CliError(
        'bad_arguments',
        'audit needs PROJECT and --judge NAME, e.g. `assay audit evals.assay --judge diet --size 60`.',
      )
    const size = whole(values.size, '--size', DEFAULT_AUDIT_SIZE)
    const seed = whole(values.seed, '--seed', 1)
    const annotator = values.annotator?.trim() || 'cli'
    const d = openContext(resolve(io.cwd, positionals[0]), { annotator: () => annotator })
    try {
      const judge = judgeByName(d, values.judge)
      const version = d.repos.judges.versions(judge.id).at(-1)
      if (!version) throw new CliError('not_found', `Judge "${values.judge}" has no version yet.`)
      if (values.status) {
        const view = auditView(d, version.id, 0.95)
        if (!view)
          throw new CliError(
            'not_found',
            `Version ${version.version} of "${judge.name}" has no audit yet: run \`assay audit\` without --status.`,
          )
        io.stdout(values.json ? `${JSON.stringify(view)}\n` : status(view))
        return 0
      }
      assertWritable(d)
      const started = startAudit(d, { versionId: version.id, size, seed })
      io.stdout(
        values.json
          ? `${JSON.stringify({ audit: started.audit, sessionId: started.session.id, items: started.session.items.map((i) => i.externalId) })}\n`
          : `${started.message}\nSession ${started.session.id} (annotator ${annotator}).\n${status(started.audit)}`,
      )
      return 0
    } finally {
      d.close()
    }
  },
}

function whole(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim())) throw new CliError('bad_arguments', `${flag} must be a whole number, got "${raw}".`)
  return Number(raw)
}

/** The audit as text: a line per stratum, then the estimate or why there is none. */
function status(a: AuditView): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const lines = a.strata.map(
    (s) =>
      `  ${s.name.padEnd(12)} N = ${s.N}   drawn ${s.drawn}   labeled ${s.n} (${s.humanPass} pass)${s.deferred ? `   deferred ${s.deferred}` : ''}`,
  )
  const e = a.estimate
  lines.push(
    e
      ? `Audit estimate  ${pct(e.theta)}   95% CI [${pct(e.lower)}, ${pct(e.upper)}]   ${e.interval}, ${e.labels} labels`
      : `No estimate yet: ${a.refusal ?? ''}`,
    ...a.warnings.map((w) => `note: ${w}`),
  )
  return `Audit ${a.id} (seed ${a.seed}):\n${lines.join('\n')}\n`
}
