import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { version } from '../../package.json'
import { AppError } from '../../shared/errors'
import { REPORT_FORMATS, type ReportData, type ReportFormat } from '../../shared/report/data'
import { ERROR_POLICIES, INTERVAL_METHODS, type ErrorPolicy } from '../../shared/stats'
import { openContext } from '../core/context'
import { buildReport } from '../core/report/build'
import { chromiumPrinter } from '../core/report/pdf'
import { reportHtml, reportJson, reportMarkdown } from '../core/report/render'
import { CliError, type Command } from './command'

const usage = `Usage: assay report PROJECT [--criterion NAME] [--judge NAME] [--format html|md|json|pdf] [--out FILE]
                    [--method M] [--iterations B] [--seed S] [--confidence C] [--errors P]

Writes the calibration report: the project and its data, each criterion's definition, every
judge (or the one named) with its prompt, model and version, labels per split, confusion
matrices, TPR/TNR with intervals against targets, the production estimate (raw rate, θ̂ with
its interval, method, B, seed, PRNG, dropped draws), warnings, an interpretation, representative
disagreements, the failure-mode Pareto, and how to recompute it with \`assay estimate\`. Making a
report shows test results: it is recorded as viewing them (the test lock).

  --format     html (default: self-contained, no scripts, no requests), md, json (schema
               "assay.report/v1", docs/report.schema.json) or pdf (needs Chromium or Chrome;
               CHROMIUM_PATH names one)
  --out FILE   write to FILE (default: standard output; pdf needs --out)
  --method M   ${INTERVAL_METHODS.join(' | ')} (default lang-reiczigel)
  --errors P   what a judge's error verdict (UNKNOWN/ERROR) counts as in the matrices and the
               estimate: exclude (default: left out, counted beside the matrix by human class),
               fail (a Fail verdict: the AI-evals course's convention) or pass. The report names it.
  --json       with --out, print {"path", "format", "judges"} when done`

export const reportCommand: Command = {
  summary: 'write the calibration report as HTML, Markdown, JSON or PDF',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        criterion: { type: 'string' },
        judge: { type: 'string' },
        format: { type: 'string', default: 'html' },
        out: { type: 'string' },
        method: { type: 'string' },
        iterations: { type: 'string' },
        seed: { type: 'string' },
        confidence: { type: 'string' },
        errors: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length !== 1)
      throw new CliError(
        'bad_arguments',
        'report needs one PROJECT, e.g. `assay report evals.assay --out report.html`.',
      )
    const format = values.format as ReportFormat
    if (!REPORT_FORMATS.includes(format))
      throw new CliError(
        'bad_arguments',
        `--format must be one of ${REPORT_FORMATS.join(', ')}, got "${values.format}".`,
      )
    if (format === 'pdf' && !values.out)
      throw new CliError('bad_arguments', 'A PDF needs --out FILE (it is not text for the terminal).')
    if (values.method && !INTERVAL_METHODS.includes(values.method as never))
      throw new CliError(
        'bad_arguments',
        `--method must be one of ${INTERVAL_METHODS.join(', ')}, got "${values.method}".`,
      )
    if (values.errors !== undefined && !(ERROR_POLICIES as readonly string[]).includes(values.errors))
      throw new CliError(
        'bad_arguments',
        `--errors must be one of ${ERROR_POLICIES.join(', ')}, got "${values.errors}".`,
      )
    const path = resolve(io.cwd, positionals[0])
    const d = openContext(path)
    try {
      const data = buildReport(d, {
        projectPath: path,
        appVersion: version,
        criterion: values.criterion,
        judge: values.judge,
        method: values.method,
        iterations: numberArg('iterations', values.iterations),
        seed: numberArg('seed', values.seed),
        confidence: numberArg('confidence', values.confidence),
        errors: values.errors as ErrorPolicy | undefined,
      })
      const content = await reportContent(data, format, io.env)
      if (!values.out) io.stdout(content as string)
      else {
        const out = resolve(io.cwd, values.out)
        writeFileSync(out, content)
        io.stdout(
          values.json
            ? `${JSON.stringify({ path: out, format, judges: data.judges.length })}\n`
            : `Wrote the ${format.toUpperCase()} report (${data.judges.length} judge${data.judges.length === 1 ? '' : 's'}) to ${out}.\n`,
        )
      }
      return 0
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.kind, error.message)
      throw error
    } finally {
      d.close()
    }
  },
}

/** A numeric option, or undefined when it was not given. */
function numberArg(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isFinite(n)) throw new CliError('bad_arguments', `--${name} must be a number, got "${raw}".`)
  return n
}

/** The report in its format: text for HTML, Markdown and JSON; the bytes of a PDF. */
async function reportContent(data: ReportData, format: ReportFormat, env: NodeJS.ProcessEnv): Promise<string | Buffer> {
  if (format === 'json') return reportJson(data)
  if (format === 'md') return reportMarkdown(data)
  if (format === 'html') return reportHtml(data)
  return await chromiumPrinter(env)(reportHtml(data))
}
