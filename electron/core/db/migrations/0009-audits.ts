/**
 * Production audits (issue 18, statistics spec §7.1): a seeded sample of a judge version's
 * production items drawn stratified by its verdict, labeled blind, for an estimate that needs no
 * TPR + TNR > 1. An audit records its frame (each stratum's size N at the time of the first draw)
 * and every item it drew, so that only the labels of those items enter it — a production item
 * labeled in another session, chosen for another reason, would bias it. Drawn items never join a
 * train/dev/test split: the draw is stratified by the judge's verdict, which would bias TPR/TNR.
 */
export const sql = /* sql */ `
CREATE TABLE audits (
  id               INTEGER PRIMARY KEY,
  judge_version_id INTEGER NOT NULL REFERENCES judge_versions(id) ON DELETE CASCADE,
  criterion_id     INTEGER NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
  seed             INTEGER NOT NULL,
  strata_json      TEXT NOT NULL,
  created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX audits_version ON audits(judge_version_id);

CREATE TABLE audit_draws (
  audit_id   INTEGER NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
  item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  stratum    TEXT NOT NULL,
  position   INTEGER NOT NULL,
  session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
  drawn_at   TEXT NOT NULL,
  PRIMARY KEY (audit_id, item_id)
) STRICT;
CREATE INDEX audit_draws_item ON audit_draws(item_id);
`
