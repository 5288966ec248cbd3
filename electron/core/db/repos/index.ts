import type { IdLister } from '../background-list'
import type { Db } from '../open'
import { auditsRepo } from './audits'
import { criteriaRepo } from './criteria'
import { itemsRepo } from './items'
import { judgesRepo } from './judges'
import { labelsRepo } from './labels'
import { projectRepo } from './project'
import { sessionsRepo } from './sessions'
import { splitsRepo } from './splits'
import { taxonomyRepo } from './taxonomy'

/**
 * Every repo over one connection; statements are prepared once, when the project opens. `lister`
 * lists the ids of a large query off this thread (the table's exact count); without one, here.
 */
export function createRepos(db: Db, lister?: IdLister) {
  return {
    project: projectRepo(db),
    items: itemsRepo(db, lister),
    labels: labelsRepo(db),
    judges: judgesRepo(db),
    criteria: criteriaRepo(db),
    sessions: sessionsRepo(db),
    splits: splitsRepo(db),
    taxonomy: taxonomyRepo(db),
    audits: auditsRepo(db),
  }
}
export type Repos = ReturnType<typeof createRepos>
