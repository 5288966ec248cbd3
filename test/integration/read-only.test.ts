/**
 * Projects that cannot be written (issue 15, part 7): a project on a read-only mount (as root, a
 * real read-only bind mount; as anyone else, a folder and files without write permission) opens
 * read-only with the reason, reads, filters, calibrates and reports, refuses every change with
 * the reason and what to do, and writes nothing: the same bytes, the same mtime, no file beside
 * it. Through the services both shells call (and `dispatch`, as they do), and the real CLI.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openProject } from '../../electron/core/db/open'
import { createRepos } from '../../electron/core/db/repos'
import { runImport } from '../../electron/core/import/run'
import { createJudge } from '../../electron/core/judge/judges'
import { writeDemoProject } from '../../electron/core/demo'
import { dispatch } from '../../electron/core/dispatch'
import { createServices } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import type { AnyEvent, Output } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { judgeProject, type FixtureItem } from '../helpers/judge-project'
import { repoRoot, tempDir } from '../helpers/paths'
import { readOnlyView, type ReadOnlyView } from '../helpers/read-only'

const tmp = tempDir('assay-read-only-')
const src = tmp.file('projects')
let view: ReadOnlyView
/** Undoes the read-only view once there is one (the setup may fail before). */
let releaseView = (): void => undefined
/** Every file of the read-only folder as it was before anything opened it: size, mtime and bytes. */
let before: Map<string, { mtimeMs: number; bytes: Buffer }>
const events: AnyEvent[] = []
const services = createServices({
  shell: 'serve',
  version: 'test',
  settings: createSettingsStore(tmp.file('home')),
  clock: () => new Date('2026-12-01T00:00:00Z'),
  emit: (event) => events.push(event),
  demoPath: tmp.file('home/demo.assay'),
  integrityDelayMs: 0, // the background check runs (read-only too) while the tests do
})

async function call<T = unknown>(method: string, input: unknown = {}): Promise<Envelope<T>> {
  return (await dispatch(services.handlers, method, input)) as Envelope<T>
}
async function value<T = Record<string, unknown>>(method: string, input: unknown = {}): Promise<T> {
  const result = await call<T>(method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.kind}: ${result.error.message}`)
  return result.value
}

const snapshot = (dir: string) =>
  new Map(
    readdirSync(dir).map((name) => [
      name,
      { mtimeMs: statSync(join(dir, name)).mtimeMs, bytes: readFileSync(join(dir, name)) },
    ]),
  )

/**
 * A 3-item project reopened to add a 4th item, copied (file, -wal, -shm) while it is still open: the 4th item is only
 * in the -wal.
 */
function copiedWhileOpen(): void {
  const path = tmp.file('work/p.assay')
  mkdirSync(tmp.file('work'))
  judgeProject(
    path,
    [1, 2, 3].map((i) => ({ id: `w-${i}`, input: `question ${i}` })),
  ).db.close()
  const { db } = openProject(path, { mode: 'open' })
  db.pragma('wal_autocheckpoint = 0')
  const repos = createRepos(db)
  repos.items.insert(
    {
      datasetId: 1,
      externalId: 'w-4',
      kind: 'text',
      input: 'only in the -wal',
      output: 'a',
      messages: [],
      metadata: {},
      steps: [],
    },
    '2026-12-01T00:00:00Z',
  )
  for (const suffix of ['', '-wal', '-shm']) copyFileSync(path + suffix, join(src, `pending.assay${suffix}`))
  for (const suffix of ['', '-wal']) copyFileSync(path + suffix, join(src, `wal-only.assay${suffix}`))
  db.close()
}

/** A judge on 6 labeled items (their splits assigned when it was made), then 4 more labels that have no split yet. */
function labelsWithoutSplits(): void {
  const d = judgeProject(
    join(src, 'splits.assay'),
    Array.from({ length: 6 }, (_, i): FixtureItem => ({
      id: `s-${i}`,
      input: `q ${i}`,
      label: i % 2 ? 'fail' : 'pass',
    })),
  )
  createJudge(d, {
    criterionId: d.criterionId,
    name: 'J',
    model: {
      id: 'local',
      name: 'Local',
      provider: 'test',
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      pricePerMInput: 0,
      pricePerMOutput: 0,
      structuredOutputs: true,
      timeoutMs: 1000,
      apiKeyEnv: '',
    },
    params: {},
  })
  d.db.transaction(() => {
    for (let i = 6; i < 10; i++) {
      const id = d.repos.items.insert(
        {
          datasetId: 1,
          externalId: `s-${i}`,
          kind: 'text',
          input: `q ${i}`,
          output: 'a',
          messages: [],
          metadata: {},
          steps: [],
        },
        '2026-12-01T00:00:00Z',
      )
      d.repos.labels.add(
        {
          itemId: id,
          criterionId: d.criterionId,
          criterionVersion: 1,
          verdict: i % 2 ? 'fail' : 'pass',
          note: '',
          annotator: 'ann',
          firstFailingStep: null,
        },
        '2026-12-01T00:00:00Z',
      )
    }
  })()
  expect(d.db.prepare('SELECT count(*) FROM splits').pluck().get()).toBe(6)
  d.db.close()
}

/**
 * A project whose write in rollback-journal mode (as an import into a new project writes) was
 * killed: half of it is in the file, the rest of the truth in killed.assay-journal.
 */
function killedInJournalMode(): void {
  const path = join(src, 'killed.assay')
  writeDemoProject(path, { unlabeled: 50 })
  const script = `const Database = require(process.argv[1]); const db = new Database(process.argv[2]);
    db.pragma('journal_mode = DELETE'); db.pragma('cache_size = 10'); db.exec('BEGIN');
    db.exec("UPDATE items SET output = output || ' changed'"); process.kill(process.pid, 'SIGKILL')`
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3')
  const child = spawnSync(process.execPath, ['-e', script, betterSqlite, path])
  expect(child.signal, child.stderr.toString()).toBe('SIGKILL')
}

beforeAll(() => {
  mkdirSync(src)
  labelsWithoutSplits()
  mkdirSync(tmp.file('mnt'))
  writeDemoProject(join(src, 'demo.assay'), { unlabeled: 200 })
  copiedWhileOpen()
  killedInJournalMode()
  writeFileSync(tmp.file('more.csv'), 'id,input,output\nnew-1,a new question,an answer\n')
  expect(readdirSync(src).sort()).toEqual([
    'demo.assay',
    'killed.assay',
    'killed.assay-journal',
    'pending.assay',
    'pending.assay-shm',
    'pending.assay-wal',
    'splits.assay',
    'wal-only.assay',
    'wal-only.assay-wal',
  ])
  before = snapshot(src)
  view = readOnlyView(src, tmp.file('mnt'))
  releaseView = () => view.release()
})

afterAll(() => {
  services.close()
  releaseView()
  tmp.cleanup()
})

describe('a project on a read-only mount or folder', () => {
  const project = () => join(view.dir, 'demo.assay')
  const why = () => (view.kind === 'mount' ? 'it is on a read-only file system' : 'you have no permission to write it')

  it('opens read-only and says why and what to do', async () => {
    const info = await value<{ readOnly: string | null; itemCount: number; labeledCount: number }>('project.open', {
      path: project(),
    })
    expect(info).toMatchObject({ itemCount: 550, labeledCount: 120 })
    expect(info.readOnly).toBe(
      `${project()} is read-only: ${why()}. You can read, filter and calibrate it and write reports and exports; labels, imports, judge runs and other changes cannot be saved. To change it, ${view.kind === 'mount' ? '' : `make it writable (chmod u+w "${project()}"), or `}copy it (with demo.assay-wal, if there is one) to a folder you can write and open the copy.`,
    )
    expect(await value('project.current')).toMatchObject({ path: project(), readOnly: info.readOnly })
  })

  it('reads, filters, calibrates (test results shown, the estimate not stored) and reports', async () => {
    expect(await value('items.list', { offset: 0, limit: 3 })).toMatchObject({ total: 550 })
    expect(
      await value('items.list', {
        offset: 0,
        limit: 3,
        filter: { label: 'labeled', judge: 'any', dataset: null, metadata: null },
      }),
    ).toMatchObject({ total: 120 })
    const [choice] = await value<{ versionId: number }[]>('calibrate.choices')
    const view = await value<{ testRevealed: boolean; estimate: { estimateId: number | null; theta: number } | null }>(
      'calibrate.get',
      { versionId: choice.versionId, revealTest: true },
    )
    expect(view.testRevealed).toBe(true)
    expect(view.estimate).toMatchObject({ estimateId: null, theta: expect.any(Number) })
    expect(
      await value<unknown[]>('calibrate.cell', {
        versionId: choice.versionId,
        split: 'test',
        human: 'pass',
        judge: 'pass',
      }),
    ).not.toHaveLength(0)
    const judges = await value<{ id: number }[]>('judges.list')
    expect(await value('judges.get', { id: judges[0].id, revealVersion: choice.versionId })).toMatchObject({
      judge: { id: judges[0].id },
    })
    const report = await value<{ base64: string }>('report.render', { format: 'md' })
    const markdown = Buffer.from(report.base64, 'base64').toString('utf8')
    expect(markdown).toContain('# Calibration report: demo')
    expect(markdown).toContain('corrected success rate θ̂')
    for (const [method, input] of Object.entries({
      'items.facets': {},
      'items.ids': { search: 'vegan' },
      'criteria.list': {},
      'criteria.agreement': { id: 1 },
      'sessions.latest': {},
      'judges.verdicts': { versionId: choice.versionId },
    })) {
      expect([method, (await call(method, input)).ok]).toEqual([method, true])
    }
    // The demo's judge has recorded verdicts and no prompt: the estimate says so, not that the file cannot be written.
    expect(await call('judges.estimate', { versionId: choice.versionId, scope: 'unlabeled' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid_input', message: expect.stringContaining('no prompt to run') },
    })
    expect(await value<unknown[]>('notes.list')).not.toHaveLength(0)
    expect(await value('taxonomy.get', { pivot: null })).toMatchObject({ reviewed: 120 })
  })

  it('refuses every change with the reason: sessions, labels, imports, judge runs, edits', async () => {
    const refusal = `${project()} is open read-only (${why()}), so nothing can be changed in it: no labels, imports, judge runs or edits.`
    const [choice] = await value<{ versionId: number }[]>('calibrate.choices')
    const detected = await value<Output<'import.detect'>>('import.detect', { path: tmp.file('more.csv') })
    const attempts = {
      'sessions.create': { criterionId: 1, order: 'random', seed: 1, size: 10, blind: false },
      'labels.save': { sessionId: 1, itemId: 1, verdict: 'pass' },
      'labels.undo': { sessionId: 1 },
      'import.run': {
        path: detected.detected.path,
        format: detected.detected.format,
        mapping: detected.mapping,
        onError: 'abort',
        duplicates: 'abort',
      },
      'judges.run': { versionId: choice.versionId, scope: 'dev' },
      'criteria.update': { id: 1, definition: 'A new definition.' },
      'modes.create': { name: 'A new mode' },
      'calibrate.targets': { criterionId: 1, targets: { target: 0.9, minimum: 0.8 } },
    }
    for (const [method, input] of Object.entries(attempts)) {
      const result = await call(method, input)
      expect([method, result.ok]).toEqual([method, false])
      if (!result.ok) {
        expect([method, result.error.kind]).toEqual([method, 'read_only'])
        expect(result.error.message).toContain(refusal)
        expect(result.error.message).toContain('to a folder you can write and open the copy.')
      }
    }
    // The import pipeline itself refuses too, whoever calls it: its connection is for writing.
    const d = detected.detected
    await expect(
      runImport(project(), {
        file: d.path,
        format: d.format,
        mapping: detected.mapping,
        onError: 'abort',
        duplicates: 'abort',
      }),
    ).rejects.toMatchObject({ kind: 'read_only', message: expect.stringContaining(refusal) })
    expect(await value('project.current')).toMatchObject({ itemCount: 550, labeledCount: 120 }) // still open, for reading
  })

  it('labels without a split yet are given one as they would be, without writing it', async () => {
    await value('project.open', { path: join(view.dir, 'splits.assay') })
    const [judge] = await value<{ id: number }[]>('judges.list')
    const { splits } = await value<{
      splits: { counts: Record<'train' | 'dev' | 'test', { pass: number; fail: number }> }
    }>('judges.get', { id: judge.id })
    const counted = Object.values(splits.counts).reduce((n, c) => n + c.pass + c.fail, 0)
    expect(counted).toBe(10)
    expect(await value('judges.get', { id: judge.id })).toMatchObject({ splits }) // the same splits each time: computed the same way, never stored
  })

  it('a copy whose last commits are still in its -wal (with its -shm) opens read-only with them', async () => {
    expect(await value('project.open', { path: join(view.dir, 'pending.assay') })).toMatchObject({
      itemCount: 4,
      readOnly: expect.stringContaining('is read-only'),
    })
    expect(await value('items.locate', { externalId: 'w-4' })).toMatchObject({ index: 3 })
  })

  it('the integrity check reads it as the app does (sound: no problem), in the background and before opening', async () => {
    for (const name of ['demo.assay', 'pending.assay']) {
      const opened = openProject(join(view.dir, name), { mode: 'open', integrity: 'background' })
      try {
        expect([name, opened.readOnly?.why, await opened.integrity]).toEqual([name, why(), []])
      } finally {
        opened.db.close()
      }
      const checked = openProject(join(view.dir, name), { mode: 'open' }) // integrity 'now', as the CLI opens
      expect(checked.db.readonly).toBe(true)
      checked.db.close()
    }
    expect(events.filter((e) => e.name === 'project.problem')).toEqual([])
  })

  it('a -wal holding commits without its -shm cannot be read here: refused with what to do', async () => {
    const path = join(view.dir, 'wal-only.assay')
    const result = await call('project.open', { path })
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'read_only',
        message: `${path} cannot be opened where it is: it is read-only (${view.kind === 'mount' ? 'it is on a read-only file system' : 'you have no permission to write it'}), and its last changes are still in wal-only.assay-wal, which SQLite can read only with a wal-only.assay-shm file it cannot create there. Copy ${path} and ${path}-wal to a folder you can write and open the copy.`,
      },
    })
    expect(await value('project.current')).toMatchObject({ path: join(view.dir, 'pending.assay') }) // the open project stays
  })

  it('a write cut short in journal mode (a killed import) cannot be rolled back here: refused with what to do', async () => {
    const path = join(view.dir, 'killed.assay')
    const result = await call('project.open', { path })
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'read_only',
        message: `${path} cannot be opened where it is: it is read-only (${why()}), and a write that was cut short left killed.assay-journal, which only a copy you can write can roll back. Copy ${path} and ${path}-journal to a folder you can write and open the copy.`,
      },
    })
  })

  it('the CLI reads it (judge list, export, report) and refuses an import and a judge run with the reason', () => {
    const assay = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
        cwd: tmp.dir,
        env: { ...process.env, ASSAY_HOME: tmp.file('home') },
        encoding: 'utf8',
      })
    const list = assay('judge', 'list', project(), '--json')
    expect([list.status, list.stderr]).toEqual([0, ''])
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ criterion: 'Overall', versions: 1 })])
    const exported = assay('export', project(), '--format', 'jsonl', '--out', tmp.file('export.jsonl'))
    expect([exported.status, exported.stderr]).toEqual([0, ''])
    expect(readFileSync(tmp.file('export.jsonl'), 'utf8').trim().split('\n')).toHaveLength(550)
    const report = assay('report', project(), '--format', 'md')
    expect([report.status, report.stderr]).toEqual([0, ''])
    expect(report.stdout).toContain('corrected success rate θ̂')
    for (const args of [
      ['import', project(), tmp.file('more.csv')],
      ['judge', 'run', project(), '--judge', JSON.parse(list.stdout)[0].name, '--scope', 'dev'],
    ]) {
      const refused = assay(...args)
      expect([args[0], refused.status, refused.stdout]).toEqual([args[0], 1, ''])
      expect(refused.stderr).toContain(`${project()} is open read-only (${why()}), so nothing can be changed in it`)
    }
  })

  it('wrote nothing: every file has the same bytes and mtime, and no file was added beside them', () => {
    services.close()
    const after = snapshot(view.dir)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [name, then] of before) {
      const now = after.get(name)!
      expect([name, now.mtimeMs, now.bytes.equals(then.bytes)]).toEqual([name, then.mtimeMs, true])
    }
  })
})
