import { basename } from 'node:path'
import type { Mapping } from '../../../shared/import'
import { FieldWatch } from './checks'
import { mapRecord, type MapResult } from './mapping/apply'
import { joinOnly, mapSpanRecords, prepareMapping, type PreparedMapping } from './mapping/prepare'
import { readRecordBatches } from './readers'
import type { Delimiter, FileFormat, RecordError, SourceRecord } from './types'

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
  delimiter?: Delimiter
  /** `json-records`: the key of the records array, when the object holds several. */
  recordsKey?: string
  mapping: Mapping
}

/**
 * Events per step of `mappedEvents`: stepping an async generator once a row costs about as much
 * as mapping the row, and a smaller step keeps fewer rows alive (see `CHUNK_BYTES`).
 */
const EVENTS_PER_STEP = 250

/**
 * Reads and maps a file, in file order, up to `EVENTS_PER_STEP` events at a time. (Parsing in a
 * worker thread was tried: structured-cloning the mapped rows back cost as much as the parsing
 * saved.) A mapped field that no record has ends the file with a fatal error naming it: at the
 * first row for CSV (its header says which fields exist), after the last one for JSON. `prepared`
 * counts, as the rows go, what the label and verdict columns hold.
 */
export async function* mappedEvents(
  request: SourceRequest,
  signal?: AbortSignal,
  prepared: PreparedMapping = prepareMapping(request.mapping),
): AsyncGenerator<MappedEvent[]> {
  const watch = new FieldWatch(request.mapping)
  const name = basename(request.file)
  let rows = 0
  let bytes = 0
  const spans: SourceRecord[] = []
  let events: MappedEvent[] = []
  const step = () => {
    const out = events
    events = []
    return out
  }
  for await (const results of readRecordBatches(request.file, {
    format: request.format,
    delimiter: request.delimiter,
    recordsKey: request.recordsKey,
    signal,
    onProgress: (b) => (bytes = b),
  })) {
    for (const result of results) {
      if ('error' in result) {
        events.push({ kind: 'progress', rows, bytes }, { kind: 'unreadable', error: result.error })
        if (!result.error.fatal) continue
        yield step()
        return
      }
      rows++
      if (request.mapping.spans) spans.push(result.record)
      else {
        watch.see(result.record.fields)
        if (rows === 1) {
          const fields = Object.keys(result.record.fields)
          const problems = [
            ...(request.format === 'csv' ? watch.errors(name, fields, true) : []),
            ...(mapsNothing(request.mapping) ? [nothingMapped(name, fields)] : []),
          ]
          if (problems.length > 0) {
            events.push(
              { kind: 'progress', rows, bytes },
              ...problems.map((error) => ({ kind: 'unreadable' as const, error })),
            )
            yield step()
            return
          }
        }
        events.push({
          kind: 'mapped',
          line: result.record.line,
          result: mapRecord(result.record, request.mapping, prepared),
        })
      }
      if (rows % 1000 === 0) events.push({ kind: 'progress', rows, bytes })
      if (events.length >= EVENTS_PER_STEP) yield step()
    }
    if (signal?.aborted) return
  }
  events.push({ kind: 'progress', rows, bytes })
  if (request.mapping.spans && !signal?.aborted) {
    const grouped = mapSpanRecords(spans, request.mapping, watch)
    for (const error of grouped.errors) events.push({ kind: 'unreadable', error })
    for (const record of grouped.records) {
      events.push({ kind: 'mapped', line: record.line, result: mapRecord(record, request.mapping, prepared) })
      if (events.length >= EVENTS_PER_STEP) yield step()
    }
  }
  if (rows > 0 && !signal?.aborted) for (const error of watch.errors(name)) events.push({ kind: 'unreadable', error })
  yield step()
}

/** A mapping with no trace fields that is not a labels/verdicts file either: every row would be empty. */
const mapsNothing = (m: Mapping): boolean => !(m.input || m.output || m.messages || m.steps || m.spans) && !joinOnly(m)

function nothingMapped(file: string, fields: string[]): RecordError {
  const list = fields
    .slice(0, 30)
    .map((f) => `"${f}"`)
    .join(', ')
  return {
    line: 1,
    fatal: true,
    message: `The mapping takes no trace from ${file}: no field is mapped as its input, output, chat messages or pipeline steps, so every row would be empty. Its fields: ${list}${fields.length > 30 ? ', …' : ''}. Map the ones that hold the trace (--map input=FIELD --map output=FIELD), or check that this is a trace file.`,
  }
}
