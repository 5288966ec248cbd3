/**
 * `assay estimate --method stratified | ppi | compare` (issue 18): the production audit, PPI++ and the two side by
 * side with Rogan–Gladen. Kept apart from `estimate.ts`, which reads judgy's arrays and the counts for the
 * Rogan–Gladen intervals; the counts reader is shared. The statistics are `shared/stats`.
 */
import {
  applyErrorPolicy,
  DEFAULT_ERROR_POLICY,
  estimate,
  isStatsError,
  PPI_ASSUMPTION,
  ppiEstimate,
  stratifiedEstimate,
  type ErrorPolicy,
  type PpiResult,
  type StratifiedResult,
  type Stratum,
} from '../../shared/stats'
import { CliError } from './command'

/** The methods this file answers for; the Rogan–Gladen interval methods stay in `estimate.ts`. */
export const EXTRA_METHODS = ['stratified', 'ppi', 'compare'] as const
export type ExtraMethod = (typeof EXTRA_METHODS)[number]

export function isExtraMethod(method: string | undefined): method is ExtraMethod {
  return (EXTRA_METHODS as readonly string[]).includes(method ?? '')
}

/** The usage lines for these methods, inserted in `assay estimate --help`. */
export const EXTRA_USAGE = `
Label-efficient estimates (--method stratified | ppi | compare):
  stratified  production audit: items drawn from each judge-verdict stratum of production and
              labeled; reads {"strata": [{"name": "judge pass", "N": 798, "n": 40, "humanPass": 37},
              {"name": "judge fail", "N": 402, "n": 30, "humanPass": 5}]}. Needs no TPR + TNR > 1.
  ppi         PPI++ on a random test split: reads the counts JSON (or CSV) above; assumes the
              labeled items are a random sample of production
  compare     Rogan–Gladen (default interval), PPI++ and, when the counts JSON also holds
              "strata", the audit, side by side with the labels each used and the width ratio
  (--confidence and, for ppi and compare, --errors apply; the bootstrap options do not)`

/** Options `estimate.ts` parsed that these methods use. */
export interface ExtraOptions {
  method: ExtraMethod
  confidence?: number
  errorPolicy?: ErrorPolicy
}

/** Runs one of the extra methods on the input text; returns what to print. */
export function runExtraMethod(
  o: ExtraOptions,
  text: string,
  source: string,
  parseCounts: (text: string, source: string) => { counts: CountsShape; errors: ErrorsShape },
  json: boolean,
): string {
  if (o.method === 'stratified') {
    const r = stratifiedEstimate(parseStrata(text, source, true) ?? [], o.confidence)
    return json ? `${JSON.stringify(r)}\n` : stratifiedSummary(r)
  }
  const { counts, errors } = parseCounts(text, source)
  const policy = o.errorPolicy ?? DEFAULT_ERROR_POLICY
  const c = applyErrorPolicy(counts, errors, policy)
  if (o.method === 'ppi') {
    const r = located(source, () => ppiEstimate(c, o.confidence))
    return json ? `${JSON.stringify({ ...r, assumption: PPI_ASSUMPTION })}\n` : ppiSummary(r)
  }
  const strata = parseStrata(text, source, false)
  const rows = compareRows({ counts, errors, policy, confidence: o.confidence }, strata)
  return json ? `${JSON.stringify({ rows, notes: compareNotes(rows) })}\n` : compareSummary(rows)
}

type CountsShape = { tp: number; fn: number; tn: number; fp: number; k: number; m: number }
type ErrorsShape = { pass: number; fail: number; unlabeled: number }

/** A statistics refusal names the input it came from. */
function located<T>(source: string, f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (isStatsError(e)) throw new CliError(e.code, `${source}: ${e.message}`)
    throw e
  }
}

const OPTION_FIELDS = ['confidence', 'confidence_level', 'method', 'errors', 'iterations', 'seed']

/**
 * `{"strata": [...]}` → strata, every problem located (`file: strata[1].N must be ...`). With `required` false a
 * missing "strata" gives null (compare without an audit).
 */
function parseStrata(text: string, source: string, required: boolean): Stratum[] | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (!body.trimStart().startsWith('{')) {
    if (required) throw new CliError('bad_input', `${source}: expected a JSON object {"strata": [...]}`)
    return null
  }
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch (e) {
    throw new CliError('bad_input', `${source}: not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError('bad_input', `${source}: expected a JSON object {"strata": [...]}`)
  }
  const obj = data as Record<string, unknown>
  if (required) {
    for (const k of OPTION_FIELDS)
      if (k in obj)
        throw new CliError('bad_input', `${source}: field "${k}" is an option: pass it on the command line instead`)
  }
  if (!('strata' in obj)) {
    if (!required) return null
    throw new CliError(
      'no_strata',
      `${source}: missing field "strata": a list like [{"name": "judge pass", "N": 798, "n": 40, "humanPass": 37}, ...]`,
    )
  }
  const list = obj.strata
  if (!Array.isArray(list) || list.length === 0) {
    throw new CliError('no_strata', `${source}: "strata" must be a non-empty list of {name, N, n, humanPass}`)
  }
  return list.map((s: unknown, i) => parseStratum(s, `${source}: strata[${i}]`, i))
}

function parseStratum(s: unknown, where: string, i: number): Stratum {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    throw new CliError('bad_stratum', `${where} must be an object {name, N, n, humanPass}`)
  }
  const o = s as Record<string, unknown>
  const int = (k: 'N' | 'n' | 'humanPass'): number => {
    const v = o[k]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new CliError(
        'bad_stratum',
        `${where}.${k} must be a non-negative integer (${STRATUM_FIELDS[k]}), got ${v === undefined ? 'nothing' : JSON.stringify(v)}`,
      )
    }
    return v
  }
  const name = o.name ?? `stratum ${i + 1}`
  if (typeof name !== 'string') throw new CliError('bad_stratum', `${where}.name must be a string`)
  const out = { name, N: int('N'), n: int('n'), humanPass: int('humanPass') }
  if (out.N === 0) throw new CliError('bad_stratum', `${where}.N must be at least 1: leave out an empty stratum`)
  if (out.n > out.N)
    throw new CliError('bad_stratum', `${where}.n (${out.n}) must be at most N (${out.N}): labels are drawn from it`)
  if (out.humanPass > out.n)
    throw new CliError('bad_stratum', `${where}.humanPass (${out.humanPass}) must be at most n (${out.n})`)
  return out
}

const STRATUM_FIELDS = {
  N: 'production items in the stratum',
  n: 'of them drawn and labeled',
  humanPass: 'of those the human passed',
} as const

/** One row of `--method compare`. */
export interface CompareRow {
  method: 'rogan-gladen' | 'ppi' | 'stratified'
  interval: string | null
  theta: number | null
  lower: number | null
  upper: number | null
  labels: number
  /** Width ÷ the Rogan–Gladen interval's width (null when either is missing). */
  widthRatio: number | null
  error?: { code: string; message: string }
}

function compareRows(
  input: { counts: CountsShape; errors: ErrorsShape; policy: ErrorPolicy; confidence: number | undefined },
  strata: Stratum[] | null,
): CompareRow[] {
  const { counts, errors, policy, confidence } = input
  const c = applyErrorPolicy(counts, errors, policy)
  const n = c.tp + c.fn + c.tn + c.fp
  const row = (
    method: CompareRow['method'],
    labels: number,
    f: () => { theta: number; lower: number; upper: number; interval: string },
  ): CompareRow => {
    try {
      const r = f()
      return { method, interval: r.interval, theta: r.theta, lower: r.lower, upper: r.upper, labels, widthRatio: null }
    } catch (e) {
      if (!isStatsError(e)) throw e
      const error = { code: e.code, message: e.message }
      return { method, interval: null, theta: null, lower: null, upper: null, labels, widthRatio: null, error }
    }
  }
  const rows = [
    row('rogan-gladen', n, () => {
      const r = estimate({ counts, confidence, errors, errorPolicy: policy })
      return { ...r, interval: r.method }
    }),
    row('ppi', n, () => ppiEstimate(c, confidence)),
  ]
  if (strata !== null) {
    rows.push(row('stratified', sum(strata.map((s) => s.n)), () => stratifiedEstimate(strata, confidence)))
  }
  const rg = rows[0]
  const base = rg.upper !== null && rg.lower !== null ? rg.upper - rg.lower : null
  for (const r of rows) {
    if (base !== null && base > 0 && r.upper !== null && r.lower !== null) r.widthRatio = (r.upper - r.lower) / base
  }
  return rows
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

/** Pairs of estimates whose intervals do not overlap: at least one estimator's assumption fails here. */
function compareNotes(rows: readonly CompareRow[]): string[] {
  const notes: string[] = []
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i]
      const b = rows[j]
      if (a.lower === null || a.upper === null || b.lower === null || b.upper === null) continue
      if (a.upper < b.lower || b.upper < a.lower) {
        notes.push(
          `${NAMES[a.method]} and ${NAMES[b.method]} disagree beyond their intervals: ${a.method === 'ppi' || b.method === 'ppi' ? 'PPI++ assumes the labeled items are a random sample of production; if they were labeled in a balanced or stratified order, or production changed, trust Rogan–Gladen or the audit.' : 'the judge may err differently on production than on the labeled items; the audit, drawn from production, does not depend on that.'}`,
        )
      }
    }
  }
  return notes
}

const NAMES = { 'rogan-gladen': 'Rogan–Gladen', ppi: 'PPI++', stratified: 'the audit' } as const
const f3 = (x: number): string => x.toFixed(3)
const pct = (confidence: number): string => `${+(confidence * 100).toFixed(4)}%`

function stratifiedSummary(r: StratifiedResult): string {
  const lines = [
    `Production pass rate (audit)  ${f3(r.theta)}   ${pct(r.confidence)} CI [${f3(r.lower)}, ${f3(r.upper)}]`,
    `Interval             ${r.intervalName} (${r.interval})`,
    `Labels               ${r.labels} drawn from ${r.population} production items`,
    ...r.strata.map(
      (s) =>
        `  ${s.name.padEnd(18)} N ${String(s.N).padStart(7)}  weight ${f3(s.weight)}  ${s.humanPass}/${s.n} human pass = ${f3(s.p)} [${f3(s.lower)}, ${f3(s.upper)}]`,
    ),
    ...r.warnings.map((w) => `warning [${w.code}]: ${w.message}`),
  ]
  return `${lines.join('\n')}\n`
}

function ppiSummary(r: PpiResult): string {
  const lines = [
    `Production pass rate (PPI++)  ${f3(r.theta)}   ${pct(r.confidence)} CI [${f3(r.lower)}, ${f3(r.upper)}]`,
    `Interval             ${r.intervalName} (${r.interval})`,
    `λ (power tuning)     ${f3(r.lambda)}   labels ${r.labels}, production verdicts ${r.production}`,
    `Judge pass rate      ${f3(r.labeledJudgePass)} on the labeled items, ${f3(r.productionJudgePass)} in production`,
    `Assumption           ${PPI_ASSUMPTION}`,
    ...r.warnings.map((w) => `warning [${w.code}]: ${w.message}`),
  ]
  return `${lines.join('\n')}\n`
}

function compareSummary(rows: readonly CompareRow[]): string {
  const lines = [`${'method'.padEnd(14)}${'θ̂'.padEnd(8)}${'interval'.padEnd(18)}${'labels'.padEnd(8)}width ÷ RG`]
  for (const r of rows) {
    if (r.theta === null || r.lower === null || r.upper === null) {
      lines.push(`${NAMES[r.method].padEnd(14)}refused: ${r.error?.message ?? 'no estimate'}`)
      continue
    }
    lines.push(
      `${NAMES[r.method].padEnd(14)}${f3(r.theta).padEnd(8)}${`[${f3(r.lower)}, ${f3(r.upper)}]`.padEnd(18)}${String(r.labels).padEnd(8)}${r.widthRatio === null ? '-' : r.widthRatio.toFixed(2)}   ${r.interval ?? ''}`,
    )
  }
  lines.push(...compareNotes(rows).map((n) => `note: ${n}`), `assumption: ${PPI_ASSUMPTION}`)
  return `${lines.join('\n')}\n`
}
