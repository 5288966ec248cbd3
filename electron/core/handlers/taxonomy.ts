/** The Analyze screen's methods: notes, the counted taxonomy, an LLM's suggested modes, and editing the modes. */
import { ModelSnapshot } from '../../../shared/judges'
import { clientFor } from '../judge/keys'
import { suggestModes } from '../suggest'
import {
  assignMode,
  countTaxonomy,
  createMode,
  deleteMode,
  listNotes,
  mergeModes,
  moveTraces,
  pinExample,
  renameMode,
} from '../taxonomy'
import { labelsChanged } from './labels'
import type { Part, Scope } from './types'

export function taxonomyHandlers({ project, deps, profiles }: Scope): Part<'notes' | 'taxonomy' | 'modes'> {
  const changed = labelsChanged(deps)
  return {
    'notes.list': () => listNotes(project()),
    'taxonomy.get': ({ pivot }) => countTaxonomy(project(), pivot),
    'taxonomy.suggest': async ({ profileId }) => {
      const p = profiles.profile(profileId)
      const model = ModelSnapshot.parse(p)
      return {
        suggestions: await suggestModes(clientFor(model, profiles.keySources()), model, p.params, listNotes(project())),
      }
    },
    'modes.create': (input) => ({ id: createMode(project(), input) }),
    'modes.rename': ({ id, name }) => (renameMode(project(), id, name), null),
    'modes.delete': ({ id }) => (deleteMode(project(), id), null),
    'modes.merge': ({ from, into }) => changed((mergeModes(project(), from, into), null)),
    'modes.move': ({ itemIds, from, to }) => changed((moveTraces(project(), itemIds, from, to), null)),
    'modes.example': ({ modeId, itemId, kind, on }) => (pinExample(project(), modeId, itemId, kind, on), null),
    'modes.assign': ({ itemId, modeId, on }) => changed((assignMode(project(), itemId, modeId, on), null)),
  }
}
