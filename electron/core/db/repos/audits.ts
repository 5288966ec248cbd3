import type { Db } from '../open'
import { CURRENT_LABELS_OF_CRITERION } from './item-query'

/** One stratum of an audit's frame: the judge's verdict it holds and how many production items had it. */
export interface AuditStratumFrame {
  name: string
  verdict: 'pass' | 'fail' | 'error'
  N: number
}

export interface AuditRow {
  id: number
  versionId: number
  criterionId: number
  seed: number
  strata: AuditStratumFrame[]
  createdAt: string
}

/** A drawn item with its stratum and the current human label on the audit's criterion (any annotator). */
export interface AuditDraw {
  itemId: number
  externalId: string
  stratum: string
  position: number
  sessionId: number | null
  label: 'pass' | 'fail' | 'defer' | null
}

interface AuditRecord {
  id: number
  judge_version_id: number
  criterion_id: number
  seed: number
  strata_json: string
  created_at: string
}

const toRow = (r: AuditRecord | undefined): AuditRow | null =>
  r
    ? {
        id: r.id,
        versionId: r.judge_version_id,
        criterionId: r.criterion_id,
        seed: r.seed,
        strata: JSON.parse(r.strata_json) as AuditStratumFrame[],
        createdAt: r.created_at,
      }
    : null

/** Production audits (migration 0009): the frame each recorded, the items it drew, and their labels. */
export function auditsRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO audits (judge_version_id, criterion_id, seed, strata_json, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  const latest = db.prepare('SELECT * FROM audits WHERE judge_version_id = ? ORDER BY id DESC LIMIT 1')
  const byId = db.prepare('SELECT * FROM audits WHERE id = ?')
  const addDraw = db.prepare(
    'INSERT INTO audit_draws (audit_id, item_id, stratum, position, session_id, drawn_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const draws = db.prepare(
    `SELECT d.item_id AS itemId, i.external_id AS externalId, d.stratum, d.position, d.session_id AS sessionId,
       cur.verdict AS label
     FROM audit_draws d JOIN audits a ON a.id = d.audit_id JOIN items i ON i.id = d.item_id
     LEFT JOIN (${CURRENT_LABELS_OF_CRITERION}) cur ON cur.item_id = d.item_id
     WHERE d.audit_id = @audit AND a.criterion_id = @c ORDER BY d.position`,
  )
  const drawnOf = db
    .prepare('SELECT DISTINCT d.item_id FROM audit_draws d JOIN audits a ON a.id = d.audit_id WHERE a.criterion_id = ?')
    .pluck()
  const testOrigins = db.prepare(
    `SELECT cur.session_id AS sessionId, s.settings_json AS settings FROM (${CURRENT_LABELS_OF_CRITERION}) cur
     JOIN splits sp ON sp.criterion_id = @c AND sp.item_id = cur.item_id AND sp.split = 'test'
     LEFT JOIN sessions s ON s.id = cur.session_id WHERE cur.verdict IN ('pass', 'fail')`,
  )
  return {
    /**
     * The session each current test-split label was made in, with its settings (null for a label that came without
     * one: an import, the demo): PPI++ needs to know whether the test items were chosen at random.
     */
    testLabelOrigins: (criterionId: number) =>
      testOrigins.all({ c: criterionId }) as { sessionId: number | null; settings: string | null }[],
    create: (a: Omit<AuditRow, 'id'>): number =>
      Number(insert.run(a.versionId, a.criterionId, a.seed, JSON.stringify(a.strata), a.createdAt).lastInsertRowid),
    /** A version's newest audit, if it has one. */
    latest: (versionId: number) => toRow(latest.get(versionId) as AuditRecord | undefined),
    byId: (id: number) => toRow(byId.get(id) as AuditRecord | undefined),
    addDraws: (
      auditId: number,
      rows: readonly { itemId: number; stratum: string; position: number }[],
      sessionId: number | null,
      at: string,
    ): void => {
      for (const r of rows) addDraw.run(auditId, r.itemId, r.stratum, r.position, sessionId, at)
    },
    /** Every item the audit drew, in draw order, with its current label on `criterionId`. */
    draws: (auditId: number, criterionId: number) => draws.all({ audit: auditId, c: criterionId }) as AuditDraw[],
    /** Items any audit of the criterion drew: they never join its train/dev/test split. */
    drawnItems: (criterionId: number) => new Set(drawnOf.all(criterionId) as number[]),
  }
}
