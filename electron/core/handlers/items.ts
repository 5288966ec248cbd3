/** The Data screen's methods: the items table (paged, searched, filtered, sorted), its facets, and one item. */
import { AppError } from '../../../shared/errors'
import type { Part, Scope } from './types'

export function itemHandlers({ project, traceShown }: Scope): Part<'items'> {
  return {
    'items.list': ({ offset, limit, search, filter, sort }) => ({
      offset,
      ...project().repos.items.list(offset, limit, { search, filter, sort }),
    }),
    'items.count': async (query) => ({ total: await project().repos.items.countMatching(query) }),
    'items.facets': () => project().repos.items.facets(),
    'items.ids': (query) => ({ ids: project().repos.items.ids(query) }),
    'items.get': ({ id }) => {
      const item = project().repos.items.get(id)
      if (!item) throw new AppError('not_found', `There is no item with id ${id} in this project.`)
      traceShown()
      return item
    },
    'items.first': (query) => {
      const { items } = project().repos
      const row = items.list(0, 1, query).rows.at(0)
      const item = row ? items.get(row.id) : null
      if (item) traceShown()
      return item
    },
    'items.locate': ({ externalId, ...query }) => {
      const found = project().repos.items.locate(externalId, query)
      if (!found) throw new AppError('not_found', `No item has the id "${externalId}". Check the id, or search with /.`)
      if (found.index < 0)
        throw new AppError(
          'not_found',
          `Item "${externalId}" is hidden by the current search or filters. Clear them (f, then "clear"), then try again.`,
        )
      return found
    },
  }
}
