import type { Mapping } from '../../../shared/import'
import { mapRecord, mapSpanRecords, prepareMapping, type MapResult } from './mapping'
import { readRecordBatches } from './readers'
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

/** Events per step of `mappedEvents`: stepping an async generator once a row costs about as much as mapping the row. */
const EVENTS_PER_STEP = 1000

/**
 * Reads and maps a file, in file order, up to `EVENTS_PER_STEP` events at a time. (Parsing in a
 * worker thread was tried: structured-cloning the mapped rows back cost as much as the parsing
 * saved.)
 */
export async function* mappedEvents(request: SourceRequest, signal?: AbortSignal): AsyncGenerator<MappedEvent[]> {
  const prepared = prepareMapping(request.mapping)
  let rows = 0
  let bytes = 0
  const spans: SourceRecord[] = []
  let events: MappedEvent[] = []
  const step = () => {
    const out = events
    events = []
    return out
  }
  for await (const results of readRecordBatches(request.file, { format: request.format, delimiter: request.delimiter, signal, onProgress: (b) => (bytes = b) })) {
    for (const result of results) {
      if ('error' in result) {
        events.push({ kind: 'progress', rows, bytes }, { kind: 'unreadable', error: result.error })
        if (!result.error.fatal) continue
        yield step()
        return
      }
      rows++
      if (request.mapping.spans) spans.push(result.record)
      else events.push({ kind: 'mapped', line: result.record.line, result: mapRecord(result.record, request.mapping, prepared) })
      if (rows % 1000 === 0) events.push({ kind: 'progress', rows, bytes })
      if (events.length >= EVENTS_PER_STEP) yield step()
    }
    if (signal?.aborted) return
  }
  events.push({ kind: 'progress', rows, bytes })
  if (request.mapping.spans && !signal?.aborted) {
    const grouped = mapSpanRecords(spans, request.mapping)
    for (const error of grouped.errors) events.push({ kind: 'unreadable', error })
    for (const record of grouped.records) {
      events.push({ kind: 'mapped', line: record.line, result: mapRecord(record, request.mapping, prepared) })
      if (events.length >= EVENTS_PER_STEP) yield step()
    }
  }
  yield step()
}
