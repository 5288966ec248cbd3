/**
 * The SQL of `assay collect`: the dataset received traces go into, the raw spans kept per trace
 * (migration 0010), and the counts the receiver prints. Prepared once on the receiver's own
 * connection.
 */
import type { Db } from '../open'

/** The dataset's `format`: how received traces are told apart from imported files. */
export const COLLECTED_FORMAT = 'otlp'

/** A received span as stored: its ids and the OTLP/JSON record the span importer reads. */
export interface CollectedSpan {
  traceId: string
  spanId: string
  json: string
}

/** See the module's comment. */
export function collectedSpans(db: Db) {
  const findDataset = db.prepare('SELECT id FROM datasets WHERE format = ? ORDER BY id LIMIT 1').pluck()
  const insertDataset = db.prepare(
    'INSERT INTO datasets (name, source_path, format, mapping_json, row_count, created_at) VALUES (?, ?, ?, ?, 0, ?)',
  )
  const insertSpan = db.prepare(
    `INSERT INTO collected_spans (dataset_id, trace_id, span_id, span_json, received_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (dataset_id, trace_id, span_id) DO NOTHING`,
  )
  const spansOf = db
    .prepare('SELECT span_json FROM collected_spans WHERE dataset_id = ? AND trace_id = ? ORDER BY id')
    .pluck()
  const countItems = db.prepare('SELECT count(*) FROM items WHERE dataset_id = ?').pluck()
  const setRows = db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?')
  return {
    /** The received traces' dataset, made on the first batch (one per project, whichever session received it). */
    dataset(name: string, mapping: unknown, at: string): number {
      const found = findDataset.get(COLLECTED_FORMAT) as number | undefined
      if (found !== undefined) return found
      return Number(
        insertDataset.run(name, 'assay collect', COLLECTED_FORMAT, JSON.stringify(mapping), at).lastInsertRowid,
      )
    },
    /** Stores a span; false when the dataset has it already (a request sent again). */
    add(datasetId: number, span: CollectedSpan, at: string): boolean {
      return insertSpan.run(datasetId, span.traceId, span.spanId, span.json, at).changes === 1
    },
    /** Every span of a trace received so far, in the order they arrived. */
    spans: (datasetId: number, traceId: string): string[] => spansOf.all(datasetId, traceId) as string[],
    /** Sets the dataset's row count to its items; returns it. */
    count(datasetId: number): number {
      const n = countItems.get(datasetId) as number
      setRows.run(n, datasetId)
      return n
    },
  }
}
