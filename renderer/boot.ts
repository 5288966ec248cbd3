import { DEFAULT_FILTER, DEFAULT_SORT } from '../shared/table-query'
import { askAhead } from './api'
import { PAGE_SIZE } from './store/slices/items'

/** The table's first page as the first open asks for it: the default filter and sort, no search. */
export const FIRST_PAGE = { offset: 0, limit: PAGE_SIZE, filter: DEFAULT_FILTER, sort: DEFAULT_SORT }

let sent = false

/**
 * Sends the first open's requests before most of the app's code has run (start.ts, the first
 * module main.tsx imports, calls it): the core answers them while the browser evaluates the app,
 * so the first trace waits for the slower of the two, not for both one after the other. Asked: the
 * first page of rows and, once it is there, its first row's trace; the project, the user's
 * settings, the shell's info and the recent list. `init`, the detail loader and the theme take
 * these answers once (callOrTake) instead of asking again; a project opened meanwhile makes the
 * client forget them (forgetAsked). Sends them once: `init` calls it too, for a page whose entry
 * did not.
 */
export function boot(): void {
  if (sent) return
  sent = true
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
