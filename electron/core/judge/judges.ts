/**
 * Judges and their versions (DESIGN §3.5; methodology §4, requirements 22–27): create a judge,
 * save immutable versions (with the leakage check and the test-lock warning), diffs, metrics per
 * version and split, and a draft prompt's preview. Splits: splits.ts; runs: runs.ts.
 */
import type { CriterionInfo } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import {
  defaultTemplate,
  lineDiff,
  templateProblems,
  type DiffLine,
  type FewshotCandidate,
  type JudgeDetail,
  type JudgeSummary,
  type JudgeVersionView,
  type ModelSnapshot,
  type SplitMetrics,
  type VerdictView,
} from '../../../shared/judges'
import type { VersionRow } from '../db/repos/judges'
import { humanNote, type LabeledRow } from '../db/repos/splits'
import type { EvaluationContext } from '../context'
import { criterion, found, judgeOf, listJudges, revealTest, versionView } from './context'
import { renderFor, roughTokens } from './prompt'
import { examplesText, runView } from './runs'
import { assignSplits } from './splits'

/** A new judge for a criterion, with version 1: the default template and up to two train examples of each class. */
export function createJudge(
  d: EvaluationContext,
  input: { criterionId: number; name: string; model: ModelSnapshot; params: Record<string, unknown> },
): JudgeSummary {
  const c = criterion(d, input.criterionId)
  if (listJudges(d).some((j) => j.criterionId === c.id && j.name === input.name))
    throw new AppError('conflict', `"${c.name}" already has a judge named "${input.name}": choose another name.`)
  const rows = assignSplits(d, c.id)
  const train = rows.filter((r) => r.split === 'train' && (r.verdict === 'pass' || r.verdict === 'fail'))
  const withNotes = [...train].sort((a, b) => Number(humanNote(b).length > 0) - Number(humanNote(a).length > 0))
  const fewshot = [
    ...withNotes.filter((r) => r.verdict === 'pass').slice(0, 2),
    ...withNotes.filter((r) => r.verdict === 'fail').slice(0, 2),
  ].map((r) => r.itemId)
  const id = d.transaction(() => {
    const judgeId = d.repos.judges.addJudge(c.id, input.name, d.now())
    d.repos.judges.addVersion(
      {
        judgeId,
        version: 1,
        prompt: defaultTemplate(c.name, c.definition),
        model: input.model,
        params: input.params,
        fewshotIds: fewshot,
      },
      d.now(),
    )
    d.repos.project.log('judge.create', { judgeId, criterionId: c.id, name: input.name }, d.now())
    return judgeId
  })
  return judgeOf(d, id)
}

/** The leakage check (requirement 23): few-shot examples only from train; no dev or test item's text in the prompt. */
function checkLeakage(d: EvaluationContext, c: CriterionInfo, prompt: string, fewshotIds: number[]): void {
  const rows = assignSplits(d, c.id)
  const byId = new Map(rows.map((r) => [r.itemId, r]))
  for (const id of fewshotIds) {
    const r = byId.get(id)
    if (!r || (r.verdict !== 'pass' && r.verdict !== 'fail'))
      throw new AppError(
        'invalid_input',
        `Few-shot item "${r?.externalId ?? d.repos.items.get(id, { assessments: false })?.externalId ?? id}" has no pass or fail label on "${c.name}": label it first, or remove it.`,
      )
    if (r.split !== 'train')
      throw new AppError(
        'invalid_input',
        `Few-shot item "${r.externalId}" is in the ${r.split} split of "${c.name}": only train items can be examples (leakage: the judge would be measured on an item it was shown). Remove it or pick a train item.`,
      )
  }
  for (const r of rows) {
    if (r.split !== 'dev' && r.split !== 'test') continue
    const item = d.repos.items.get(r.itemId)
    if (!item) continue
    for (const [field, text] of [
      ['output', item.output.trim()],
      ['input', item.input.trim()],
    ] as const)
      if (text.length >= 40 && prompt.includes(text))
        throw new AppError(
          'invalid_input',
          `The prompt contains the ${field} of item "${r.externalId}", which is in the ${r.split} split of "${c.name}" (leakage). Take it out, or use train items as {{examples}}.`,
        )
  }
}

/**
 * Saves a judge's prompt, model and parameters as a new immutable version, unless nothing
 * changed (then the latest version is returned). Refuses unknown variables and leakage; warns
 * when the test results of the version it replaces were already viewed (requirement 25).
 */
export function saveVersion(
  d: EvaluationContext,
  input: {
    judgeId: number
    prompt: string
    model: ModelSnapshot
    params: Record<string, unknown>
    fewshotIds: number[]
  },
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
    v.prompt === input.prompt &&
    v.model_json === JSON.stringify(input.model) &&
    v.params_json === JSON.stringify(input.params) &&
    v.fewshot_ids === JSON.stringify(fewshotIds)
  const existing = versions.find(same)
  if (existing) return { version: versionView(existing), created: false, warning: null }
  const id = d.transaction(() => {
    const vid = d.repos.judges.addVersion(
      {
        judgeId: j.id,
        version: d.repos.judges.nextVersion(j.id),
        prompt: input.prompt,
        model: input.model,
        params: input.params,
        fewshotIds,
      },
      d.now(),
    )
    d.repos.project.log('judge.version', { judgeId: j.id, versionId: vid }, d.now())
    return vid
  })
  const viewed = versions.find((v) => v.test_viewed_at !== null && v.id === latest?.id)
  const viewedAt = viewed?.test_viewed_at ?? null
  const warning =
    viewed && viewedAt !== null
      ? `The test results of version ${viewed.version} were viewed on ${viewedAt.slice(0, 10)}. Changing the judge after seeing test results makes the test numbers optimistic: iterate on dev, and report this version's test results only with that caveat (or label fresh test items).`
      : null
  return { version: versionView(found(d.repos.judges.version(id), `version ${id}`)), created: true, warning }
}

export function versionDiff(
  d: EvaluationContext,
  fromId: number,
  toId: number,
): { prompt: DiffLine[]; changes: string[] } {
  const [a, b] = [fromId, toId].map((id) => d.repos.judges.version(id))
  if (!a || !b) throw new AppError('not_found', `There is no judge version with id ${!a ? fromId : toId}.`)
  const changes: string[] = []
  const [ma, mb] = [JSON.parse(a.model_json), JSON.parse(b.model_json)] as Record<string, unknown>[]
  for (const key of new Set([...Object.keys(ma), ...Object.keys(mb)]))
    if (JSON.stringify(ma[key]) !== JSON.stringify(mb[key]))
      changes.push(`model ${key}: ${JSON.stringify(ma[key])} → ${JSON.stringify(mb[key])}`)
  const [pa, pb] = [JSON.parse(a.params_json), JSON.parse(b.params_json)] as Record<string, unknown>[]
  for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)]))
    if (JSON.stringify(pa[key]) !== JSON.stringify(pb[key]))
      changes.push(`${key}: ${JSON.stringify(pa[key] ?? null)} → ${JSON.stringify(pb[key] ?? null)}`)
  if (a.fewshot_ids !== b.fewshot_ids) changes.push(`few-shot items: ${a.fewshot_ids} → ${b.fewshot_ids}`)
  return { prompt: lineDiff(a.prompt, b.prompt), changes }
}

/**
 * Confusion counts per split of one version's newest verdicts against the current human labels; error verdicts
 * counted apart, by human class.
 */
export function versionMetrics(d: EvaluationContext, versionId: number, labeled: LabeledRow[]): SplitMetrics[] {
  const byItem = new Map(labeled.map((r) => [r.itemId, r]))
  const empty = (split: SplitMetrics['split']): SplitMetrics => ({
    split,
    tp: 0,
    fn: 0,
    tn: 0,
    fp: 0,
    errors: 0,
    errorsPass: 0,
    errorsFail: 0,
    missing: 0,
    judgedPass: 0,
    judgedFail: 0,
  })
  const out = { train: empty('train'), dev: empty('dev'), test: empty('test'), unlabeled: empty('unlabeled') }
  const seen = new Set<number>()
  for (const v of d.repos.judges.latestVerdicts(versionId)) {
    seen.add(v.itemId)
    const r = byItem.get(v.itemId)
    const human = r && (r.verdict === 'pass' || r.verdict === 'fail') ? r.verdict : null
    const m = human && r?.split ? out[r.split] : out.unlabeled
    if (v.verdict === 'error') m.errors++
    else if (v.verdict === 'pass') m.judgedPass++
    else m.judgedFail++
    if (!human || m === out.unlabeled) continue
    if (v.verdict === 'error') {
      if (human === 'pass') m.errorsPass++
      else m.errorsFail++
      continue
    }
    if (human === 'pass') {
      if (v.verdict === 'pass') m.tp++
      else m.fn++
    } else if (v.verdict === 'fail') m.tn++
    else m.fp++
  }
  for (const r of labeled)
    if ((r.verdict === 'pass' || r.verdict === 'fail') && r.split && !seen.has(r.itemId)) out[r.split].missing++
  return [out.train, out.dev, out.test, out.unlabeled]
}

/**
 * Everything the Judges screen shows for one judge. A version's test metrics stay hidden until
 * asked for (`revealVersion`), which records that they were viewed: the test lock of requirement 25.
 */
export function judgeDetail(
  d: EvaluationContext,
  judgeId: number,
  o: { revealVersion: number | null; activeRuns: ReadonlySet<number> },
): JudgeDetail {
  const judge = judgeOf(d, judgeId)
  const c = criterion(d, judge.criterionId)
  const labeled = assignSplits(d, c.id)
  const versions = d.repos.judges.versions(judgeId)
  const metrics = versions.map((v) => {
    const splits = versionMetrics(d, v.id, labeled)
    const test = found(
      splits.find((s) => s.split === 'test'),
      'test metrics',
    )
    const hasTest = test.tp + test.fn + test.tn + test.fp + test.errors > 0
    const reveal = o.revealVersion === v.id && hasTest
    if (reveal) revealTest(d, v.id) // read-only: shown, not recorded
    const revealed = (reveal || v.test_viewed_at !== null) && hasTest
    return {
      versionId: v.id,
      splits: revealed ? splits : splits.filter((s) => s.split !== 'test'),
      testRevealed: revealed,
      lockedTestErrors: revealed ? 0 : test.errors,
    }
  })
  const counts = { train: { pass: 0, fail: 0 }, dev: { pass: 0, fail: 0 }, test: { pass: 0, fail: 0 } }
  for (const r of labeled) if (r.split && (r.verdict === 'pass' || r.verdict === 'fail')) counts[r.split][r.verdict]++
  const fewshot: FewshotCandidate[] = labeled
    .filter((r) => r.split === 'train' && (r.verdict === 'pass' || r.verdict === 'fail'))
    .map((r) => {
      const item = d.repos.items.get(r.itemId)
      return {
        itemId: r.itemId,
        externalId: r.externalId,
        verdict: r.verdict as 'pass' | 'fail',
        note: humanNote(r),
        preview: (item?.input ?? '').slice(0, 200),
      }
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

export function verdictsOf(d: EvaluationContext, versionId: number): VerdictView[] {
  const v = d.repos.judges.version(versionId)
  if (!v) throw new AppError('not_found', `There is no judge version with id ${versionId}.`)
  const { criterionId } = judgeOf(d, v.judge_id)
  const labeled = new Map(d.repos.splits.labeled(criterionId).map((r) => [r.itemId, r]))
  const revealed = v.test_viewed_at !== null
  return d.repos.judges
    .latestVerdicts(versionId)
    .map((x) => ({ ...x, split: labeled.get(x.itemId)?.split ?? null, human: labeled.get(x.itemId)?.verdict ?? null }))
    .filter((x) => revealed || x.split !== 'test')
}

/** The rendered prompt of a draft (unsaved) template on one item, for the editor's preview. */
export function previewPrompt(
  d: EvaluationContext,
  input: { judgeId: number; prompt: string; fewshotIds: number[]; itemId: number },
): { text: string; tokens: number; problems: string[] } {
  const j = judgeOf(d, input.judgeId)
  const c = criterion(d, j.criterionId)
  const item = d.repos.items.get(input.itemId)
  if (!item) throw new AppError('not_found', `There is no item with id ${input.itemId}.`)
  const examples = examplesText(d, c.id, input.fewshotIds)
  const text = renderFor(
    {
      prompt: input.prompt,
      model: {} as ModelSnapshot,
      params: {},
      criterion: c.name,
      definition: c.definition,
      step: c.step,
      examples,
    },
    item,
  )
  return { text, tokens: roughTokens(text), problems: templateProblems(input.prompt) }
}
