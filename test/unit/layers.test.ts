import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot, tempDir } from '../helpers/paths'

/**
 * A tsconfig per layer (`npm run typecheck` runs each): the renderer sees the DOM and no Node,
 * the main process Node and no DOM, shared/ neither. Each config is tried on a small file that
 * crosses its line, so a config that stops guarding fails here.
 */
const tmp = tempDir('assay-layers-')
afterAll(() => tmp.cleanup())

function typecheck(layer: 'web' | 'node' | 'shared', source: string): string {
  const file = tmp.file(`${layer}-probe.ts`)
  writeFileSync(file, source)
  const config = tmp.file(`tsconfig.${layer}.json`)
  const base = join(repoRoot, `tsconfig.${layer}.json`)
  // Types resolve from the repository, as for its own files (the probe lives in a temp folder).
  const typeRoots = [join(repoRoot, 'node_modules', '@types')]
  writeFileSync(config, JSON.stringify({ extends: base, compilerOptions: { typeRoots }, include: [], files: [file] }))
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' })
  return run.stdout + run.stderr
}

describe('a tsconfig per layer', () => {
  it('the renderer cannot use Node built-ins or globals', () => {
    const out = typecheck(
      'web',
      "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\nexport const y = process.cwd()\n",
    )
    expect(out).toContain("Cannot find module 'node:fs'")
    expect(out).toContain("Cannot find name 'process'")
    expect(typecheck('web', 'export const title = document.title\n')).toBe('')
  })

  it('the main process and the core cannot touch the DOM', () => {
    expect(typecheck('node', 'export const title = document.title\n')).toContain("Cannot find name 'document'")
    expect(typecheck('node', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")).toBe('')
  })

  it('shared/ has neither', () => {
    expect(typecheck('shared', 'export const title = document.title\n')).toContain("Cannot find name 'document'")
    expect(typecheck('shared', 'export const cwd = process.cwd()\n')).toContain("Cannot find name 'process'")
  })
})
