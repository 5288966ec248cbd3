/**
 * What kind of file did the user pick? We look at the extension and the first megabyte only
 * (never the whole file), refuse what cannot be imported with a message that says what to do,
 * and read the first records with the same readers the import will use, so the preview is exact.
 */
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { CsvTokenizer, delimiterName, normalizeHeader } from './readers/csv'
import { sniffEvalFormat } from './readers/evals'
import { isZip } from './readers/evals/inspect'
import { readRecords } from './readers/index'
import { isParquetMagic } from './readers/parquet'
import { firstInvalidUtf8, incompleteTail } from './readers/stream'
import type { Delimiter, Detected, FileFormat, RecordError, SourceRecord } from './types'

/** How much of the file decides the format: enough for ~50 typical rows, little enough to be instant. */
export const SNIFF_BYTES = 1 << 20
/** Records in `Detected.sample`. */
export const SAMPLE_RECORDS = 50

const DELIMITERS: Delimiter[] = [',', '\t', ';', '|']
const FORMAT_NAMES: Record<FileFormat, string> = {
  csv: 'CSV',
  jsonl: 'JSON Lines',
  'json-array': 'a JSON array',
  'json-records': 'a JSON object with a records array',
  'json-columns': 'pandas column-oriented JSON',
  promptfoo: 'promptfoo results',
  inspect: 'an Inspect AI log',
  parquet: 'Parquet',
}

/** Notes naming where an eval tool's records were found, so the user sees which array became items. */
const EVAL_NOTES: Partial<Record<FileFormat, string>> = {
  promptfoo: 'promptfoo results: one item per result of "results.results", its assertions as verdicts',
  inspect: 'Inspect AI log: one item per sample, its scores as verdicts',
}

/** What the user chose instead of what we would guess. */
export interface DetectOverride {
  format?: FileFormat
  delimiter?: Delimiter
  recordsKey?: string
}

/**
 * Guesses the format (and CSV delimiter) of `path` and reads a sample. Throws an Error that names
 * the file and says what to do when it is empty, binary, UTF-16, not UTF-8, yields no record, or
 * hits a fatal error (bad JSON syntax, an unterminated quote) within the sample.
 */
export async function detectFormat(path: string, override: DetectOverride = {}): Promise<Detected> {
  const name = basename(path)
  const info = await stat(path)
  if (info.isDirectory())
    throw new Error(
      `${path} is a folder, not a file. Choose the file inside it that holds your traces (CSV, TSV, JSON or JSONL).`,
    )
  const { size } = info
  if (size === 0)
    throw new Error(`${name} is empty (0 bytes). Choose the file that holds your traces, or export it again.`)
  const head = await readHead(path, Math.min(size, SNIFF_BYTES))
  const notes: string[] = []
  const note = (text: string): void => {
    if (!notes.includes(text)) notes.push(text)
  }
  // Parquet is binary: its magic bytes (or its name, when the file is damaged) say so before any text check.
  const parquet =
    override.format === 'parquet' ||
    (override.format === undefined && (isParquetMagic(head) || extname(path).toLowerCase() === '.parquet'))
  if (!parquet && isZip(head) && isInspectZip(head, extname(path).toLowerCase(), override))
    return detectZip(path, size, override)
  let text = parquet ? 'PAR1' : decodeHead(name, head, head.length < size)
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1)
    note('UTF-8 byte order mark (BOM) removed')
  }
  if (text.trim().length === 0)
    throw new Error(
      `${name} holds only blank lines or spaces. Choose the file that holds your traces, or export it again.`,
    )
  const ending = lineEnding(text)
  if (ending) note(ending)

  const sniffed = override.format ?? sniffFormat(name, extname(path).toLowerCase(), text)
  const format = parquet
    ? 'parquet'
    : (override.format ?? (sniffed === 'json-records' ? (sniffEvalFormat(text) ?? sniffed) : sniffed))
  let delimiter: Delimiter | undefined
  let header: string[] | null = null
  if (format === 'csv') {
    const complete = head.length === size
    const scores = override.delimiter
      ? [scoreDelimiter(text, override.delimiter, complete)]
      : DELIMITERS.map((d) => scoreDelimiter(text, d, complete))
    const best = pickDelimiter(scores, extname(path).toLowerCase())
    delimiter = best.delimiter
    header = best.header && normalizeHeader(best.header).names
    note(`Delimiter: ${delimiterName(delimiter)}${override.delimiter ? ' (chosen)' : ''}`)
  }

  const { sample, sampleErrors, keys, firstValues } = await readSample(path, {
    format,
    delimiter,
    onNote: note,
    recordsKey: override.recordsKey,
  })
  // A fatal error means the import cannot succeed; no record at all means there is nothing to import.
  const stopper = sampleErrors.find((e) => e.fatal) ?? (sample.length === 0 ? sampleErrors[0] : undefined)
  if (stopper) {
    const first = stopper
    throw new Error(
      `${name} could not be read as ${FORMAT_NAMES[format]}: ${format === 'parquet' ? 'row' : 'line'} ${first.line}${first.column ? ` (column "${first.column}")` : ''}: ${first.message}`,
    )
  }
  if (sample.length === 0) throw new Error(noRecords(name, format, header))
  if (format === 'json-columns') note('Column-oriented (pandas to_json) JSON: one record per row index')
  const evalNote = EVAL_NOTES[format]
  if (evalNote) note(evalNote)
  const columns = header ?? keys ?? unionOfKeys(sample)
  return {
    format,
    ...(delimiter ? { delimiter } : {}),
    columns,
    sample,
    notes,
    size,
    ...(sampleErrors.length > 0 ? { sampleErrors } : {}),
    ...(firstValues ? { firstValues } : {}),
  }
}

interface Sampled {
  sample: SourceRecord[]
  sampleErrors: RecordError[]
  /** Eval formats: the fields of every record, since a later result may bring an assertion the first 50 lack. */
  keys: string[] | null
  /** Eval formats: each field's first text value (see `Detected.firstValues`). */
  firstValues: Record<string, string> | null
}

/** The first records (and errors) as the import will read them. */
async function readSample(path: string, options: Parameters<typeof readRecords>[1]): Promise<Sampled> {
  const sample: SourceRecord[] = []
  const sampleErrors: RecordError[] = []
  const whole = options.format in EVAL_NOTES
  const keys = new Set<string>()
  const firstValues: Record<string, string> = {}
  for await (const result of readRecords(path, options)) {
    if ('error' in result) {
      if (sampleErrors.length < SAMPLE_RECORDS) sampleErrors.push(result.error)
      continue
    }
    if (whole)
      for (const [key, value] of Object.entries(result.record.fields)) {
        keys.add(key)
        if (typeof value === 'string' && value !== '' && !Object.hasOwn(firstValues, key)) firstValues[key] = value
      }
    if (sample.length < SAMPLE_RECORDS) sample.push(result.record)
    else if (!whole) break
  }
  return { sample, sampleErrors, keys: whole ? [...keys] : null, firstValues: whole ? firstValues : null }
}

/**
 * Whether a ZIP archive is to be read as an Inspect log: named `.eval` or `.zip`, chosen as one, or
 * naming Inspect's entries in its first megabyte (`_journal/start.json` is written first). Other
 * archives (an .xlsx workbook) get the binary-file message, which says to export them as CSV.
 */
function isInspectZip(head: Uint8Array, ext: string, override: DetectOverride): boolean {
  if (override.format === 'inspect' || ext === '.eval' || ext === '.zip') return true
  const text = new TextDecoder('latin1').decode(head)
  return text.includes('_journal/start.json') || text.includes('header.json')
}

/**
 * A ZIP archive: read as an Inspect AI `.eval` log (the reader refuses, saying what to do, a ZIP
 * that is not one); any other format chosen for it is refused here.
 */
async function detectZip(path: string, size: number, override: DetectOverride): Promise<Detected> {
  const name = basename(path)
  if (override.format && override.format !== 'inspect')
    throw new Error(
      `${name} is a ZIP archive, not ${FORMAT_NAMES[override.format]}. Assay reads a ZIP only as an Inspect AI .eval log; unzip it and choose the CSV, JSON or JSONL file inside.`,
    )
  const { sample, sampleErrors, keys, firstValues } = await readSample(path, { format: 'inspect' })
  const stopper = sampleErrors.find((e) => e.fatal) ?? (sample.length === 0 ? sampleErrors[0] : undefined)
  if (stopper) throw new Error(stopper.message.startsWith(name) ? stopper.message : `${name}: ${stopper.message}`)
  return {
    format: 'inspect',
    columns: keys ?? unionOfKeys(sample),
    sample,
    notes: ['Inspect AI .eval log (a ZIP archive)', EVAL_NOTES.inspect ?? ''],
    size,
    ...(sampleErrors.length > 0 ? { sampleErrors } : {}),
    ...(firstValues ? { firstValues } : {}),
  }
}

/** Why a readable file gives no record, in its format's terms. */
function noRecords(name: string, format: FileFormat, header: string[] | null): string {
  if (format === 'csv') {
    const columns = (header ?? [])
      .slice(0, 12)
      .map((c) => `"${c}"`)
      .join(', ')
    return `${name} has a header row (${columns}${(header?.length ?? 0) > 12 ? ', …' : ''}) but no data rows: there is nothing to import. Export the file again with its rows.`
  }
  return `${name} holds no records (${FORMAT_NAMES[format]} with nothing in it): there is nothing to import. Export the file again with its rows.`
}

/** The first `length` bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = new Uint8Array(length)
    let filled = 0
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return buffer.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

/** Strict UTF-8 of the sniffed bytes (a character cut by the sniff limit is left out, not an error). */
function decodeHead(name: string, head: Uint8Array, truncated: boolean): string {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new Error(
      `${name} is UTF-16 text; Assay reads UTF-8. Re-save it as UTF-8 (in Excel: "CSV UTF-8"; in a text editor: encoding UTF-8) and choose it again.`,
    )
  }
  if (head.includes(0)) {
    throw new Error(
      `${name} looks like a binary file (it contains NUL bytes), not CSV or JSON. If it is a spreadsheet (.xlsx) or an archive, export it as CSV UTF-8 or JSON first.`,
    )
  }
  const body = truncated ? head.subarray(0, head.length - incompleteTail(head)) : head
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    const at = Math.max(0, firstInvalidUtf8(body))
    const bytes = Array.from(
      body.subarray(at, at + 3),
      (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join(' ')
    throw new Error(
      `${name} is not UTF-8: line ${physicalLine(body, at)} holds the bytes ${bytes}. It is probably in a legacy encoding (Windows-1252, Latin-1). Re-save it as UTF-8 (in Excel: "CSV UTF-8") and choose it again.`,
    )
  }
}

/** 1-based line of byte `offset`; CRLF, LF and lone CR each end a line. */
function physicalLine(bytes: Uint8Array, offset: number): number {
  let line = 1
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) line++
    else if (bytes[i] === 13 && bytes[i + 1] !== 10) line++
  }
  return line
}

function lineEnding(text: string): string | null {
  const i = text.search(/[\r\n]/)
  if (i === -1 || text[i] === '\n') return null
  return text[i + 1] === '\n' ? 'Windows (CRLF) line endings' : 'Old Mac (CR) line endings'
}

/** Extension first for the unambiguous ones, then the content: `[`, `{` per line, `{` with pandas shape. */
function sniffFormat(name: string, ext: string, text: string): FileFormat {
  if (ext === '.csv' || ext === '.tsv' || ext === '.tab') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.jsonlines') return 'jsonl'
  const first = text.trimStart()[0]
  if (first === '[') return 'json-array'
  if (first === '{') return secondLineIsObject(text) ? 'jsonl' : objectShape(text)
  if (ext === '.json')
    throw new Error(
      `${name} does not start with "[" or "{", so it is not JSON. If it is CSV, rename it to .csv or choose CSV as the format.`,
    )
  return 'csv'
}

function secondLineIsObject(text: string): boolean {
  const lines = text.split('\n', 50).filter((l) => l.trim().length > 0)
  return lines.length >= 2 && lines[1].trimStart().startsWith('{')
}

/**
 * `{"col": {"0": …}}` is pandas' column orientation; anything else is taken as an object holding
 * a records array (the reader then names the arrays if it cannot tell which one). Only the first
 * key and the first key inside its value are needed, so this works on a cut-off prefix.
 */
function objectShape(text: string): FileFormat {
  const scan = { i: text.indexOf('{') + 1 }
  const key = readKey(text, scan)
  if (key === null) return 'json-records'
  const rest = text.slice(scan.i).trimStart()
  if (!rest.startsWith(':')) return 'json-records'
  const value = rest.slice(1).trimStart()
  if (!value.startsWith('{')) return 'json-records'
  const inner = { i: 1 }
  const innerKey = readKey(value, inner)
  if (innerKey === null) return value.slice(1).trimStart().startsWith('}') ? 'json-columns' : 'json-records'
  return /^-?\d+$/.test(innerKey) ? 'json-columns' : 'json-records'
}

/** Reads the JSON string key after `at.i` (skipping spaces); null if there is none. */
function readKey(text: string, at: { i: number }): string | null {
  let i = at.i
  while (i < text.length && /\s/.test(text[i])) i++
  if (text[i] !== '"') return null
  let j = i + 1
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
  if (j >= text.length) return null
  at.i = j + 1
  try {
    return JSON.parse(text.slice(i, j + 1)) as string
  } catch {
    return null
  }
}

interface DelimiterScore {
  delimiter: Delimiter
  header: string[] | null
  /** Share of data rows with as many fields as the header (0 when the header has one field). */
  consistency: number
}

/** Tokenizes the sniffed text with `delimiter` (quote-aware) and measures how regular the rows are. */
function scoreDelimiter(text: string, delimiter: Delimiter, complete: boolean): DelimiterScore {
  let header: string[] | null = null
  let rows = 0
  let regular = 0
  const tokenizer = new CsvTokenizer(delimiter, (fields, _line, problem) => {
    if (header === null) header = fields
    else if (rows < 200) {
      rows++
      if (fields.length === header.length && problem === null) regular++
    }
  })
  tokenizer.push(text)
  if (complete) tokenizer.end()
  const width = (header as string[] | null)?.length ?? 0
  return { delimiter, header, consistency: width < 2 ? 0 : rows === 0 ? 1 : regular / rows }
}

function pickDelimiter(scores: DelimiterScore[], ext: string): DelimiterScore {
  const preferred = ext === '.tsv' || ext === '.tab' ? '\t' : ','
  const order = (s: DelimiterScore) => (s.delimiter === preferred ? -1 : DELIMITERS.indexOf(s.delimiter))
  const ranked = [...scores].sort((a, b) => b.consistency - a.consistency || order(a) - order(b))
  const best = ranked[0]
  if (best.consistency > 0 || scores.length === 1) return best
  return scores.find((s) => s.delimiter === preferred) ?? best
}

function unionOfKeys(records: SourceRecord[]): string[] {
  const seen = new Set<string>()
  for (const record of records) for (const key of Object.keys(record.fields)) seen.add(key)
  return [...seen]
}
