/**
 * Spans received by `assay collect` (issue 20), kept as they came: a trace whose spans arrive in
 * several export requests is grouped again from all of them, so the item is exactly what importing
 * every span at once would give (see electron/core/collect/store.ts). One row per span; a span sent
 * again (an exporter retrying a request whose answer it lost) is the same row.
 */
export const sql = /* sql */ `
CREATE TABLE collected_spans (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  trace_id    TEXT NOT NULL,
  span_id     TEXT NOT NULL,
  span_json   TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (dataset_id, trace_id, span_id)
) STRICT;
`
