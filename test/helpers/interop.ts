import Database from 'better-sqlite3'
import { resolve } from 'node:path'
import type { ImportReport } from '../../shared/import'
import { runCli } from './cli'
import { repoRoot } from './paths'

/** A fixture of test/fixtures/interop (each written from its tool's public format documentation). */
export const interopFixture = (name: string): string => resolve(repoRoot, 'test/fixtures/interop', name)

/** `assay import PROJECT FILE …args --json` in `dir`, with the report parsed. */
export async function importInterop(dir: string, project: string, file: string, ...args: string[]) {
  const r = await runCli(['import', project, file, ...args, '--json'], dir)
  return { ...r, report: r.json() as ImportReport }
}

/** What a user checks after an import: items, steps, labels and verdicts as the project holds them. */
export interface Held {
  items: {
    id: string
    kind: string
    input: string
    output: string
    messages: number
    steps: string[]
    stepRows: { name: string; input: string; output: string; metadata: Record<string, unknown> }[]
    metadata: Record<string, unknown>
  }[]
  labels: { item: string; criterion: string; verdict: string; note: string }[]
  verdicts: { item: string; judge: string; verdict: string; critique: string | null }[]
}

/** Reads the project's items (in external-id order), their steps, labels and verdicts. */
export function held(project: string): Held {
  const db = new Database(project, { readonly: true })
  try {
    const rows = db
      .prepare(
        'SELECT id, external_id AS ext, kind, input, output, messages_json AS m, metadata_json AS md FROM items ORDER BY external_id',
      )
      .all() as { id: number; ext: string; kind: string; input: string; output: string; m: string; md: string }[]
    const steps = db.prepare(
      'SELECT name, input, output, metadata_json AS md FROM steps WHERE item_id = ? ORDER BY idx',
    )
    const items = rows.map((r) => {
      const stepRows = (steps.all(r.id) as { name: string; input: string; output: string; md: string }[]).map((s) => ({
        name: s.name,
        input: s.input,
        output: s.output,
        metadata: JSON.parse(s.md) as Record<string, unknown>,
      }))
      return {
        id: r.ext,
        kind: r.kind,
        input: r.input,
        output: r.output,
        messages: (JSON.parse(r.m) as unknown[]).length,
        steps: stepRows.map((s) => s.name),
        stepRows,
        metadata: JSON.parse(r.md) as Record<string, unknown>,
      }
    })
    const labels = db
      .prepare(
        `SELECT i.external_id AS item, c.name AS criterion, l.verdict, l.note FROM labels l
         JOIN items i ON i.id = l.item_id JOIN criteria c ON c.id = l.criterion_id ORDER BY i.external_id, c.name`,
      )
      .all() as Held['labels']
    const verdicts = db
      .prepare(
        `SELECT i.external_id AS item, j.name AS judge, v.verdict, v.critique FROM verdicts v
         JOIN items i ON i.id = v.item_id JOIN runs r ON r.id = v.run_id
         JOIN judge_versions jv ON jv.id = r.judge_version_id JOIN judges j ON j.id = jv.judge_id
         ORDER BY j.name, i.external_id`,
      )
      .all() as Held['verdicts']
    return { items, labels, verdicts }
  } finally {
    db.close()
  }
}

export interface ProjectCounts {
  items: number
  messages: number
  labels: number
  verdicts: Record<string, number>
}

/** What the project holds: items, chat messages, labels and verdicts by value. */
export function projectCounts(project: string): ProjectCounts {
  const db = new Database(project, { readonly: true })
  try {
    const rows = db.prepare('SELECT messages_json FROM items').pluck().all() as string[]
    const verdicts: Record<string, number> = {}
    for (const r of db.prepare('SELECT verdict, count(*) AS n FROM verdicts GROUP BY verdict').all() as {
      verdict: string
      n: number
    }[])
      verdicts[r.verdict] = r.n
    return {
      items: rows.length,
      messages: rows.reduce((n, m) => n + (JSON.parse(m) as unknown[]).length, 0),
      labels: db.prepare('SELECT count(*) FROM labels').pluck().get() as number,
      verdicts,
    }
  } finally {
    db.close()
  }
}
