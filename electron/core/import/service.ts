import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { AnyEvent } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import type { DetectedInfo, ImportReport, Mapping, PreviewResult, PreviewRow } from '../../../shared/import'
import type { Db } from '../db/open'
import { emptyColumnErrors, FieldWatch } from './checks'
import { detectFormat, readHead } from './detect'
import { mapRecord } from './mapping/apply'
import { joinOnly, mapSpanRecords, prepareMapping } from './mapping/prepare'
import { suggestMapping } from './mapping/suggest'
import { knownIds, offerLabels, sampleMatches } from './plan'
import { readRecords } from './readers'
import { MAX_WHOLE_JSON_BYTES } from './readers/json'
import { isRecordObject } from './readers/json-syntax'
import { recordArrays } from './readers/records-path'
import { runImport, type ImportRequest } from './run'
import type { Delimiter, FileFormat, LabelStates, MappedItem, RecordError, SourceRecord } from './types'

const PREVIEW_ROWS = 20
/** Span exports need whole traces; the preview assembles them from the first spans of the file. */
const PREVIEW_SPANS = 2000

export interface ImportContext {
  projectPath(): string
  /** The open project's connection, for looking the file's ids up. */
  db(): Db
  emit(event: AnyEvent): void
  nativeBinding?: string
  clock: () => Date
}

interface Source {
  path: string
  format?: FileFormat
  delimiter?: Delimiter
  recordsKey?: string
}

/**
 * The import wizard's handlers: detect (and, for a JSON object holding several arrays, the arrays to
 * choose from) → preview (as often as the mapping changes) → run, cancel.
 */
export function createImportService(ctx: ImportContext) {
  let running: AbortController | null = null

  const detect = async (source: Source) => {
    ctx.projectPath() // an import needs an open project; say so before reading anything
    const { format, delimiter, recordsKey } = source
    const detected = await detectFormat(source.path, { format, delimiter, recordsKey }).catch((error: unknown) => {
      throw new AppError('invalid_input', error instanceof Error ? error.message : String(error))
    })
    if (recordsKey !== undefined && detected.format !== 'json-records')
      throw new AppError(
        'invalid_input',
        `The records array "${recordsKey}" was chosen, but ${basename(source.path)} was read as ${detected.format}, which has none. Read it as a JSON object holding records, or choose no array.`,
      )
    const suggested = suggestMapping(detected)
    const info: DetectedInfo = {
      path: source.path,
      format: detected.format,
      delimiter: detected.delimiter,
      ...(recordsKey === undefined ? {} : { recordsKey }),
      columns: detected.columns,
      notes: detected.notes,
      size: detected.size,
    }
    const sample = suggested.spans
      ? await readSample({ ...source, format: detected.format, delimiter: detected.delimiter }, PREVIEW_SPANS)
      : { records: detected.sample, errors: detected.sampleErrors ?? [] }
    const { mapping, offered } = offerLabels(suggested, sampleMatches(ctx.db(), sample.records, suggested).matched > 0)
    return {
      detected: info,
      mapping,
      offered,
      preview: summarize(source.path, detected.format, sample.records, sample.errors, mapping, ctx.db()),
    }
  }

  const preview = async (source: Source & { format: FileFormat }, mapping: Mapping): Promise<PreviewResult> => {
    const sample = await readSample(source, mapping.spans ? PREVIEW_SPANS : PREVIEW_ROWS)
    return summarize(source.path, source.format, sample.records, sample.errors, mapping, ctx.db())
  }

  const run = async (request: ImportRequest): Promise<ImportReport> => {
    if (running) throw new AppError('conflict', 'An import is already running. Wait for it to finish, or cancel it.')
    running = new AbortController()
    try {
      const report = await runImport(ctx.projectPath(), request, {
        signal: running.signal,
        nativeBinding: ctx.nativeBinding,
        now: ctx.clock,
        onProgress: (p) =>
          ctx.emit({
            name: 'progress',
            payload: {
              task: 'import',
              done: p.bytes,
              total: p.total || null,
              detail: `${p.rows.toLocaleString('en-US')} rows read`,
            },
          }),
      })
      return report
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError(
        'io',
        `The import of ${request.file} failed and wrote nothing: ${error instanceof Error ? error.message : String(error)}`,
      )
    } finally {
      running = null
    }
  }

  const cancel = (): { cancelled: boolean } => {
    if (!running) return { cancelled: false }
    running.abort()
    return { cancelled: true }
  }

  const arrays = (path: string): Promise<{ keys: string[] }> => {
    ctx.projectPath()
    return recordArraysOf(path)
  }

  return { detect, arrays, preview, run, cancel }
}

/**
 * The arrays a JSON object's records may come from (as detection chooses among them), when it
 * holds more than one; none for any other file. A file that does not begin with `{` is not read
 * further, so a failed detection of a large CSV costs nothing more here.
 */
async function recordArraysOf(path: string): Promise<{ keys: string[] }> {
  try {
    const { size } = await stat(path)
    if (size > MAX_WHOLE_JSON_BYTES || !(await startsWithObject(path))) return { keys: [] }
    const document: unknown = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''))
    return { keys: isRecordObject(document) ? recordArrays(document).filter((key) => key !== '') : [] }
  } catch {
    return { keys: [] } // not JSON after all: detection says what is wrong with the file
  }
}

/** Whether a file's first character, past a byte order mark and blanks, opens a JSON object. */
async function startsWithObject(path: string): Promise<boolean> {
  const head = new TextDecoder().decode(await readHead(path, 4096))
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
}

async function readSample(
  source: Source & { format: FileFormat },
  limit: number,
): Promise<{ records: SourceRecord[]; errors: RecordError[] }> {
  const records: SourceRecord[] = []
  const errors: RecordError[] = []
  try {
    const { format, delimiter, recordsKey } = source
    for await (const result of readRecords(source.path, { format, delimiter, recordsKey })) {
      if ('error' in result) errors.push(result.error)
      else records.push(result.record)
      if (records.length + errors.length >= limit) break
    }
  } catch (error) {
    throw new AppError('invalid_input', error instanceof Error ? error.message : String(error))
  }
  return { records, errors }
}

/** A step-wise label as the preview shows it: "GetRecipes → GenWebArgs", "(start) → plan", "passed through Answer". */
function statesText(st: LabelStates, steps: MappedItem['steps']): string {
  if (st.firstFailingStep !== null)
    return `${st.firstFailingStep === 0 ? '(start)' : steps[st.firstFailingStep - 1].name} → ${steps[st.firstFailingStep].name}`
  if (st.firstFailure !== null) return `${st.lastSuccess ?? '(start)'} → ${st.firstFailure}`
  return st.lastSuccess === null ? '' : `passed through ${st.lastSuccess}`
}

/**
 * The first rows as they will be imported, with what is wrong so far: rows that do not map, mapped
 * fields the sample lacks (for CSV: the file), label or verdict columns with no verdict in the
 * sample, and how many rows name items of the project already.
 */
function summarize(
  path: string,
  format: FileFormat,
  records: SourceRecord[],
  readErrors: RecordError[],
  mapping: Mapping,
  db: Db,
): PreviewResult {
  const errors = [...readErrors]
  const watch = new FieldWatch(mapping)
  let sources = records
  if (mapping.spans) {
    const grouped = mapSpanRecords(records, mapping, watch)
    errors.push(...grouped.errors)
    sources = grouped.records
  } else for (const r of records) watch.see(r.fields)
  const where = format === 'csv' ? 'in any row' : `in the first ${records.length} records`
  if (records.length > 0)
    errors.push(
      ...watch.errors(basename(path), format === 'csv' ? Object.keys(records[0].fields) : undefined, false, where),
    )
  const prepared = prepareMapping(mapping)
  const rows: PreviewRow[] = []
  for (const record of sources.slice(0, PREVIEW_ROWS)) {
    const mapped = mapRecord(record, mapping, prepared)
    if (!mapped.ok) {
      errors.push(mapped.error)
      continue
    }
    const { item } = mapped
    rows.push({
      line: record.line,
      externalId: item.externalId,
      kind: item.kind,
      input: item.input.slice(0, 300),
      output: item.output.slice(0, 300),
      messages: item.messages.length,
      steps: item.steps.map((s) => s.name),
      labels: mapped.labels.map((l) => ({
        criterion: l.criterion,
        verdict: l.verdict,
        note: l.note,
        ...(l.states ? { states: statesText(l.states, item.steps) } : {}),
      })),
      verdicts: mapped.verdicts.map((v) => ({ judge: v.judge, criterion: v.criterion, verdict: v.verdict })),
      split:
        mapped.splits.map((s) => (mapped.splits.length > 1 ? `${s.criterion}: ${s.split}` : s.split)).join(', ') ||
        null,
      metadata: Object.keys(item.metadata),
    })
  }
  errors.push(...emptyColumnErrors(mapping, prepared.tallies, errors))
  return {
    rows,
    errors,
    join: joinOnly(mapping),
    matched: knownIds(
      db,
      mapping,
      rows.map((r) => r.externalId),
    ),
  }
}
