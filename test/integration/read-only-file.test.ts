/**
 * A project file the user may not write (chmod 444) in a folder they may write, through the real
 * CLI and `assay serve` run as a user whose writes file modes stop (nobody, when the tests run as
 * root: root writes through any mode). Every command reads it; import, judge runs and the app's
 * changes are refused with the reason and what to do; the file keeps its bytes and mtime, and
 * nothing is left beside it (no -wal or -shm that would later stop its owner from writing).
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot, tempDir } from '../helpers/paths'
import { asNonRoot } from '../helpers/read-only'
import { startServe } from '../helpers/serve'

const tmp = tempDir('assay-read-only-file-')
const project = tmp.file('shared.assay')
const env = { ...process.env, ASSAY_HOME: tmp.file('home') }
let before: { mtimeMs: number; bytes: Buffer }

/** The real `assay` bin as the non-root user. */
function assay(...args: string[]) {
  const [command, argv] = asNonRoot(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args])
  const result = spawnSync(command, argv, { cwd: tmp.dir, env, encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

beforeAll(() => {
  // Run as root, the commands run as nobody, who must be able to read this clone (a clone inside
  // `mktemp -d`, a 0700 folder, is closed to it): say so rather than fail on "Cannot find module".
  const bin = join(repoRoot, 'bin/assay.mjs')
  const [check, checkArgv] = asNonRoot(process.execPath, [
    '-e',
    `require('node:fs').accessSync(${JSON.stringify(bin)})`,
  ])
  if (spawnSync(check, checkArgv).status !== 0)
    throw new Error(
      `The non-root user these tests run as cannot read ${bin}: a folder above the clone is closed to other users. Make it readable (chmod o+rx on each folder of the path), or clone somewhere that is.`,
    )
  writeDemoProject(project, { unlabeled: 100 })
  writeFileSync(tmp.file('more.csv'), 'id,input,output\nnew-1,a new question,an answer\n')
  chmodSync(tmp.dir, 0o777) // the non-root user writes its outputs and settings here
  chmodSync(project, 0o444)
  before = { mtimeMs: statSync(project).mtimeMs, bytes: readFileSync(project) }
})
afterAll(() => tmp.cleanup())

describe('a project file without write permission', () => {
  const refusal = `${project} is open read-only (you have no permission to write it), so nothing can be changed in it: no labels, imports, judge runs or edits. To change it, make it writable (chmod u+w "${project}"), or copy it (with shared.assay-wal, if there is one) to a folder you can write and open the copy.`

  it('every reading command works: judge list, export, report, taxonomy', () => {
    const list = assay('judge', 'list', project, '--json')
    expect([list.code, list.stderr]).toEqual([0, ''])
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'Overall judge', criterion: 'Overall' })])
    expect(assay('export', project, '--out', 'items.csv', '--json')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('"rows":450'),
    })
    const report = assay('report', project, '--format', 'json', '--out', 'report.json')
    expect([report.code, report.stderr]).toEqual([0, ''])
    expect(JSON.parse(readFileSync(tmp.file('report.json'), 'utf8'))).toMatchObject({
      judges: [expect.objectContaining({ estimate: expect.objectContaining({ theta: expect.any(Number) }) })],
    })
    expect(assay('taxonomy', project)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('# Failure taxonomy: shared'),
    })
  })

  it('import and judge run are refused with the reason and what to do', () => {
    for (const args of [
      ['import', project, 'more.csv'],
      ['judge', 'run', project, '--judge', 'Overall judge', '--scope', 'dev'],
    ]) {
      expect(assay(...args)).toEqual({ code: 1, stdout: '', stderr: `assay ${args[0]}: ${refusal}\n` })
    }
    expect(JSON.parse(assay('import', project, 'more.csv', '--json').stdout)).toEqual({
      error: 'read_only',
      message: refusal,
    })
  })

  it('assay serve opens it read-only: the app learns why, and its changes are refused', async () => {
    const serve = await startServe([project], { cwd: tmp.dir, env, wrap: asNonRoot })
    const { api } = serve
    try {
      expect(await api('project.current', {})).toMatchObject({
        ok: true,
        value: {
          path: project,
          itemCount: 450,
          readOnly: expect.stringContaining(`${project} is read-only: you have no permission to write it.`),
        },
      })
      expect(await api('sessions.create', { criterionId: 1 })).toEqual({
        ok: false,
        error: { kind: 'read_only', message: refusal },
      })
      expect(await api('labels.save', { sessionId: 1, itemId: 1, verdict: 'fail', note: 'x' })).toEqual({
        ok: false,
        error: { kind: 'read_only', message: refusal },
      })
      expect(await api('items.list', { offset: 0, limit: 2 })).toMatchObject({ ok: true, value: { total: 450 } })
    } finally {
      serve.stop()
    }
    expect(serve.stderr()).toBe('')
  })

  it('wrote nothing: the same bytes and mtime, and no -wal or -shm beside it', () => {
    expect(statSync(project).mtimeMs).toBe(before.mtimeMs)
    expect(readFileSync(project).equals(before.bytes)).toBe(true)
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('shared.assay'))).toEqual(['shared.assay'])
  })
})
