/**
 * File → Merge project…: another annotator's copy merged into the open project (electron/core/
 * merge), then every window told that items and labels changed.
 */
import { mergeProjects } from '../merge'
import type { Lifecycle } from './lifecycle'
import type { Part, Scope } from './types'

export function mergeHandlers({ deps, project }: Scope, lifecycle: Lifecycle): Part<'merge'> {
  return {
    'merge.run': ({ path }) => {
      const report = mergeProjects(project(), [path], { nativeBinding: deps.nativeBinding })
      const current = lifecycle.current()
      if (report.changed && current) {
        deps.emit({ name: 'project.changed', payload: { project: lifecycle.info(current) } })
        deps.emit({ name: 'labels.changed', payload: {} })
      }
      return report
    },
  }
}
