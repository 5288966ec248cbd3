/**
 * Judge versions of a merge, by content: the hash of the prompt, the model, the parameters (key
 * order aside) and the few-shot examples by external id. A version the target has already (under
 * any judge of the criterion) is not copied again; a new one becomes the next version of the
 * target's judge of the same name. Runs come with their verdicts; a run the target has (same
 * version, scope and start) is not copied again: only verdicts it lacks are added (it may have
 * gone further in one copy), so a second merge adds none.
 */
import { createHash } from 'node:crypto'
import type { SourceJudgeVersion, SourceVerdict } from '../db/repos/merge-source'
import type { MergeState } from './state'

/** Copies the source's judge versions, runs and verdicts the target lacks (see the module's comment). */
export function mergeJudges(s: MergeState): void {
  const known = new Map<number, Map<string, number>>()
  for (const v of s.src.judgeVersions()) {
    const c = s.criteria.get(v.criterion_id)
    const refuse = (reason: string) =>
      s.report.judges.versionsRefused.push({ criterion: c?.name ?? '', judge: v.judge, version: v.version, reason })
    if (!c) {
      refuse('its criterion is not merged')
      continue
    }
    const fewshot = mappedFewshot(s, v)
    if ('missing' in fewshot) {
      refuse(`its few-shot example "${fewshot.missing}" is a conflicting item`)
      continue
    }
    let hashes = known.get(c.id)
    if (!hashes) {
      hashes = targetHashes(s, c.id)
      known.set(c.id, hashes)
    }
    const hash = contentHash(v, fewshot.externalIds)
    let versionId = hashes.get(hash)
    if (versionId === undefined) {
      const added = s.tgt.addJudgeVersion(s.tgt.judge(c.id, v.judge, v.judge_created_at), v, fewshot.ids)
      versionId = added.id
      hashes.set(hash, versionId)
      s.report.judges.versionsAdded.push({ criterion: c.name, judge: v.judge, version: added.version, from: v.version })
    } else {
      s.tgt.mergeTestViews(versionId, v)
      s.report.judges.versionsMatched++
    }
    mergeRuns(s, v.id, versionId)
  }
}

/** A version's few-shot items in the target, and their external ids; the first one not merged otherwise. */
function mappedFewshot(
  s: MergeState,
  v: Pick<SourceJudgeVersion, 'fewshot_ids'>,
): { ids: number[]; externalIds: string[] } | { missing: string } {
  const ids: number[] = []
  const externalIds: string[] = []
  for (const sourceId of JSON.parse(v.fewshot_ids) as number[]) {
    const id = s.items.get(sourceId)
    const externalId = s.externalIds.get(sourceId) ?? String(sourceId)
    if (id === undefined) return { missing: externalId }
    ids.push(id)
    externalIds.push(externalId)
  }
  return { ids, externalIds }
}

/** The content hash of every judge version of a target criterion. */
function targetHashes(s: MergeState, criterionId: number): Map<string, number> {
  const hashes = new Map<string, number>()
  for (const t of s.tgt.judgeVersions(criterionId)) {
    const externalIds = (JSON.parse(t.fewshot_ids) as number[]).map((id) => s.tgt.externalId(id) ?? String(id))
    hashes.set(contentHash(t, externalIds), t.id)
  }
  return hashes
}

/**
 * What makes a judge version the same judge: sha256 of its prompt, model, parameters (as JSON with
 * sorted keys) and few-shot examples by external id.
 */
export function contentHash(
  v: { prompt: string; model_json: string; params_json: string },
  fewshotExternalIds: string[],
): string {
  const content = [
    v.prompt,
    canonical(JSON.parse(v.model_json)),
    canonical(JSON.parse(v.params_json)),
    fewshotExternalIds,
  ]
  return createHash('sha256').update(JSON.stringify(content)).digest('hex')
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are one model. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([k, x]) => [k, canonical(x)]))
}

/** The runs of a source version with their verdicts, except those the target has. */
function mergeRuns(s: MergeState, sourceVersionId: number, versionId: number): void {
  const j = s.report.judges
  for (const r of s.src.runs(sourceVersionId)) {
    const itemIds = (JSON.parse(r.item_ids_json) as number[]).flatMap((id) => {
      const mapped = s.items.get(id)
      return mapped === undefined ? [] : [mapped]
    })
    const verdicts = s.src.verdicts(r.id)
    const same = s.tgt.sameRun(versionId, r)
    if (same !== undefined) {
      // The same run, perhaps further along in one copy: only verdicts it lacks are added.
      j.runsMatched++
      if (addVerdicts(s, same, verdicts) > 0) s.tgt.recount(same)
      continue
    }
    if (itemIds.length === 0 && verdicts.length > 0) {
      j.verdictsSkipped += verdicts.length // a run on conflicting items only: nothing of it can be merged
      continue
    }
    j.runsAdded++
    addVerdicts(s, s.tgt.addRun(versionId, r, itemIds), verdicts)
  }
}

/** A run's verdicts on merged items, except those the target's run has: how many were added. */
function addVerdicts(s: MergeState, runId: number, verdicts: SourceVerdict[]): number {
  const j = s.report.judges
  let added = 0
  for (const v of verdicts) {
    const item = s.items.get(v.item_id)
    if (item === undefined) j.verdictsSkipped++
    else if (s.tgt.addVerdict(runId, item, v)) added++
  }
  j.verdictsAdded += added
  return added
}
