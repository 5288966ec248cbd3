/** The criteria as the user manages them: list, define, add, rename, and how annotators agree on one. */
import { AppError } from '../../../shared/errors'
import { addCriterion, renameCriterion } from '../criteria'
import { agreementOn } from '../labeling'
import type { Part, Scope } from './types'

export function criteriaHandlers({ project }: Scope): Part<'criteria'> {
  return {
    'criteria.list': () => project().repos.criteria.list(),
    'criteria.update': ({ id, definition }) => {
      const d = project()
      const updated = d.repos.criteria.updateDefinition(id, definition, d.now())
      if (!updated) throw new AppError('not_found', `There is no criterion with id ${id} in this project.`)
      return updated
    },
    'criteria.create': (input) => addCriterion(project(), input),
    'criteria.rename': ({ id, name }) => renameCriterion(project(), id, name),
    'criteria.agreement': ({ id }) => agreementOn(project(), id),
  }
}
