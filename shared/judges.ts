/**
 * Judges (DESIGN §3.5): model profiles, versions, runs, and the pure parts both sides need: the
 * prompt template language, the strict parse of a judge's answer and a line diff of two
 * versions. A judge is one binary check of one criterion; its answer is a critique first, then
 * a verdict, and anything else becomes an `error` verdict with the raw text kept, never `fail`.
 */
import { z } from 'zod'
import { JudgeVerdict, LabelVerdict, Split, Verdict } from './domain'

/** A model endpoint: OpenAI or any OpenAI-compatible server. The API key is never part of it. */
export const ModelProfile = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'letters, digits, dot, dash and underscore, starting with a letter or digit',
    ),
  name: z.string().trim().min(1).max(200),
  provider: z.string().trim().max(100).default('openai'),
  // Trimmed before the URL check (z.url() alone would check first), as the check of a string.
  baseUrl: z.string().trim().check(z.url('a base URL such as https://api.openai.com/v1 or http://localhost:11434/v1')),
  model: z.string().trim().min(1, 'a model id is required (pin an exact version)').max(200),
  /** Sent with every request (temperature, max_tokens, top_p, seed…). */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({ temperature: 0 }),
  /** US dollars per million tokens, for cost estimates. */
  pricePerMInput: z.number().min(0).default(0),
  pricePerMOutput: z.number().min(0).default(0),
  /** The endpoint accepts `response_format: json_schema`; otherwise the answer is parsed strictly. */
  structuredOutputs: z.boolean().default(true),
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** An environment variable that holds the key (serve and CLI); OPENAI_API_KEY when empty. */
  apiKeyEnv: z.string().trim().max(100).default(''),
})
export type ModelProfile = z.infer<typeof ModelProfile>

/** What a judge version records of its model: the profile as it was, without any key. */
export const ModelSnapshot = ModelProfile.pick({
  id: true,
  name: true,
  provider: true,
  baseUrl: true,
  model: true,
  pricePerMInput: true,
  pricePerMOutput: true,
  structuredOutputs: true,
  timeoutMs: true,
  apiKeyEnv: true,
})
export type ModelSnapshot = z.infer<typeof ModelSnapshot>

export const RUN_SCOPES = ['train', 'dev', 'test', 'unlabeled', 'all', 'selection'] as const
export const RunScope = z.enum(RUN_SCOPES)
export type RunScope = z.infer<typeof RunScope>

export const SplitRatios = z
  .object({
    train: z.number().min(0).max(1),
    dev: z.number().min(0).max(1),
    test: z.number().min(0).max(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  })
  .refine((r) => Math.abs(r.train + r.dev + r.test - 1) < 1e-6, 'train, dev and test must add up to 100%')
export type SplitRatios = z.infer<typeof SplitRatios>
export const DEFAULT_SPLITS: SplitRatios = { train: 0.15, dev: 0.45, test: 0.4, seed: 1 }

export const JudgeVersionView = z.object({
  id: z.number().int(),
  version: z.number().int(),
  prompt: z.string(),
  model: ModelSnapshot.partial().loose(),
  params: z.record(z.string(), z.unknown()),
  fewshotIds: z.array(z.number().int()),
  testEvaluations: z.number().int(),
  testViewedAt: z.string().nullable(),
  createdAt: z.string(),
  /** Verdicts imported from a file: no prompt to run. */
  external: z.boolean(),
})
export type JudgeVersionView = z.infer<typeof JudgeVersionView>

export const RunView = z.object({
  id: z.number().int(),
  versionId: z.number().int(),
  version: z.number().int(),
  scope: z.string(),
  /** `batch`: through the Batch API (half price, answers within 24 h); `batchId` while its batch is out. */
  mode: z.enum(['online', 'batch']),
  batchId: z.string().nullable(),
  /** `interrupted`: marked running, but no runner works on it (the process was killed). */
  status: z.enum(['pending', 'running', 'interrupted', 'cancelled', 'failed', 'done']),
  total: z.number().int(),
  done: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  errors: z.number().int(),
  cached: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
})
export type RunView = z.infer<typeof RunView>

export const JudgeSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  criterionId: z.number().int(),
  criterion: z.string(),
  versions: z.number().int(),
  latest: z.number().int().nullable(),
})
export type JudgeSummary = z.infer<typeof JudgeSummary>

/** A judge's metrics on one split from one version's newest verdict per item. */
export const SplitMetrics = z.object({
  split: z.enum(['train', 'dev', 'test', 'unlabeled']),
  tp: z.number().int(),
  fn: z.number().int(),
  tn: z.number().int(),
  fp: z.number().int(),
  /** Error verdicts: beside the matrix, never in it (the Calibrate screen's error policy may count them in). */
  errors: z.number().int(),
  /** The error verdicts on items a human passed and on items a human failed (0 on unlabeled items). */
  errorsPass: z.number().int(),
  errorsFail: z.number().int(),
  /** Labeled items of the split with no verdict of this version yet. */
  missing: z.number().int(),
  judgedPass: z.number().int(),
  judgedFail: z.number().int(),
})
export type SplitMetrics = z.infer<typeof SplitMetrics>

export const VerdictView = z.object({
  itemId: z.number().int(),
  externalId: z.string(),
  split: Split.nullable(),
  human: LabelVerdict.nullable(),
  verdict: JudgeVerdict,
  critique: z.string(),
  error: z.string().nullable(),
  raw: z.string(),
  latencyMs: z.number().nullable(),
  tokensIn: z.number().nullable(),
  tokensOut: z.number().nullable(),
  cached: z.boolean(),
  attempts: z.number().int(),
})
export type VerdictView = z.infer<typeof VerdictView>

export const FewshotCandidate = z.object({
  itemId: z.number().int(),
  externalId: z.string(),
  verdict: Verdict,
  note: z.string(),
  preview: z.string(),
})
export type FewshotCandidate = z.infer<typeof FewshotCandidate>

export const SplitCounts = z.object({
  train: z.object({ pass: z.number(), fail: z.number() }),
  dev: z.object({ pass: z.number(), fail: z.number() }),
  test: z.object({ pass: z.number(), fail: z.number() }),
})

export const JudgeDetail = z.object({
  judge: JudgeSummary,
  versions: z.array(JudgeVersionView),
  runs: z.array(RunView),
  /**
   * Per version: train, dev and unlabeled always; test only once revealed (the test lock). While
   * test is locked, `lockedTestErrors` counts its error verdicts, which the version's error list
   * cannot show yet (0 once revealed).
   */
  metrics: z.array(
    z.object({
      versionId: z.number().int(),
      splits: z.array(SplitMetrics),
      testRevealed: z.boolean(),
      lockedTestErrors: z.number().int(),
    }),
  ),
  splits: z.object({ ratios: SplitRatios, counts: SplitCounts }),
  fewshot: z.array(FewshotCandidate),
  definition: z.string(),
})
export type JudgeDetail = z.infer<typeof JudgeDetail>

export const RunEstimate = z.object({
  items: z.number().int(),
  cachedItems: z.number().int(),
  calls: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  /** The scope touches the test split: running needs an explicit confirmation. */
  touchesTest: z.boolean(),
  testEvaluations: z.number().int(),
})
export type RunEstimate = z.infer<typeof RunEstimate>

export { JudgeVerdict }

// ───────────────────────────── templates ─────────────────────────────

/** The variables a template may use; `{{metadata.KEY}}` names any metadata field. */
export const TEMPLATE_VARIABLES = ['input', 'output', 'trace', 'examples', 'definition', 'criterion'] as const

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** Every unknown variable of a template, with its line: an empty list when it is fine. */
export function templateProblems(template: string): string[] {
  const problems: string[] = []
  template.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(VARIABLE)) {
      const name = m[1]
      if ((TEMPLATE_VARIABLES as readonly string[]).includes(name) || /^metadata\.[^.]+/.test(name)) continue
      problems.push(
        `Unknown variable {{${name}}} on line ${i + 1}: use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')} or {{metadata.FIELD}}.`,
      )
    }
  })
  if (!template.trim()) problems.push('The prompt is empty: start from the default template.')
  return problems
}

/** What a template's variables stand for (a type, not an interface, so it reads as a plain record of fields). */
export type TemplateContext = {
  input: string
  output: string
  trace: string
  examples: string
  definition: string
  criterion: string
  metadata: Record<string, unknown>
}

/** Fills a template's variables; a metadata field the item lacks becomes an empty string. */
export function renderTemplate(template: string, ctx: TemplateContext): string {
  return template.replace(VARIABLE, (whole, name: string) => {
    if (name.startsWith('metadata.')) {
      const value = ctx.metadata[name.slice('metadata.'.length)]
      return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
    }
    const fields: Readonly<Record<string, unknown>> = ctx
    const value = fields[name]
    return typeof value === 'string' ? value : whole
  })
}

/** One few-shot example as the template's {{examples}} shows it: input, output, critique, result. */
export function formatExample(e: { input: string; output: string; critique: string; verdict: Verdict }): string {
  return `<example>\n<input>\n${e.input}\n</input>\n<output>\n${e.output}\n</output>\n<critique>${e.critique || '(no note)'}</critique>\n<result>${e.verdict === 'pass' ? 'Pass' : 'Fail'}</result>\n</example>`
}

/** The starting template for a criterion: task, pass/fail definitions, examples, critique-first JSON. */
export function defaultTemplate(criterion: string, definition: string): string {
  return `You are evaluating one output of an AI system for exactly one failure mode: "${criterion}".

## Definition
${definition.trim() || "(Write the criterion's definition here: what a Pass is and what a Fail is.)"}

- Pass: the output does not show this failure.
- Fail: the output shows this failure, even partly.

## Examples (labeled by a domain expert)
{{examples}}

## The item to judge
<input>
{{input}}
</input>
<output>
{{output}}
</output>

Write a detailed critique first, then the result. Answer with JSON only:
{"critique": "<your reasoning>", "result": "Pass" or "Fail"}`
}

// ───────────────────────────── answers ─────────────────────────────

/** The JSON schema structured outputs enforce: critique first, then the verdict. */
export const VERDICT_SCHEMA = {
  type: 'object',
  properties: { critique: { type: 'string' }, result: { type: 'string', enum: ['Pass', 'Fail'] } },
  required: ['critique', 'result'],
  additionalProperties: false,
} as const

export type ParsedAnswer = { ok: true; verdict: Verdict; critique: string } | { ok: false; reason: string }

/**
 * The strict parse of a judge's answer: one JSON object (a ```json fence around it is allowed)
 * with a string `critique` and `result` (or `verdict`/`outcome`) of Pass or Fail in any case.
 * Anything else is a reason for an error verdict; it is never read as a fail.
 */
export function parseAnswer(content: string | null | undefined): ParsedAnswer {
  const text = (content ?? '').trim()
  if (!text) return { ok: false, reason: 'The answer is empty.' }
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text)
  let value: unknown
  try {
    value = JSON.parse(fenced ? fenced[1] : text)
  } catch {
    return {
      ok: false,
      reason: 'The answer is not valid JSON (expected {"critique": "...", "result": "Pass" or "Fail"}).',
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'The answer is JSON but not an object with "critique" and "result".' }
  const o = value as Record<string, unknown>
  const raw = o.result ?? o.verdict ?? o.outcome
  if (raw === undefined || raw === null)
    return { ok: false, reason: 'The answer has no verdict (expected "result": "Pass" or "Fail").' }
  const verdict = typeof raw === 'string' ? raw.trim().toLowerCase() : ''
  if (verdict !== 'pass' && verdict !== 'fail')
    return { ok: false, reason: `The verdict ${JSON.stringify(raw)} is neither Pass nor Fail.` }
  if (o.critique !== undefined && typeof o.critique !== 'string')
    return { ok: false, reason: 'The critique is not text.' }
  return { ok: true, verdict, critique: o.critique ?? '' }
}

// ───────────────────────────── diffs ─────────────────────────────

export const DiffLine = z.object({ op: z.enum([' ', '+', '-']), text: z.string() })
export type DiffLine = z.infer<typeof DiffLine>

/** A line diff (longest common subsequence) of two prompts, for the version history. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  const n = a.length
  const m = b.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] })
      i++
      j++
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: a[i++] })
    else out.push({ op: '+', text: b[j++] })
  }
  while (i < n) out.push({ op: '-', text: a[i++] })
  while (j < m) out.push({ op: '+', text: b[j++] })
  return out
}
