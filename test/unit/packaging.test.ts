import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/paths'

/**
 * The installers carry the `assay` command (Help → Install the `assay` Command… writes a launcher
 * that starts the app with --assay-cli, and the app runs out/cli/assay.mjs): electron-builder packs
 * bin/ and out/cli/, and the CLI bundle needs nothing an installer leaves out (electron-builder
 * packs `dependencies`, never `devDependencies`). This checks the config; packaging-dir.test.ts
 * packs an app.
 */
describe('the installers ship the CLI', () => {
  const config = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')
  const files = /^files:\n((?:\s+- .*\n|\s+#.*\n)+)/m.exec(config)![1]
  const entries = files.split('\n').flatMap((line) => /^\s+- '?([^']*)'?$/.exec(line)?.[1] ?? [])

  it('packs bin/ and out/cli/ (not excluded), beside the renderer `assay serve` serves', () => {
    expect(entries).toEqual(expect.arrayContaining(['out/cli/**', 'bin/**', 'out/renderer/**', 'package.json']))
    expect(entries.filter((e) => e.startsWith('!') && /out\/cli\/\*\*$|^!bin/.test(e))).toEqual([])
  })

  it.skipIf(!existsSync(join(repoRoot, 'out/cli/assay.mjs')))(
    'the CLI bundle imports only Node built-ins and production dependencies',
    () => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>
      }
      const bundle = readFileSync(join(repoRoot, 'out/cli/assay.mjs'), 'utf8')
      const imported = [...bundle.matchAll(/^import .* from ['"]([^'".][^'"]*)['"]/gm)].map((m) => m[1])
      const packageOf = (spec: string) =>
        spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
      const missing = imported.filter(
        (spec) => !spec.startsWith('node:') && !builtinModules.includes(spec) && !(packageOf(spec) in pkg.dependencies),
      )
      expect(imported).toContain('better-sqlite3')
      expect(missing).toEqual([])
    },
  )
})
