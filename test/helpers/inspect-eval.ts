/**
 * Builds the Inspect AI `.eval` fixture (a ZIP archive) from the JSON files under
 * test/fixtures/interop/inspect/eval, the way Inspect lays it out (header.json,
 * samples/{id}_epoch_{epoch}.json, summaries.json, reductions.json), so that the fixture stays
 * readable in review and no binary is committed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { repoRoot } from './paths'

/** The folder the `.eval` archive is made from. */
export const INSPECT_EVAL_SOURCE = join(repoRoot, 'test/fixtures/interop/inspect/eval')

/** Writes the `.eval` archive to `target` and returns its path. */
export function writeInspectEval(target: string): string {
  const files: Record<string, Uint8Array> = {}
  for (const name of ['header.json', 'summaries.json', 'reductions.json'])
    files[name] = readFileSync(join(INSPECT_EVAL_SOURCE, name))
  files['_journal/start.json'] = readFileSync(join(INSPECT_EVAL_SOURCE, 'header.json'))
  for (const name of readdirSync(join(INSPECT_EVAL_SOURCE, 'samples')).sort())
    files[`samples/${name}`] = readFileSync(join(INSPECT_EVAL_SOURCE, 'samples', name))
  writeFileSync(target, zipSync(files, { level: 6 }))
  return target
}
