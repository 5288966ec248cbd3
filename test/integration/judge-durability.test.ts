/**
 * Verdicts commit in groups (issue 21), yet a run reports nothing as done before it is in the
 * file: at every progress report another connection already reads at least that many verdicts,
 * and a run cancelled half-way keeps every verdict it reported, each once.
 */
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { executeRun } from '../../electron/core/judge/execute'
import { createJudge } from '../../electron/core/judge/judges'
import { openaiClient } from '../../electron/core/judge/llm'
import { createRun } from '../../electron/core/judge/runs'
import { judgeProject, localModel } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'

let tmp: ReturnType<typeof tempDir>
let server: LlmServer
beforeEach(async () => {
  tmp = tempDir()
  server = await startLlmServer({ latencyMs: 20 })
})
afterEach(async () => {
  await server.close()
  tmp.cleanup()
})

it('every verdict reported as done is already in the file, and a cancelled run keeps them all', async () => {
  const path = tmp.file('p.assay')
  const items = Array.from({ length: 60 }, (_, i) => ({
    id: `d-${i}`,
    input: `question ${i}${i % 4 === 0 ? ' [[fail]]' : ''}`,
    label: i % 4 === 0 ? ('fail' as const) : ('pass' as const),
    split: 'dev' as const,
  }))
  const d = judgeProject(path, items)
  const model = localModel(server.baseUrl)
  const judge = createJudge(d, { criterionId: d.criterionId, name: 'J', model, params: {} })
  const versionId = d.repos.judges.versions(judge.id)[0].id
  const runId = createRun(d, { versionId, scope: 'dev', confirmTest: false, concurrency: 6 })
  const reader = new Database(path, { readonly: true, fileMustExist: true })
  const inFile = () =>
    (reader.prepare('SELECT count(*) AS n FROM verdicts WHERE run_id = ?').get(runId) as { n: number }).n
  const reports: { done: number; inFile: number }[] = []
  const controller = new AbortController()
  try {
    const run = await executeRun(d, runId, {
      client: openaiClient(server.baseUrl, 'k'),
      signal: controller.signal,
      concurrency: 6,
      onProgress: (r) => {
        reports.push({ done: r.done, inFile: inFile() })
        if (r.done >= 20) controller.abort()
      },
    })
    expect(run.status).toBe('cancelled')
    expect(reports.length).toBeGreaterThanOrEqual(2)
    for (const r of reports) expect(r.inFile).toBeGreaterThanOrEqual(r.done)
    // The final report is the stored run: every verdict in it is in the file, each item once.
    expect(run.done).toBe(inFile())
    expect(run.done).toBeLessThan(60)
    expect(reader.prepare('SELECT count(DISTINCT item_id) AS n FROM verdicts WHERE run_id = ?').get(runId)).toEqual({
      n: run.done,
    })
    expect(run.done - run.fail).toBe(run.pass)
  } finally {
    reader.close()
  }
})
