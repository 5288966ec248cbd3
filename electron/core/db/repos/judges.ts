import type { VerdictView } from '../../../../shared/judges'
import type { Db } from '../open'

export interface JudgeRow {
  id: number
  criterion_id: number
  name: string
  criterion: string
  versions: number
  latest: number | null
}

export interface VersionRow {
  id: number
  judge_id: number
  version: number
  prompt: string
  model_json: string
  params_json: string
  fewshot_ids: string
  test_evaluations: number
  test_viewed_at: string | null
  created_at: string
}

export interface RunRow {
  id: number
  judge_version_id: number
  version: number
  scope: string
  status: 'pending' | 'running' | 'cancelled' | 'failed' | 'done'
  n_total: number
  item_ids_json: string
  options_json: string
  started_at: string
  finished_at: string | null
  error: string | null
  done: number
  pass: number
  fail: number
  errors: number
  cached: number
  tokens_in: number
  tokens_out: number
  cost_usd: number
}

export interface NewVerdict {
  runId: number
  itemId: number
  verdict: 'pass' | 'fail' | 'error'
  critique: string
  raw: string
  latencyMs: number | null
  tokensIn: number | null
  tokensOut: number | null
  cached: boolean
  error?: string | null
  attempts?: number
  costUsd?: number
}

/**
 * A run with its counts, always aggregated from its verdicts (right while a run is going). The run
 * row's own counters are written when its status changes, for anyone reading the file with SQLite.
 */
const RUN = `SELECT r.id, r.judge_version_id, jv.version, r.scope, r.status, r.n_total, r.item_ids_json, r.options_json, r.started_at, r.finished_at, r.error,
    count(v.id) AS done, coalesce(sum(v.verdict = 'pass'), 0) AS pass, coalesce(sum(v.verdict = 'fail'), 0) AS fail,
    coalesce(sum(v.verdict = 'error'), 0) AS errors, coalesce(sum(v.cached), 0) AS cached,
    coalesce(sum(v.tokens_in), 0) AS tokens_in, coalesce(sum(v.tokens_out), 0) AS tokens_out, coalesce(sum(v.cost_usd), 0) AS cost_usd
  FROM runs r JOIN judge_versions jv ON jv.id = r.judge_version_id LEFT JOIN verdicts v ON v.run_id = r.id`

/** Judges, their immutable versions, runs, the verdicts of each run and the request cache. */
export function judgesRepo(db: Db) {
  return {
    ...judgeRuns(db),
    ...judgeVersions(db),
    ...runVerdicts(db),
    ...requestCache(db),
    ...estimates(db),
  }
}

/** Judges and their immutable versions (prompt, model, parameters, few-shot examples). */
function judgeVersions(db: Db) {
  const insertJudge = db.prepare('INSERT INTO judges (criterion_id, name, created_at) VALUES (?, ?, ?)')
  const insertVersion = db.prepare(
    `INSERT INTO judge_versions (judge_id, version, prompt, model_json, params_json, fewshot_ids, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const judges = db.prepare(
    `SELECT j.id, j.criterion_id, j.name, c.name AS criterion, count(jv.id) AS versions, max(jv.version) AS latest
     FROM judges j JOIN criteria c ON c.id = j.criterion_id LEFT JOIN judge_versions jv ON jv.judge_id = j.id
     WHERE c.deleted_at IS NULL GROUP BY j.id ORDER BY c.id, j.id`,
  )
  const versions = db.prepare('SELECT * FROM judge_versions WHERE judge_id = ? ORDER BY version')
  const version = db.prepare('SELECT * FROM judge_versions WHERE id = ?')
  const nextVersion = db.prepare('SELECT coalesce(max(version), 0) + 1 FROM judge_versions WHERE judge_id = ?').pluck()
  const markViewed = db.prepare('UPDATE judge_versions SET test_viewed_at = ? WHERE id = ? AND test_viewed_at IS NULL')
  const countTest = db.prepare('UPDATE judge_versions SET test_evaluations = test_evaluations + 1 WHERE id = ?')
  const meanTokensOut = db
    .prepare(
      `SELECT avg(v.tokens_out) FROM verdicts v JOIN runs r ON r.id = v.run_id JOIN judge_versions jv ON jv.id = r.judge_version_id
     WHERE jv.judge_id = ? AND v.tokens_out IS NOT NULL`,
    )
    .pluck()

  return {
    addJudge: (criterionId: number, name: string, at: string): number =>
      Number(insertJudge.run(criterionId, name, at).lastInsertRowid),
    list: () => judges.all() as JudgeRow[],
    versions: (judgeId: number) => versions.all(judgeId) as VersionRow[],
    version: (id: number) => version.get(id) as VersionRow | undefined,
    nextVersion: (judgeId: number): number => nextVersion.get(judgeId) as number,
    addVersion(
      v: { judgeId: number; version: number; prompt: string; model: unknown; params: unknown; fewshotIds: number[] },
      at: string,
    ): number {
      return Number(
        insertVersion.run(
          v.judgeId,
          v.version,
          v.prompt,
          JSON.stringify(v.model),
          JSON.stringify(v.params),
          JSON.stringify(v.fewshotIds),
          at,
        ).lastInsertRowid,
      )
    },
    /** Records the first viewing of a version's test results; true if this was it. */
    markTestViewed: (versionId: number, at: string): boolean => markViewed.run(at, versionId).changes > 0,
    countTestEvaluation: (versionId: number): void => void countTest.run(versionId),
    meanTokensOut: (judgeId: number) => meanTokensOut.get(judgeId) as number | null,
  }
}

/** Runs of a judge version: creating one, reading it with its counts, and its status. */
function judgeRuns(db: Db) {
  const insertRun = db.prepare(
    `INSERT INTO runs (judge_version_id, scope, status, n_total, n_done, n_error, item_ids_json, options_json, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const runsOfJudge = db.prepare(`${RUN} WHERE jv.judge_id = ? GROUP BY r.id ORDER BY r.id DESC`)
  const run = db.prepare(`${RUN} WHERE r.id = ? GROUP BY r.id`)
  const setOptions = db.prepare('UPDATE runs SET options_json = ? WHERE id = ?')
  const setStatus = db.prepare(
    `UPDATE runs SET status = @status, finished_at = @finishedAt, error = @error,
       n_done = (SELECT count(*) FROM verdicts WHERE run_id = @id), n_error = (SELECT count(*) FROM verdicts WHERE run_id = @id AND verdict = 'error'),
       n_cached = (SELECT coalesce(sum(cached), 0) FROM verdicts WHERE run_id = @id),
       tokens_in = (SELECT coalesce(sum(tokens_in), 0) FROM verdicts WHERE run_id = @id), tokens_out = (SELECT coalesce(sum(tokens_out), 0) FROM verdicts WHERE run_id = @id),
       cost_usd = (SELECT coalesce(sum(cost_usd), 0) FROM verdicts WHERE run_id = @id)
     WHERE id = @id`,
  )
  const relaxedSync = db.prepare('PRAGMA synchronous = NORMAL')
  const fullSync = db.prepare('PRAGMA synchronous = FULL')

  return {
    /**
     * Runs `fn` with synchronous=NORMAL: its commits survive the process being killed (WAL) but
     * skip the fsync that labels pay for. For verdicts only: a lost one is asked again on resume.
     */
    relaxed<T>(fn: () => T): T {
      relaxedSync.run()
      try {
        return fn()
      } finally {
        fullSync.run()
      }
    },
    addRun(r: NewRun, at: string, finishedAt: string | null): number {
      return Number(
        insertRun.run(
          r.judgeVersionId,
          r.scope,
          r.status,
          r.itemIds.length,
          r.done ?? 0,
          r.errors ?? 0,
          JSON.stringify(r.itemIds),
          JSON.stringify(r.options ?? {}),
          at,
          finishedAt,
        ).lastInsertRowid,
      )
    },
    runs: (judgeId: number) => runsOfJudge.all(judgeId) as RunRow[],
    run: (id: number) => run.get(id) as RunRow | undefined,
    /** Replaces a run's options (a batch run keeps its batch's id there). */
    setOptions: (id: number, options: Record<string, unknown>): void =>
      void setOptions.run(JSON.stringify(options), id),
    /** Sets a run's status and copies its counts from its verdicts into the row (for readers of the file). */
    setStatus: (id: number, status: RunRow['status'], finishedAt: string | null, error: string | null = null): void =>
      void setStatus.run({ id, status, finishedAt, error }),
  }
}

/** What `addRun` stores: the version, the items asked, and counts when a run is recorded whole. */
interface NewRun {
  judgeVersionId: number
  scope: string
  status: RunRow['status']
  itemIds: number[]
  options?: unknown
  done?: number
  errors?: number
}

/** The verdicts of runs: writing one, what is finished or failed, and the newest per item. */
function runVerdicts(db: Db) {
  // A verdict replaced (retry of an error) is deleted and inserted again, so the newest verdict
  // of an item is always the row with the highest id.
  const deleteVerdict = db.prepare('DELETE FROM verdicts WHERE run_id = ? AND item_id = ?')
  const insertVerdict = db.prepare(
    `INSERT INTO verdicts (run_id, item_id, verdict, critique, raw, latency_ms, tokens_in, tokens_out, cached, error, attempts, cost_usd, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const finished = db.prepare("SELECT item_id FROM verdicts WHERE run_id = ? AND (verdict <> 'error' OR ?)").pluck()
  const errorVerdicts = db.prepare(
    "SELECT item_id AS itemId, coalesce(tokens_in, 0) AS tokensIn, coalesce(tokens_out, 0) AS tokensOut, coalesce(cost_usd, 0) AS costUsd FROM verdicts WHERE run_id = ? AND verdict = 'error'",
  )
  // The newest verdict of a version on each item, from any of its runs.
  const latestVerdicts = db.prepare(
    `SELECT v.item_id AS itemId, v.verdict, v.critique, v.raw, v.error, v.latency_ms AS latencyMs, v.tokens_in AS tokensIn, v.tokens_out AS tokensOut,
       v.cached, v.attempts, i.external_id AS externalId
     FROM verdicts v JOIN items i ON i.id = v.item_id
     WHERE v.id IN (SELECT max(v2.id) FROM verdicts v2 JOIN runs r ON r.id = v2.run_id WHERE r.judge_version_id = ? GROUP BY v2.item_id)`,
  )
  const runErrors = db.prepare(
    "SELECT i.external_id AS id, v.error AS reason FROM verdicts v JOIN items i ON i.id = v.item_id WHERE v.run_id = ? AND v.verdict = 'error' ORDER BY v.id LIMIT ?",
  )

  return {
    /** Items of a run that need no more calls: every verdict, or only pass/fail ones when errors are to be retried. */
    finishedItems: (runId: number, keepErrors: boolean) => new Set(finished.all(runId, keepErrors ? 1 : 0) as number[]),
    /** The run's error verdicts with what they cost, by item (a retry replaces them). */
    errorVerdicts: (runId: number) =>
      new Map(
        (errorVerdicts.all(runId) as { itemId: number; tokensIn: number; tokensOut: number; costUsd: number }[]).map(
          (v) => [v.itemId, v],
        ),
      ),
    addVerdict(v: NewVerdict, at: string): void {
      deleteVerdict.run(v.runId, v.itemId)
      insertVerdict.run(
        v.runId,
        v.itemId,
        v.verdict,
        v.critique,
        v.raw,
        v.latencyMs,
        v.tokensIn,
        v.tokensOut,
        v.cached ? 1 : 0,
        v.error ?? null,
        v.attempts ?? 1,
        v.costUsd ?? 0,
        at,
      )
    },
    latestVerdicts: (versionId: number) =>
      (latestVerdicts.all(versionId) as (Omit<VerdictView, 'cached' | 'split' | 'human'> & { cached: number })[]).map(
        (v) => ({ ...v, cached: v.cached === 1 }),
      ),
    /** The first `limit` error verdicts of a run: item id and reason. */
    runErrors: (runId: number, limit: number) => runErrors.all(runId, limit) as { id: string; reason: string }[],
  }
}

/** The LLM request cache: a response by the key of its request. */
function requestCache(db: Db) {
  const cacheGet = db.prepare('SELECT response_json FROM llm_cache WHERE key = ?').pluck()
  const cachePut = db.prepare(
    'INSERT INTO llm_cache (key, request_json, response_json, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
  )
  const cacheHas = db.prepare('SELECT 1 FROM llm_cache WHERE key = ?').pluck()
  return {
    cacheGet: (key: string) => cacheGet.get(key) as string | undefined,
    cacheHas: (key: string): boolean => cacheHas.get(key) !== undefined,
    cachePut: (key: string, request: unknown, response: unknown, at: string): void =>
      void cachePut.run(key, JSON.stringify(request), JSON.stringify(response), at),
  }
}

/** What `saveEstimate` stores: the method and its inputs beside the result. */
interface NewEstimate {
  criterionId: number
  versionId: number
  method: string
  iterations: number | null
  seed: number
  prng: string
  confidence: number
  result: unknown
}

/** Saved estimates of a version's rates, and the item metadata a stratified estimate groups by. */
function estimates(db: Db) {
  const latestEstimate = db.prepare(
    'SELECT method, iterations, seed, confidence, result_json AS result FROM estimates WHERE judge_version_id = ? ORDER BY id DESC LIMIT 1',
  )
  const latestEstimateId = db
    .prepare('SELECT id FROM estimates WHERE judge_version_id = ? ORDER BY id DESC LIMIT 1')
    .pluck()
  const insertEstimate = db.prepare(
    `INSERT INTO estimates (criterion_id, judge_version_id, method, iterations, seed, prng, confidence, result_json, created_at)
     VALUES (@criterionId, @versionId, @method, @iterations, @seed, @prng, @confidence, @result, @at)`,
  )
  const metadataOf = db.prepare(
    `SELECT i.id AS itemId, CASE json_type(i.metadata_json, '$.' || json_quote(@key)) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
       ELSE CAST(json_extract(i.metadata_json, '$.' || json_quote(@key)) AS TEXT) END AS value
     FROM json_each(@ids) j CROSS JOIN items i ON i.id = j.value`,
  )

  return {
    /**
     * Stores an estimate with everything needed to reproduce it, unless the newest one of the
     * version is the same (a screen that refreshes does not fill the table); returns its id.
     */
    saveEstimate(e: NewEstimate, at: string): number {
      const result = JSON.stringify(e.result)
      const last = latestEstimate.get(e.versionId) as
        { method: string; iterations: number | null; seed: number; confidence: number; result: string } | undefined
      if (
        last &&
        last.method === e.method &&
        last.iterations === e.iterations &&
        last.seed === e.seed &&
        last.confidence === e.confidence &&
        last.result === result
      )
        return latestEstimateId.get(e.versionId) as number
      return Number(insertEstimate.run({ ...e, result, at }).lastInsertRowid)
    },
    /** One metadata field of each item, as text (null when missing). */
    metadataValues: (itemIds: number[], key: string) =>
      new Map(
        (metadataOf.all({ ids: JSON.stringify(itemIds), key }) as { itemId: number; value: string | null }[]).map(
          (r) => [r.itemId, r.value],
        ),
      ),
  }
}
