/**
 * `assay collect` from the user's side: the built CLI as a child process on a free port, and a
 * test process instrumented with the OpenTelemetry JS SDK (test/helpers/otel-client.mjs) sending
 * through the OTLP/HTTP exporters (JSON with gzip, and protobuf). Spans follow OpenInference
 * (input.value, llm.input_messages.N.message.*) and the OpenTelemetry GenAI semantic conventions
 * (gen_ai.input.messages / gen_ai.output.messages, as of semconv 1.37).
 */
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openContext } from '../../electron/core/context'
import { collect } from '../../electron/cli/collect'
import type { CliIo } from '../../electron/cli/command'
import { startReceiver } from '../../electron/core/collect/receiver'
import type { BatchResult } from '../../electron/core/collect/store'
import { detectFormat } from '../../electron/core/import/detect'
import { suggestMapping } from '../../electron/core/import/mapping/suggest'
import { runImport } from '../../electron/core/import/run'
import { repoRoot, tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'
import type { AnyEvent } from '../../shared/contract'
import type { Services } from '../../electron/core/services'

const bin = join(repoRoot, 'bin/assay.mjs')
const client = join(repoRoot, 'test/helpers/otel-client.mjs')

interface LogLine {
  ok: boolean
  spans: [string, string][]
  traces: { n: number; traceId: string }[]
}

let tmp: ReturnType<typeof tempDir>
const children: ChildProcess[] = []
beforeEach(() => (tmp = tempDir('assay-collect-')))
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  tmp.cleanup()
})

/** `assay collect PROJECT --port 0 --json` as a child; resolves once it listens, with its endpoint and its events. */
async function collector(project: string) {
  const child = spawn(process.execPath, [bin, 'collect', project, '--port', '0', '--json'], { cwd: tmp.dir })
  children.push(child)
  const events: Record<string, unknown>[] = []
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: child.stdout })
  const endpoint = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>
      events.push(event)
      if (event.event === 'listening') resolve(String(event.url))
    })
    child.once('exit', (code) => reject(new Error(`collect exited ${code}: ${stderr}`)))
  })
  return { child, endpoint, events }
}

/** Runs the instrumented test process to its end (batch mode). */
function sendTraces(options: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [client, JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client exited ${code}: ${stderr}`))))
  })
}

/** The client's log lines written so far: only whole lines (the client may be writing the last one). */
const readLog = (path: string): LogLine[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .slice(0, -1)
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as LogLine)
    : []

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

interface ItemRow {
  id: number
  external_id: string
  kind: string
  input: string
  output: string
  messages_json: string
  metadata_json: string
}

/** Every item with its steps, by external id: what a user sees of the project. */
function itemsOf(path: string) {
  const db = new Database(path, { readonly: true })
  const items = db.prepare('SELECT * FROM items ORDER BY external_id').all() as ItemRow[]
  const steps = db.prepare<[number], { name: string; input: string; output: string; metadata_json: string }>(
    'SELECT name, input, output, metadata_json FROM steps WHERE item_id = ? ORDER BY idx',
  )
  const out = items.map((i) => ({
    externalId: i.external_id,
    kind: i.kind,
    input: i.input,
    output: i.output,
    messages: JSON.parse(i.messages_json) as unknown,
    metadata: JSON.parse(i.metadata_json) as unknown,
    steps: steps.all(i.id),
  }))
  db.close()
  return out
}

describe('assay collect', () => {
  it('holds exactly the traces an instrumented app sent, as importing the same spans from a file gives them', async () => {
    const project = tmp.file('live.assay')
    const { child, endpoint, events } = await collector(project)
    const log = tmp.file('log.jsonl')
    const requests = tmp.file('requests.jsonl')
    await sendTraces({ url: endpoint, protocol: 'json', gzip: true, traces: 5, firstTrace: 0, log, requests })
    await sendTraces({ url: endpoint, protocol: 'protobuf', traces: 6, firstTrace: 100, log, requests })
    const sent = readLog(log)
    expect(sent.every((l) => l.ok)).toBe(true)
    await until(() => events.filter((e) => e.event === 'batch').length === sent.length, 'a batch event per request')
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))

    const traceIds = new Map(sent.flatMap((l) => l.traces.map((t) => [t.traceId, t.n] as const)))
    const items = itemsOf(project)
    expect(items).toHaveLength(11)
    expect(new Set(items.map((i) => i.externalId))).toEqual(new Set(traceIds.keys()))
    for (const item of items) {
      const n = traceIds.get(item.externalId)!
      expect(item.input).toBe(`question ${n}`)
      expect(item.output).toBe(`answer ${n}`)
      expect(item.steps.map((s) => s.name)).toEqual(
        n % 2 === 0 ? ['retrieve', 'llm'] : ['execute_tool search', 'chat gpt-4o'],
      )
      expect(item.metadata).toMatchObject({ spanCount: 3, 'resource.service.name': 'recipe-bot' })
      expect(item.metadata).not.toHaveProperty('importNotes') // every root arrived: no orphans left
    }
    // The roots came a request after their children: each trace was grouped again when its root came.
    const batches = events.filter((e) => e.event === 'batch')
    expect(batches.reduce((s, b) => s + (b.grownTraces as string[]).length, 0)).toBe(11)
    expect(batches.reduce((s, b) => s + Number(b.spans), 0)).toBe(33)

    // The same requests, saved as an OTLP JSON file and imported: the same items and steps.
    const imported = tmp.file('imported.assay')
    openContext(imported, { mode: 'create' }).close()
    const detected = await detectFormat(requests)
    const report = await runImport(imported, {
      file: requests,
      format: detected.format,
      mapping: suggestMapping(detected),
      onError: 'abort',
      duplicates: 'abort',
    })
    expect(report.committed).toBe(true)
    expect(itemsOf(imported)).toEqual(items)
  }, 60_000)

  it('a SIGKILL mid-stream leaves a sound file holding every acknowledged request', async () => {
    const project = tmp.file('killed.assay')
    const { child, endpoint } = await collector(project)
    const log = tmp.file('log.jsonl')
    const sender = spawn(
      process.execPath,
      [client, JSON.stringify({ url: endpoint, protocol: 'protobuf', stream: true, log, timeoutMillis: 1000 })],
      { stdio: 'ignore' },
    )
    children.push(sender)
    await until(() => readLog(log).filter((l) => l.ok).length >= 30, '30 acknowledged exports')
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    const acknowledged = readLog(log).filter((l) => l.ok).length
    // The client keeps sending to the dead receiver: those exports fail, and are not counted as sent.
    await until(
      () =>
        readLog(log)
          .slice(acknowledged)
          .filter((l) => !l.ok).length >= 2,
      'failed exports after the kill',
    )
    sender.kill('SIGKILL')
    await new Promise((r) => sender.once('exit', r))

    const sent = readLog(log)
    const acked = sent.filter((l) => l.ok)
    expect(sent.length).toBeGreaterThan(acked.length)
    const db = new Database(project, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const stored = new Set(
      (db.prepare('SELECT trace_id || span_id AS k FROM collected_spans').pluck().all() as string[]).map(String),
    )
    for (const l of acked) for (const [traceId, spanId] of l.spans) expect(stored.has(traceId + spanId)).toBe(true)
    const items = new Set(db.prepare('SELECT external_id FROM items').pluck().all() as string[])
    for (const l of acked) for (const t of l.traces) expect(items.has(t.traceId)).toBe(true)
    // Nothing but whole requests: at most the one in flight went further than its acknowledgement.
    expect(stored.size - acked.reduce((s, l) => s + l.spans.length, 0)).toBeLessThanOrEqual(3)
    db.close()
  }, 60_000)
})

/** One raw request to an in-process receiver. */
function post(port: number, body: Buffer | string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers, agent: false },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('the receiver refuses what it cannot store exactly', () => {
  it('says why, answers the status an exporter acts on, and stores nothing of a refused request', async () => {
    const project = tmp.file('p.assay')
    openContext(project, { mode: 'create' }).close()
    const refused: number[] = []
    const batches: BatchResult[] = []
    const receiver = await startReceiver({
      projectPath: project,
      port: 0,
      host: '127.0.0.1',
      onRefused: (s) => refused.push(s),
      onBatch: (b) => batches.push(b),
    })
    try {
      const json = { 'content-type': 'application/json' }
      const span = (traceId: string, spanId: string) => ({ traceId, spanId, name: 's', parentSpanId: '' })
      const body = (spans: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] })

      const noSpanId = await post(receiver.port, body([span('aa', '01'), span('aa', '')]), json)
      expect(noSpanId.status).toBe(400)
      expect(JSON.parse(noSpanId.body)).toMatchObject({ code: 3, message: expect.stringContaining('Span 2') })
      expect((await post(receiver.port, '{"resourceSpans": [', json)).status).toBe(400)
      expect((await post(receiver.port, body([span('aa', '01')]), { 'content-type': 'text/plain' })).status).toBe(415)
      const proto = { 'content-type': 'application/x-protobuf' }
      expect((await post(receiver.port, Buffer.from([0x0a, 0x05, 0x01]), proto)).status).toBe(400)
      const foreignHost = await post(receiver.port, body([span('aa', '01')]), { ...json, host: 'evil.example:80' })
      expect(foreignHost.status).toBe(403)
      const notGzip = await post(receiver.port, body([span('aa', '01')]), { ...json, 'content-encoding': 'gzip' })
      expect(notGzip.status).toBe(400)
      expect((await post(receiver.port, body([span('aa', '01')]), { ...json, 'content-encoding': 'br' })).status).toBe(
        415,
      )
      expect(refused).toEqual([400, 400, 415, 400, 403, 400, 415])

      const db = new Database(project, { readonly: true })
      expect(db.prepare('SELECT count(*) FROM collected_spans').pluck().get()).toBe(0)
      db.close()

      // A span with nothing to review is kept, and its trace becomes an item when its content comes.
      expect(await post(receiver.port, body([span('aa', '01')]), json)).toEqual({ status: 200, body: '{}' })
      expect(batches.at(-1)).toMatchObject({ spans: 1, newTraces: [], heldBack: [{ traceId: 'aa' }] })
      const child = {
        ...span('aa', '02'),
        parentSpanId: '01',
        attributes: [{ key: 'input.value', value: { stringValue: 'hi' } }],
      }
      // Sent twice, as an exporter retrying a request whose answer it lost: stored once.
      for (let i = 0; i < 2; i++) expect((await post(receiver.port, body([child]), json)).status).toBe(200)
      expect(batches.slice(-2)).toMatchObject([
        { spans: 1, newTraces: ['aa'], heldBack: [] },
        { spans: 0, repeated: 1, newTraces: [], grownTraces: [] },
      ])
      expect((await post(receiver.port, '{}', json)).status).toBe(200)
      const after = new Database(project, { readonly: true })
      expect(after.prepare('SELECT count(*) FROM collected_spans').pluck().get()).toBe(2)
      expect(after.prepare('SELECT external_id, kind FROM items').all()).toEqual([
        { external_id: 'aa', kind: 'pipeline' },
      ])
      after.close()
    } finally {
      await receiver.close()
    }
  })
})

describe('Data → Receive traces (the app)', () => {
  it('receives into the open project, pushes each batch, and stops when the project closes', async () => {
    const events: AnyEvent[] = []
    let services: Services | null = null
    services = testServices(tmp.file('home'), { emit: (e) => events.push(e) })
    const call = contractCaller(() => services)
    await call('project.create', { path: tmp.file('app.assay') })
    expect(await call('collect.status', {})).toEqual({ running: false, endpoint: null, traces: 0, spans: 0 })
    const started = await call('collect.start', { port: 0 })
    expect(started.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const port = Number(new URL(started.endpoint!).port)
    const attrs = [{ key: 'input.value', value: { stringValue: 'hi' } }]
    const spans = [{ traceId: 'ab', spanId: '01', name: 'agent', attributes: attrs }]
    const sent = await post(port, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), {
      'content-type': 'application/json',
    })
    expect(sent.status).toBe(200)
    expect(events.filter((e) => e.name === 'collect.batch').map((e) => e.payload)).toEqual([
      { newTraces: 1, grownTraces: 0, spans: 1, heldBack: 0, total: 1 },
    ])
    expect((await call('items.list', { offset: 0, limit: 10 })).rows.map((r) => r.externalId)).toEqual(['ab'])
    expect(await call('collect.status', {})).toMatchObject({ running: true, traces: 1, spans: 1 })
    await call('project.close', {})
    expect(await call('collect.status', {})).toMatchObject({ running: false })
    // Stopped: nothing listens on its port any more.
    await expect(post(port, '{}', { 'content-type': 'application/json' })).rejects.toThrow(/ECONNREFUSED/)
    services.close()
  })
})

describe('assay collect, in-process', () => {
  it('warns when bound beyond loopback, and says so when the port is taken', async () => {
    let stdout = ''
    let stderr = ''
    const io: CliIo = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      readStdin: () => Promise.resolve(''),
      cwd: tmp.dir,
      env: {},
    }
    const { receiver } = await collect(['p.assay', '--port', '0', '--host', '0.0.0.0'], io)
    try {
      expect(stderr).toMatch(/^Warning: --host 0\.0\.0\.0 makes the receiver reachable from other machines/)
      expect(stdout).toContain(`Set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${receiver.port}`)
      expect(stdout).toContain('at most the request in flight is lost')
      await expect(collect(['p.assay', '--port', String(receiver.port)], io)).rejects.toThrow(
        `Port ${receiver.port} is in use`,
      )
    } finally {
      await receiver.close()
    }
  })
})
