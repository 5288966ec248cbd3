import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_VERSION } from '../../../electron/core/db/migrations'
import { integrityMessage, openProject } from '../../../electron/core/db/open'
import { AppError } from '../../../shared/errors'
import { tempDir } from '../../helpers/paths'

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('openProject', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  it('creates a project with WAL, foreign keys, FULL sync, busy timeout and the latest schema', () => {
    const { db, backupPath, migratedFrom } = openProject(tmp.file('p.assay'), { mode: 'create' })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    expect([backupPath, migratedFrom]).toEqual([null, 0])
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
    expect(tables).toEqual(
      expect.arrayContaining([
        'datasets',
        'items',
        'steps',
        'criteria',
        'criterion_versions',
        'labels',
        'splits',
        'judges',
        'judge_versions',
        'runs',
        'verdicts',
        'llm_cache',
        'estimates',
        'events',
        'meta',
      ]),
    )
    db.close()
  })

  it('enforces foreign keys (a label for a missing item is refused)', () => {
    const { db } = openProject(tmp.file('p.assay'), { mode: 'create' })
    expect(() =>
      db
        .prepare(
          "INSERT INTO labels (item_id, criterion_id, criterion_version, verdict, annotator, created_at) VALUES (999, 999, 1, 'pass', 'a', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('refuses a file from a newer version of Assay and leaves it unchanged', () => {
    const path = tmp.file('future.assay')
    openProject(path, { mode: 'create' }).db.close()
    const raw = new Database(path)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    const before = readFileSync(path)
    const error = refusal(() => openProject(path, { mode: 'open' }))
    expect(error.kind).toBe('newer_version')
    expect(error.message).toContain(`schema version ${LATEST_VERSION + 1}`)
    expect(error.message).toContain('Update Assay')
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('refuses missing files, missing folders, existing files on create, and files that are not projects', () => {
    expect(refusal(() => openProject(tmp.file('nope.assay'), { mode: 'open' })).kind).toBe('not_found')
    expect(refusal(() => openProject(tmp.file('no-such-dir/p.assay'), { mode: 'create' })).message).toContain(
      'does not exist',
    )
    const path = tmp.file('p.assay')
    openProject(path, { mode: 'create' }).db.close()
    expect(refusal(() => openProject(path, { mode: 'create' })).kind).toBe('conflict')

    writeFileSync(tmp.file('notes.assay'), 'id,input\n1,hello\n')
    const text = refusal(() => openProject(tmp.file('notes.assay'), { mode: 'open' }))
    expect([text.kind, text.message]).toEqual(['corrupt', expect.stringContaining('not a SQLite file')])

    const other = new Database(tmp.file('other.assay'))
    other.exec('CREATE TABLE t (x)')
    other.close()
    expect(refusal(() => openProject(tmp.file('other.assay'), { mode: 'open' })).message).toContain(
      'not an Assay project',
    )
  })

  function damagedFile(): string {
    const path = tmp.file('damaged.assay')
    const { db } = openProject(path, { mode: 'create' })
    const insert = db.prepare("INSERT INTO events (at, kind, payload_json) VALUES ('t', 'k', ?)")
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200))
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const bytes = readFileSync(path)
    bytes.fill(0xab, 4096 * 3, 4096 * 6) // scribble over a few b-tree pages
    writeFileSync(path, bytes)
    return path
  }

  it('reports a damaged file instead of opening it', () => {
    const path = damagedFile()
    const error = refusal(() => openProject(path, { mode: 'open' }))
    expect(error.kind).toBe('corrupt')
    expect(error.message).toMatch(/integrity check|malformed/)
    expect(error.message).toContain('.recover')
  })

  it('with the check in the background, opens at once and reports the damage when the check ends', async () => {
    const sound = openProject(tmp.file('sound.assay'), { mode: 'create', integrity: 'background' })
    expect(await sound.integrity).toEqual([])
    sound.db.close()
    const path = damagedFile()
    const opened = openProject(path, { mode: 'open', integrity: 'background' })
    const problems = await opened.integrity
    opened.db.close()
    expect(problems.length).toBeGreaterThan(0)
    expect(integrityMessage(path, problems)).toContain("failed SQLite's integrity check")
  })
})
