/**
 * Quality targets per criterion (methodology §10 req. 26: "status against configurable targets").
 * The Calibrate screen sets them and the report grades the judge against the same ones; a
 * criterion without a row uses the defaults (TPR and TNR 0.90 target, 0.80 minimum).
 */
export const sql = /* sql */ `
CREATE TABLE quality_targets (
  criterion_id INTEGER PRIMARY KEY REFERENCES criteria(id) ON DELETE CASCADE,
  target       REAL NOT NULL CHECK (target > 0 AND target <= 1),
  minimum      REAL NOT NULL CHECK (minimum > 0 AND minimum <= target)
) STRICT;
`
