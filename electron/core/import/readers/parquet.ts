/**
 * Apache Parquet files (Hugging Face datasets, pandas/polars `to_parquet`, Phoenix dataframes),
 * read with hyparquet one row group at a time over positional reads of the file: a row group is
 * the unit Parquet compresses, so it is the least that must be decoded at once, and memory stays
 * at one row group however many the file holds. Values become what the JSON reader gives for the
 * same record (see `toPlain`), so the mapping, checks and errors are those of JSON Lines; a
 * record's `line` is its 1-based row number.
 */
import { open, type FileHandle } from 'node:fs/promises'
import * as zlib from 'node:zlib'
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet'
import type { Compressors, ParquetParsers } from 'hyparquet'
import type { ReadOptions, ReadResult, RecordError } from '../types'

/** Rows per batch handed on: a row group of 100 000 rows goes on in steps the import can cancel between. */
const BATCH_ROWS = 1000
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** True when `head` starts with Parquet's magic bytes `PAR1`. */
export function isParquetMagic(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31
}

/** The file as hyparquet reads it: positional reads on one open handle, never the whole file. */
function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const buffer = new Uint8Array(Math.max(0, end - start))
      let filled = 0
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled)
        if (bytesRead === 0) throw new Error(`the file ends at byte ${start + filled} where ${end} bytes were expected`)
        filled += bytesRead
      }
      return buffer.buffer
    },
  }
}

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array

function isDecompress(value: unknown): value is (input: Uint8Array) => Uint8Array {
  return typeof value === 'function'
}

/**
 * Codecs beyond hyparquet's own (snappy, none), with Node's zlib: gzip and brotli always, zstd
 * (polars' default) where the runtime has it (Node ≥ 22.15, so the desktop app's).
 */
function compressors(): Compressors {
  const out: Compressors = {
    GZIP: (input) => zlib.gunzipSync(input),
    BROTLI: (input) => zlib.brotliDecompressSync(input),
  }
  const zstd: unknown = Reflect.get(zlib, 'zstdDecompressSync')
  if (isDecompress(zstd)) out.ZSTD = ((input) => zstd(input)) satisfies Decompress
  return out
}

/** ISO 8601 in UTC with as many fraction digits as the value has (Date alone would drop microseconds). */
export function isoTime(value: bigint, perMilli: bigint): string {
  let millis = value / perMilli
  let rest = value % perMilli
  if (rest < 0n) {
    millis -= 1n
    rest += perMilli
  }
  const iso = new Date(Number(millis)).toISOString()
  if (rest === 0n) return iso
  const digits = String(perMilli).length - 1
  return `${iso.slice(0, -1)}${String(rest).padStart(digits, '0').replace(/0+$/, '')}Z`
}

/** Times as ISO text (what pandas' `to_json(date_format="iso")` writes), strings decoded strictly. */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v) => isoTime(v, 1n),
  timestampFromMicroseconds: (v) => isoTime(v, 1000n),
  timestampFromNanoseconds: (v) => isoTime(v, 1000000n),
  dateFromDays: (days) => new Date(days * 86400000).toISOString().slice(0, 10),
  stringFromBytes: (bytes: Uint8Array | undefined) => bytes && UTF8.decode(bytes),
}

const NOTES = {
  bigInteger: 'Integers beyond 2^53 kept as text, digit for digit',
  notANumber: 'NaN (a missing float in pandas) read as empty',
  binary: 'Binary values read as base64 text',
}

/** Values JSON has no type for, told to the user once per column (as detection's notes). */
export class Seen {
  private readonly told = new Set<string>()
  constructor(private readonly onNote?: (note: string) => void) {}

  flag(kind: keyof typeof NOTES, column: string): void {
    const note = `${NOTES[kind]} (column "${column}")`
    if (this.told.has(note)) return
    this.told.add(note)
    this.onNote?.(note)
  }
}

/**
 * A decoded Parquet value → the value `JSON.parse` gives for the same record: integers as numbers
 * (one beyond 2^53, which a number would round, as its digits), a missing struct or list as null,
 * NaN (pandas' missing float) as null, ±Infinity as text, bytes without a string type as base64.
 */
export function toPlain(value: unknown, column: string, seen: Seen): unknown {
  if (value === undefined || value === null) return null
  if (typeof value === 'bigint') {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value)
    seen.flag('bigInteger', column)
    return value.toString()
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      seen.flag('notANumber', column)
      return null
    }
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
    return value === 0 ? 0 : value
  }
  if (typeof value !== 'object') return value
  if (value instanceof Uint8Array) {
    seen.flag('binary', column)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  }
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v: unknown) => toPlain(v, column, seen))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key] = toPlain(v, column, seen)
  return out
}

function fatal(line: number, message: string): ReadResult {
  const error: RecordError = { line, message, fatal: true }
  return { error }
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.replace(/^parquet /, '')
}

/** Why the footer could not be read, in words that say what to do. */
function footerProblem(error: unknown, size: number): string {
  return `this is not a complete Parquet file (${reason(error)}; ${size} bytes). It may have been cut off while copying or writing: write or download it again.`
}

/** A codec no reader here decompresses, named with the line of Python that rewrites the file. */
function unsupportedCodec(metadata: FileMetaData, known: Compressors): string | null {
  for (const group of metadata.row_groups)
    for (const column of group.columns) {
      const codec = column.meta_data?.codec
      if (!codec || codec === 'UNCOMPRESSED' || codec === 'SNAPPY' || codec in known) continue
      return `the file is compressed with ${codec}, which Assay cannot decompress here (it reads snappy, gzip, brotli${'ZSTD' in known ? ', zstd' : ''} and uncompressed files). Write it again with snappy: in pandas \`df.to_parquet(path, compression="snappy")\`, in polars \`df.write_parquet(path, compression="snappy")\`.`
    }
  return null
}

/**
 * Streams a Parquet file's rows as records, a row group at a time (handed on `BATCH_ROWS` at a
 * time). A file that is not whole, a codec that cannot be decompressed, or a row group that
 * cannot be decoded ends the read with a fatal error on the first row concerned.
 */
export async function* readParquet(path: string, options: ReadOptions): AsyncGenerator<ReadResult[]> {
  const { signal, onProgress, onNote } = options
  if (signal?.aborted) return
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const file = fileBuffer(handle, size)
    let metadata: FileMetaData
    try {
      metadata = await parquetMetadataAsync(file)
    } catch (error) {
      yield [fatal(1, footerProblem(error, size))]
      return
    }
    const known = compressors()
    const codec = unsupportedCodec(metadata, known)
    if (codec) {
      yield [fatal(1, codec)]
      return
    }
    const seen = new Seen(onNote)
    onNote?.(
      `Parquet: ${metadata.num_rows} rows in ${metadata.row_groups.length} row group${metadata.row_groups.length === 1 ? '' : 's'}`,
    )
    for (const range of rangesOf(metadata)) {
      let rows: Record<string, unknown>[]
      try {
        rows = await parquetReadObjects({
          file,
          metadata,
          rowStart: range.from,
          rowEnd: range.to,
          compressors: known,
          parsers: PARSERS,
          utf8: false,
        })
      } catch (error) {
        yield [fatal(range.from + 1, groupProblem(error, range.groupStart, range.groupRows))]
        return
      }
      if (signal?.aborted) return
      for (let at = 0; at < rows.length; at += BATCH_ROWS) {
        yield rows.slice(at, at + BATCH_ROWS).map((row, i) => record(row, range.from + at + i + 1, seen))
        if (signal?.aborted) return
      }
      if (range.to === range.groupStart + range.groupRows) onProgress?.(groupEnd(range.group, size))
    }
    onProgress?.(size) // the footer, read first, is the rest of the file
  } finally {
    await handle.close()
  }
}

interface RowRange {
  from: number
  to: number
  group: FileMetaData['row_groups'][number]
  groupStart: number
  groupRows: number
}

/**
 * The row ranges to decode, a row group each, except that the first group's first `BATCH_ROWS`
 * rows come on their own: detection and the wizard's preview want 50 rows, and pyarrow writes up
 * to a million rows in a group (hyparquet skips the pages before a range's start, so the rest of
 * the group costs no more for it).
 */
function* rangesOf(metadata: FileMetaData): Generator<RowRange> {
  let groupStart = 0
  for (const [index, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows)
    const end = groupStart + groupRows
    const cut = index === 0 && groupRows > BATCH_ROWS ? BATCH_ROWS : groupRows
    yield { from: groupStart, to: groupStart + cut, group, groupStart, groupRows }
    if (cut < groupRows) yield { from: groupStart + cut, to: end, group, groupStart, groupRows }
    groupStart = end
  }
}

/** A decoded row as a record, its values made plain in place (a row group's rows are not copied again). */
function record(row: Record<string, unknown>, line: number, seen: Seen): ReadResult {
  for (const key of Object.keys(row)) row[key] = toPlain(row[key], key, seen)
  return { record: { line, fields: row } }
}

function groupProblem(error: unknown, start: number, count: number): string {
  const what = error instanceof TypeError && /decode/i.test(error.message) ? 'holds text that is not UTF-8' : ''
  return `rows ${start + 1}–${start + count} (one row group) could not be read: ${what || reason(error)}. The file may be damaged; write or download it again.`
}

/** Bytes of the file up to the end of a row group's last column: progress in the units of the file's size. */
function groupEnd(group: FileMetaData['row_groups'][number], size: number): number {
  let end = 0
  for (const column of group.columns) {
    const meta = column.meta_data
    if (!meta) continue
    const first = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
    end = Math.max(end, first + Number(meta.total_compressed_size))
  }
  return Math.min(end || size, size)
}
