import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { createRepos } from '../../electron/core/db/repos'
import { foldForSearch, indexAll } from '../../electron/core/db/search-index'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot, tempDir } from '../helpers/paths'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

const NEEDLES = ['lentil', 'Coral', 'tofu stir', 'leftovers', 'kill-test', 'zz', '"confidence"', 'no such thing']

/** Opens the file as the app does after a crash: sound, and every search equal to its plain definition. */
function expectSoundAndExact(path: string) {
  const { db } = openProject(path, { mode: 'open' })
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    // FTS5's own check of the index's structure (for a contentless table, its b-trees and doclists).
    db.prepare("INSERT INTO item_search (item_search, rank) VALUES ('integrity-check', 0)").run()
    const repos = createRepos(db)
    const rows = db.prepare('SELECT id, external_id, input, output FROM items ORDER BY id').all() as {
      id: number
      external_id: string
      input: string
      output: string
    }[]
    const check = () => {
      for (const needle of NEEDLES) {
        const want = rows
          .filter((r) =>
            [r.external_id, r.input, r.output].some((t) => foldForSearch(t).includes(foldForSearch(needle))),
          )
          .map((r) => r.id)
        expect(repos.items.ids({ search: needle }), needle).toEqual(want)
      }
    }
    check()
    indexAll(db) // and once the index has caught up
    check()
    return { items: rows.length, indexed: db.prepare('SELECT indexed_upto FROM search_state').pluck().get() as number }
  } finally {
    db.close()
  }
}

/** Polls the file (its own read connection) until `ready`, then kills `child` with SIGKILL. */
async function killWhen(child: ChildProcess, path: string, ready: (db: Database.Database) => boolean) {
  const reader = new Database(path, { readonly: true })
  try {
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      if (ready(reader)) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(child.exitCode, 'the child ended before it could be killed').toBeNull()
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
  } finally {
    reader.close()
  }
}

const cli = (args: string[]) => spawn(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], { stdio: 'ignore' })

describe('the search index survives a killed process', () => {
  it('killed while it indexes in the background (assay serve), the file is sound and searches stay exact', async () => {
    const path = tmp.file('indexing.assay')
    writeDemoProject(path, { unlabeled: 6000, traceBytes: 5000 })
    const child = cli(['serve', path, '--port', '0'])
    const upto = (db: Database.Database) => db.prepare('SELECT indexed_upto FROM search_state').pluck().get() as number
    await killWhen(child, path, (db) => upto(db) > 500)
    const reader = new Database(path, { readonly: true })
    const killedAt = upto(reader)
    reader.close()
    expect(killedAt).toBeGreaterThan(500)
    expect(killedAt, 'killed before the index caught up').toBeLessThan(6350)
    const after = expectSoundAndExact(path)
    expect(after.items).toBe(6350)
  }, 120_000)

  it('killed in the middle of an import into an indexed project, nothing of it is half there', async () => {
    const path = tmp.file('import.assay')
    writeDemoProject(path, { unlabeled: 1000 })
    const { db } = openProject(path, { mode: 'open' })
    indexAll(db)
    db.close()
    const file = join(tmp.dir, 'big.jsonl')
    const lines = Array.from({ length: 300_000 }, (_, i) =>
      JSON.stringify({
        id: `kill-test-${i}`,
        query: `question ${i} about coral`,
        response: `answer ${i}: lentil soup`,
      }),
    )
    writeFileSync(file, `${lines.join('\n')}\n`)
    const child = cli(['import', path, file, '--map', 'id=id', '--map', 'input=query', '--map', 'output=response'])
    // Killed once the import has written to the WAL (its transaction is open) and before it commits.
    await killWhen(child, path, () => existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 4_000_000)
    const after = expectSoundAndExact(path)
    expect(after.items).toBe(1350) // the import was one transaction: none of it
  }, 120_000)
})
