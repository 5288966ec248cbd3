/**
 * Judges through the real `openai` client against a local OpenAI-compatible server with faults
 * injected (429 with retry-after, 500, a hang past the timeout, a refused connection, malformed
 * JSON, a missing verdict): every item ends as pass, fail or error with a reason, none is lost or
 * counted twice, cancelled runs resume without repeating finished calls, cached requests make no
 * call. Also splits, leakage, the test lock and versions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { openaiClient } from '../../electron/core/judge/llm'
import { createJudge, judgeDetail, saveVersion, verdictsOf, versionDiff } from '../../electron/core/judge/judges'
import { executeRun } from '../../electron/core/judge/execute'
import { createRun, estimateRun } from '../../electron/core/judge/runs'
import { assignSplits, setSplitRatios } from '../../electron/core/judge/splits'
import { judgeProject, localModel, type FixtureItem } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'

const FAST_RETRY = { retries: 3, baseMs: 10, maxMs: 2000 }
const model = localModel

describe('judge runs against a local OpenAI-compatible server', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: LlmServer
  beforeEach(async () => {
    tmp = tempDir()
    server = await startLlmServer()
  })
  afterEach(async () => {
    await server.close()
    tmp.cleanup()
  })

  const FAULTS: FixtureItem[] = (
    [
      { id: 'ok-1', input: 'plain question one', label: 'pass' },
      { id: 'ok-2', input: 'plain question two', label: 'pass' },
      { id: 'fail-1', input: 'bad answer [[fail]]', label: 'fail' },
      { id: 'r429', input: 'rate limited [[429x2]]', label: 'pass' },
      { id: 'r429s', input: 'rate limited in seconds [[429sx1]]', label: 'pass' },
      { id: 'r500', input: 'flaky server [[500x2]]', label: 'pass' },
      { id: 'dead500', input: 'broken server [[500x99]]', label: 'pass' },
      { id: 'hang', input: 'slow server [[hangx1]]', label: 'fail' },
      { id: 'bad', input: 'chatty judge [[malformed]]', label: 'fail' },
      { id: 'nov', input: 'judge forgets the verdict [[noverdict]]', label: 'fail' },
    ] as const
  ).map((x) => ({ ...x, split: 'dev' as const }))

  it('every item ends as pass, fail or error with a reason; retries honour retry-after; the cache saves every repeated call', async () => {
    const d = judgeProject(tmp.file('p.assay'), FAULTS)
    const judge = createJudge(d, {
      criterionId: d.criterionId,
      name: 'J',
      model: model(server.baseUrl),
      params: { temperature: 0 },
    })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4 })
    const client = openaiClient(server.baseUrl, 'sk-local')
    const run = await executeRun(d, runId, {
      client,
      signal: new AbortController().signal,
      concurrency: 4,
      retry: FAST_RETRY,
    })

    expect(run).toMatchObject({ status: 'done', total: 10, done: 10, pass: 6, fail: 1, errors: 3, cached: 0 })
    const byId = new Map(verdictsOf(d, versionId).map((v) => [v.externalId, v]))
    expect(byId.size).toBe(10)
    expect([...byId].map(([id, v]) => [id, v.verdict])).toEqual(
      expect.arrayContaining([
        ['ok-1', 'pass'],
        ['fail-1', 'fail'],
        ['r429', 'pass'],
        ['r429s', 'pass'],
        ['r500', 'pass'],
        ['hang', 'pass'],
        ['dead500', 'error'],
        ['bad', 'error'],
        ['nov', 'error'],
      ]),
    )
    // Calls per item: the retried ones as often as their faults demand, the others once.
    expect(server.callsWith('[[429x2]]')).toHaveLength(3)
    expect(server.callsWith('[[500x2]]')).toHaveLength(3)
    expect(server.callsWith('[[500x99]]')).toHaveLength(4)
    expect(server.callsWith('[[hangx1]]')).toHaveLength(2)
    expect(server.callsWith('plain question one')).toHaveLength(1)
    expect(byId.get('r429')!.attempts).toBe(3)
    // retry-after: 1 (seconds) was waited for.
    const [first, second] = server.callsWith('[[429sx1]]')
    expect(second.at - first.at).toBeGreaterThanOrEqual(950)
    // Reasons are kept, and the raw answer of an unparseable one.
    expect(byId.get('dead500')!.error).toMatch(/HTTP 500 from .*The server had an error.*after 4 attempts/)
    expect(byId.get('bad')!).toMatchObject({ verdict: 'error', raw: 'I think this output is fine, Pass.' })
    expect(byId.get('bad')!.error).toMatch(/not valid JSON/)
    expect(byId.get('nov')!.error).toMatch(/no verdict/)
    expect(byId.get('fail-1')!.critique).toMatch(/fails the criterion/)
    // Structured outputs were asked for, with critique before verdict.
    const format = server.calls[0].body.response_format as {
      type: string
      json_schema: { schema: { required: string[] } }
    }
    expect(format.type).toBe('json_schema')
    expect(format.json_schema.schema.required).toEqual(['critique', 'result'])
    // Tokens and cost add up from the server's usage.
    expect(run.tokensIn).toBeGreaterThan(0)
    expect(run.costUsd).toBeCloseTo((run.tokensIn * 1 + run.tokensOut * 2) / 1e6, 9)

    // A second run of the same version: every answered request comes from the cache, free.
    const before = server.calls.length
    const again = await executeRun(d, createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4 }), {
      client,
      signal: new AbortController().signal,
      concurrency: 4,
      retry: { ...FAST_RETRY, retries: 0 },
    })
    expect(again).toMatchObject({ status: 'done', done: 10, cached: 7 })
    expect(
      d.db
        .prepare(
          'SELECT sum(cost_usd) AS cost, sum(tokens_in IS NOT NULL) AS withTokens FROM verdicts WHERE run_id = ? AND cached = 1',
        )
        .get(again.id),
    ).toEqual({ cost: 0, withTokens: 7 })
    const newCalls = server.calls.slice(before)
    expect(newCalls).toHaveLength(3) // only the three errors are asked again
    expect(newCalls.every((c) => /500x99|malformed|noverdict/.test(c.prompt))).toBe(true)
    expect(estimateRun(d, { versionId, scope: 'dev' })).toMatchObject({ items: 10, cachedItems: 7, calls: 3 })
  }, 30_000)

  it('a refused connection ends every item as an error that says so', async () => {
    const d = judgeProject(tmp.file('p.assay'), FAULTS.slice(0, 3))
    const judge = createJudge(d, {
      criterionId: d.criterionId,
      name: 'J',
      model: model('http://127.0.0.1:9/v1'),
      params: {},
    })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const run = await executeRun(d, createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 2 }), {
      client: openaiClient('http://127.0.0.1:9/v1', 'x'),
      signal: new AbortController().signal,
      concurrency: 2,
      retry: { retries: 1, baseMs: 5, maxMs: 10 },
    })
    expect(run).toMatchObject({ status: 'done', total: 3, errors: 3 })
    for (const v of verdictsOf(d, versionId))
      expect(v.error).toMatch(/Could not connect to http:\/\/127\.0\.0\.1:9\/v1.*after 2 attempts/)
  })

  it('cancel during a retry backoff makes no further call; a failed write stops every call', async () => {
    const d = judgeProject(tmp.file('p.assay'), [
      { id: 'down', input: 'always failing [[500x99]]', label: 'pass', split: 'dev' },
      ...Array.from({ length: 20 }, (_, i) => ({
        id: `w-${i}`,
        input: `question ${i}`,
        label: 'pass' as const,
        split: 'dev' as const,
      })),
    ])
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const client = openaiClient(server.baseUrl, 'k')
    // The failing item waits ≥ 1 s before its retry; cancel comes at 150 ms.
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 150)
    const started = Date.now()
    const cancelled = await executeRun(
      d,
      createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 1 }),
      { client, signal: controller.signal, concurrency: 1, retry: { retries: 3, baseMs: 2000, maxMs: 4000 } },
    )
    expect(cancelled.status).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(1000)
    await new Promise((r) => setTimeout(r, 300))
    expect(server.callsWith('[[500x99]]')).toHaveLength(1)

    // A write that fails (here: the third) fails the run, and no call is made after it: the
    // calls in flight then (a worker makes its next call while its last answer commits) are
    // stopped, and nothing more reaches the server.
    await server.close()
    server = await startLlmServer({ latencyMs: 30 })
    let writes = 0
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 3 })
    await expect(
      executeRun(d, runId, {
        client: openaiClient(server.baseUrl, 'k'),
        signal: new AbortController().signal,
        concurrency: 3,
        retry: FAST_RETRY,
        beforeWrite: () => (++writes === 3 ? Promise.reject(new Error('disk full')) : Promise.resolve()),
      }),
    ).rejects.toThrow('disk full')
    await new Promise((r) => setTimeout(r, 50)) // what was on the wire at the failure arrives
    const callsAtFailure = server.calls.length
    await new Promise((r) => setTimeout(r, 300))
    expect(server.calls.length).toBe(callsAtFailure)
    // Three writes of at most three answers each, and each worker's call made meanwhile.
    expect(callsAtFailure).toBeLessThanOrEqual(3 * 3 + 3)
    expect(d.repos.judges.run(runId)).toMatchObject({ status: 'failed', error: 'disk full' })
  })

  it('a cancelled run resumes over the items it had left and repeats no finished call', async () => {
    await server.close()
    server = await startLlmServer({ latencyMs: 60 })
    const items = Array.from({ length: 24 }, (_, i) => ({
      id: `it-${i}`,
      input: `question number ${i} [[${i % 3 === 0 ? 'fail' : 'pass'}]]`,
      label: 'pass' as const,
      split: 'dev' as const,
    }))
    const d = judgeProject(tmp.file('p.assay'), items)
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 3 })
    const client = openaiClient(server.baseUrl, 'k')
    const controller = new AbortController()
    const first = await executeRun(d, runId, {
      client,
      signal: controller.signal,
      concurrency: 3,
      onProgress: (r) => r.done >= 8 && controller.abort(),
    })
    expect(first.status).toBe('cancelled')
    const finishedBefore = new Set(verdictsOf(d, versionId).map((v) => v.externalId))
    expect(finishedBefore.size).toBeGreaterThanOrEqual(8)
    expect(finishedBefore.size).toBeLessThan(24)
    const callsBefore = server.calls.length

    const resumed = await executeRun(d, runId, { client, signal: new AbortController().signal, concurrency: 3 })
    expect(resumed).toMatchObject({ status: 'done', total: 24, done: 24, pass: 16, fail: 8, errors: 0 })
    const later = server.calls.slice(callsBefore)
    for (const id of finishedBefore)
      expect(later.some((c) => c.prompt.includes(`question number ${id.slice(3)} `))).toBe(false)
    // Only calls cut short by the cancel can have been made twice.
    expect(server.calls.length).toBeLessThanOrEqual(24 + 3)
    expect(
      d.db
        .prepare('SELECT count(*) AS n, count(DISTINCT item_id) AS distinct_items FROM verdicts WHERE run_id = ?')
        .get(runId),
    ).toEqual({ n: 24, distinct_items: 24 })
  })

  it('runs through the Batch API: one upload, answers and errors recorded at half price, a cancelled run resumes from the same batch', async () => {
    await server.close()
    // 25 polls × 10 ms: the batch outlives the wait for its id below
    server = await startLlmServer({ batch: { polls: 25 } })
    const items = FAULTS.filter((f) => ['ok-1', 'ok-2', 'fail-1', 'bad', 'dead500', 'hang'].includes(f.id))
    const d = judgeProject(tmp.file('p.assay'), items)
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const client = openaiClient(server.baseUrl, 'sk-local')
    expect(estimateRun(d, { versionId, scope: 'dev', batch: true }).costUsd).toBeCloseTo(
      estimateRun(d, { versionId, scope: 'dev' }).costUsd / 2,
      12,
    )
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4, batch: true })
    const options = () => JSON.parse(d.repos.judges.run(runId)!.options_json) as { mode?: string; batchId?: string }

    // Cancelled while the batch is still running: nothing recorded, the batch's id kept.
    const controller = new AbortController()
    const first = executeRun(d, runId, { client, signal: controller.signal, concurrency: 4, batchPollMs: 10 })
    await expect.poll(() => options().batchId).toBe('batch_1')
    controller.abort()
    expect(await first).toMatchObject({ status: 'cancelled', done: 0 })
    expect(server.calls).toHaveLength(6) // every item asked once, inside the one batch

    // Resume polls the same batch and records every line once.
    const run = await executeRun(d, runId, {
      client,
      signal: new AbortController().signal,
      concurrency: 4,
      batchPollMs: 10,
    })
    expect(run).toMatchObject({ status: 'done', total: 6, done: 6, pass: 2, fail: 1, errors: 3 })
    expect(server.calls).toHaveLength(6)
    expect(options()).toEqual({ scope: 'dev', concurrency: 4, mode: 'batch' }) // answers recorded: the batch is done with
    const byId = new Map(verdictsOf(d, versionId).map((v) => [v.externalId, v]))
    expect(byId.get('fail-1')!.critique).toMatch(/fails the criterion/)
    expect(byId.get('bad')!.error).toMatch(/not valid JSON/)
    expect(byId.get('dead500')!.error).toMatch(/HTTP 500 in the batch: The server had an error/)
    expect(byId.get('hang')!.error).toMatch(/batch batch_1 ended \(completed\) without an answer/)
    expect(run.costUsd).toBeCloseTo(((run.tokensIn * 1 + run.tokensOut * 2) / 1e6) * 0.5, 12)

    // A new batch run: the answered requests come from the cache; only the three errors go up.
    const again = await executeRun(
      d,
      createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4, batch: true }),
      { client, signal: new AbortController().signal, concurrency: 4, batchPollMs: 10 },
    )
    expect(again).toMatchObject({ status: 'done', done: 6, cached: 3 })
    expect(server.calls).toHaveLength(9)
    expect(server.callsWith('plain question one')).toHaveLength(1)
  })

  it('an expired batch keeps the answers it has, and the rest are errors that say the batch expired', async () => {
    await server.close()
    server = await startLlmServer({ batch: { expire: true } })
    const d = judgeProject(
      tmp.file('p.assay'),
      FAULTS.filter((f) => ['ok-1', 'fail-1', 'hang'].includes(f.id)),
    )
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4, batch: true })
    const run = await executeRun(d, runId, {
      client: openaiClient(server.baseUrl, 'k'),
      signal: new AbortController().signal,
      concurrency: 4,
      batchPollMs: 10,
    })
    expect(run).toMatchObject({ status: 'done', done: 3, pass: 1, fail: 1, errors: 1 })
    expect(verdictsOf(d, versionId).find((v) => v.externalId === 'hang')!.error).toBe(
      'The batch batch_1 ended (expired) without an answer for this item.',
    )
  })

  it('a failed batch ends every item it held as an error that says why', async () => {
    await server.close()
    server = await startLlmServer({ batch: { fail: 'the input file has a line that is not JSON' } })
    const d = judgeProject(tmp.file('p.assay'), FAULTS.slice(0, 3))
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 4, batch: true })
    const run = await executeRun(d, runId, {
      client: openaiClient(server.baseUrl, 'k'),
      signal: new AbortController().signal,
      concurrency: 4,
      batchPollMs: 10,
    })
    expect(run).toMatchObject({ status: 'done', done: 3, errors: 3 })
    expect(new Set(verdictsOf(d, versionId).map((v) => v.error))).toEqual(
      new Set(['The batch batch_1 failed: line 1: the input file has a line that is not JSON.']),
    )
  })

  it('retrying errors replaces them in the live counts: the run shows what the verdicts say, tokens and cost included', async () => {
    await server.close()
    let flaky = 0 // the first answer on the flaky item is not JSON (an error that cost tokens), the next is fine
    server = await startLlmServer({
      answer: (prompt) => (prompt.includes('flaky judge') && flaky++ === 0 ? 'Pass, I suppose.' : null),
    })
    const d = judgeProject(tmp.file('p.assay'), [
      { id: 'steady', input: 'plain question', label: 'pass', split: 'dev' },
      { id: 'flaky', input: 'a flaky judge answers this one', label: 'pass', split: 'dev' },
    ])
    const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
    const versionId = d.repos.judges.versions(judge.id)[0].id
    const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 2 })
    const client = openaiClient(server.baseUrl, 'k')
    const first = await executeRun(d, runId, { client, signal: new AbortController().signal, concurrency: 2 })
    expect(first).toMatchObject({ done: 2, pass: 1, errors: 1 })
    expect(first.tokensIn).toBeGreaterThan(0)

    const live: { done: number; errors: number; pass: number; tokensIn: number; costUsd: number }[] = []
    const retried = await executeRun(d, runId, {
      client,
      signal: new AbortController().signal,
      concurrency: 2,
      retryErrors: true,
      onProgress: (r) => live.push(r),
    })
    expect(retried).toMatchObject({ status: 'done', done: 2, pass: 2, errors: 0 })
    // The one retried verdict makes one live report, then the stored run follows: they agree.
    expect(live).toHaveLength(2)
    expect(live[0]).toMatchObject({ done: 2, pass: 2, errors: 0, tokensIn: retried.tokensIn })
    expect(live[0].costUsd).toBeCloseTo(retried.costUsd, 12)
  })
})

describe('splits, leakage, the test lock and versions', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(() => tmp.cleanup())

  const labeled = (n: number, from = 0): FixtureItem[] =>
    Array.from({ length: n }, (_, k) => {
      const i = from + k
      return {
        id: `t-${i}`,
        input: `A long enough question about topic ${i} that nobody would type by chance`,
        output: `A long enough answer about topic ${i} that could leak into a prompt`,
        label: i % 5 < 3 ? 'pass' : 'fail',
        note: `note ${i}`,
      }
    })

  it('splits are stratified 15/45/40 by label, and adding labels never moves an item', () => {
    const d = judgeProject(tmp.file('p.assay'), labeled(200))
    const first = assignSplits(d, d.criterionId)
    const count = (rows: typeof first, verdict: string, split: string) =>
      rows.filter((r) => r.verdict === verdict && r.split === split).length
    // 120 pass and 80 fail: each class is split on its own.
    expect([count(first, 'pass', 'train'), count(first, 'pass', 'dev'), count(first, 'pass', 'test')]).toEqual([
      18, 54, 48,
    ])
    expect([count(first, 'fail', 'train'), count(first, 'fail', 'dev'), count(first, 'fail', 'test')]).toEqual([
      12, 36, 32,
    ])
    const before = new Map(first.map((r) => [r.itemId, r.split]))
    // 100 more labels arrive.
    const at = '2026-03-02T00:00:00Z'
    const dataset = 1
    for (const it of labeled(100, 200)) {
      const id = d.repos.items.insert(
        {
          datasetId: dataset,
          externalId: it.id,
          kind: 'text',
          input: it.input,
          output: it.output!,
          messages: [],
          metadata: {},
          steps: [],
        },
        at,
      )
      d.repos.labels.add(
        {
          itemId: id,
          criterionId: d.criterionId,
          criterionVersion: 1,
          verdict: it.label!,
          note: '',
          annotator: 'ann',
          firstFailingStep: null,
        },
        at,
      )
    }
    const after = assignSplits(d, d.criterionId)
    for (const r of after) if (before.has(r.itemId)) expect(r.split).toBe(before.get(r.itemId))
    expect([count(after, 'pass', 'train'), count(after, 'pass', 'dev'), count(after, 'pass', 'test')]).toEqual([
      27, 81, 72,
    ])
    // Same seed, same hash order: a second project with the same ids gets the same splits.
    const twin = judgeProject(tmp.file('q.assay'), labeled(200))
    expect(assignSplits(twin, twin.criterionId).map((r) => [r.externalId, r.split])).toEqual(
      first.map((r) => [r.externalId, r.split]),
    )
  })

  it('new split shares place the items again while no judge depends on them; afterwards only new labels follow them', () => {
    const d = judgeProject(tmp.file('p.assay'), labeled(100))
    const trains = () => assignSplits(d, d.criterionId).filter((r) => r.split === 'train').length
    expect(trains()).toBe(15)
    expect(setSplitRatios(d, d.criterionId, { train: 0.2, dev: 0.4, test: 0.4, seed: 1 })).toEqual({
      replaced: 100,
      message:
        'Shares 20/40/40 (seed 1) saved; 100 labeled items were placed again under them (splits given by a file stay).',
    })
    expect(trains()).toBe(20)
    expect(() => setSplitRatios(d, 999, { train: 0.2, dev: 0.4, test: 0.4, seed: 1 })).toThrow(
      /no criterion with id 999/,
    )

    // A judge's few-shot examples come from train: from now on the splits stay.
    createJudge(d, { criterionId: d.criterionId, name: 'J', model: model('http://127.0.0.1:1/v1'), params: {} })
    const before = new Map(assignSplits(d, d.criterionId).map((r) => [r.itemId, r.split]))
    expect(setSplitRatios(d, d.criterionId, { train: 0.1, dev: 0.45, test: 0.45, seed: 1 })).toEqual({
      replaced: 0,
      message:
        'Shares 10/45/45 (seed 1) saved for new labels; items keep their splits, because "J" v1 already has verdicts or few-shot examples on them.',
    })
    const at = '2026-03-02T00:00:00Z'
    for (const it of labeled(100, 100)) {
      const id = d.repos.items.insert(
        {
          datasetId: 1,
          externalId: it.id,
          kind: 'text',
          input: it.input,
          output: it.output!,
          messages: [],
          metadata: {},
          steps: [],
        },
        at,
      )
      d.repos.labels.add(
        {
          itemId: id,
          criterionId: d.criterionId,
          criterionVersion: 1,
          verdict: it.label!,
          note: '',
          annotator: 'ann',
          firstFailingStep: null,
        },
        at,
      )
    }
    const after = assignSplits(d, d.criterionId)
    for (const r of after) if (before.has(r.itemId)) expect(r.split).toBe(before.get(r.itemId))
    // 200 labeled now: the first 100 kept their 20 train items, and the new ones bring train to its 10% (it has more
    // already).
    expect(after.filter((r) => r.split === 'train')).toHaveLength(20)
  })

  it('refuses dev and test items as few-shot examples or inside the prompt, naming them', () => {
    const d = judgeProject(tmp.file('p.assay'), labeled(60))
    const judge = createJudge(d, {
      criterionId: d.criterionId,
      name: 'J',
      model: model('http://127.0.0.1:1/v1'),
      params: {},
    })
    const v1 = d.repos.judges.versions(judge.id)[0]
    const rows = assignSplits(d, d.criterionId)
    // Version 1's default examples are train items, two of each class.
    const fewshot = JSON.parse(v1.fewshot_ids) as number[]
    expect(fewshot).toHaveLength(4)
    expect(fewshot.every((id) => rows.find((r) => r.itemId === id)!.split === 'train')).toBe(true)
    const dev = rows.find((r) => r.split === 'dev')!
    const test = rows.find((r) => r.split === 'test')!
    const base = { judgeId: judge.id, prompt: v1.prompt, model: model('http://127.0.0.1:1/v1'), params: {} }
    expect(() => saveVersion(d, { ...base, fewshotIds: [dev.itemId] })).toThrow(
      new RegExp(`"${dev.externalId}" is in the dev split .*leakage`),
    )
    const pasted = `${v1.prompt}\nFor instance: ${d.repos.items.get(test.itemId)!.output}`
    expect(() => saveVersion(d, { ...base, prompt: pasted, fewshotIds: [] })).toThrow(
      new RegExp(`output of item "${test.externalId}", which is in the test split`),
    )
    expect(() => saveVersion(d, { ...base, prompt: 'Judge {{ouput}} please', fewshotIds: [] })).toThrow(
      /Unknown variable \{\{ouput\}\} on line 1/,
    )
  })

  it('locks the test split: a test run needs confirming and is counted; a prompt change after viewing test results warns', async () => {
    const server = await startLlmServer()
    try {
      const d = judgeProject(tmp.file('p.assay'), labeled(40))
      const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model: model(server.baseUrl), params: {} })
      const v1 = d.repos.judges.versions(judge.id)[0]
      expect(() => createRun(d, { versionId: v1.id, scope: 'test', confirmTest: false, concurrency: 2 })).toThrow(
        /includes test items.*confirm/,
      )
      expect(() => createRun(d, { versionId: v1.id, scope: 'all', confirmTest: false, concurrency: 2 })).toThrow(
        /includes test items/,
      )
      const runId = createRun(d, { versionId: v1.id, scope: 'test', confirmTest: true, concurrency: 2 })
      await executeRun(d, runId, {
        client: openaiClient(server.baseUrl, 'k'),
        signal: new AbortController().signal,
        concurrency: 2,
      })
      expect(d.repos.judges.version(v1.id)!.test_evaluations).toBe(1)

      // The item views keep test verdicts out of sight too: the trace panel, the Data table and
      // its verdict filters say "hidden" (no critique) until the test results are shown.
      const testId = [...d.repos.splits.all(d.criterionId)].find(([, s]) => s === 'test')![0]
      expect(d.repos.items.get(testId)!.verdicts).toEqual([
        expect.objectContaining({ verdict: 'hidden', critique: '' }),
      ])
      const tableRow = () => d.repos.items.list(0, 100).rows.find((r) => r.id === testId)!
      expect(tableRow().judge).toBe('hidden')
      for (const judge of ['pass', 'fail', 'disagree'] as const) {
        expect(
          d.repos.items
            .list(0, 100, { filter: { label: 'any', judge, dataset: null, metadata: null } })
            .rows.some((r) => r.id === testId),
        ).toBe(false)
      }

      // Hidden until revealed; revealing is recorded.
      const hidden = judgeDetail(d, judge.id, { revealVersion: null, activeRuns: new Set() })
      expect(hidden.metrics[0].testRevealed).toBe(false)
      expect(hidden.metrics[0].splits.map((s) => s.split)).toEqual(['train', 'dev', 'unlabeled'])
      expect(verdictsOf(d, v1.id)).toHaveLength(0)
      const shown = judgeDetail(d, judge.id, { revealVersion: v1.id, activeRuns: new Set() })
      const test = shown.metrics[0].splits.find((s) => s.split === 'test')!
      expect(test.tp + test.fn + test.tn + test.fp).toBe(shown.splits.counts.test.pass + shown.splits.counts.test.fail)
      expect(d.repos.judges.version(v1.id)!.test_viewed_at).not.toBeNull()
      expect(d.repos.items.get(testId)!.verdicts[0].verdict).toMatch(/^(pass|fail)$/)
      expect(tableRow().judge).toMatch(/^(pass|fail)$/)

      // Same content: no new version. A change: a new version, with the warning.
      const same = saveVersion(d, {
        judgeId: judge.id,
        prompt: v1.prompt,
        model: model(server.baseUrl),
        params: {},
        fewshotIds: JSON.parse(v1.fewshot_ids),
      })
      expect(same).toMatchObject({ created: false, warning: null })
      const changed = saveVersion(d, {
        judgeId: judge.id,
        prompt: `${v1.prompt}\nBe strict.`,
        model: model(server.baseUrl),
        params: { temperature: 0.2 },
        fewshotIds: JSON.parse(v1.fewshot_ids),
      })
      expect(changed.created).toBe(true)
      expect(changed.version.version).toBe(2)
      expect(changed.warning).toMatch(/test results of version 1 were viewed/)
      const diff = versionDiff(d, v1.id, changed.version.id)
      expect(diff.prompt.filter((l) => l.op !== ' ')).toEqual([{ op: '+', text: 'Be strict.' }])
      expect(diff.changes).toEqual(['temperature: null → 0.2'])
    } finally {
      await server.close()
    }
  })
})
