/**
 * The one way to read a source file: records (or errors naming their line) in file order,
 * whatever the format. Every reader streams, except the two JSON shapes that cannot (see json.ts).
 */
import type { ReadOptions, ReadResult } from '../types'
import { readCsv } from './csv'
import { readEvalFile } from './evals'
import { readJson } from './json'
import { readJsonl } from './jsonl'
import { readParquet } from './parquet'
import { eachResult } from './stream'

/**
 * Reads `path` as `options.format`.
 *
 * - Problems in the content are yielded as `{ error }`: per record (ragged row, bad line, an
 *   element that is not an object), or `fatal: true` when the read cannot go on (unterminated
 *   quote, invalid JSON syntax, bytes that are not UTF-8). Nothing is yielded after a fatal error.
 * - On `options.signal` abort it *returns* early without throwing and without yielding more:
 *   the caller who aborted checks `signal.aborted` and treats what it got as cancelled.
 * - `options.onProgress(bytes)` is called after each chunk (`CHUNK_BYTES`) has been consumed.
 * - I/O failures (missing file, no permission) are thrown as Node reports them.
 */
export function readRecords(path: string, options: ReadOptions): AsyncGenerator<ReadResult> {
  return eachResult(readRecordBatches(path, options), options.signal)
}

/**
 * `readRecords` a chunk's results at a time (hundreds of rows), for the import,
 * which would otherwise spend a good part of its time stepping through a generator per row.
 * On abort it stops at a chunk's end; the caller checks `signal.aborted` row by row.
 */
export async function* readRecordBatches(path: string, options: ReadOptions): AsyncGenerator<ReadResult[]> {
  switch (options.format) {
    case 'csv':
      yield* readCsv(path, options)
      return
    case 'jsonl':
      yield* readJsonl(path, options)
      return
    case 'json-array':
    case 'json-records':
    case 'json-columns':
      yield* readJson(path, options)
      return
    case 'promptfoo':
    case 'inspect':
      yield* readEvalFile(path, options)
      return
    case 'parquet':
      yield* readParquet(path, options)
      return
  }
}
