/**
 * The whole data model of DESIGN §2. Labels and verdicts are append-only where history matters:
 * an edit or undo inserts a row that supersedes the previous one, nothing is deleted.
 */
export const sql = /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE datasets (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  source_path  TEXT,
  format       TEXT NOT NULL,
  mapping_json TEXT NOT NULL DEFAULT '{}',
  row_count    INTEGER NOT NULL DEFAULT 0,
  synthetic    INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
  created_at   TEXT NOT NULL
) STRICT;

-- One unit of review. kind: chat (messages), pipeline (steps) or text (input/output only).
CREATE TABLE items (
  id            INTEGER PRIMARY KEY,
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  external_id   TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('chat', 'pipeline', 'text')),
  input         TEXT NOT NULL DEFAULT '',
  output        TEXT NOT NULL DEFAULT '',
  messages_json TEXT NOT NULL DEFAULT '[]',
  metadata_json TEXT NOT NULL DEFAULT '{}',
  created_at    TEXT NOT NULL
) STRICT;
-- One index for both needs: ids are unique per dataset, and labels join onto items by id alone.
CREATE UNIQUE INDEX items_external_id ON items(external_id, dataset_id);
CREATE INDEX items_dataset ON items(dataset_id, id);

-- Named steps of a pipeline trace, in order.
CREATE TABLE steps (
  id            INTEGER PRIMARY KEY,
  item_id       INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  idx           INTEGER NOT NULL,
  name          TEXT NOT NULL,
  input         TEXT NOT NULL DEFAULT '',
  output        TEXT NOT NULL DEFAULT '',
  metadata_json TEXT NOT NULL DEFAULT '{}',
  UNIQUE (item_id, idx)
) STRICT;

CREATE TABLE criteria (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL CHECK (kind IN ('overall', 'failure_mode')),
  created_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

-- Every edit of a definition is a new version; labels record the version they were made under.
CREATE TABLE criterion_versions (
  id            INTEGER PRIMARY KEY,
  criterion_id  INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  definition    TEXT NOT NULL DEFAULT '',
  pass_examples TEXT NOT NULL DEFAULT '[]',
  fail_examples TEXT NOT NULL DEFAULT '[]',
  created_at    TEXT NOT NULL,
  UNIQUE (criterion_id, version)
) STRICT;

-- Append-only label history. The current label of (item, criterion, annotator) is the newest
-- row; verdict 'cleared' records an undo.
CREATE TABLE labels (
  id                 INTEGER PRIMARY KEY,
  item_id            INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  criterion_id       INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  criterion_version  INTEGER NOT NULL,
  verdict            TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'defer', 'cleared')),
  note               TEXT NOT NULL DEFAULT '',
  annotator          TEXT NOT NULL,
  first_failing_step INTEGER,
  session_id         INTEGER,
  created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX labels_item_criterion ON labels(item_id, criterion_id, annotator, id);
CREATE INDEX labels_criterion ON labels(criterion_id, id);

CREATE TABLE splits (
  criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  split        TEXT NOT NULL CHECK (split IN ('train', 'dev', 'test')),
  seed         INTEGER NOT NULL,
  assigned_at  TEXT NOT NULL,
  PRIMARY KEY (criterion_id, item_id)
) STRICT;

CREATE TABLE judges (
  id           INTEGER PRIMARY KEY,
  criterion_id INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (criterion_id, name)
) STRICT;

-- Immutable: a change of prompt, model or parameters makes a new version. API keys never live here.
CREATE TABLE judge_versions (
  id              INTEGER PRIMARY KEY,
  judge_id        INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  prompt          TEXT NOT NULL,
  model_json      TEXT NOT NULL DEFAULT '{}',
  params_json     TEXT NOT NULL DEFAULT '{}',
  fewshot_ids     TEXT NOT NULL DEFAULT '[]',
  test_evaluations INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  UNIQUE (judge_id, version)
) STRICT;

CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  judge_version_id INTEGER NOT NULL REFERENCES judge_versions(id) ON DELETE CASCADE,
  scope            TEXT NOT NULL CHECK (scope IN ('train', 'dev', 'test', 'unlabeled', 'selection', 'imported')),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'running', 'cancelled', 'failed', 'done')),
  n_total          INTEGER NOT NULL DEFAULT 0,
  n_done           INTEGER NOT NULL DEFAULT 0,
  n_error          INTEGER NOT NULL DEFAULT 0,
  tokens_in        INTEGER NOT NULL DEFAULT 0,
  tokens_out       INTEGER NOT NULL DEFAULT 0,
  cost_usd         REAL NOT NULL DEFAULT 0,
  started_at       TEXT NOT NULL,
  finished_at      TEXT
) STRICT;

CREATE TABLE verdicts (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  verdict    TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'error')),
  critique   TEXT NOT NULL DEFAULT '',
  raw        TEXT NOT NULL DEFAULT '',
  latency_ms INTEGER,
  tokens_in  INTEGER,
  tokens_out INTEGER,
  cached     INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
  created_at TEXT NOT NULL,
  UNIQUE (run_id, item_id)
) STRICT;
CREATE INDEX verdicts_item ON verdicts(item_id);

-- Keyed by a hash of the full request, so a repeated call costs nothing.
CREATE TABLE llm_cache (
  key           TEXT PRIMARY KEY,
  request_json  TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE estimates (
  id               INTEGER PRIMARY KEY,
  criterion_id     INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  judge_version_id INTEGER REFERENCES judge_versions(id) ON DELETE SET NULL,
  test_run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  prod_run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  method           TEXT NOT NULL,
  iterations       INTEGER,
  seed             INTEGER,
  prng             TEXT,
  confidence       REAL NOT NULL,
  result_json      TEXT NOT NULL,
  created_at       TEXT NOT NULL
) STRICT;

-- What happened, in order: imports, sessions, criterion edits, runs. For audit and reports.
CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  kind         TEXT NOT NULL,
  payload_json TEXT NOT NULL DEFAULT '{}'
) STRICT;
`
