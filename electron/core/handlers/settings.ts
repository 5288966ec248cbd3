/** The user's settings (outside any project): the annotator name labels record, the keymap preset. */
import type { Part, Scope } from './types'

export function settingsHandlers({ deps }: Scope): Part<'settings'> {
  return {
    'settings.get': () => deps.settings.user(),
    'settings.set': (change) => deps.settings.setUser(change),
  }
}
