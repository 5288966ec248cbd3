/**
 * The current label of each (item, criterion, annotator) is the newest row of its history; this
 * view gives every reader that one definition, and the index on verdicts makes the items table's
 * "latest judge verdict" column an index lookup.
 */
export const sql = /* sql */ `
CREATE VIEW current_labels AS
SELECT l.*
FROM labels l
WHERE l.id = (
  SELECT max(l2.id) FROM labels l2
  WHERE l2.item_id = l.item_id AND l2.criterion_id = l.criterion_id AND l2.annotator = l.annotator
)
AND l.verdict <> 'cleared';

CREATE INDEX verdicts_item_run ON verdicts(item_id, run_id);
DROP INDEX verdicts_item;
`
