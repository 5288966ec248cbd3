/**
 * Criteria of a merge, by name (Overall to Overall): a failure mode the target lacks is added with
 * its whole definition history, its split shares and quality targets; one it has keeps the
 * target's definition, and a different current definition in the source is reported. A label
 * keeps the version whose definition it was made under when the target has that text, else it is
 * recorded under the target's current version (as an import records labels).
 */
import type { SourceCriterion } from '../db/repos/merge-source'
import type { MappedCriterion, MergeState } from './state'

/** Maps every live criterion of the source to the target's, adding those it lacks. */
export function mergeCriteria(s: MergeState): void {
  for (const c of s.src.criteria()) {
    if (c.deleted_at !== null) {
      s.report.criteria.refused.push({ name: c.name, reason: 'deleted in the source: its labels are not merged' })
      continue
    }
    const mapped = existing(s, c)
    if (mapped !== 'refused') s.criteria.set(c.id, mapped ?? add(s, c))
  }
}

/** The target's criterion of the same name, mapped; null when it has none. */
function existing(s: MergeState, c: SourceCriterion): MappedCriterion | null | 'refused' {
  const t = s.tgt.byName(c.name)
  const id = c.kind === 'overall' ? s.tgt.overall() : t?.deleted_at === null ? t.id : undefined
  if (id === undefined) {
    if (!t) return null
    s.report.criteria.refused.push({ name: c.name, reason: 'deleted in the target: its labels are not merged' })
    return 'refused'
  }
  if (c.kind !== 'overall' && t && (t.kind !== c.kind || t.step !== c.step)) {
    const what =
      t.kind === 'overall' ? 'the Overall criterion' : t.step ? `a step-level criterion (${t.step})` : 'a failure mode'
    s.report.criteria.refused.push({
      name: c.name,
      reason: `the target's "${c.name}" is ${what}: its labels are not merged`,
    })
    return 'refused'
  }
  const theirs = s.src.versions(c.id)
  const ours = s.tgt.criterionVersions(id)
  const current = ours.at(-1)
  const sourceCurrent = theirs.at(-1)
  if (current && sourceCurrent && current.definition !== sourceCurrent.definition)
    s.report.criteria.differing.push({ name: c.name, target: current.definition, source: sourceCurrent.definition })
  const versions = new Map<number, number>()
  for (const v of theirs) {
    const same = ours.filter((o) => o.definition === v.definition).at(-1)
    versions.set(v.version, same?.version ?? current?.version ?? 1)
  }
  return { id, name: c.name, versions, added: false }
}

/** A failure mode the target lacks, copied with its versions, split shares and quality targets. */
function add(s: MergeState, c: SourceCriterion): MappedCriterion {
  const id = s.tgt.addCriterion(c)
  const versions = new Map<number, number>()
  const mapIds = (json: string) =>
    (JSON.parse(json) as number[]).flatMap((i) => {
      const mapped = s.items.get(i)
      return mapped === undefined ? [] : [mapped]
    })
  for (const v of s.src.versions(c.id)) {
    s.tgt.addCriterionVersion(id, {
      version: v.version,
      definition: v.definition,
      pass: mapIds(v.pass_examples),
      fail: mapIds(v.fail_examples),
      created_at: v.created_at,
    })
    versions.set(v.version, v.version)
  }
  const ratios = s.src.ratios(c.id)
  if (ratios) s.repos.splits.setRatios(id, ratios)
  const targets = s.src.targets(c.id)
  if (targets) s.repos.criteria.setTargets(id, targets)
  s.report.criteria.added.push(c.name)
  return { id, name: c.name, versions, added: true }
}

/**
 * The splits of criteria this merge added, copied as the source had them: the source's judges
 * chose their few-shot examples and scoped their runs by them.
 */
export function copySplits(s: MergeState): void {
  for (const [sourceId, c] of s.criteria) {
    if (!c.added) continue
    for (const row of s.src.splits(sourceId)) {
      const item = s.items.get(row.item_id)
      if (item === undefined) continue
      const at = row.assigned_at
      if (s.tgt.copySplit(c.id, item, { split: row.split, seed: row.seed, origin: row.origin, at }))
        s.report.splits.copied++
    }
  }
}
