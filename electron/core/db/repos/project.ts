import type { Db } from '../open'
import { OVERALL_LABEL } from './item-query'

/** Project-level facts: the meta table, datasets, criteria, and the counts the Start screen shows. */
export function projectRepo(db: Db) {
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck()
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  const insertDataset = db.prepare(
    'INSERT INTO datasets (name, source_path, format, mapping_json, row_count, synthetic, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const setRowCount = db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?')
  const insertCriterion = db.prepare('INSERT INTO criteria (name, kind, created_at) VALUES (?, ?, ?)')
  const insertCriterionVersion = db.prepare(
    'INSERT INTO criterion_versions (criterion_id, version, definition, created_at) VALUES (?, 1, ?, ?)',
  )
  const criterionByName = db.prepare('SELECT id FROM criteria WHERE name = ? AND deleted_at IS NULL').pluck()
  const latestVersion = db.prepare('SELECT max(version) FROM criterion_versions WHERE criterion_id = ?').pluck()
  const overallId = db
    .prepare("SELECT id FROM criteria WHERE kind = 'overall' AND deleted_at IS NULL ORDER BY id LIMIT 1")
    .pluck()
  const fillFirstDefinition = db.prepare(
    `UPDATE criterion_versions SET definition = @definition, created_at = @at WHERE criterion_id = @id AND version = 1 AND definition = ''
       AND NOT EXISTS (SELECT 1 FROM criterion_versions v WHERE v.criterion_id = @id AND v.version > 1)
       AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.criterion_id = @id)`,
  )
  const stampCriterion = db.prepare('UPDATE criteria SET created_at = ? WHERE id = ?')
  const counts = db.prepare(
    `SELECT (SELECT count(*) FROM items) AS itemCount,
            (SELECT count(*) FROM items i WHERE i.id IN (SELECT item_id FROM labels WHERE criterion_id IN (SELECT id FROM criteria WHERE kind = 'overall'))
               AND ${OVERALL_LABEL} IN ('pass', 'fail')) AS labeledCount,
            (SELECT count(*) FROM datasets) AS datasetCount`,
  )
  const logEvent = db.prepare('INSERT INTO events (at, kind, payload_json) VALUES (?, ?, ?)')
  const datasets = db.prepare(
    'SELECT name, format, row_count AS rows, created_at AS createdAt FROM datasets ORDER BY id',
  )

  return {
    meta: (key: string): string | undefined => getMeta.get(key) as string | undefined,
    setMeta: (key: string, value: string): void => void setMeta.run(key, value),
    counts: () => counts.get() as { itemCount: number; labeledCount: number; datasetCount: number },

    addDataset(
      d: { name: string; sourcePath: string | null; format: string; mapping?: unknown; synthetic: boolean },
      at: string,
    ): number {
      return Number(
        insertDataset.run(d.name, d.sourcePath, d.format, JSON.stringify(d.mapping ?? {}), 0, d.synthetic ? 1 : 0, at)
          .lastInsertRowid,
      )
    },
    setDatasetRowCount: (id: number, n: number): void => void setRowCount.run(n, id),
    /** Moves every commit from the WAL into the file, so the file alone stands for the project (its hash, a copy). */
    checkpoint: (): void => void db.pragma('wal_checkpoint(TRUNCATE)'),
    datasets: () => datasets.all() as { name: string; format: string; rows: number; createdAt: string }[],

    /** Creates a criterion with its first version; returns its id. */
    addCriterion(name: string, kind: 'overall' | 'failure_mode', definition: string, at: string): number {
      const id = Number(insertCriterion.run(name, kind, at).lastInsertRowid)
      insertCriterionVersion.run(id, definition, at)
      return id
    },
    criterionId: (name: string): number | undefined => criterionByName.get(name) as number | undefined,
    /**
     * The `Overall` criterion every project has (migration 0007), given its first definition: a
     * fresh file's empty one is filled in place (nothing was labeled under it); a criterion that
     * already has a definition or labels keeps it. Filled, it is dated `at` (a made-up project,
     * the demo, stays the same file for the same seed). Returns its id.
     */
    defineOverall(definition: string, at: string): number {
      const id = overallId.get() as number | undefined
      if (id === undefined)
        throw new Error(
          'This project has no Overall criterion (migration 0007 adds it): open it with this version of Assay.',
        )
      if (fillFirstDefinition.run({ definition, at, id }).changes > 0) stampCriterion.run(at, id)
      return id
    },
    /** The criterion's current version (labels record it). */
    criterionVersion: (id: number): number => (latestVersion.get(id) as number | null) ?? 1,

    log: (kind: string, payload: unknown, at: string): void => void logEvent.run(at, kind, JSON.stringify(payload)),
  }
}
