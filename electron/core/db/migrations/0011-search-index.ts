/**
 * A substring index for the Data screen's search (issue 21): FTS5's trigram tokenizer over each
 * item's id, input and output, lowercased by JavaScript (`foldForSearch`) before indexing, so a
 * phrase query is exactly the scan's case-insensitive `instr` (see item-query.ts). Contentless
 * (the text stays in `items` only) with positions (`detail=full`), so no match needs checking.
 *
 * The index is a cache that is never trusted past what it says it holds: `search_state` names the
 * last item id indexed, and `search_stale` every item at or below it whose text changed (or that
 * went away) since — triggers record those in the same transaction as the change. A search reads
 * the index for the rest and scans exactly those; `electron/core/search-index.ts` catches the index
 * up in the background. So this migration indexes nothing: an existing project is indexed after
 * it opens, a killed import or indexer leaves a consistent file, and results never depend on it.
 */
export const sql = /* sql */ `
CREATE VIRTUAL TABLE item_search USING fts5(
  external_id, input, output,
  content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1', detail = full
);

CREATE TABLE search_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
) STRICT;
INSERT INTO search_state (id, indexed_upto) VALUES (1, 0);

CREATE TABLE search_stale (item_id INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER items_search_insert AFTER INSERT ON items
  WHEN new.id <= (SELECT indexed_upto FROM search_state)
  BEGIN INSERT OR IGNORE INTO search_stale (item_id) VALUES (new.id); END;
CREATE TRIGGER items_search_update AFTER UPDATE OF external_id, input, output ON items
  WHEN old.id <= (SELECT indexed_upto FROM search_state)
  BEGIN INSERT OR IGNORE INTO search_stale (item_id) VALUES (old.id); END;
CREATE TRIGGER items_search_delete AFTER DELETE ON items
  WHEN old.id <= (SELECT indexed_upto FROM search_state)
  BEGIN INSERT OR IGNORE INTO search_stale (item_id) VALUES (old.id); END;
`
