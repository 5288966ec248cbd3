/**
 * Judges that run (DESIGN §3.5, issue 7). A run keeps the item ids of its scope, fixed when it
 * starts, so a killed or cancelled run resumes over exactly the items it had left; its options
 * (concurrency, timeout, the scope as the user named it) are kept beside them. A verdict keeps
 * why it is an error, how many attempts it took and what it cost. `split_settings` holds each
 * criterion's train/dev/test shares and seed; `judge_versions.test_viewed_at` is set when a
 * version's test results are first shown, so a later prompt change can warn.
 */
export const sql = /* sql */ `
ALTER TABLE runs ADD COLUMN item_ids_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN options_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE runs ADD COLUMN n_cached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN error TEXT;
ALTER TABLE verdicts ADD COLUMN error TEXT;
ALTER TABLE verdicts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE verdicts ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE judge_versions ADD COLUMN test_viewed_at TEXT;
CREATE INDEX runs_version ON runs(judge_version_id, id);

CREATE TABLE split_settings (
  criterion_id INTEGER PRIMARY KEY REFERENCES criteria(id) ON DELETE CASCADE,
  train        REAL NOT NULL,
  dev          REAL NOT NULL,
  test         REAL NOT NULL,
  seed         INTEGER NOT NULL
) STRICT;
`
