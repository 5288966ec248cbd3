/**
 * Labeling sessions (DESIGN §3, Label): the settings a session was started with and its queue of
 * items, which changes only when an item is deferred to the end. `labels.reverts_id` marks an
 * undo: the row that restores an item's label to what it was before label `reverts_id`, so undo
 * can walk back through a session's history without deleting anything. `criteria.step` names the
 * pipeline step a step-level criterion is about (a session whose unit is one step labels it).
 */
export const sql = /* sql */ `
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  criterion_id  INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  annotator     TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  queue_json    TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;

ALTER TABLE criteria ADD COLUMN step TEXT;
ALTER TABLE labels ADD COLUMN reverts_id INTEGER REFERENCES labels(id);
CREATE INDEX labels_session ON labels(session_id, id) WHERE session_id IS NOT NULL;
`
