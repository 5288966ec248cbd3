/** The Start screen's methods: the app itself, and which project is open (open, create, the demo, close). */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import { writeDemoProject } from '../demo'
import type { Lifecycle } from './lifecycle'
import type { Part, ServiceDeps } from './types'

/** A native file dialog's choice; the refusal that says to type the path where the shell has none. */
export async function pickFile(deps: ServiceDeps, mode: 'open' | 'create' | 'import' | 'merge') {
  if (!deps.pickFile)
    throw new AppError('unsupported', 'This shell has no file dialog: type the path of the file instead.')
  return { path: await deps.pickFile(mode) }
}

export function projectHandlers(deps: ServiceDeps, lifecycle: Lifecycle): Part<'app' | 'project'> {
  return {
    'app.info': () => ({
      version: deps.version,
      shell: deps.shell,
      canPickFiles: deps.pickFile !== undefined,
      demoPath: resolve(deps.demoPath),
    }),
    'project.current': () => {
      const current = lifecycle.current()
      return current ? lifecycle.info(current) : null
    },
    'project.recent': () => deps.settings.recent(),
    'project.open': ({ path }) => lifecycle.switchTo(path, 'open'),
    'project.create': ({ path }) => lifecycle.switchTo(path.endsWith('.assay') ? path : `${path}.assay`, 'create'),
    'project.openDemo': () => {
      if (!existsSync(deps.demoPath)) {
        mkdirSync(dirname(deps.demoPath), { recursive: true })
        writeDemoProject(deps.demoPath, { nativeBinding: deps.nativeBinding })
      }
      return lifecycle.switchTo(deps.demoPath, 'open')
    },
    'project.close': () => {
      lifecycle.close()
      deps.emit({ name: 'project.changed', payload: { project: null } })
      return null
    },
    'project.pick': ({ mode }) => pickFile(deps, mode),
  }
}
