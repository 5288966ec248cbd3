/**
 * Where an item's split came from: `auto` (Assay placed it: seeded, stratified) or `file` (an
 * import's split column or "these items are the test set"). Changing the shares re-places only
 * automatic splits, and only while no judge has used them. Before this column, imports wrote seed
 * 0 and Assay the criterion's seed (1 by default), so seed 0 under another seed means a file's split.
 */
export const sql = /* sql */ `
ALTER TABLE splits ADD COLUMN origin TEXT NOT NULL DEFAULT 'auto' CHECK (origin IN ('auto', 'file'));
UPDATE splits SET origin = 'file'
WHERE seed = 0 AND NOT EXISTS (SELECT 1 FROM split_settings ss WHERE ss.criterion_id = splits.criterion_id AND ss.seed = 0);
`
