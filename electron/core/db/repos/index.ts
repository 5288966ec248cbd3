import type { Db } from '../open'
import { itemsRepo } from './items'
import { judgesRepo } from './judges'
import { labelsRepo } from './labels'
import { projectRepo } from './project'

/** Every repo over one connection; statements are prepared once, when the project opens. */
export function createRepos(db: Db) {
  return { project: projectRepo(db), items: itemsRepo(db), labels: labelsRepo(db), judges: judgesRepo(db) }
}
export type Repos = ReturnType<typeof createRepos>
