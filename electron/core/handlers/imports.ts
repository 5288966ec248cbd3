/**
 * The import wizard's methods: detect, the arrays a JSON object's records may come from, preview,
 * run (the one writes wait for, see gate.ts) and cancel; a committed import tells every window
 * that the project and its labels changed.
 */
import { createImportService } from '../import/service'
import type { Lifecycle } from './lifecycle'
import { pickFile } from './project'
import type { Part, Scope } from './types'

export function importHandlers(scope: Scope, lifecycle: Lifecycle): Part<'import'> {
  const { deps, project } = scope
  const imports = createImportService({
    projectPath: () => project().path,
    db: () => project().db,
    emit: deps.emit,
    nativeBinding: deps.nativeBinding,
    clock: deps.clock,
  })
  return {
    'import.detect': (source) => imports.detect(source),
    'import.arrays': ({ path }) => imports.arrays(path),
    'import.preview': ({ mapping, ...source }) => imports.preview(source, mapping),
    'import.run': async ({ path, ...request }) => {
      const report = await scope.gate.whileImporting(imports.run({ file: path, ...request }))
      const current = lifecycle.current()
      if (report.committed && current) {
        deps.emit({ name: 'project.changed', payload: { project: lifecycle.info(current) } })
        deps.emit({ name: 'labels.changed', payload: {} })
      }
      return report
    },
    'import.cancel': () => imports.cancel(),
    'import.pick': () => pickFile(deps, 'import'),
  }
}
