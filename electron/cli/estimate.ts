/**
 * `assay estimate`: the corrected pass rate and its interval from judgy's JSON arrays, from
 * counts, or from a CSV, on the command line. The statistics are `shared/stats`; this file only
 * reads input (with errors that name the file, line and field) and prints the result.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  countsFromArrays,
  DEFAULT_CONFIDENCE,
  DEFAULT_ERROR_POLICY,
  ERROR_POLICIES,
  NO_ERRORS,
  DEFAULT_ITERATIONS,
  DEFAULT_METHOD,
  DEFAULT_SEED,
  estimate,
  INTERVAL_METHODS,
  isStatsError,
  type BinaryValue,
  type CalibrationCounts,
  type ErrorCounts,
  type ErrorPolicy,
  type EstimateResult,
  type IntervalMethod,
} from '../../shared/stats'
import { CliError, type CliIo, type Command } from './command'
import { EXTRA_METHODS, EXTRA_USAGE, isExtraMethod, runExtraMethod, type ExtraMethod } from './estimate-methods'

const usage = `Usage: assay estimate [FILE] [--input FILE|-] [options]

Bias-corrected pass rate of an LLM judge (Rogan–Gladen) with a confidence interval; or the
production audit, PPI++, or all side by side (--method stratified | ppi | compare, below).
Reads FILE, --input FILE, or standard input (also with --input -).

Input formats (detected from the content):
  judgy's JSON arrays, 1 = Pass and 0 = Fail (true/false also accepted):
    {"test_labels": [1,0,...], "test_preds": [1,1,...], "unlabeled_preds": [1,0,...]}
    (0/1 only, as judgy: its arrays hold no error verdicts; use counts JSON or CSV for those)
  counts JSON: test-set confusion counts and k of m production verdicts judged Pass, counting
  pass/fail verdicts only; optionally the judge's error verdicts beside them: on test items a
  human passed (errors_pass), failed (errors_fail), and on production items (errors_unlabeled):
    {"tp": 90, "fn": 10, "tn": 80, "fp": 20, "k": 700, "m": 1000, "errors_pass": 3}
  CSV with a header row naming the columns human and judge (any order; other columns ignored).
  Each row is one item: with a human label it is a test item, with an empty human cell it is
  a production verdict. Values: pass/fail, 1/0, true/false (case-insensitive). An error verdict
  is a judge cell UNKNOWN, ERROR, NONE, NULL, NaN or N/A, or an empty judge cell on a row with a
  human label; a row with both cells empty is refused (write UNKNOWN if the judge gave no answer).
    human,judge
    pass,pass
    fail,pass
    pass,UNKNOWN
    ,fail

Options:
  --input FILE|-      input file, or - for standard input
  --method M          ${INTERVAL_METHODS.join(' | ')} (default ${DEFAULT_METHOD}),
                      or ${EXTRA_METHODS.join(' | ')}
                        judgy: judgy-compatible (test pairs resampled, production fixed)
                        bootstrap, bca: also resample the production verdicts
                        exact: judgy's interval at B = infinity (n <= 300)
                        lang-reiczigel: adjusted analytic interval (best coverage)
                        wald: plain delta method, for comparison
  --iterations B      bootstrap iterations (default ${DEFAULT_ITERATIONS})
  --seed S            non-negative integer seed (default ${DEFAULT_SEED}); always printed
  --confidence C      two-sided level between 0 and 1 (default ${DEFAULT_CONFIDENCE})
  --stratified        resample within each human class (bootstrap, bca, exact)
  --fixed-unlabeled   keep the production pass rate fixed (bootstrap, bca)
  --errors P          what an error verdict counts as: ${ERROR_POLICIES.join(' | ')} (default ${DEFAULT_ERROR_POLICY})
                        exclude: left out of the test matrix and of k and m; the output
                          says how many, by human class
                        fail: a Fail verdict, as the AI-evals course does (judgy input maps
                          UNKNOWN to 0): a false fail on a human-Pass item, a true fail on a
                          human-Fail item; in production counted in m, not in k
                        pass: a Pass verdict (TP or FP; in production in k and m)
  --json              print one JSON object; errors as {"error": CODE, "message": ...}, exit code 1
  -h, --help          show this help
${EXTRA_USAGE}`

/** The `estimate` sub-command (registered by the CLI dispatcher). */
export const estimateCommand: Command = {
  summary: 'corrected pass rate of a judge with a confidence interval',
  usage,
  async run(args, io) {
    const json = args.includes('--json')
    try {
      const options = parseOptions(args)
      if (options === 'help') {
        io.stdout(`${usage}\n`)
        return 0
      }
      const { text, source } = await readInput(options.input, io)
      if (options.extra !== null) {
        const extra = { ...options.estimate, method: options.extra }
        io.stdout(runExtraMethod(extra, text, source, parseInput, json))
        return 0
      }
      const { counts, errors } = parseInput(text, source)
      const result = estimate({ counts, errors, ...options.estimate })
      io.stdout(json ? `${JSON.stringify(toJson(result))}\n` : summary(result))
      return 0
    } catch (e) {
      const error = isStatsError(e) || e instanceof CliError ? { code: e.code, message: e.message } : null
      if (error === null) throw e
      if (json) io.stdout(`${JSON.stringify({ error: error.code, message: error.message })}\n`)
      else
        io.stderr(
          `assay estimate: ${error.message}${error.code === 'bad_arguments' ? '\nRun assay estimate --help for usage.' : ''}\n`,
        )
      return 1
    }
  },
}

interface Options {
  input: string
  /** `stratified`, `ppi` or `compare` (estimate-methods.ts); null for the Rogan–Gladen interval methods. */
  extra: ExtraMethod | null
  estimate: {
    method?: IntervalMethod
    iterations?: number
    seed?: number
    confidence?: number
    stratified?: boolean
    resampleUnlabeled?: boolean
    errorPolicy?: ErrorPolicy
  }
}

function parseOptions(args: string[]): Options | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: 'string' },
        method: { type: 'string' },
        iterations: { type: 'string' },
        seed: { type: 'string' },
        confidence: { type: 'string' },
        stratified: { type: 'boolean' },
        'fixed-unlabeled': { type: 'boolean' },
        errors: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e) {
    throw new CliError('bad_arguments', e instanceof Error ? e.message : String(e))
  }
  const v = parsed.values
  if (v.help === true) return 'help'
  if (parsed.positionals.length > 1 || (parsed.positionals.length === 1 && v.input !== undefined)) {
    throw new CliError('bad_arguments', 'give one input: a FILE argument or --input FILE')
  }
  const method = v.method
  const extra = isExtraMethod(method) ? method : null
  if (method !== undefined && extra === null && !(INTERVAL_METHODS as readonly string[]).includes(method)) {
    throw new CliError(
      'bad_method',
      `unknown method "${method}"; use one of ${[...INTERVAL_METHODS, ...EXTRA_METHODS].join(', ')}`,
    )
  }
  if (extra !== null) refuseBootstrapOptions(extra, v)
  const errorPolicy = v.errors
  if (errorPolicy !== undefined && !(ERROR_POLICIES as readonly string[]).includes(errorPolicy)) {
    throw new CliError('bad_option', `--errors must be one of ${ERROR_POLICIES.join(', ')}, got "${errorPolicy}"`)
  }
  return {
    input: v.input ?? parsed.positionals.at(0) ?? '-',
    extra,
    estimate: {
      method: extra === null ? (method as IntervalMethod | undefined) : undefined,
      iterations: number(v.iterations, 'bad_iterations', '--iterations', /^\d+$/, 'a positive integer, e.g. 20000'),
      seed: number(v.seed, 'bad_seed', '--seed', /^\d+$/, 'a non-negative integer'),
      confidence: number(
        v.confidence,
        'bad_confidence',
        '--confidence',
        /^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i,
        'a number between 0 and 1, e.g. 0.95',
      ),
      ...(v.stratified === true ? { stratified: true } : {}),
      ...(v['fixed-unlabeled'] === true ? { resampleUnlabeled: false } : {}),
      ...(errorPolicy !== undefined ? { errorPolicy: errorPolicy as ErrorPolicy } : {}),
    },
  }
}

/** The bootstrap options mean nothing to the audit or PPI++: refuse them rather than ignore them. */
function refuseBootstrapOptions(method: ExtraMethod, v: Record<string, string | boolean | undefined>): void {
  for (const flag of ['iterations', 'seed', 'stratified', 'fixed-unlabeled']) {
    if (v[flag] !== undefined)
      throw new CliError('bad_option', `--${flag} does not apply to --method ${method} (its intervals are analytic)`)
  }
  if (method === 'stratified' && v.errors !== undefined) {
    throw new CliError(
      'bad_option',
      '--errors does not apply to --method stratified: give error verdicts their own stratum',
    )
  }
}

function number(
  raw: string | undefined,
  code: string,
  flag: string,
  pattern: RegExp,
  want: string,
): number | undefined {
  if (raw === undefined) return undefined
  if (!pattern.test(raw.trim())) throw new CliError(code, `${flag} must be ${want}, got "${raw}"`)
  return Number(raw)
}

async function readInput(input: string, io: CliIo): Promise<{ text: string; source: string }> {
  if (input === '-') return { text: await io.readStdin(), source: '<stdin>' }
  try {
    return { text: readFileSync(path.resolve(io.cwd, input), 'utf8'), source: input }
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)
    throw new CliError('bad_input', `cannot read ${input}: ${reason}`)
  }
}

/** Counts of pass/fail verdicts, and the error verdicts beside them. */
export interface ParsedInput {
  counts: CalibrationCounts
  errors: ErrorCounts
}

/** JSON (judgy arrays or counts) or CSV → counts and error verdicts; every problem names the source, line and field. */
export function parseInput(raw: string, source: string): ParsedInput {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  if (text.trim() === '')
    throw new CliError('bad_input', `${source}: input is empty; see assay estimate --help for the formats`)
  try {
    return text.trimStart().startsWith('{') ? parseJson(text, source) : parseCsv(text, source)
  } catch (e) {
    if (isStatsError(e)) throw new CliError(e.code, `${source}: ${e.message}`)
    throw e
  }
}

const OPTION_KEYS = ['iterations', 'seed', 'method', 'confidence', 'bootstrap_iterations', 'confidence_level', 'errors']
const ARRAY_KEYS = ['test_labels', 'test_preds', 'unlabeled_preds'] as const
const COUNT_KEYS = ['tp', 'fn', 'tn', 'fp', 'k', 'm'] as const
/** Optional in counts JSON: error verdicts on human-Pass and human-Fail test items and on production items. */
const ERROR_KEYS = { errors_pass: 'pass', errors_fail: 'fail', errors_unlabeled: 'unlabeled' } as const

function parseJson(text: string, source: string): ParsedInput {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const pos = /position (\d+)/.exec(message)
    const where = pos ? `:${lineOf(text, Number(pos[1]))}` : ''
    throw new CliError('bad_input', `${source}${where}: not valid JSON (${message})`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError('bad_input', `${source}: expected a JSON object with judgy's arrays or counts`)
  }
  const obj = data as Record<string, unknown>
  const keys = Object.keys(obj)
  const shape = keys.some((k) => (ARRAY_KEYS as readonly string[]).includes(k)) ? ARRAY_KEYS : COUNT_KEYS
  const expected = `expected judgy's {${ARRAY_KEYS.join(', ')}} or counts {${COUNT_KEYS.join(', ')}}`
  // Other fields (a "description", say) are ignored, but options belong on the command line.
  for (const k of keys) {
    if (OPTION_KEYS.includes(k))
      throw new CliError(
        'bad_input',
        `${source}: field "${k}" is an option: pass it on the command line (--${k}) instead`,
      )
    if (shape === ARRAY_KEYS && k in ERROR_KEYS) {
      throw new CliError(
        'bad_input',
        `${source}: field "${k}" goes with counts JSON {${COUNT_KEYS.join(', ')}}, not with judgy's arrays; give counts, or a CSV with UNKNOWN judge cells`,
      )
    }
  }
  for (const k of shape) {
    if (!(k in obj)) {
      const hint =
        k === 'unlabeled_preds'
          ? " (the judge's 0/1 verdicts on the unlabeled production traces, which the corrected rate is about)"
          : ''
      throw new CliError('bad_input', `${source}: missing field "${k}"${hint}; ${expected}`)
    }
  }
  if (shape === ARRAY_KEYS) {
    const arrays = ARRAY_KEYS.map((k) => {
      const v = obj[k]
      if (!Array.isArray(v)) throw new CliError('bad_input', `${source}: field "${k}" must be an array of 0/1 values`)
      return v as BinaryValue[]
    })
    return { counts: countsFromArrays(arrays[0], arrays[1], arrays[2]), errors: { ...NO_ERRORS } }
  }
  const count = (k: string): number => {
    const v = obj[k]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new CliError(
        'bad_input',
        `${source}: field "${k}" must be a non-negative integer, got ${JSON.stringify(v)}`,
      )
    }
    return v
  }
  const counts = {} as Record<(typeof COUNT_KEYS)[number], number>
  for (const k of COUNT_KEYS) counts[k] = count(k)
  const errors = { ...NO_ERRORS }
  for (const [k, key] of Object.entries(ERROR_KEYS)) if (k in obj) errors[key] = count(k)
  return { counts, errors }
}

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

const VERDICTS: Record<string, 0 | 1> = { pass: 1, fail: 0, '1': 1, '0': 0, true: 1, false: 0 }
/**
 * Judge cells that are an error verdict (the import's words for one). An empty judge cell next to a
 * human label is one too: each row of this CSV is an item the judge was asked about. (A file
 * imported into a project reads an empty cell as no verdict: there a row need not have been judged.)
 */
const ERROR_VERDICTS = new Set(['unknown', 'error', 'none', 'null', 'nan', 'n/a'])

function parseCsv(text: string, source: string): ParsedInput {
  const rows = csvRecords(text, source)
  const header = rows.shift()
  if (header === undefined) throw new CliError('bad_input', `${source}: no header row`)
  const names = header.fields.map((f) => f.trim().toLowerCase())
  const hi = names.indexOf('human')
  const ji = names.indexOf('judge')
  if (hi < 0 || ji < 0) {
    throw new CliError(
      'bad_input',
      `${source}:${header.line}: the header must name the columns human and judge (found: ${header.fields.join(', ')})`,
    )
  }
  const counts = { tp: 0, fn: 0, tn: 0, fp: 0, k: 0, m: 0 }
  const errors = { ...NO_ERRORS }
  for (const { line, fields } of rows) {
    // Blank lines, and rows of empty cells (spreadsheets write ",,," for them), are no items.
    if (fields.every((f) => f.trim() === '')) continue
    if (fields.length !== header.fields.length) {
      throw new CliError(
        'bad_input',
        `${source}:${line}: expected ${header.fields.length} fields like the header, found ${fields.length}`,
      )
    }
    const cell = (col: number) => fields[col].trim().toLowerCase()
    const binary = (col: number, name: string, also: string): 0 | 1 => {
      const text = cell(col)
      const v = Object.hasOwn(VERDICTS, text) ? VERDICTS[text] : undefined // "constructor" is no verdict
      if (v === undefined)
        throw new CliError(
          'bad_input',
          `${source}:${line}: column ${name}: "${fields[col]}" is not pass/fail, 1/0 or true/false${also}`,
        )
      return v
    }
    const human = cell(hi) === '' ? null : binary(hi, 'human', '')
    if (cell(ji) === '' && human === null) {
      throw new CliError(
        'bad_input',
        `${source}:${line}: columns human and judge are both empty; give the judge's verdict (UNKNOWN if it gave no answer: an error verdict) or delete the row`,
      )
    }
    // An empty judge cell next to a human label is a labeled item the judge did not answer: an error verdict, as the
    // import reads it.
    const judge =
      cell(ji) === '' || ERROR_VERDICTS.has(cell(ji))
        ? 'error'
        : binary(ji, 'judge', ', or an error verdict (UNKNOWN, ERROR)')
    if (judge === 'error') {
      errors[human === null ? 'unlabeled' : human === 1 ? 'pass' : 'fail']++
      continue
    }
    if (human === null) {
      counts.m++
      counts.k += judge
    } else if (human === 1) {
      if (judge === 1) counts.tp++
      else counts.fn++
    } else if (judge === 0) counts.tn++
    else counts.fp++
  }
  return { counts, errors }
}

/**
 * RFC 4180 records with the line each starts on: quoted fields may hold commas, quotes ("") and newlines; CRLF or LF.
 */
function csvRecords(text: string, source: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let start = 1
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else {
        if (ch === '\n') line++
        field += ch
      }
    } else if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      fields.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      fields.push(field)
      out.push({ line: start, fields })
      fields = []
      field = ''
      start = ++line
    } else field += ch
  }
  if (quoted) throw new CliError('bad_input', `${source}:${start}: a quoted field is not closed`)
  if (field !== '' || fields.length > 0) out.push({ line: start, fields: [...fields, field] })
  return out
}

/** The `--json` object: the fields of the issue plus design, J and the Wilson intervals. */
export function toJson(r: EstimateResult): Record<string, unknown> {
  const c = r.counts
  return {
    theta: r.theta,
    thetaUnclipped: r.thetaUnclipped,
    lower: r.lower,
    upper: r.upper,
    tpr: r.tpr,
    tnr: r.tnr,
    pObs: r.pObs,
    youdenJ: r.youdenJ,
    method: r.method,
    iterations: r.iterations,
    seed: r.seed,
    prng: r.prng,
    confidence: r.confidence,
    nValid: r.nValid,
    nDropped: r.nDropped,
    pValid: r.pValid,
    stratified: r.stratified,
    resampleUnlabeled: r.resampleUnlabeled,
    counts: { tp: c.tp, fn: c.fn, tn: c.tn, fp: c.fp, n: c.n, k: c.k, m: c.m },
    errorPolicy: r.errorPolicy,
    errors: r.errors,
    tprInterval: { lower: r.tprInterval.lower, upper: r.tprInterval.upper },
    tnrInterval: { lower: r.tnrInterval.lower, upper: r.tnrInterval.upper },
    warnings: r.warnings,
  }
}

function summary(r: EstimateResult): string {
  const f = (x: number): string => x.toFixed(3)
  const c = r.counts
  const pct = `${+(r.confidence * 100).toFixed(4)}%`
  const run =
    r.iterations !== null
      ? `B = ${r.iterations} (${r.nValid} kept, ${r.nDropped} dropped), seed ${r.seed}, ${r.prng}`
      : r.pValid !== null
        ? `exact enumeration, P(valid resample) = ${r.pValid.toPrecision(6)}; seed ${r.seed} (${r.prng}) unused`
        : `analytic; seed ${r.seed} (${r.prng}) unused`
  const lines = [
    `Corrected pass rate  ${f(r.theta)}${r.clipped ? ` (unclipped ${f(r.thetaUnclipped)})` : ''}   ${pct} CI [${f(r.lower)}, ${f(r.upper)}]   method ${r.method}`,
    `Raw judge pass rate  ${f(r.pObs)}   (${c.k} of ${c.m} production verdicts)`,
    `Judge on test set    TPR ${f(r.tpr)} [${f(r.tprInterval.lower)}, ${f(r.tprInterval.upper)}]   TNR ${f(r.tnr)} [${f(r.tnrInterval.lower)}, ${f(r.tnrInterval.upper)}]   n = ${c.n} (${c.pos} Pass, ${c.neg} Fail)`,
    `Run                  ${run}`,
    ...errorLines(r),
    ...r.warnings.map((w) => `warning [${w.code}]: ${w.message}`),
  ]
  return `${lines.join('\n')}\n`
}

/** The error verdicts and what the policy did with them; nothing when there are none. */
function errorLines(r: EstimateResult): string[] {
  const e = r.errors
  const total = e.pass + e.fail + e.unlabeled
  if (total === 0) return []
  const byClass = `${e.pass} on human Pass, ${e.fail} on human Fail, ${e.unlabeled} in production`
  if (r.errorPolicy === 'exclude') {
    return [
      `Error verdicts       ${total} left out (${byClass}); --errors fail counts them as Fail (the course's convention), --errors pass as Pass`,
    ]
  }
  return [
    `Error verdicts       ${total} counted as ${r.errorPolicy === 'fail' ? 'Fail' : 'Pass'} (${byClass}), --errors ${r.errorPolicy}`,
  ]
}
