import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { AppError } from '../../shared/errors'
import type { Db } from './db/open'
import { exportsRepo } from './db/repos/exports'
import { parquetSink } from './export-parquet'

export type ExportFormat = 'csv' | 'jsonl' | 'parquet'

/** Column names of an export, shared with the importer so an export imports back as it was. */
export const exportColumn = {
  label: (criterion: string) => `${criterion}.label`,
  note: (criterion: string) => `${criterion}.note`,
  annotator: (criterion: string) => `${criterion}.annotator`,
  labeledAt: (criterion: string) => `${criterion}.labeled_at`,
  split: (criterion: string) => `${criterion}.split`,
  judge: (criterion: string, judge: string, version: number) => `${criterion}.judge:${judge}@v${version}`,
  critique: (criterion: string, judge: string, version: number) => `${criterion}.judge:${judge}@v${version}.critique`,
}

/** The columns of `exportHistory`: one row per label ever saved, undos included. */
const HISTORY_COLUMNS = [
  'label_id',
  'id',
  'dataset',
  'criterion',
  'criterion_version',
  'verdict',
  'note',
  'annotator',
  'first_failing_step',
  'last_success_state',
  'first_failure_state',
  'session',
  'reverts_label_id',
  'created_at',
] as const

/**
 * Writes one row per item: id, dataset, kind, input, output, messages, steps, metadata, and per
 * criterion the current human verdict, note, annotator, time and split, and the verdict (and
 * critique) of each judge version. Streams: memory stays flat on a million items. Returns the
 * number of rows.
 */
export async function exportItems(db: Db, out: Writable, format: ExportFormat): Promise<number> {
  const repo = exportsRepo(db)
  const { criteria, judges } = repo.columns()
  const header = ['id', 'dataset', 'kind', 'input', 'output', 'messages', 'steps', 'metadata']
  for (const c of criteria)
    header.push(
      exportColumn.label(c.name),
      exportColumn.note(c.name),
      exportColumn.annotator(c.name),
      exportColumn.labeledAt(c.name),
      exportColumn.split(c.name),
    )
  for (const j of judges)
    header.push(
      exportColumn.judge(j.criterion, j.judge, j.version),
      exportColumn.critique(j.criterion, j.judge, j.version),
    )

  const sink = rowSink(out, format, header)
  let rows = 0
  for (const item of repo.items()) {
    const row: Record<string, unknown> = {
      id: item.external_id,
      dataset: item.dataset,
      kind: item.kind,
      input: item.input,
      output: item.output,
      messages: JSON.parse(item.messages_json) as unknown,
      steps: repo.steps(item.id).map((s) => ({
        name: s.name,
        input: s.input,
        output: s.output,
        metadata: JSON.parse(s.metadata_json) as unknown,
      })),
      metadata: JSON.parse(item.metadata_json) as unknown,
    }
    const byCriterion = new Map(criteria.map((c) => [c.id, c.name]))
    for (const c of criteria)
      for (const column of [
        exportColumn.label,
        exportColumn.note,
        exportColumn.annotator,
        exportColumn.labeledAt,
        exportColumn.split,
      ])
        row[column(c.name)] = ''
    for (const l of repo.labels(item.id)) {
      const name = byCriterion.get(l.criterionId)
      if (name)
        Object.assign(row, {
          [exportColumn.label(name)]: l.verdict,
          [exportColumn.note(name)]: l.note,
          [exportColumn.annotator(name)]: l.annotator,
          [exportColumn.labeledAt(name)]: l.createdAt,
        })
    }
    for (const s of repo.splits(item.id)) {
      const name = byCriterion.get(s.criterionId)
      if (name) row[exportColumn.split(name)] = s.split
    }
    const verdicts = new Map(repo.verdicts(item.id).map((v) => [v.versionId, v]))
    for (const j of judges) {
      const v = verdicts.get(j.versionId)
      row[exportColumn.judge(j.criterion, j.judge, j.version)] = v?.verdict ?? ''
      row[exportColumn.critique(j.criterion, j.judge, j.version)] = v?.critique ?? ''
    }
    await sink.row(row)
    rows++
  }
  await sink.end()
  return rows
}

/**
 * Writes the whole label history (`--history`): every verdict ever saved, in order, with its
 * note, annotator, criterion version, session and time; an undo is a row that names the label it
 * reverts. Nothing is ever deleted, so this is the audit trail of every decision.
 */
export async function exportHistory(db: Db, out: Writable, format: ExportFormat): Promise<number> {
  const sink = rowSink(out, format, HISTORY_COLUMNS)
  let rows = 0
  for (const row of exportsRepo(db).history()) {
    await sink.row(row)
    rows++
  }
  await sink.end()
  return rows
}

const writer = (out: Writable) => async (text: string | Uint8Array) => {
  if (out.destroyed) throw closedEarly()
  if (!out.write(text)) await drained(out)
}

const closedEarly = () =>
  new AppError('io', 'The export stopped before its end: the file or download it was writing to was closed.')

/**
 * Waits until `out` takes more. A destination that closes first (a download the user cancelled)
 * ends the export with an error instead of waiting forever with the project's rows still being read.
 */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain).off('close', onClose).off('error', onError)
      if (error) reject(error)
      else resolve()
    }
    const onDrain = () => settle()
    const onClose = () => settle(closedEarly())
    const onError = (error: Error) => settle(error)
    out.on('drain', onDrain).on('close', onClose).on('error', onError)
  })
}

/** A CSV cell's text: strings as they are, numbers as digits, nothing as '', anything else as JSON. */
const cell = (v: unknown): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : JSON.stringify(v)

/** Rows → `out` in `format`: a CSV header and lines, JSON Lines, or Parquet row groups of the CSV's cells. */
function rowSink(
  out: Writable,
  format: ExportFormat,
  header: readonly string[],
): { row(row: Record<string, unknown>): Promise<void>; end(): Promise<void> } {
  const write = writer(out)
  if (format === 'parquet') {
    const sink = parquetSink(header, write)
    return { row: (row) => sink.row(header.map((h) => cell(row[h]))), end: () => sink.end() }
  }
  let started = false
  return {
    async row(row) {
      if (format === 'jsonl') return write(`${JSON.stringify(row)}\n`)
      if (!started) await write(`${header.map(csvCell).join(',')}\r\n`)
      started = true
      await write(`${header.map((h) => csvCell(cell(row[h]))).join(',')}\r\n`)
    },
    async end() {
      if (format === 'csv' && !started) await write(`${header.map(csvCell).join(',')}\r\n`)
    },
  }
}

/** Exports into a file; the file is complete when the promise resolves. */
export async function exportToFile(
  db: Db,
  path: string,
  format: ExportFormat,
  what: 'items' | 'history' = 'items',
): Promise<number> {
  const out = createWriteStream(path)
  const rows = await (what === 'history' ? exportHistory : exportItems)(db, out, format)
  out.end()
  await once(out, 'finish')
  return rows
}

/** RFC 4180: quote a cell that holds a comma, a quote or a line break; double its quotes. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
