/**
 * `assay bench` rows for judge runs (DESIGN §6, issue 21): against a local OpenAI-compatible
 * server with a fixed latency, a run through the real `openai` client must reach ≥ 97% of
 * concurrency ÷ latency at 8 in flight and ≥ 92% at 32 (128 is reported; every verdict committed
 * to a real project file); a repeated run is answered by the cache and makes no call. The server
 * is `assay fake-llm` in its own process, as a local model server would be, so its work does not
 * share this process's event loop; it answers `LATENCY_MS` after each request arrives. Each
 * concurrency runs over its own project of `ROUNDS` calls per worker, so no run ends on a partial
 * round of calls.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openContext, type EvaluationContext } from '../core/context'
import { createJudge } from '../core/judge/judges'
import { executeRun } from '../core/judge/execute'
import { createRun } from '../core/judge/runs'
import { openaiClient } from '../core/judge/llm'
import type { BenchRow, BenchSuite } from './types'

const LATENCY_MS = 50
/** Calls per worker in a run: a run at concurrency c judges c × ROUNDS items. */
const ROUNDS = 60
/** The share of concurrency ÷ latency each concurrency must reach (issue 21); 128 is reported only. */
const TARGETS: Record<number, number | undefined> = { 8: 97, 32: 92 }

/**
 * Judge runs at concurrency 8, 32 and 128, each over a fresh project, and the run at 8 again from
 * the cache. A short run first warms both processes up (JIT, connections), as the first minute
 * of a long run would, so the rows measure a run's steady pace.
 */
export const judgeBench: BenchSuite = async ({ quick, log }) => {
  const rows: BenchRow[] = []
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-judge-'))
  const server = await fakeLlm(LATENCY_MS)
  try {
    const client = openaiClient(server.baseUrl, 'bench')
    const runOver = async (
      name: string,
      items: number,
      concurrency: number,
      timed: (run: () => Promise<Run>) => Promise<void>,
    ) => {
      const d = openContext(join(dir, `${name}.assay`), { mode: 'create' })
      try {
        const criterionId = addBenchItems(d, items)
        const judge = createJudge(d, { criterionId, name: 'bench', model: benchModel(server.baseUrl), params: {} })
        const versionId = d.repos.judges.versions(judge.id)[0].id
        await timed(() =>
          executeRun(d, createRun(d, { versionId, scope: 'unlabeled', confirmTest: false, concurrency }), {
            client,
            signal: new AbortController().signal,
            concurrency,
          }),
        )
      } finally {
        d.db.close()
      }
    }
    await runOver('warm-up', 8 * 20, 8, async (run) => {
      await run()
    })
    for (const concurrency of [8, 32, 128])
      await runOver(`bench-${concurrency}`, concurrency * (quick ? 10 : ROUNDS), concurrency, async (run) => {
        const timed = await timedRun(run, concurrency, server.cpuMs, log)
        const bare = await bareShare(server.baseUrl, concurrency, concurrency * (quick ? 10 : ROUNDS))
        rows.push(...timed.rows, {
          name: `  bare node:http client, same server (${concurrency})`,
          value: bare,
          unit: '%',
          note: `the machine's ceiling now; the judge run reached ${((100 * timed.share) / bare).toFixed(1)} % of it`,
        })
        if (concurrency === 8) rows.push(await cachedRun(run))
      })
  } finally {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

/** Writes `items` small text items and Overall; returns Overall's id. */
function addBenchItems(d: EvaluationContext, items: number): number {
  const { db, repos } = d
  const at = new Date().toISOString()
  return db.transaction(() => {
    const dataset = repos.project.addDataset({ name: 'bench', sourcePath: null, format: 'jsonl', synthetic: true }, at)
    for (let i = 0; i < items; i++)
      repos.items.insert(
        {
          datasetId: dataset,
          externalId: `b-${i}`,
          kind: 'text',
          input: `Question ${i}: what is ${i} times ${i + 1}?`,
          output: `It is ${i * (i + 1)}.`,
          messages: [],
          metadata: {},
          steps: [],
        },
        at,
      )
    return repos.project.defineOverall('The answer is correct.', at)
  })()
}

/** The model profile of the fake server: free, with structured outputs. */
const benchModel = (baseUrl: string) => ({
  id: 'bench',
  name: 'bench',
  provider: 'local',
  baseUrl,
  model: 'fake-judge',
  pricePerMInput: 0,
  pricePerMOutput: 0,
  structuredOutputs: true,
  timeoutMs: 30_000,
  apiKeyEnv: '',
})

type Run = Awaited<ReturnType<typeof executeRun>>

/** One run, timed: verdicts per second, and their share of the ideal concurrency ÷ latency. */
async function timedRun(
  run: () => Promise<Run>,
  concurrency: number,
  serverCpuMs: () => number | null,
  log: (line: string) => void,
) {
  const t = performance.now()
  const cpu = process.cpuUsage()
  const serverCpu = serverCpuMs()
  const done = await run()
  const seconds = (performance.now() - t) / 1000
  const { user, system } = process.cpuUsage(cpu)
  const serverAfter = serverCpuMs()
  const calls = Math.max(1, done.done - done.cached)
  const ideal = concurrency / (LATENCY_MS / 1000)
  const perSecond = done.done / seconds
  const target = TARGETS[concurrency]
  log(
    `judge: ${done.done} verdicts (${done.errors} errors) at concurrency ${concurrency} in ${seconds.toFixed(2)} s (${done.done - done.cached} calls)`,
  )
  const share = (100 * perSecond) / ideal
  const rows: BenchRow[] = [
    {
      name: `judge run, concurrency ${concurrency}, ${LATENCY_MS} ms latency`,
      value: perSecond,
      unit: 'rows/s',
      note: `${done.done} items; ideal ${ideal} /s`,
    },
    {
      name: `  share of concurrency ÷ latency (${concurrency})`,
      value: share,
      unit: '%',
      ...(target === undefined ? {} : { target: { value: target, better: 'higher' as const } }),
    },
    {
      // What the ceiling depends on: this process's CPU per answer (the loop does everything but wait).
      name: `  CPU per call in this process (${concurrency})`,
      value: (user + system) / 1000 / calls,
      unit: 'ms',
      ...(serverCpu === null || serverAfter === null
        ? {}
        : { note: `fake-llm: ${((serverAfter - serverCpu) / calls).toFixed(2)} ms per call` }),
    },
  ]
  return { rows, share }
}

/**
 * The machine's ceiling at the moment: a bare node:http client (keep-alive, no SDK, no project
 * file) making `calls` requests of a judge call's size to the same server at the same
 * concurrency. On a busy machine neither reaches concurrency ÷ latency; the judge run's share of
 * this one's pace says what the run itself costs.
 */
async function bareShare(baseUrl: string, concurrency: number, calls: number): Promise<number> {
  const agent = new Agent({ keepAlive: true })
  const body = JSON.stringify({
    model: 'fake-judge',
    messages: [{ role: 'user', content: 'A judge prompt. '.repeat(100) }],
  })
  const url = new URL(`${baseUrl}/chat/completions`)
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
      req.on('error', reject)
      req.end(body)
    })
  let left = calls
  const t = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call()
    }),
  )
  const perSecond = calls / ((performance.now() - t) / 1000)
  agent.destroy()
  return (100 * perSecond) / (concurrency / (LATENCY_MS / 1000))
}

/** The same run again: every verdict from the cache, no call. */
async function cachedRun(run: () => Promise<Run>): Promise<BenchRow> {
  const t2 = performance.now()
  const again = await run()
  return {
    name: 'same run again, from the cache',
    value: performance.now() - t2,
    unit: 'ms',
    note: `${again.cached} of ${again.done} cached, ${again.done - again.cached} calls`,
  }
}

/**
 * Starts `assay fake-llm` in a child process (this CLI's own bin) and waits for its address.
 * `cpuMs` reads the server's CPU time so far (Linux's /proc, in clock ticks of 10 ms), or null.
 */
async function fakeLlm(latencyMs: number): Promise<{ baseUrl: string; close: () => void; cpuMs: () => number | null }> {
  const bin = process.argv[1]
  if (!bin) throw new Error('the judge bench runs from the assay CLI (`assay bench --only judge`).')
  const child = spawn(process.execPath, [bin, 'fake-llm', '--latency', String(latencyMs), '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`assay fake-llm exited with ${code} before it printed its address`)))
  })
  return {
    baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl,
    close: () => void child.kill('SIGTERM'),
    cpuMs: () => {
      try {
        // Fields 14 and 15 (utime, stime) follow the command name in parentheses.
        const stat = readFileSync(`/proc/${child.pid ?? 0}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return (Number(fields[11]) + Number(fields[12])) * 10
      } catch {
        return null
      }
    },
  }
}
