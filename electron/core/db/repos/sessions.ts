import type { SessionItem, SessionSettings } from '../../../../shared/domain'
import type { Candidate } from '../../queue/order'
import type { Db } from '../open'
import { CURRENT_LABELS_OF_CRITERION, currentLabelRow, shownVerdict } from './item-query'

export interface SessionRow {
  id: number
  criterionId: number
  annotator: string
  settings: SessionSettings
  queue: number[]
  createdAt: string
}

/** The current label row of item `i` on criterion `@c` (any annotator). */
const CURRENT = currentLabelRow('l.criterion_id = @c')

/**
 * The newest judge verdict on criterion `@c` for item `@item` (latest run that judged it), as shown
 * (the test lock).
 */
const JUDGE = (item: string) => `(SELECT ${shownVerdict('@c')} FROM verdicts v JOIN runs r ON r.id = v.run_id
  JOIN judge_versions jv ON jv.id = r.judge_version_id JOIN judges jd ON jd.id = jv.judge_id
  WHERE v.item_id = ${item} AND jd.criterion_id = @c ORDER BY v.run_id DESC LIMIT 1)`

/**
 * Labeling sessions: what ordering needs to know about candidate items, the stored queue, and
 * each queued item's state for one annotator (their current label, the judge's verdict, tags).
 */
export function sessionsRepo(db: Db) {
  return { ...sessionRecords(db), ...sessionCandidates(db), ...queueStates(db) }
}

interface SessionRecord {
  id: number
  criterion_id: number
  annotator: string
  settings_json: string
  queue_json: string
  created_at: string
}

const toRow = (r: SessionRecord | undefined): SessionRow | null =>
  r
    ? {
        id: r.id,
        criterionId: r.criterion_id,
        annotator: r.annotator,
        settings: JSON.parse(r.settings_json) as SessionSettings,
        queue: JSON.parse(r.queue_json) as number[],
        createdAt: r.created_at,
      }
    : null

/** The stored sessions: creating one, reading it back (or an annotator's newest), its queue. */
function sessionRecords(db: Db) {
  const insert = db.prepare(
    'INSERT INTO sessions (criterion_id, annotator, settings_json, queue_json, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  const byId = db.prepare(
    'SELECT id, criterion_id, annotator, settings_json, queue_json, created_at FROM sessions WHERE id = ?',
  )
  const latest = db.prepare(
    `SELECT s.id, s.criterion_id, s.annotator, s.settings_json, s.queue_json, s.created_at FROM sessions s
     JOIN criteria c ON c.id = s.criterion_id WHERE s.annotator = ? AND c.deleted_at IS NULL ORDER BY s.id DESC LIMIT 1`,
  )
  const setQueue = db.prepare('UPDATE sessions SET queue_json = ? WHERE id = ?')
  return {
    create(s: Omit<SessionRow, 'id'>): number {
      return Number(
        insert.run(s.criterionId, s.annotator, JSON.stringify(s.settings), JSON.stringify(s.queue), s.createdAt)
          .lastInsertRowid,
      )
    },
    get: (id: number): SessionRow | null => toRow(byId.get(id) as SessionRecord | undefined),
    latest: (annotator: string): SessionRow | null => toRow(latest.get(annotator) as SessionRecord | undefined),
    setQueue: (id: number, queue: number[]): void => void setQueue.run(JSON.stringify(queue), id),
  }
}

/** The costly columns an order may need about its candidates. */
interface CandidateNeeds {
  stratifyKey: string | null
  toolCalls: boolean
  conflict: boolean
}

interface CandidateRecord {
  id: number
  conflict: number
  label: string | null
  stale: number | null
  mine: string | null
  judge: Candidate['judge']
  stratum: string | null
  length: number
  toolCalls: number
}

/** The query of `candidates`, with the costly columns only when the order uses them. */
function candidateSql(needs: CandidateNeeds): string {
  const stratum = needs.stratifyKey
    ? `CASE json_type(i.metadata_json, '$.' || json_quote(@key)) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
             ELSE CAST(json_extract(i.metadata_json, '$.' || json_quote(@key)) AS TEXT) END`
    : 'NULL'
  const toolCalls = needs.toolCalls
    ? `(SELECT coalesce(sum(json_array_length(m.value, '$.tool_calls')), 0) FROM json_each(i.messages_json) m WHERE json_type(m.value, '$.tool_calls') = 'array')`
    : '0'
  const conflict = needs.conflict
    ? `(SELECT count(DISTINCT cl.verdict) FROM current_labels cl WHERE cl.item_id = i.id AND cl.criterion_id = @c AND cl.verdict IN ('pass', 'fail')) > 1`
    : '0'
  return `SELECT i.id, ${conflict} AS conflict,
          (SELECT verdict FROM labels WHERE id = (${CURRENT})) AS label,
          (SELECT criterion_version FROM labels WHERE id = (${CURRENT})) < @version AS stale,
          (SELECT l.verdict FROM labels l WHERE l.item_id = i.id AND l.criterion_id = @c AND l.annotator = @a ORDER BY l.id DESC LIMIT 1) AS mine,
          ${JUDGE('i.id')} AS judge, ${stratum} AS stratum,
          length(i.input) + length(i.output) + length(i.messages_json) AS length, ${toolCalls} AS toolCalls
        FROM json_each(@ids) q CROSS JOIN items i ON i.id = q.value`
}

const toCandidate = (r: CandidateRecord): Candidate => ({
  id: r.id,
  label: r.label === 'pass' || r.label === 'fail' || r.label === 'defer' ? r.label : null,
  stale: r.stale === 1,
  conflict: r.conflict === 1,
  mine: r.mine === 'pass' || r.mine === 'fail' || r.mine === 'defer' ? r.mine : null,
  judge: r.judge,
  stratum: r.stratum,
  length: r.length,
  toolCalls: r.toolCalls,
})

/** What a new session orders: the candidate items, how many are unlabeled, what the order needs of each. */
function sessionCandidates(db: Db) {
  const withStep = db.prepare('SELECT DISTINCT item_id FROM steps WHERE name = ?').pluck()
  const allIds = db.prepare('SELECT id FROM items ORDER BY id').pluck()
  const candidateQueries = new Map<string, ReturnType<Db['prepare']>>()
  const latestVersion = db.prepare('SELECT max(version) FROM criterion_versions WHERE criterion_id = ?').pluck()

  // Of the chosen items: how many exist, how many have a current pass or fail label (anyone's:
  // the same rule as the candidates' `label`) and how many have one of @a's own (`mine`). Grouped
  // scans over the criterion's labels, so a 100 000-item project counts in milliseconds.
  const labeledCounts = db.prepare(
    `SELECT (SELECT count(*) FROM items WHERE @ids IS NULL OR id IN (SELECT value FROM json_each(@ids))) AS items,
       (SELECT count(*) FROM (${CURRENT_LABELS_OF_CRITERION}) cur WHERE cur.verdict IN ('pass', 'fail') AND (@ids IS NULL OR cur.item_id IN (SELECT value FROM json_each(@ids)))) AS anyone,
       (SELECT count(*) FROM labels m WHERE m.id IN (SELECT max(id) FROM labels WHERE criterion_id = @c AND annotator = @a GROUP BY item_id)
          AND m.verdict IN ('pass', 'fail') AND (@ids IS NULL OR m.item_id IN (SELECT value FROM json_each(@ids)))) AS mine`,
  )

  return {
    /** Items that have a step of this name (the candidates of a step-level session). */
    itemsWithStep: (step: string): number[] => withStep.all(step) as number[],
    allItems: (): number[] => allIds.all() as number[],

    /**
     * How many of `ids` (null: every item) are unlabeled (no pass or fail label, deferred ones
     * included) by anyone and by `annotator`: what the two "unlabeled first" orders put first.
     */
    unlabeled(
      ids: number[] | null,
      criterionId: number,
      annotator: string,
    ): { items: number; unlabeledByAnyone: number; unlabeledByMe: number } {
      const n = labeledCounts.get({ ids: ids && JSON.stringify(ids), c: criterionId, a: annotator }) as {
        items: number
        anyone: number
        mine: number
      }
      return { items: n.items, unlabeledByAnyone: n.items - n.anyone, unlabeledByMe: n.items - n.mine }
    },

    /** What the order needs about each candidate; the costly columns only when the order uses them. */
    candidates(ids: number[], criterionId: number, annotator: string, needs: CandidateNeeds): Candidate[] {
      const sql = candidateSql(needs)
      let statement = candidateQueries.get(sql)
      if (!statement) candidateQueries.set(sql, (statement = db.prepare(sql)))
      const version = (latestVersion.get(criterionId) as number | null) ?? 1
      const rows = statement.all({
        ids: JSON.stringify(ids),
        c: criterionId,
        a: annotator,
        version,
        ...(needs.stratifyKey ? { key: needs.stratifyKey } : {}),
      }) as CandidateRecord[]
      return rows.map(toCandidate)
    },
  }
}

interface StateRecord {
  id: number
  externalId: string
  labelId: number | null
  verdict: string | null
  note: string
  firstFailingStep: number | null
  version: number
  createdAt: string
  judge: SessionItem['judge']
  tags: string
  others: string
}

const toSessionItem = (r: StateRecord): SessionItem => ({
  id: r.id,
  externalId: r.externalId,
  label:
    r.labelId !== null && (r.verdict === 'pass' || r.verdict === 'fail' || r.verdict === 'defer')
      ? {
          labelId: r.labelId,
          verdict: r.verdict,
          note: r.note,
          firstFailingStep: r.firstFailingStep,
          version: r.version,
          createdAt: r.createdAt,
        }
      : null,
  judge: r.judge,
  tags: JSON.parse(r.tags) as number[],
  others: JSON.parse(r.others) as SessionItem['others'],
})

/** The state of each queued item for one annotator: their label, the judge's verdict, tags, others' labels. */
function queueStates(db: Db) {
  // CROSS JOIN keeps the id list as the outer loop (json_each has no index: the other way round
  // scans the list once per item). `candidateSql` does the same.
  /**
   * Label state for a queue: newest row per item of this annotator (in this session only, for a
   * blind re-label), and each other annotator's current label (none in a blind re-label).
   */
  const states = db.prepare(
    `SELECT q.value AS id, i.external_id AS externalId, l.id AS labelId, l.verdict, l.note, l.first_failing_step AS firstFailingStep,
       l.criterion_version AS version, l.created_at AS createdAt, ${JUDGE('q.value')} AS judge,
       (SELECT json_group_array(m.id) FROM criteria m WHERE m.kind = 'failure_mode' AND m.step IS NULL AND m.deleted_at IS NULL AND m.id <> @c
          AND (SELECT t.verdict FROM labels t WHERE t.item_id = q.value AND t.criterion_id = m.id AND t.annotator = @a ORDER BY t.id DESC LIMIT 1) = 'fail') AS tags,
       CASE WHEN @s IS NULL THEN (SELECT json_group_array(json_object('annotator', o.annotator, 'verdict', o.verdict, 'note', o.note)) FROM (
         SELECT o.annotator, o.verdict, o.note FROM labels o WHERE o.item_id = q.value AND o.criterion_id = @c AND o.annotator <> @a
           AND o.id = (SELECT max(o2.id) FROM labels o2 WHERE o2.item_id = o.item_id AND o2.criterion_id = o.criterion_id AND o2.annotator = o.annotator)
           AND o.verdict <> 'cleared' ORDER BY o.annotator) o) ELSE '[]' END AS others
     FROM json_each(@queue) q CROSS JOIN items i ON i.id = q.value
     LEFT JOIN labels l ON l.id = (SELECT max(l2.id) FROM labels l2 WHERE l2.item_id = q.value AND l2.criterion_id = @c AND l2.annotator = @a
       AND (@s IS NULL OR l2.session_id = @s))
     ORDER BY q.key`,
  )

  return {
    /**
     * Each queued item's state for `annotator` on `criterionId`; `onlySession` limits labels to one
     * session (blind re-label).
     */
    items(queue: number[], criterionId: number, annotator: string, onlySession: number | null): SessionItem[] {
      const rows = states.all({
        queue: JSON.stringify(queue),
        c: criterionId,
        a: annotator,
        s: onlySession,
      }) as StateRecord[]
      return rows.map(toSessionItem)
    },
  }
}
