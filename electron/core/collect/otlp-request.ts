/**
 * One OTLP/HTTP trace export request (`POST /v1/traces`) read into span records: the body
 * un-gzipped, decoded from JSON or protobuf, checked, and flattened as the span importer flattens an
 * OTLP JSON file (`expandOtlpRecords`). A request that is not right is refused whole, with what was
 * wrong: nothing of it is stored, so an item is never built from half a request.
 */
import { gunzipSync } from 'node:zlib'
import { isPlainObject } from '../import/fields'
import { expandOtlpRecords } from '../import/spans'
import type { SourceRecord } from '../import/types'
import { decodeTraceRequest, ProtobufError } from './otlp-protobuf'

/** The two encodings of OTLP/HTTP. */
export type OtlpEncoding = 'json' | 'protobuf'

/** The largest body taken (after gzip): a batch of spans is kilobytes to a few megabytes. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

/** A request refused with an HTTP status (400: the sender's data is wrong and retrying will not help). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The encoding a Content-Type names, or null for one OTLP/HTTP does not use. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/json') return 'json'
  if (type === 'application/x-protobuf') return 'protobuf'
  return null
}

/** The body as sent, un-gzipped when `Content-Encoding: gzip` says so. */
export function unzipBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  const coding = (contentEncoding ?? '').trim().toLowerCase()
  if (coding === '' || coding === 'identity') return body
  if (coding !== 'gzip')
    throw new RequestError(415, `Content-Encoding "${coding}" is not supported: send gzip or no encoding.`)
  try {
    return gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES })
  } catch (error) {
    if (error instanceof RangeError)
      throw new RequestError(
        413,
        `The body is larger than ${MAX_BODY_BYTES} bytes once un-gzipped: export smaller batches.`,
      )
    throw new RequestError(400, `The body is not valid gzip: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * The request's spans, one record each in arrival order (the resource's `service.name` kept as
 * `resource.service.name`). Every span needs a trace id and a span id: a span without one is refused
 * with where it is in the request.
 */
export function requestSpans(body: Buffer, encoding: OtlpEncoding): SourceRecord[] {
  const request = encoding === 'json' ? parseJson(body) : parseProtobuf(body)
  checkShape(request)
  const spans = expandOtlpRecords([{ line: 1, fields: request }])
  // A request with no resourceSpans at all expands to itself: it has no spans.
  if (spans.length === 1 && spans[0].fields === request) return []
  spans.forEach((span, i) => {
    for (const id of ['traceId', 'spanId']) {
      const v = span.fields[id]
      if (typeof v !== 'string' || v.trim() === '' || /^0+$/.test(v))
        throw new RequestError(400, `Span ${i + 1} of the request has no ${id}: every OTLP span needs one.`)
    }
  })
  return spans.map((s, i) => ({ line: i + 1, fields: s.fields }))
}

function parseJson(body: Buffer): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8')) as unknown
  } catch (error) {
    throw new RequestError(400, `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!isPlainObject(parsed))
    throw new RequestError(400, 'The body is not an OTLP ExportTraceServiceRequest: expected {"resourceSpans": [...]}.')
  return parsed
}

function parseProtobuf(body: Buffer): Record<string, unknown> {
  try {
    return decodeTraceRequest(body)
  } catch (error) {
    if (error instanceof ProtobufError)
      throw new RequestError(400, `The body is not an OTLP ExportTraceServiceRequest in protobuf: ${error.message}.`)
    throw error
  }
}

/** resourceSpans → scopeSpans → spans must be lists of objects: `expandOtlpRecords` would skip anything else. */
function checkShape(request: Record<string, unknown>): void {
  const list = (v: unknown, where: string): Record<string, unknown>[] => {
    if (v === undefined) return []
    if (!Array.isArray(v) || !v.every(isPlainObject))
      throw new RequestError(400, `${where} must be a list of objects (OTLP ExportTraceServiceRequest).`)
    return v
  }
  list(request.resourceSpans, 'resourceSpans').forEach((rs, i) => {
    list(rs.scopeSpans, `resourceSpans[${i}].scopeSpans`).forEach((ss, j) => {
      list(ss.spans, `resourceSpans[${i}].scopeSpans[${j}].spans`)
    })
  })
}
