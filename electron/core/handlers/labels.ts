/** The Label screen's methods: sessions (their queues fixed when they start) and the labels saved in them. */
import { createSession, getSession, latestSession, saveLabel, tagItem, undoLabel, unlabeledOf } from '../labeling'
import type { Part, Scope, ServiceDeps } from './types'

/** Tells every window that human labels changed (live matrices), and passes the result on. */
export const labelsChanged =
  (deps: ServiceDeps) =>
  <T>(result: T): T => {
    deps.emit({ name: 'labels.changed', payload: {} })
    return result
  }

export function labelHandlers({ project, deps }: Scope): Part<'sessions' | 'labels'> {
  const changed = labelsChanged(deps)
  return {
    'sessions.create': (settings) => createSession(project(), settings),
    'sessions.counts': (settings) => unlabeledOf(project(), settings),
    'sessions.latest': () => latestSession(project()),
    'sessions.get': ({ id }) => getSession(project(), id),
    'labels.save': (input) => changed(saveLabel(project(), input)),
    'labels.tag': (input) => changed(tagItem(project(), input)),
    'labels.undo': ({ sessionId }) => changed(undoLabel(project(), sessionId)),
  }
}
