import type { Mapping } from '../../../shared/import'
import { mapRecord, mapSpanRecords, type MapResult } from './mapping'
import { readRecords } from './readers'
import type { FileFormat, RecordError, SourceRecord } from './types'

/** What the import pipeline consumes, in file order. */
export type MappedEvent =
  /** One candidate item (a row, or a trace assembled from spans), mapped. */
  | { kind: 'mapped'; line: number; result: MapResult }
  /** A row the reader (or the span grouping) rejected; `fatal` ends the file. */
  | { kind: 'unreadable'; error: RecordError }
  /** Rows read and bytes consumed so far. */
  | { kind: 'progress'; rows: number; bytes: number }

export interface SourceRequest {
  file: string
  format: FileFormat
  delimiter?: ',' | ';' | '\t' | '|'
  mapping: Mapping
}

/**
 * Reads and maps a file, in file order. (Parsing in a worker thread was tried: structured-cloning
 * the mapped rows back cost as much as the parsing saved, since SQLite's inserts dominate.)
 */
export async function* mappedEvents(request: SourceRequest, signal?: AbortSignal): AsyncGenerator<MappedEvent> {
  let rows = 0
  let bytes = 0
  const spans: SourceRecord[] = []
  for await (const result of readRecords(request.file, { format: request.format, delimiter: request.delimiter, signal, onProgress: (b) => (bytes = b) })) {
    if ('error' in result) {
      yield { kind: 'progress', rows, bytes }
      yield { kind: 'unreadable', error: result.error }
      if (result.error.fatal) return
      continue
    }
    rows++
    if (request.mapping.spans) spans.push(result.record)
    else yield { kind: 'mapped', line: result.record.line, result: mapRecord(result.record, request.mapping) }
    if (rows % 1000 === 0) yield { kind: 'progress', rows, bytes }
  }
  yield { kind: 'progress', rows, bytes }
  if (request.mapping.spans && !signal?.aborted) {
    const grouped = mapSpanRecords(spans, request.mapping)
    for (const error of grouped.errors) yield { kind: 'unreadable', error }
    for (const record of grouped.records) yield { kind: 'mapped', line: record.line, result: mapRecord(record, request.mapping) }
  }
}
