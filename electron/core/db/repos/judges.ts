import type { Db } from '../open'

/** Judges, their immutable versions, runs and the verdicts of each run. */
export function judgesRepo(db: Db) {
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const insertVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertRun = db.prepare(
    `INSERT INTO runs (judge_version_id, scope, status, n_total, n_done, n_error, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertVerdict = db.prepare(
    `INSERT INTO verdicts (run_id, item_id, verdict, critique, raw, latency_ms, tokens_in, tokens_out, cached, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  return {
    addJudge: (criterionId: number, name: string, at: string): number =>
      Number(insertJudge.run(criterionId, name, at).lastInsertRowid),
    addVersion(v: { judgeId: number; version: number; prompt: string; model: unknown; params: unknown; fewshotIds: number[] }, at: string): number {
      return Number(
        insertVersion.run(v.judgeId, v.version, v.prompt, JSON.stringify(v.model), JSON.stringify(v.params), JSON.stringify(v.fewshotIds), at)
          .lastInsertRowid,
      )
    },
    addRun(r: { judgeVersionId: number; scope: string; status: string; total: number; done: number; errors: number }, at: string, finishedAt: string | null): number {
      return Number(insertRun.run(r.judgeVersionId, r.scope, r.status, r.total, r.done, r.errors, at, finishedAt).lastInsertRowid)
    },
    addVerdict(
      v: { runId: number; itemId: number; verdict: 'pass' | 'fail' | 'error'; critique: string; raw: string; latencyMs: number | null; tokensIn: number | null; tokensOut: number | null; cached: boolean },
      at: string,
    ): void {
      insertVerdict.run(v.runId, v.itemId, v.verdict, v.critique, v.raw, v.latencyMs, v.tokensIn, v.tokensOut, v.cached ? 1 : 0, at)
    },
  }
}
