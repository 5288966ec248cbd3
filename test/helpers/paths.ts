import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const sharedSpec = resolve(repoRoot, '../shared/spec')
export const sharedData = resolve(repoRoot, '../shared/data')

/**
 * Whether `../shared/<folder>` (the course data, the spec) is beside the repo. A clone with
 * nothing beside it passes `npm test` (the tests that read it are skipped); CI sets
 * ASSAY_REQUIRE_SHARED_DATA=1, and then its absence fails instead of skipping.
 */
export function hasShared(folder: 'data' | 'spec'): boolean {
  const path = resolve(repoRoot, '../shared', folder)
  if (existsSync(path)) return true
  if (process.env.ASSAY_REQUIRE_SHARED_DATA === '1')
    throw new Error(`${path} is missing, and ASSAY_REQUIRE_SHARED_DATA=1 requires it: place ../shared beside the repo.`)
  return false
}

/** A fresh temp folder per test; `cleanup` removes it. */
export function tempDir(prefix = 'assay-test-'): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
