/**
 * Received spans into the project, one export request per transaction. Each span is stored raw
 * (collected_spans); every trace the request added spans to is then grouped again from all its spans
 * with the span importer's own code (`mapSpanRecords` → `mapRecord`, with the mapping the import
 * wizard suggests for an OTLP JSON file) and its item inserted or updated in place. So a trace whose
 * spans arrive over several requests is exactly the item importing all of them at once would give,
 * and an item keeps its id (and its labels) as it grows. A trace the importer would refuse (most
 * often one with nothing to review yet: an HTTP span whose LLM children have not come) keeps its
 * spans and gets no item until a later request makes it one; the batch says so, with the reason.
 */
import type { Mapping } from '../../../shared/import'
import type { Db } from '../db/open'
import { collectedSpans } from '../db/repos/collected'
import { newItemWriter } from '../db/repos/imports/items'
import { mapRecord } from '../import/mapping/apply'
import { mapSpanRecords, prepareMapping } from '../import/mapping/prepare'
import { suggestMapping } from '../import/mapping/suggest'
import type { SourceRecord } from '../import/types'

/** The name of the received traces' dataset. */
export const COLLECTED_DATASET = 'Received traces (OTLP)'

/** What one committed request did. */
export interface BatchResult {
  /** Spans stored (a span the project had already is not counted). */
  spans: number
  /** Spans sent again (the exporter retried a request): ignored. */
  repeated: number
  /** Trace ids that became new items, and items that got more spans. */
  newTraces: string[]
  grownTraces: string[]
  /** Traces stored as spans but not (yet) an item, with the importer's reason. */
  heldBack: { traceId: string; reason: string }[]
  /** Received traces in the project after the request. */
  total: number
}

/** The mapping the import wizard suggests for an OTLP JSON file: the receiver groups spans exactly so. */
export function collectMapping(): Mapping {
  return suggestMapping({ format: 'json-records', columns: ['resourceSpans'], sample: [], notes: [], size: 0 })
}

/** See the module's comment. `write` commits one request's spans, or nothing (it throws). */
export function createCollector(db: Db, clock: () => Date = () => new Date()) {
  const repo = collectedSpans(db)
  const mapping = collectMapping()
  const write = (spans: SourceRecord[]): BatchResult => {
    const at = clock().toISOString()
    const datasetId = repo.dataset(COLLECTED_DATASET, mapping, at)
    const touched = new Set<string>()
    let stored = 0
    for (const span of spans) {
      const traceId = String(span.fields.traceId)
      const spanId = String(span.fields.spanId)
      if (!repo.add(datasetId, { traceId, spanId, json: JSON.stringify(span.fields) }, at)) continue
      stored++
      touched.add(traceId)
    }
    const items = newItemWriter(db, at)
    const prepared = prepareMapping(mapping)
    const result: BatchResult = {
      spans: stored,
      repeated: spans.length - stored,
      newTraces: [],
      grownTraces: [],
      heldBack: [],
      total: 0,
    }
    for (const traceId of touched) {
      const records = repo.spans(datasetId, traceId).map((json, i) => ({ line: i + 1, fields: parse(json) }))
      const grouped = mapSpanRecords(records, mapping)
      if (grouped.records.length !== 1 || grouped.errors.length > 0)
        throw new Error(`trace ${traceId} did not group into one trace`)
      const mapped = mapRecord(grouped.records[0], mapping, prepared)
      if (!mapped.ok) {
        result.heldBack.push({ traceId, reason: mapped.error.message })
        continue
      }
      const written = items.item(datasetId, mapped.item, 'replace')
      if (!written) throw new Error(`trace ${traceId} was not written`)
      ;(written.duplicate ? result.grownTraces : result.newTraces).push(traceId)
    }
    result.total = repo.count(datasetId)
    return result
  }
  return {
    /** Stores one request's spans and rebuilds the traces they belong to, in one transaction. */
    write: (spans: SourceRecord[]): BatchResult => db.transaction(write).immediate(spans),
  }
}

function parse(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>
}
