/**
 * Every project has the `Overall` criterion (DESIGN §2: "Overall always exists"). Before this,
 * only an import with a label column or the demo made it, so a project of traces alone had no
 * criterion and could not be labeled. New files get it here too (they migrate from 0), with an
 * empty definition the user writes in the session setup; a project that already has it keeps it.
 * A criterion named "Overall" that is not the overall kind (a failure mode so named) keeps its
 * name: the insert is skipped rather than fail, and such a project stays as it was.
 */
export const sql = /* sql */ `
INSERT INTO criteria (name, kind, created_at)
SELECT 'Overall', 'overall', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE NOT EXISTS (SELECT 1 FROM criteria WHERE kind = 'overall' AND deleted_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM criteria WHERE name = 'Overall');
INSERT INTO criterion_versions (criterion_id, version, definition, created_at)
SELECT c.id, 1, '', c.created_at FROM criteria c
WHERE c.kind = 'overall' AND NOT EXISTS (SELECT 1 FROM criterion_versions v WHERE v.criterion_id = c.id);
`
