/**
 * Judge runs (DESIGN §3.5, §6): the items of a scope, a cost estimate, the test lock on creation,
 * and execution — each verdict committed as it arrives, cache hits free, resumable.
 */
import { AppError } from '../../../shared/errors'
import {
  formatExample,
  type ModelSnapshot,
  type RunEstimate,
  type RunScope,
  type RunView,
} from '../../../shared/judges'
import type { RunRow, VersionRow } from '../db/repos/judges'
import { humanNote } from '../db/repos/splits'
import type { EvaluationContext } from '../context'
import { criterion, isExternal, judgeOf } from './context'
import { buildRequest, cacheKey, costOf, roughTokens, type VersionForRun } from './prompt'
import { assignSplits } from './splits'

/** What a run keeps beside its items: the scope as named, concurrency, and for a batch run its mode and batch. */
export interface RunOptions {
  scope?: string
  concurrency?: number
  mode?: 'batch'
  batchId?: string
}
/** A run's stored options (see `RunOptions`). */
export const options = (r: { options_json: string }): RunOptions => JSON.parse(r.options_json) as RunOptions

export const runView = (r: RunRow, active: boolean): RunView => ({
  id: r.id,
  versionId: r.judge_version_id,
  version: r.version,
  scope: options(r).scope ?? r.scope,
  mode: options(r).mode ?? 'online',
  batchId: options(r).batchId ?? null,
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

/** {{examples}}: each few-shot item with its human verdict and note (the critique), as the judge sees them. */
export function examplesText(d: EvaluationContext, criterionId: number, fewshotIds: number[]): string {
  const labeled = new Map(d.repos.splits.labeled(criterionId).map((r) => [r.itemId, r]))
  const text = fewshotIds
    .map((id) => {
      const item = d.repos.items.get(id, { assessments: false })
      const l = labeled.get(id)
      // The critique is the human's note: the label's own, else the one on the trace's Overall
      // label (a failure mode's label made by tagging has none; the observation is on Overall).
      return item && l && (l.verdict === 'pass' || l.verdict === 'fail')
        ? formatExample({ input: item.input, output: item.output, critique: humanNote(l), verdict: l.verdict })
        : ''
    })
    .filter(Boolean)
    .join('\n\n')
  return text || '(no examples)'
}

/** What a run will send: the version with its examples rendered, ready for `buildRequest`. */
export function versionForRun(
  d: EvaluationContext,
  versionId: number,
): { v: VersionRow; run: VersionForRun; criterionId: number } {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const j = judgeOf(d, v.judge_id)
  const c = criterion(d, j.criterionId)
  const model = JSON.parse(v.model_json) as ModelSnapshot & { provider?: string }
  if (isExternal(model))
    throw new AppError(
      'invalid_input',
      `Version ${v.version} of "${j.name}" holds verdicts recorded elsewhere (imported or synthetic): it has no prompt to run. Create a judge with a prompt and a model to run one.`,
    )
  const examples = examplesText(d, c.id, JSON.parse(v.fewshot_ids) as number[])
  return {
    v,
    criterionId: c.id,
    run: {
      prompt: v.prompt,
      model,
      params: JSON.parse(v.params_json) as VersionForRun['params'],
      criterion: c.name,
      definition: c.definition,
      step: c.step,
      examples,
    },
  }
}

/** The items of a scope: a split's labeled items, the items without a pass/fail label, every item, or a selection. */
export function scopeItems(d: EvaluationContext, criterionId: number, scope: RunScope, selection?: number[]): number[] {
  const labeled = assignSplits(d, criterionId)
  if (scope === 'selection') {
    if (!selection?.length)
      throw new AppError('invalid_input', 'A run on a selection needs items: select them in the Data table first.')
    return selection
  }
  if (scope === 'all') return d.repos.sessions.allItems()
  if (scope === 'unlabeled') {
    const done = new Set(labeled.filter((r) => r.verdict === 'pass' || r.verdict === 'fail').map((r) => r.itemId))
    return d.repos.sessions.allItems().filter((id) => !done.has(id))
  }
  return labeled.filter((r) => r.split === scope && (r.verdict === 'pass' || r.verdict === 'fail')).map((r) => r.itemId)
}

/**
 * How many items each scope of a version's criterion holds, so the run form can say what each
 * one counts ("items without a label: 1 427, all datasets") instead of a name a user could misread.
 */
export function scopeCounts(d: EvaluationContext, versionId: number): Record<Exclude<RunScope, 'selection'>, number> {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const labeled = assignSplits(d, judgeOf(d, v.judge_id).criterionId).filter(
    (r) => r.verdict === 'pass' || r.verdict === 'fail',
  )
  const all = d.repos.sessions.allItems().length
  const inSplit = (split: string) => labeled.filter((r) => r.split === split).length
  return {
    train: inSplit('train'),
    dev: inSplit('dev'),
    test: inSplit('test'),
    unlabeled: all - new Set(labeled.map((r) => r.itemId)).size,
    all,
  }
}

const touchesTest = (d: EvaluationContext, criterionId: number, itemIds: number[]): boolean => {
  const splits = d.repos.splits.all(criterionId)
  return itemIds.some((id) => splits.get(id) === 'test')
}

/** The Batch API's price: half of the online price (OpenAI's batch discount). */
export const BATCH_PRICE = 0.5

export function estimateRun(
  d: EvaluationContext,
  input: { versionId: number; scope: RunScope; itemIds?: number[]; batch?: boolean },
): RunEstimate {
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
  const perCall =
    d.repos.judges.meanTokensOut(v.judge_id) ?? (Number.isFinite(cap) && cap > 0 ? Math.min(cap, 200) : 200)
  const tokensOut = Math.round(perCall * calls)
  return {
    items: ids.length,
    cachedItems,
    calls,
    tokensIn,
    tokensOut,
    costUsd: costOf(run.model, tokensIn, tokensOut) * (input.batch ? BATCH_PRICE : 1),
    touchesTest: touchesTest(d, criterionId, ids),
    testEvaluations: v.test_evaluations,
  }
}

/**
 * Creates a run over a scope (its items fixed now). A scope with test items needs
 * `confirmTest`, and counts as one more test evaluation of the version.
 */
export function createRun(
  d: EvaluationContext,
  input: {
    versionId: number
    scope: RunScope
    itemIds?: number[]
    confirmTest: boolean
    concurrency: number
    batch?: boolean
  },
): number {
  const { v, criterionId } = versionForRun(d, input.versionId)
  const ids = scopeItems(d, criterionId, input.scope, input.itemIds)
  if (ids.length === 0) {
    const why =
      {
        unlabeled: 'every item has a pass or fail label on this criterion',
        all: 'the project has no items',
        selection: 'nothing is selected',
      }[input.scope as string] ??
      `no item of the ${input.scope} split has a pass or fail label on this criterion (label some, then run)`
    throw new AppError('invalid_input', `Nothing to run: ${why}.`)
  }
  const test = touchesTest(d, criterionId, ids)
  if (test && !input.confirmTest)
    throw new AppError(
      'forbidden',
      `This run includes test items. The test set is for one final measurement of a finished judge (version ${v.version} has been evaluated on test ${v.test_evaluations} time${v.test_evaluations === 1 ? '' : 's'}): iterate on dev, and confirm the test run explicitly (--confirm-test on the command line).`,
    )
  return d.transaction(() => {
    const id = d.repos.judges.addRun(
      {
        judgeVersionId: v.id,
        scope: input.scope === 'all' ? 'selection' : input.scope,
        status: 'running',
        itemIds: ids,
        options: { scope: input.scope, concurrency: input.concurrency, ...(input.batch ? { mode: 'batch' } : {}) },
      },
      d.now(),
      null,
    )
    if (test) d.repos.judges.countTestEvaluation(v.id)
    d.repos.project.log(
      'run.start',
      { runId: id, versionId: v.id, scope: input.scope, items: ids.length, test },
      d.now(),
    )
    return id
  })
}

/** The newest unfinished run of a version on a scope, to resume it. */
export function unfinishedRun(d: EvaluationContext, versionId: number, scope: RunScope): number | null {
  const v = d.repos.judges.version(versionId)
  if (!v) return null
  const r = d.repos.judges
    .runs(v.judge_id)
    .find((x) => x.judge_version_id === versionId && x.status !== 'done' && (options(x).scope ?? x.scope) === scope)
  return r?.id ?? null
}

export const runOf = (d: EvaluationContext, runId: number, active: boolean): RunView => {
  const r = d.repos.judges.run(runId)
  if (!r) throw new AppError('not_found', `There is no run with id ${runId}.`)
  return runView(r, active)
}
