import { askAhead } from './api'
import { OPENING_QUERY, PAGE_SIZE } from './store/slices/items'

/** The table's first page as the first open asks for it. */
export const FIRST_PAGE = { offset: 0, limit: PAGE_SIZE, ...OPENING_QUERY }

let sent = false

/**
 * Sends the first open's requests before most of the app's code has run (start.ts, the first
 * module main.tsx imports, calls it): the core answers them while the browser evaluates the app,
 * so the first trace waits for the slower of the two, not for both one after the other. Asked: the
 * first page of rows and its first row's trace (`items.first`: not chained to the page's answer,
 * which would wait for the browser to finish evaluating the app before it could ask); the project,
 * the user's settings, the shell's info and the recent list. `init`, the detail loader and the
 * theme take these answers once (callOrTake, takeAsked) instead of asking again; a project opened
 * meanwhile makes the client forget them (forgetAsked). Sends them once: `init` calls it too, for
 * a page whose entry did not.
 */
export function boot(): void {
  if (sent) return
  sent = true
  // The core answers one request after another: the first page and its trace, which the first
  // paint waits for, go first; the shell's info, the recent list and the settings wait for nothing.
  void askAhead('items.list', FIRST_PAGE)
  void askAhead('items.first', OPENING_QUERY)
  void askAhead('project.current', {})
  void askAhead('settings.get', {})
  void askAhead('app.info', {})
  void askAhead('project.recent', {})
}
