import Database from 'better-sqlite3'
import { openSync, closeSync, writeSync } from 'node:fs'

/**
 * Overwrites with garbage the pages SQLite's `dbstat` lists for `table` (only those of
 * `pagetype`, if given; `pick` chooses among them), so a file is damaged exactly where a test
 * wants it: pages every open reads, pages only the integrity check reads, or one item's
 * overflow pages. Returns the page numbers. The file must be closed (its WAL checkpointed).
 */
export function scribble(
  path: string,
  table: string,
  o: { pagetype?: 'leaf' | 'internal' | 'overflow'; pick?: (pages: number[]) => number[] } = {},
): number[] {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  let pages: number[]
  let size: number
  try {
    size = db.pragma('page_size', { simple: true }) as number
    const rows = db
      .prepare('SELECT pageno FROM dbstat WHERE name = ? AND (? IS NULL OR pagetype = ?) ORDER BY pageno')
      .pluck()
      .all(table, o.pagetype ?? null, o.pagetype ?? null) as number[]
    pages = (o.pick ?? ((all) => all))(rows)
  } finally {
    db.close()
  }
  if (pages.length === 0) throw new Error(`no ${o.pagetype ?? ''} pages of ${table} in ${path} to damage`)
  const fd = openSync(path, 'r+')
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(size, 0xab), 0, size, (page - 1) * size)
  } finally {
    closeSync(fd)
  }
  return pages
}
