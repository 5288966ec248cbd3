import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/paths'

/** The thin shell: the only files allowed to import `electron` (DESIGN §4). */
const SHELL_FILES = [
  'electron/main.ts',
  'electron/window.ts',
  'electron/preload.ts',
  'electron/ipc.ts',
  'electron/menu.ts',
  'electron/secrets.ts',
  'electron/app-updater.ts',
]
const IMPORT = /(?:from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [relative(repoRoot, path)] : []
  })
}

describe('the Electron boundary', () => {
  it('keeps electron imports inside the thin shell files', () => {
    const offenders = ['electron', 'shared', 'renderer']
      .flatMap((dir) => sources(join(repoRoot, dir)))
      .filter((file) => !SHELL_FILES.includes(file) && IMPORT.test(readFileSync(join(repoRoot, file), 'utf8')))
    expect(offenders).toEqual([])
  })

  it('imports only types from electron in ipc.ts, so tests can load it without the binary', () => {
    const source = readFileSync(join(repoRoot, 'electron/ipc.ts'), 'utf8')
    expect(source.match(/^import .*['"]electron['"]/gm)).toEqual([expect.stringMatching(/^import type /)])
  })

  it('never imports node or the core from the renderer', () => {
    const offenders = sources(join(repoRoot, 'renderer')).filter((file) =>
      /from ['"](node:|better-sqlite3|.*electron\/core)/.test(readFileSync(join(repoRoot, file), 'utf8')),
    )
    expect(offenders).toEqual([])
  })
})
