import { DEFAULT_FILTER, DEFAULT_SORT } from '../shared/table-query'
import { askAhead } from './api'
import { PAGE_SIZE } from './store/slices/items'

/** The table's first page as the first open asks for it: the default filter and sort, no search. */
export const FIRST_PAGE = { offset: 0, limit: PAGE_SIZE, filter: DEFAULT_FILTER, sort: DEFAULT_SORT }

/**
 * Sends the first open's requests while the rest of the app's code is still being evaluated
 * (main.tsx runs this before the app's chunk has even arrived): the core answers them meanwhile, so
 * the first trace waits for the slower of the two, not for both one after the other. Asked: the
 * project, the first page of rows and, once it is there, its first row's trace; the shell's
 * info, the recent list and the user's settings. `init`, the detail loader and the theme take
 * these answers (callOrTake) instead of asking again; a project opened meanwhile forgets them.
 */
export function boot(): void {
  // The core answers one request after another: the slowest one (the page), on which the trace
  // waits, goes first; the shell's info, the recent list and the settings wait for nothing.
  void askAhead('items.list', FIRST_PAGE).then(
    ({ rows }) => {
      const first = rows.at(0)
      if (first) void askAhead('items.get', { id: first.id })
    },
    () => undefined, // no project open: nothing to show
  )
  void askAhead('project.current', {})
  void askAhead('settings.get', {})
  void askAhead('app.info', {})
  void askAhead('project.recent', {})
}
