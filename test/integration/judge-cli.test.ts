/**
 * `assay judge` end to end: the real bin in child processes, against the local OpenAI-compatible
 * server running in this process (so every CLI call is an async spawn: a blocked event loop
 * could never answer). Proves that
 *   - a run killed with SIGKILL resumes where it stopped: no committed item is called again,
 *     every item gets exactly one verdict, the file passes integrity_check;
 *   - an API key reaches the endpoint but no byte of the project file, an export, settings.json,
 *     an API answer or any output (CLI and `assay serve`), even when the endpoint echoes it in
 *     its answers (online and batch: stored as ***); a saved key is a 0600 file;
 *   - the test split is locked on the command line (--confirm-test, counted once);
 *   - --model on a run records a new version, and that model is what is sent.
 * The in-process behaviour of the core (faults, retries, cache, splits) is in judges.test.ts.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { judgeProject, type FixtureItem } from '../helpers/judge-project'
import { repoRoot, tempDir } from '../helpers/paths'

const BIN = join(repoRoot, 'bin/assay.mjs')

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

let tmp: ReturnType<typeof tempDir>
let home: string
let project: string
let server: LlmServer | null = null
/** Everything every child process printed in the current test. */
let printed: string[] = []

beforeEach(() => {
  tmp = tempDir('assay-judge-cli-')
  home = tmp.file('home')
  project = tmp.file('p.assay')
  printed = []
})
afterEach(async () => {
  await server?.close()
  server = null
  tmp.cleanup()
})

/** Starts the real `assay` bin (ASSAY_HOME in the test's temp folder); `exited` resolves when it is gone. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: tmp.dir,
    env: { ...process.env, ASSAY_HOME: home, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      printed.push(stdout, stderr)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, exited }
}

const assay = (args: string[], env?: Record<string, string>): Promise<Exit> => start(args, env).exited

/** Runs a command that must succeed with --json output, and returns that output parsed. */
async function json<T = Record<string, unknown>>(args: string[], env?: Record<string, string>): Promise<T> {
  const r = await assay([...args, '--json'], env)
  if (r.code !== 0) throw new Error(`assay ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`)
  return JSON.parse(r.stdout) as T
}

/** A project with the fixture items and judge "J" on Overall (the fake model at the server). */
async function projectWithJudge(items: FixtureItem[]): Promise<void> {
  judgeProject(project, items).db.close()
  await json([
    'judge',
    'create',
    project,
    '--criterion',
    'Overall',
    '--name',
    'J',
    '--base-url',
    server!.baseUrl,
    '--model',
    'fake-judge',
  ])
}

/** Reads the project file (read-only) after the CLI is done with it. */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(project, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  )
}

describe('assay judge run', () => {
  it('a SIGKILLed run resumes without calling a committed item again, one verdict per item, a sound file', async () => {
    server = await startLlmServer({ latencyMs: 100 })
    const items: FixtureItem[] = Array.from({ length: 60 }, (_, i) => {
      const id = `k-${String(i).padStart(2, '0')}`
      const fail = i % 3 === 0
      return { id, input: `question <${id}>${fail ? ' [[fail]]' : ''}`, label: fail ? 'fail' : 'pass', split: 'dev' }
    })
    await projectWithJudge(items)
    const itemOf = (prompt: string) => /question <(k-\d\d)>/.exec(prompt)?.[1]
    const args = ['judge', 'run', project, '--judge', 'J', '--scope', 'dev', '--concurrency', '4', '--json']

    const first = start(args)
    await vi.waitFor(() => expect(server!.calls.length).toBeGreaterThanOrEqual(20), { timeout: 30_000, interval: 2 })
    first.child.kill('SIGKILL')
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL', stdout: '' })

    const committed = query<{ external_id: string; run_id: number }>(
      'SELECT i.external_id, v.run_id FROM verdicts v JOIN items i ON i.id = v.item_id',
    )
    const before = new Set(committed.map((r) => r.external_id))
    expect(before.size).toBeGreaterThanOrEqual(10)
    expect(before.size).toBeLessThan(60)
    expect(new Set(committed.map((r) => r.run_id)).size).toBe(1)
    const runId = committed[0].run_id

    const summary = await json(args.slice(0, -1))
    expect(summary).toMatchObject({
      run: runId,
      version: 1,
      scope: 'dev',
      resumed: true,
      status: 'done',
      total: 60,
      done: 60,
      pass: 40,
      fail: 20,
      error: 0,
      cached: 0,
    })

    // An item committed before the kill was called once in all: by the killed run, never again.
    const callsPer = new Map<string, number>()
    for (const c of server.calls) callsPer.set(itemOf(c.prompt)!, (callsPer.get(itemOf(c.prompt)!) ?? 0) + 1)
    expect(callsPer.size).toBe(60)
    for (const id of before) expect([id, callsPer.get(id)]).toEqual([id, 1])
    // Only the calls in flight at the kill (4 at most) and answers not yet committed (a worker
    // makes its next call while its last answer commits: 4 more at most) were made twice.
    expect(server.calls.length).toBeLessThanOrEqual(60 + 2 * 4)
    expect(
      query('SELECT count(*) AS n, count(DISTINCT item_id) AS items FROM verdicts WHERE run_id = ?', runId),
    ).toEqual([{ n: 60, items: 60 }])
    expect(query('SELECT count(*) AS n FROM verdicts')).toEqual([{ n: 60 }])
    // Each verdict is the one the server gave for the item.
    const verdicts = query<{ external_id: string; verdict: string }>(
      'SELECT i.external_id, v.verdict FROM verdicts v JOIN items i ON i.id = v.item_id ORDER BY i.external_id',
    )
    expect(verdicts).toEqual(items.map((it) => ({ external_id: it.id, verdict: it.label })))
    expect(query('SELECT status FROM runs')).toEqual([{ status: 'done' }])
    expect(query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
  }, 60_000)

  it('the API key reaches the endpoint and no byte of the project, exports, settings, API answers or output, even echoed back', async () => {
    server = await startLlmServer()
    const key = `sk-assay-test-${randomBytes(16).toString('hex')}`
    await projectWithJudge([
      { id: 'd-1', input: 'first dev question', label: 'pass', split: 'dev' },
      { id: 'd-2', input: 'second dev question [[fail]]', label: 'fail', split: 'dev' },
      { id: 'd-3', input: 'third dev question [[malformed]]', label: 'pass', split: 'dev' },
      {
        id: 'd-4',
        input: 'fourth dev question, to an endpoint that echoes the key [[echo-key]]',
        label: 'pass',
        split: 'dev',
      },
      { id: 'u-1', input: 'an unlabeled question' },
      { id: 'u-2', input: 'another unlabeled question [[fail]]' },
      { id: 'u-3', input: 'an unlabeled question, echoed back in a batch [[echo-key]]' },
    ])

    // From the environment, to an endpoint named on the command line (no profile of the user's calls it).
    const run = await json(
      ['judge', 'run', project, '--judge', 'J', '--scope', 'dev', '--base-url', server.baseUrl, '--progress'],
      { OPENAI_API_KEY: key },
    )
    expect(run).toMatchObject({ status: 'done', done: 4, pass: 2, fail: 1, error: 1 })
    expect(server.calls.map((c) => c.authorization)).toEqual([
      `Bearer ${key}`,
      `Bearer ${key}`,
      `Bearer ${key}`,
      `Bearer ${key}`,
    ])

    // Saved through `assay serve` as the renderer does: a 0600 key file, never settings.json or an answer.
    const serve = start(['serve', project, '--port', '0', '--json'], { OPENAI_API_KEY: '' })
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: serve.child.stdout }).once('line', resolve)
        serve.exited.then((e) => reject(new Error(`serve exited ${e.code}: ${e.stderr}`)), reject)
      })
      const { port, token } = JSON.parse(first) as { port: number; token: string }
      const call = async (method: string, input: unknown) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        })
        return res.text()
      }
      const profile = { id: 'local', name: 'Local', baseUrl: server.baseUrl, model: 'fake-judge' }
      expect(JSON.parse(await call('profiles.save', { profile, apiKey: key }))).toEqual({ ok: true, value: null })
      const listed = await call('profiles.list', {})
      printed.push(listed)
      expect(JSON.parse(listed)).toMatchObject({ ok: true, value: { profiles: [{ ...profile, hasKey: true }] } })
    } finally {
      serve.child.kill('SIGTERM')
    }
    expect(await serve.exited).toMatchObject({ code: 0 })
    const keyFile = join(home, 'keys', 'local')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key)
    expect(readFileSync(join(home, 'settings.json'), 'utf8')).toContain('"local"')

    // The CLI reads the saved key for that profile, with nothing in the environment; through the Batch API.
    const byProfile = await json(
      [
        'judge',
        'run',
        project,
        '--judge',
        'J',
        '--profile',
        'local',
        '--scope',
        'unlabeled',
        '--batch',
        '--poll-seconds',
        '0.02',
      ],
      { OPENAI_API_KEY: '' },
    )
    expect(byProfile).toMatchObject({ version: 2, mode: 'batch', status: 'done', done: 3, pass: 2, fail: 1 })
    expect(server.calls.slice(4).map((c) => c.authorization)).toEqual([
      `Bearer ${key}`,
      `Bearer ${key}`,
      `Bearer ${key}`,
    ])

    // The endpoint echoed the key in two answers (one online, one in the batch's output file): kept, masked.
    const echoed =
      "SELECT count(*) AS n FROM verdicts WHERE critique LIKE '%\"Bearer ***\"%' AND raw LIKE '%Bearer ***%'"
    expect(query(echoed)).toEqual([{ n: 2 }])
    expect(query("SELECT count(*) AS n FROM llm_cache WHERE response_json LIKE '%Bearer ***%'")).toEqual([{ n: 2 }])

    // Exports and logs.
    const exports = [
      await assay(['export', project, '--format', 'csv']),
      await assay(['export', project, '--format', 'jsonl']),
      await assay(['export', project, '--history']),
      await assay(['export', project, '--format', 'jsonl', '--out', tmp.file('export.jsonl')]),
      await assay(['judge', 'list', project]),
    ]
    expect(exports.map((e) => e.code)).toEqual([0, 0, 0, 0, 0])
    expect(exports[1].stdout).toContain('meets the criterion') // the exports hold the verdicts
    expect(exports[1].stdout).toContain('You called me with \\"Bearer ***\\"') // the echoed critiques, masked
    expect(readFileSync(tmp.file('export.jsonl'), 'utf8')).toContain('fails the criterion')

    // No byte anywhere but the key file: the project (and -wal/-shm if left), ASSAY_HOME, exports, output.
    const needle = Buffer.from(key)
    const files = filesUnder(tmp.dir).filter((f) => f !== keyFile)
    expect(files.map((f) => relative(tmp.dir, f))).toEqual(
      expect.arrayContaining(['p.assay', 'export.jsonl', join('home', 'settings.json')]),
    )
    const projectBytes = readFileSync(project)
    expect(projectBytes.includes(Buffer.from(server.baseUrl))).toBe(true) // the search does find what is there
    for (const f of files)
      expect([relative(tmp.dir, f), readFileSync(f).includes(needle)]).toEqual([relative(tmp.dir, f), false])
    for (const f of ['-wal', '-shm'])
      if (existsSync(project + f)) expect(readFileSync(project + f).includes(needle)).toBe(false)
    expect(printed.length).toBeGreaterThanOrEqual(2 * 9)
    for (const text of printed) expect(text.includes(key)).toBe(false)
  }, 60_000)

  it('locks the test split: --scope test needs --confirm-test, and a confirmed run counts once', async () => {
    server = await startLlmServer()
    await projectWithJudge(
      Array.from({ length: 12 }, (_, i) => ({
        id: `s-${i}`,
        input: `split question ${i}${i % 4 === 0 ? ' [[fail]]' : ''}`,
        label: i % 4 === 0 ? 'fail' : 'pass',
        split: i < 6 ? 'dev' : 'test',
      })),
    )
    for (const scope of ['test', 'all']) {
      const refused = await assay(['judge', 'run', project, '--judge', 'J', '--scope', scope])
      expect([refused.code, refused.stdout]).toEqual([1, ''])
      expect(refused.stderr).toMatch(/test items/)
      expect(refused.stderr).toContain('--confirm-test')
    }
    expect(query('SELECT count(*) AS n FROM runs')).toEqual([{ n: 0 }])
    expect(query('SELECT test_evaluations FROM judge_versions')).toEqual([{ test_evaluations: 0 }])
    expect(server.calls).toHaveLength(0)

    const run = await json(['judge', 'run', project, '--judge', 'J', '--scope', 'test', '--confirm-test'])
    expect(run).toMatchObject({ version: 1, scope: 'test', status: 'done', resumed: false, total: 6, pass: 5, fail: 1 })
    expect(query('SELECT test_evaluations FROM judge_versions')).toEqual([{ test_evaluations: 1 }])
    expect(server.calls).toHaveLength(6)
  }, 60_000)

  it('--model on a run saves a new version and sends that model', async () => {
    server = await startLlmServer()
    await projectWithJudge(
      Array.from({ length: 4 }, (_, i) => ({
        id: `m-${i}`,
        input: `model question ${i}`,
        label: 'pass',
        split: 'dev',
      })),
    )
    const run = await json(['judge', 'run', project, '--judge', 'J', '--scope', 'dev', '--model', 'other-model'])
    expect(run).toMatchObject({ version: 2, status: 'done', done: 4, pass: 4 })
    expect(await json(['judge', 'list', project])).toEqual([
      expect.objectContaining({ name: 'J', criterion: 'Overall', versions: 2, latest: 2 }),
    ])
    expect(server.calls.map((c) => c.body.model)).toEqual(['other-model', 'other-model', 'other-model', 'other-model'])
    const models = query<{ version: number; model_json: string }>(
      'SELECT version, model_json FROM judge_versions ORDER BY version',
    )
    expect(models.map((v) => [v.version, JSON.parse(v.model_json).model, JSON.parse(v.model_json).baseUrl])).toEqual([
      [1, 'fake-judge', server.baseUrl],
      [2, 'other-model', server.baseUrl],
    ])
    // The same model again is the same version: nothing new is recorded, and the answers come from the cache.
    expect(
      await json(['judge', 'run', project, '--judge', 'J', '--scope', 'dev', '--model', 'other-model', '--new']),
    ).toMatchObject({ version: 2, done: 4, cached: 4 })
    expect(await json(['judge', 'list', project])).toEqual([expect.objectContaining({ versions: 2 })])
    expect(server.calls).toHaveLength(4)
  }, 60_000)

  it('--batch: one upload, Ctrl+C stops the waiting, the same command again collects the same batch', async () => {
    const options = { batch: { polls: 1_000_000 } } // the batch stays "in progress" until the test says otherwise
    server = await startLlmServer(options)
    await projectWithJudge(
      Array.from({ length: 4 }, (_, i) => ({
        id: `b-${i}`,
        input: `batch question ${i}${i === 3 ? ' [[fail]]' : ''}`,
        label: 'pass',
        split: 'dev',
      })),
    )
    const args = [
      'judge',
      'run',
      project,
      '--judge',
      'J',
      '--scope',
      'dev',
      '--batch',
      '--poll-seconds',
      '0.02',
      '--json',
    ]
    const first = start(args)
    await expect.poll(() => server!.calls.length).toBe(4) // the batch is up, every item in it
    first.child.kill('SIGINT')
    const stopped = await first.exited
    expect(stopped.code).toBe(1)
    expect(JSON.parse(stopped.stdout)).toMatchObject({
      mode: 'batch',
      batchId: 'batch_1',
      status: 'cancelled',
      done: 0,
    })

    options.batch.polls = 1
    const collected = await json(args.slice(0, -1))
    expect(collected).toMatchObject({
      mode: 'batch',
      batchId: null,
      resumed: true,
      status: 'done',
      done: 4,
      pass: 3,
      fail: 1,
      error: 0,
    })
    expect(server.calls).toHaveLength(4) // no second batch, no item asked twice
    expect(collected.tokensIn).toBeGreaterThan(0)
  }, 60_000)

  it('imports verdicts made outside the app as a run of an external judge version, errors kept apart', async () => {
    judgeProject(project, [
      { id: 'a', input: 'q a', label: 'pass', split: 'dev' },
      { id: 'b', input: 'q b', label: 'fail', split: 'dev' },
      { id: 'c', input: 'q c', label: 'pass', split: 'dev' },
    ]).db.close()
    const file = tmp.file('outside.csv')
    writeFileSync(
      file,
      'trace_id,verdict,critique\na,PASS,fine\nb,pass,missed the problem\nc,UNKNOWN,model refused\nzzz,fail,no such item\n',
    )
    const report = await json<{ imported: number; errors: unknown[] }>([
      'import',
      project,
      file,
      '--no-suggest',
      '--map',
      'id=trace_id',
      '--map',
      'verdict:Outside judge=verdict',
      '--map',
      'critique:Outside judge=critique',
    ])
    expect(report).toMatchObject({ imported: 0, matched: { count: 3 } })
    expect(JSON.stringify(report)).toContain('zzz') // an id that matches nothing is reported, not guessed
    expect(await json(['judge', 'list', project])).toEqual([
      expect.objectContaining({ name: 'Outside judge', criterion: 'Overall', versions: 1 }),
    ])
    expect(
      query(
        'SELECT r.scope, v.verdict, v.critique FROM verdicts v JOIN runs r ON r.id = v.run_id JOIN items i ON i.id = v.item_id ORDER BY i.external_id',
      ),
    ).toEqual([
      { scope: 'imported', verdict: 'pass', critique: 'fine' },
      { scope: 'imported', verdict: 'pass', critique: 'missed the problem' },
      { scope: 'imported', verdict: 'error', critique: 'model refused' },
    ])
    // Nothing to run on an external version.
    const run = await assay(['judge', 'run', project, '--judge', 'Outside judge', '--scope', 'dev'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/recorded elsewhere .* no prompt to run/)
  }, 60_000)
})
