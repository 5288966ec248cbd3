/**
 * Judges over the repos (DESIGN §3.5; methodology §4, requirements 22–27): create a judge, save
 * immutable versions (with the leakage check and the test-lock warning), stratified hash-based
 * splits, metrics per version and split, cost estimates, and runs that resume.
 */
import { createHash } from 'node:crypto'
import type { CriterionInfo, ItemDetail } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import {
  defaultTemplate,
  formatExample,
  lineDiff,
  templateProblems,
  type DiffLine,
  type FewshotCandidate,
  type JudgeDetail,
  type JudgeSummary,
  type JudgeVersionView,
  type ModelSnapshot,
  type RunEstimate,
  type RunScope,
  type RunView,
  type SplitMetrics,
  type SplitRatios,
  type VerdictView,
} from '../../../shared/judges'
import type { Db } from '../db/open'
import type { Repos } from '../db/repos'
import type { RunRow, VersionRow } from '../db/repos/judges'
import type { LabeledRow } from '../db/repos/splits'
import { buildRequest, cacheKey, costOf, renderFor, roughTokens, type VersionForRun } from './prompt'
import type { LlmClient, LlmResponse } from './llm'
import { DEFAULT_RETRY, onlineBackend, verdictOf, type RetryPolicy, type RunBackend, type RunTask, type TaskOutcome } from './runner'

export interface JudgeDeps {
  db: Db
  repos: Repos
  clock: () => Date
}

const now = (d: JudgeDeps): string => d.clock().toISOString()
const tx = <T>(d: JudgeDeps, fn: () => T): T => d.db.transaction(fn)()
type SplitName = 'train' | 'dev' | 'test'
const SPLITS: readonly SplitName[] = ['train', 'dev', 'test']

// ───────────────────────────── splits ─────────────────────────────

const rank = (seed: number, criterionId: number, externalId: string): number =>
  createHash('sha256').update(`${seed}\u0000${criterionId}\u0000${externalId}`).digest().readUInt32BE(0)

/**
 * Gives every labeled item of a criterion that has no split one (requirement 23): within each
 * human class, items in the order of a seeded hash of their id each go to the split furthest
 * below its share. An item keeps its split for good, so adding labels never reshuffles; the
 * classes stay stratified because each is filled on its own.
 */
export function assignSplits(d: JudgeDeps, criterionId: number): LabeledRow[] {
  const ratios = d.repos.splits.ratios(criterionId)
  return tx(d, () => {
    const rows = d.repos.splits.labeled(criterionId)
    const at = now(d)
    for (const verdict of ['pass', 'fail'] as const) {
      const ofClass = rows.filter((r) => r.verdict === verdict)
      const count: Record<SplitName, number> = { train: 0, dev: 0, test: 0 }
      for (const r of ofClass) if (r.split) count[r.split]++
      const fresh = ofClass.filter((r) => !r.split).sort((a, b) => rank(ratios.seed, criterionId, a.externalId) - rank(ratios.seed, criterionId, b.externalId) || a.itemId - b.itemId)
      let total = ofClass.length - fresh.length
      for (const r of fresh) {
        total++
        const split = SPLITS.reduce((best, s) => (ratios[s] * total - count[s] > ratios[best] * total - count[best] ? s : best), 'train' as SplitName)
        count[split]++
        r.split = split
        d.repos.splits.assign(criterionId, r.itemId, split, ratios.seed, at)
      }
    }
    return rows
  })
}

export function setSplitRatios(d: JudgeDeps, criterionId: number, ratios: SplitRatios): void {
  criterion(d, criterionId)
  d.repos.splits.setRatios(criterionId, ratios)
  d.repos.project.log('splits.settings', { criterionId, ...ratios }, now(d))
}

// ───────────────────────────── judges and versions ─────────────────────────────

function criterion(d: JudgeDeps, id: number): CriterionInfo {
  const c = d.repos.criteria.get(id)
  if (!c) throw new AppError('not_found', `There is no criterion with id ${id} in this project.`)
  return c
}

export function listJudges(d: JudgeDeps): JudgeSummary[] {
  return d.repos.judges.list().map((j) => ({ id: j.id, name: j.name, criterionId: j.criterion_id, criterion: j.criterion, versions: j.versions, latest: j.latest }))
}

export function judgeByName(d: JudgeDeps, name: string): JudgeSummary {
  const all = listJudges(d)
  const found = all.filter((j) => j.name === name)
  if (found.length === 1) return found[0]!
  if (found.length > 1) throw new AppError('invalid_input', `Several judges are named "${name}" (on ${found.map((j) => j.criterion).join(', ')}): rename one.`)
  throw new AppError('not_found', `There is no judge named "${name}". ${all.length ? `Judges: ${all.map((j) => `"${j.name}"`).join(', ')}.` : 'Create one first (Judges screen, or `assay judge create`).'}`)
}

const versionView = (v: VersionRow): JudgeVersionView => {
  const model = JSON.parse(v.model_json) as Record<string, unknown>
  return {
    id: v.id,
    version: v.version,
    prompt: v.prompt,
    model,
    params: JSON.parse(v.params_json),
    fewshotIds: JSON.parse(v.fewshot_ids),
    testEvaluations: v.test_evaluations,
    testViewedAt: v.test_viewed_at,
    createdAt: v.created_at,
    external: isExternal(model),
  }
}

/** Verdicts recorded elsewhere (imported from a file, or the demo's synthetic judge): no prompt to run. */
const isExternal = (model: { provider?: unknown }): boolean => model.provider === 'imported' || model.provider === 'demo'

/** A new judge for a criterion, with version 1: the default template and up to two train examples of each class. */
export function createJudge(d: JudgeDeps, input: { criterionId: number; name: string; model: ModelSnapshot; params: Record<string, unknown> }): JudgeSummary {
  const c = criterion(d, input.criterionId)
  if (listJudges(d).some((j) => j.criterionId === c.id && j.name === input.name)) throw new AppError('conflict', `"${c.name}" already has a judge named "${input.name}": choose another name.`)
  const rows = assignSplits(d, c.id)
  const train = rows.filter((r) => r.split === 'train' && (r.verdict === 'pass' || r.verdict === 'fail'))
  const withNotes = [...train].sort((a, b) => Number(b.note.length > 0) - Number(a.note.length > 0))
  const fewshot = [...withNotes.filter((r) => r.verdict === 'pass').slice(0, 2), ...withNotes.filter((r) => r.verdict === 'fail').slice(0, 2)].map((r) => r.itemId)
  const id = tx(d, () => {
    const judgeId = d.repos.judges.addJudge(c.id, input.name, now(d))
    d.repos.judges.addVersion({ judgeId, version: 1, prompt: defaultTemplate(c.name, c.definition), model: input.model, params: input.params, fewshotIds: fewshot }, now(d))
    d.repos.project.log('judge.create', { judgeId, criterionId: c.id, name: input.name }, now(d))
    return judgeId
  })
  return listJudges(d).find((j) => j.id === id)!
}

function judgeOf(d: JudgeDeps, judgeId: number): JudgeSummary {
  const j = listJudges(d).find((x) => x.id === judgeId)
  if (!j) throw new AppError('not_found', `There is no judge with id ${judgeId} in this project.`)
  return j
}

/** The leakage check (requirement 23): few-shot examples only from train; no dev or test item's text in the prompt. */
function checkLeakage(d: JudgeDeps, c: CriterionInfo, prompt: string, fewshotIds: number[]): void {
  const rows = assignSplits(d, c.id)
  const byId = new Map(rows.map((r) => [r.itemId, r]))
  for (const id of fewshotIds) {
    const r = byId.get(id)
    if (!r || (r.verdict !== 'pass' && r.verdict !== 'fail'))
      throw new AppError('invalid_input', `Few-shot item "${r?.externalId ?? d.repos.items.get(id, { assessments: false })?.externalId ?? id}" has no pass or fail label on "${c.name}": label it first, or remove it.`)
    if (r.split !== 'train')
      throw new AppError('invalid_input', `Few-shot item "${r.externalId}" is in the ${r.split} split of "${c.name}": only train items can be examples (leakage: the judge would be measured on an item it was shown). Remove it or pick a train item.`)
  }
  for (const r of rows) {
    if (r.split !== 'dev' && r.split !== 'test') continue
    const item = d.repos.items.get(r.itemId)
    if (!item) continue
    for (const [field, text] of [['output', item.output.trim()], ['input', item.input.trim()]] as const)
      if (text.length >= 40 && prompt.includes(text))
        throw new AppError('invalid_input', `The prompt contains the ${field} of item "${r.externalId}", which is in the ${r.split} split of "${c.name}" (leakage). Take it out, or use train items as {{examples}}.`)
  }
}

/**
 * Saves a judge's prompt, model and parameters as a new immutable version, unless nothing
 * changed (then the latest version is returned). Refuses unknown variables and leakage; warns
 * when the test results of the version it replaces were already viewed (requirement 25).
 */
export function saveVersion(
  d: JudgeDeps,
  input: { judgeId: number; prompt: string; model: ModelSnapshot; params: Record<string, unknown>; fewshotIds: number[] },
): { version: JudgeVersionView; created: boolean; warning: string | null } {
  const j = judgeOf(d, input.judgeId)
  const c = criterion(d, j.criterionId)
  const problems = templateProblems(input.prompt)
  if (problems.length > 0) throw new AppError('invalid_input', problems.join(' '))
  const fewshotIds = [...new Set(input.fewshotIds)]
  checkLeakage(d, c, input.prompt, fewshotIds)
  const versions = d.repos.judges.versions(j.id)
  const latest = versions.at(-1)
  const same = (v: VersionRow) =>
    v.prompt === input.prompt && v.model_json === JSON.stringify(input.model) && v.params_json === JSON.stringify(input.params) && v.fewshot_ids === JSON.stringify(fewshotIds)
  const existing = versions.find(same)
  if (existing) return { version: versionView(existing), created: false, warning: null }
  const id = tx(d, () => {
    const vid = d.repos.judges.addVersion({ judgeId: j.id, version: d.repos.judges.nextVersion(j.id), prompt: input.prompt, model: input.model, params: input.params, fewshotIds }, now(d))
    d.repos.project.log('judge.version', { judgeId: j.id, versionId: vid }, now(d))
    return vid
  })
  const viewed = versions.find((v) => v.test_viewed_at !== null && v.id === latest?.id)
  const warning = viewed
    ? `The test results of version ${viewed.version} were viewed on ${viewed.test_viewed_at!.slice(0, 10)}. Changing the judge after seeing test results makes the test numbers optimistic: iterate on dev, and report this version's test results only with that caveat (or label fresh test items).`
    : null
  return { version: versionView(d.repos.judges.version(id)!), created: true, warning }
}

export function versionDiff(d: JudgeDeps, fromId: number, toId: number): { prompt: DiffLine[]; changes: string[] } {
  const [a, b] = [fromId, toId].map((id) => d.repos.judges.version(id))
  if (!a || !b) throw new AppError('not_found', `There is no judge version with id ${!a ? fromId : toId}.`)
  const changes: string[] = []
  const [ma, mb] = [JSON.parse(a.model_json), JSON.parse(b.model_json)] as Record<string, unknown>[]
  for (const key of new Set([...Object.keys(ma!), ...Object.keys(mb!)])) if (JSON.stringify(ma![key]) !== JSON.stringify(mb![key])) changes.push(`model ${key}: ${JSON.stringify(ma![key])} → ${JSON.stringify(mb![key])}`)
  const [pa, pb] = [JSON.parse(a.params_json), JSON.parse(b.params_json)] as Record<string, unknown>[]
  for (const key of new Set([...Object.keys(pa!), ...Object.keys(pb!)])) if (JSON.stringify(pa![key]) !== JSON.stringify(pb![key])) changes.push(`${key}: ${JSON.stringify(pa![key] ?? null)} → ${JSON.stringify(pb![key] ?? null)}`)
  if (a.fewshot_ids !== b.fewshot_ids) changes.push(`few-shot items: ${a.fewshot_ids} → ${b.fewshot_ids}`)
  return { prompt: lineDiff(a.prompt, b.prompt), changes }
}

// ───────────────────────────── detail and metrics ─────────────────────────────

const runView = (r: RunRow, active: boolean): RunView => ({
  id: r.id,
  versionId: r.judge_version_id,
  version: r.version,
  scope: (JSON.parse(r.options_json) as { scope?: string }).scope ?? r.scope,
  status: r.status === 'running' && !active ? 'interrupted' : r.status,
  total: r.n_total,
  done: r.done,
  pass: r.pass,
  fail: r.fail,
  errors: r.errors,
  cached: r.cached,
  tokensIn: r.tokens_in,
  tokensOut: r.tokens_out,
  costUsd: r.cost_usd,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
})

/** Confusion counts per split of one version's newest verdicts against the current human labels. */
export function versionMetrics(d: JudgeDeps, versionId: number, labeled: LabeledRow[]): SplitMetrics[] {
  const byItem = new Map(labeled.map((r) => [r.itemId, r]))
  const empty = (split: SplitMetrics['split']): SplitMetrics => ({ split, tp: 0, fn: 0, tn: 0, fp: 0, errors: 0, missing: 0, judgedPass: 0, judgedFail: 0 })
  const out = { train: empty('train'), dev: empty('dev'), test: empty('test'), unlabeled: empty('unlabeled') }
  const seen = new Set<number>()
  for (const v of d.repos.judges.latestVerdicts(versionId)) {
    seen.add(v.itemId)
    const r = byItem.get(v.itemId)
    const human = r && (r.verdict === 'pass' || r.verdict === 'fail') ? r.verdict : null
    const m = human && r!.split ? out[r!.split] : out.unlabeled
    if (v.verdict === 'error') m.errors++
    else if (v.verdict === 'pass') m.judgedPass++
    else m.judgedFail++
    if (!human || m === out.unlabeled || v.verdict === 'error') continue
    if (human === 'pass') v.verdict === 'pass' ? m.tp++ : m.fn++
    else v.verdict === 'fail' ? m.tn++ : m.fp++
  }
  for (const r of labeled) if ((r.verdict === 'pass' || r.verdict === 'fail') && r.split && !seen.has(r.itemId)) out[r.split].missing++
  return [out.train, out.dev, out.test, out.unlabeled]
}

/**
 * Everything the Judges screen shows for one judge. A version's test metrics stay hidden until
 * asked for (`revealVersion`), which records that they were viewed: the test lock of requirement 25.
 */
export function judgeDetail(d: JudgeDeps, judgeId: number, o: { revealVersion: number | null; activeRuns: ReadonlySet<number> }): JudgeDetail {
  const judge = judgeOf(d, judgeId)
  const c = criterion(d, judge.criterionId)
  const labeled = assignSplits(d, c.id)
  const versions = d.repos.judges.versions(judgeId)
  const metrics = versions.map((v) => {
    const splits = versionMetrics(d, v.id, labeled)
    const test = splits.find((s) => s.split === 'test')!
    const hasTest = test.tp + test.fn + test.tn + test.fp + test.errors > 0
    const reveal = o.revealVersion === v.id && hasTest
    if (reveal) d.repos.judges.markTestViewed(v.id, now(d))
    const revealed = (reveal || v.test_viewed_at !== null) && hasTest
    return { versionId: v.id, splits: revealed ? splits : splits.filter((s) => s.split !== 'test'), testRevealed: revealed }
  })
  const counts = { train: { pass: 0, fail: 0 }, dev: { pass: 0, fail: 0 }, test: { pass: 0, fail: 0 } }
  for (const r of labeled) if (r.split && (r.verdict === 'pass' || r.verdict === 'fail')) counts[r.split][r.verdict]++
  const fewshot: FewshotCandidate[] = labeled
    .filter((r) => r.split === 'train' && (r.verdict === 'pass' || r.verdict === 'fail'))
    .map((r) => {
      const item = d.repos.items.get(r.itemId)
      return { itemId: r.itemId, externalId: r.externalId, verdict: r.verdict as 'pass' | 'fail', note: r.note, preview: (item?.input ?? '').slice(0, 200) }
    })
  return {
    judge,
    versions: d.repos.judges.versions(judgeId).map(versionView),
    runs: d.repos.judges.runs(judgeId).map((r) => runView(r, o.activeRuns.has(r.id))),
    metrics,
    splits: { ratios: d.repos.splits.ratios(c.id), counts },
    fewshot,
    definition: c.definition,
  }
}

export function verdictsOf(d: JudgeDeps, versionId: number): VerdictView[] {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const criterionId = listJudges(d).find((j) => j.id === v.judge_id)!.criterionId
  const labeled = new Map(d.repos.splits.labeled(criterionId).map((r) => [r.itemId, r]))
  const revealed = v.test_viewed_at !== null
  return d.repos.judges
    .latestVerdicts(versionId)
    .map((x) => ({ ...x, split: labeled.get(x.itemId)?.split ?? null, human: labeled.get(x.itemId)?.verdict ?? null }))
    .filter((x) => revealed || x.split !== 'test')
}

// ───────────────────────────── runs ─────────────────────────────

/** {{examples}}: each few-shot item with its human verdict and note (the critique), as the judge sees them. */
function examplesText(d: JudgeDeps, criterionId: number, fewshotIds: number[]): string {
  const labeled = new Map(d.repos.splits.labeled(criterionId).map((r) => [r.itemId, r]))
  const text = fewshotIds
    .map((id) => {
      const item = d.repos.items.get(id, { assessments: false })
      const l = labeled.get(id)
      return item && l && (l.verdict === 'pass' || l.verdict === 'fail') ? formatExample({ input: item.input, output: item.output, critique: l.note, verdict: l.verdict }) : ''
    })
    .filter(Boolean)
    .join('\n\n')
  return text || '(no examples)'
}

/** What a run will send: the version with its examples rendered, ready for `buildRequest`. */
export function versionForRun(d: JudgeDeps, versionId: number): { v: VersionRow; run: VersionForRun; criterionId: number } {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const j = judgeOf(d, v.judge_id)
  const c = criterion(d, j.criterionId)
  const model = JSON.parse(v.model_json) as ModelSnapshot & { provider?: string }
  if (isExternal(model)) throw new AppError('invalid_input', `Version ${v.version} of "${j.name}" holds verdicts recorded elsewhere (imported or synthetic): it has no prompt to run. Create a judge with a prompt and a model to run one.`)
  const examples = examplesText(d, c.id, JSON.parse(v.fewshot_ids) as number[])
  return { v, criterionId: c.id, run: { prompt: v.prompt, model, params: JSON.parse(v.params_json), criterion: c.name, definition: c.definition, step: c.step, examples } }
}

/** The items of a scope: a split's labeled items, the items without a pass/fail label, every item, or a selection. */
export function scopeItems(d: JudgeDeps, criterionId: number, scope: RunScope, selection?: number[]): number[] {
  const labeled = assignSplits(d, criterionId)
  if (scope === 'selection') {
    if (!selection?.length) throw new AppError('invalid_input', 'A run on a selection needs items: select them in the Data table first.')
    return selection
  }
  if (scope === 'all') return d.repos.sessions.allItems()
  if (scope === 'unlabeled') {
    const done = new Set(labeled.filter((r) => r.verdict === 'pass' || r.verdict === 'fail').map((r) => r.itemId))
    return d.repos.sessions.allItems().filter((id) => !done.has(id))
  }
  return labeled.filter((r) => r.split === scope && (r.verdict === 'pass' || r.verdict === 'fail')).map((r) => r.itemId)
}

const touchesTest = (d: JudgeDeps, criterionId: number, itemIds: number[]): boolean => {
  const splits = d.repos.splits.all(criterionId)
  return itemIds.some((id) => splits.get(id) === 'test')
}

export function estimateRun(d: JudgeDeps, input: { versionId: number; scope: RunScope; itemIds?: number[] }): RunEstimate {
  const { v, run, criterionId } = versionForRun(d, input.versionId)
  const ids = scopeItems(d, criterionId, input.scope, input.itemIds)
  let tokensIn = 0
  let cachedItems = 0
  for (const id of ids) {
    const item = d.repos.items.get(id)
    if (!item) continue
    const request = buildRequest(run, item)
    if (d.repos.judges.cacheHas(cacheKey(run.model.baseUrl, request))) cachedItems++
    else tokensIn += roughTokens(request.messages.map((m) => m.content).join('\n')) + 8
  }
  const calls = ids.length - cachedItems
  const cap = Number(run.params.max_tokens ?? run.params.max_completion_tokens ?? 200)
  const perCall = d.repos.judges.meanTokensOut(v.judge_id) ?? (Number.isFinite(cap) && cap > 0 ? Math.min(cap, 200) : 200)
  const tokensOut = Math.round(perCall * calls)
  return { items: ids.length, cachedItems, calls, tokensIn, tokensOut, costUsd: costOf(run.model, tokensIn, tokensOut), touchesTest: touchesTest(d, criterionId, ids), testEvaluations: v.test_evaluations }
}

/** The rendered prompt of a draft (unsaved) template on one item, for the editor's preview. */
export function previewPrompt(d: JudgeDeps, input: { judgeId: number; prompt: string; fewshotIds: number[]; itemId: number }): { text: string; tokens: number; problems: string[] } {
  const j = judgeOf(d, input.judgeId)
  const c = criterion(d, j.criterionId)
  const item = d.repos.items.get(input.itemId)
  if (!item) throw new AppError('not_found', `There is no item with id ${input.itemId}.`)
  const examples = examplesText(d, c.id, input.fewshotIds)
  const text = renderFor({ prompt: input.prompt, model: {} as ModelSnapshot, params: {}, criterion: c.name, definition: c.definition, step: c.step, examples }, item)
  return { text, tokens: roughTokens(text), problems: templateProblems(input.prompt) }
}

/**
 * Creates a run over a scope (its items fixed now). A scope with test items needs
 * `confirmTest`, and counts as one more test evaluation of the version.
 */
export function createRun(d: JudgeDeps, input: { versionId: number; scope: RunScope; itemIds?: number[]; confirmTest: boolean; concurrency: number }): number {
  const { v, criterionId } = versionForRun(d, input.versionId)
  const ids = scopeItems(d, criterionId, input.scope, input.itemIds)
  if (ids.length === 0) {
    const why = { unlabeled: 'every item has a pass or fail label on this criterion', all: 'the project has no items', selection: 'nothing is selected' }[input.scope as string] ?? `no item of the ${input.scope} split has a pass or fail label on this criterion (label some, then run)`
    throw new AppError('invalid_input', `Nothing to run: ${why}.`)
  }
  const test = touchesTest(d, criterionId, ids)
  if (test && !input.confirmTest)
    throw new AppError(
      'forbidden',
      `This run includes test items. The test set is for one final measurement of a finished judge (version ${v.version} has been evaluated on test ${v.test_evaluations} time${v.test_evaluations === 1 ? '' : 's'}): iterate on dev, and confirm the test run explicitly (--confirm-test on the command line).`,
    )
  return tx(d, () => {
    const id = d.repos.judges.addRun({ judgeVersionId: v.id, scope: input.scope === 'all' ? 'selection' : input.scope, status: 'running', itemIds: ids, options: { scope: input.scope, concurrency: input.concurrency } }, now(d), null)
    if (test) d.repos.judges.countTestEvaluation(v.id)
    d.repos.project.log('run.start', { runId: id, versionId: v.id, scope: input.scope, items: ids.length, test }, now(d))
    return id
  })
}

export interface ExecuteOptions {
  client: LlmClient
  signal: AbortSignal
  concurrency: number
  retry?: RetryPolicy
  /** Calls again the items whose verdict is an error (default: only items with no verdict). */
  retryErrors?: boolean
  onProgress?: (run: RunView) => void
  /** The way calls are made; the online pool by default. */
  backend?: RunBackend
  /** Awaited before each verdict is written (the services wait for a running import here). */
  beforeWrite?: () => Promise<void>
}

/**
 * Runs (or resumes) a run: items with a verdict are skipped, cache hits are recorded without a
 * call, every other item goes to the backend. Each verdict commits with its cache entry.
 */
export async function executeRun(d: JudgeDeps, runId: number, o: ExecuteOptions): Promise<RunView> {
  const row = d.repos.judges.run(runId)
  if (!row) throw new AppError('not_found', `There is no run with id ${runId}.`)
  if (row.status === 'done' && !o.retryErrors) return runView(row, false)
  const { run } = versionForRun(d, row.judge_version_id)
  const finished = d.repos.judges.finishedItems(runId, !o.retryErrors)
  const todo = (JSON.parse(row.item_ids_json) as number[]).filter((id) => !finished.has(id))
  d.repos.judges.setStatus(runId, 'running', null)

  // Each verdict commits as it arrives, so a killed run never calls a finished item again. A
  // verdict can be made again (unlike a human label): it commits with synchronous=NORMAL, which
  // survives the process being killed (WAL) and skips the fsync that labels pay for.
  // A write waits for `beforeWrite` (an import holding the write lock) instead of blocking the
  // process in SQLite's busy timeout.
  const record = async (task: RunTask, outcome: TaskOutcome): Promise<void> => {
    await o.beforeWrite?.()
    const result = verdictOf(task.itemId, outcome)
    const cost = result.cached ? 0 : costOf(run.model, result.tokensIn ?? 0, result.tokensOut ?? 0)
    d.repos.judges.relaxed(() =>
      tx(d, () => {
        const at = now(d)
        d.repos.judges.addVerdict({ runId, ...result, itemId: task.itemId, costUsd: cost }, at)
        if (outcome.ok && !result.cached && result.verdict !== 'error') d.repos.judges.cachePut(task.key, task.request, outcome.response, at)
      }),
    )
    count(task.itemId, result, cost)
    progress()
  }

  // Progress is counted here, not re-aggregated from the verdicts on every report.
  const live = runView(d.repos.judges.run(runId)!, true)
  const hadError = o.retryErrors ? new Set([...d.repos.judges.finishedItems(runId, true)].filter((id) => !finished.has(id))) : new Set<number>()
  const count = (itemId: number, r: ReturnType<typeof verdictOf>, cost: number) => {
    if (hadError.delete(itemId)) {
      live.errors-- // an error verdict being replaced leaves the counts first
      live.done--
    }
    live.done++
    live[r.verdict === 'error' ? 'errors' : r.verdict]++
    if (r.cached) live.cached++
    live.tokensIn += r.tokensIn ?? 0
    live.tokensOut += r.tokensOut ?? 0
    live.costUsd += cost
  }
  let lastProgress = 0
  const progress = () => {
    if (!o.onProgress) return
    const t = performance.now()
    if (t - lastProgress < 100) return
    lastProgress = t
    o.onProgress({ ...live })
  }

  // Tasks come lazily, built as a worker is free; a cache hit carries its answer (no call).
  let i = 0
  const tasks: Iterator<RunTask> = {
    next() {
      if (i >= todo.length || o.signal.aborted) return { done: true, value: undefined }
      const itemId = todo[i++]!
      const item: ItemDetail | null = d.repos.items.get(itemId, { assessments: false })
      if (!item) return { done: false, value: { itemId, request: { model: '', messages: [], params: {}, responseFormat: null }, key: '', problem: 'The item was deleted from the project.' } }
      const request = buildRequest(run, item)
      const key = cacheKey(run.model.baseUrl, request)
      const hit = d.repos.judges.cacheGet(key)
      return { done: false, value: { itemId, request, key, ...(hit ? { cached: JSON.parse(hit) as LlmResponse } : {}) } }
    },
  }
  const backend = o.backend ?? onlineBackend(o.client, { concurrency: o.concurrency, timeoutMs: run.model.timeoutMs ?? 60_000, retry: o.retry ?? DEFAULT_RETRY })
  try {
    await backend.execute(tasks, record, o.signal)
    d.repos.judges.setStatus(runId, o.signal.aborted ? 'cancelled' : 'done', now(d))
  } catch (error) {
    d.repos.judges.setStatus(runId, 'failed', now(d), error instanceof Error ? error.message : String(error))
    throw error
  }
  d.repos.project.log('run.end', { runId, status: o.signal.aborted ? 'cancelled' : 'done' }, now(d))
  const view = runView(d.repos.judges.run(runId)!, false)
  o.onProgress?.(view)
  return view
}

/** The newest unfinished run of a version on a scope, to resume it. */
export function unfinishedRun(d: JudgeDeps, versionId: number, scope: RunScope): number | null {
  const v = d.repos.judges.version(versionId)
  if (!v) return null
  const r = d.repos.judges.runs(v.judge_id).find((x) => x.judge_version_id === versionId && x.status !== 'done' && ((JSON.parse(x.options_json) as { scope?: string }).scope ?? x.scope) === scope)
  return r?.id ?? null
}

export const runOf = (d: JudgeDeps, runId: number, active: boolean): RunView => {
  const r = d.repos.judges.run(runId)
  if (!r) throw new AppError('not_found', `There is no run with id ${runId}.`)
  return runView(r, active)
}
