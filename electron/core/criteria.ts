import type { CriterionInfo } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import { stamp, type LabelingContext } from './context'
import { createMode } from './taxonomy'

/**
 * Criteria as the user manages them (DESIGN §2): `Overall`, which every project has, and the
 * criteria added beside it, each a pass/fail question about a trace. An added criterion is a
 * failure mode of the taxonomy (a fail means the failure is present), so the Analyze screen
 * counts it and a judge can be built for it. The Label setup, the Analyze screen and `assay
 * criterion` all come through here.
 */

/** Longest name a criterion may have (the contract's limit too). */
export const NAME_MAX = 200

export function listCriteria(d: LabelingContext): CriterionInfo[] {
  return d.repos.criteria.list()
}

/** The criterion named `name` (exactly, as listed), or a refusal that lists the names there are. */
export function criterionNamed(d: LabelingContext, name: string): CriterionInfo {
  const all = listCriteria(d)
  const found = all.find((c) => c.name === name)
  if (!found)
    throw new AppError(
      'not_found',
      `There is no criterion named "${name}". Criteria: ${all.map((c) => `"${c.name}"`).join(', ')}.`,
    )
  return found
}

/** A new criterion with its first definition (version 1); its name must be new. */
export function addCriterion(d: LabelingContext, input: { name: string; definition: string }): CriterionInfo {
  const id = createMode(d, { name: checkedName(input.name), definition: input.definition.trim(), itemIds: [] })
  return get(d, id)
}

/**
 * Renames a criterion. `Overall` keeps its name (imports map a label column to it by that name,
 * and exports and reports name their columns after it), and a step-level criterion is named after
 * its criterion and step; both are refused with what to do instead.
 */
export function renameCriterion(context: LabelingContext, id: number, name: string): CriterionInfo {
  const d = stamp(context)
  const before = get(d, id)
  const next = checkedName(name)
  if (before.name === next) return before
  if (before.kind === 'overall')
    throw new AppError(
      'invalid_input',
      `"${before.name}" is the criterion every project has: it keeps its name (imports, exports and reports refer to it). Change its definition instead, or add a criterion with the name you want.`,
    )
  if (before.step !== null)
    throw new AppError(
      'invalid_input',
      `"${before.name}" is the step-level criterion of step "${before.step}": it is named after its criterion and step. Rename that criterion instead.`,
    )
  if (d.repos.project.criterionId(next) !== undefined)
    throw new AppError(
      'conflict',
      `A criterion named "${next}" already exists: choose another name, or merge into it (Analyze, e).`,
    )
  d.transaction(() => {
    d.repos.taxonomy.rename(id, next)
    d.repos.project.log('criterion.rename', { id, from: before.name, to: next }, d.now)
  })
  return get(d, id)
}

/** A new definition is a new version; labels made under older ones then need a re-review. */
export function defineCriterion(context: LabelingContext, id: number, definition: string): CriterionInfo {
  const d = stamp(context)
  const text = definition.trim()
  if (!text)
    throw new AppError('invalid_input', 'A definition is required: one sentence that says when a trace passes.')
  get(d, id)
  const updated = d.repos.criteria.updateDefinition(id, text, d.now)
  if (!updated) throw notFound(id)
  return updated
}

function checkedName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw new AppError('invalid_input', 'A criterion needs a name, e.g. "Follows dietary constraints".')
  if (trimmed.length > NAME_MAX)
    throw new AppError(
      'invalid_input',
      `A criterion's name has at most ${NAME_MAX} characters; this one has ${trimmed.length}.`,
    )
  return trimmed
}

function get(d: Pick<LabelingContext, 'repos'>, id: number): CriterionInfo {
  const c = d.repos.criteria.get(id)
  if (!c) throw notFound(id)
  return c
}

const notFound = (id: number): AppError =>
  new AppError('not_found', `There is no criterion with id ${id} in this project (it may have been merged or deleted).`)
