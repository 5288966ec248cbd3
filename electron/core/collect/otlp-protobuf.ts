/**
 * OTLP/HTTP protobuf bodies (`ExportTraceServiceRequest`) read into the OTLP/JSON shape, so that
 * both encodings go through one path (`expandOtlpRecords`, then the span importer).
 *
 * Why a decoder of our own: @opentelemetry/otlp-transformer 0.301 no longer ships a generated
 * protobuf root (protobufjs is only its dev dependency); it exports `ProtobufTraceSerializer`, whose
 * `serializeRequest` writes requests and whose `deserializeResponse` reads only the service's
 * *response*. Nothing in the OpenTelemetry JS packages decodes a request. This table follows
 * opentelemetry-proto (collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto), and the tests check it against that
 * serializer and the project's `JsonTraceSerializer` on the same spans.
 *
 * The output follows the proto3 JSON mapping as OTLP/HTTP JSON uses it: lowerCamelCase names, trace
 * and span ids as lower-case hex, 64-bit times as decimal strings, enums as numbers, `bytesValue` as
 * base64. Only fields present on the wire appear; unknown fields are skipped, as protobuf requires.
 */

type FieldType =
  | 'string'
  | 'hex' // bytes shown as hex: trace and span ids
  | 'bytes' // bytes shown as base64
  | 'uint' // uint32 and enums (varint)
  | 'int64' // signed varint
  | 'bool'
  | 'fixed64' // unsigned 64-bit: nanosecond times, as a decimal string
  | 'fixed32'
  | 'double'

interface Field {
  name: string
  type: FieldType | Message
  repeated?: boolean
  /** An absent list reads as `[]`: protobuf cannot tell an empty list from none, and OTLP/JSON writes `[]` here. */
  listed?: boolean
}
/** A message type: its fields by number (`() =>` so that AnyValue and KeyValue can refer to each other). */
type Message = () => Record<number, Field>

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const
const WIRE_OF: Record<FieldType, number> = {
  string: WIRE.bytes,
  hex: WIRE.bytes,
  bytes: WIRE.bytes,
  uint: WIRE.varint,
  int64: WIRE.varint,
  bool: WIRE.varint,
  fixed64: WIRE.fixed64,
  fixed32: WIRE.fixed32,
  double: WIRE.fixed64,
}

const anyValue: Message = () => ({
  1: { name: 'stringValue', type: 'string' },
  2: { name: 'boolValue', type: 'bool' },
  3: { name: 'intValue', type: 'int64' },
  4: { name: 'doubleValue', type: 'double' },
  5: { name: 'arrayValue', type: arrayValue },
  6: { name: 'kvlistValue', type: keyValueList },
  7: { name: 'bytesValue', type: 'bytes' },
})
const arrayValue: Message = () => ({ 1: { name: 'values', type: anyValue, repeated: true } })
const keyValue: Message = () => ({ 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: anyValue } })
const keyValueList: Message = () => ({ 1: { name: 'values', type: keyValue, repeated: true } })
const attributes: Field = { name: 'attributes', type: keyValue, repeated: true }
const spanAttributes: Field = { ...attributes, listed: true }
const dropped: Field = { name: 'droppedAttributesCount', type: 'uint' }

const resource: Message = () => ({ 1: attributes, 2: dropped })
const scope: Message = () => ({
  1: { name: 'name', type: 'string' },
  2: { name: 'version', type: 'string' },
  3: attributes,
  4: dropped,
})
const status: Message = () => ({ 2: { name: 'message', type: 'string' }, 3: { name: 'code', type: 'uint' } })
const event: Message = () => ({
  1: { name: 'timeUnixNano', type: 'fixed64' },
  2: { name: 'name', type: 'string' },
  3: spanAttributes,
  4: dropped,
})
const link: Message = () => ({
  1: { name: 'traceId', type: 'hex' },
  2: { name: 'spanId', type: 'hex' },
  3: { name: 'traceState', type: 'string' },
  4: spanAttributes,
  5: dropped,
  6: { name: 'flags', type: 'fixed32' },
})
const span: Message = () => ({
  1: { name: 'traceId', type: 'hex' },
  2: { name: 'spanId', type: 'hex' },
  3: { name: 'traceState', type: 'string' },
  4: { name: 'parentSpanId', type: 'hex' },
  5: { name: 'name', type: 'string' },
  6: { name: 'kind', type: 'uint' },
  7: { name: 'startTimeUnixNano', type: 'fixed64' },
  8: { name: 'endTimeUnixNano', type: 'fixed64' },
  9: spanAttributes,
  10: dropped,
  11: { name: 'events', type: event, repeated: true, listed: true },
  12: { name: 'droppedEventsCount', type: 'uint' },
  13: { name: 'links', type: link, repeated: true, listed: true },
  14: { name: 'droppedLinksCount', type: 'uint' },
  15: { name: 'status', type: status },
  16: { name: 'flags', type: 'fixed32' },
})
const scopeSpans: Message = () => ({
  1: { name: 'scope', type: scope },
  2: { name: 'spans', type: span, repeated: true },
  3: { name: 'schemaUrl', type: 'string' },
})
const resourceSpans: Message = () => ({
  1: { name: 'resource', type: resource },
  2: { name: 'scopeSpans', type: scopeSpans, repeated: true },
  3: { name: 'schemaUrl', type: 'string' },
})
const exportRequest: Message = () => ({ 1: { name: 'resourceSpans', type: resourceSpans, repeated: true } })

/** A body that is not a well-formed `ExportTraceServiceRequest`; the message says where it broke. */
export class ProtobufError extends Error {}

/** Nesting allowed in AnyValue (arrays and key-value lists within each other), as the JSON path allows. */
const MAX_DEPTH = 100

/** An `ExportTraceServiceRequest` in protobuf as its OTLP/JSON object (`{ resourceSpans: [...] }`). */
export function decodeTraceRequest(body: Uint8Array): Record<string, unknown> {
  return new Reader(body).message(exportRequest, body.length, 0)
}

class Reader {
  private pos = 0
  private readonly view: DataView
  private readonly text = new TextDecoder('utf-8', { fatal: true })

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  message(type: Message, end: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw new ProtobufError(`values nested more than ${MAX_DEPTH} levels deep`)
    const fields = type()
    const out: Record<string, unknown> = {}
    for (const f of Object.values(fields)) if (f.listed) out[f.name] = []
    while (this.pos < end) {
      const tag = this.varint()
      const number = Math.floor(tag / 8)
      const wire = tag % 8
      const field = Object.hasOwn(fields, number) ? fields[number] : undefined
      const expected = field && (typeof field.type === 'string' ? WIRE_OF[field.type] : WIRE.bytes)
      if (!field || expected !== wire) {
        this.skip(wire, number)
        continue
      }
      const value = this.value(field.type, depth)
      const list = out[field.name]
      if (!field.repeated) out[field.name] = value
      else if (Array.isArray(list)) list.push(value)
      else out[field.name] = [value]
    }
    if (this.pos !== end) throw new ProtobufError(`a message runs past its end at byte ${this.pos}`)
    return out
  }

  private value(type: FieldType | Message, depth: number): unknown {
    if (typeof type === 'function') {
      const length = this.varint()
      const end = this.pos + length
      this.need(length)
      return this.message(type, end, depth + 1)
    }
    switch (type) {
      case 'string':
        return this.string()
      case 'hex':
        return Buffer.from(this.bytes()).toString('hex')
      case 'bytes':
        return Buffer.from(this.bytes()).toString('base64')
      case 'uint':
        return this.varint()
      case 'int64': {
        const v = BigInt.asIntN(64, this.bigVarint())
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v)
      }
      case 'bool':
        return this.varint() !== 0
      case 'fixed64':
        return this.fixed(8, () => this.view.getBigUint64(this.pos, true).toString())
      case 'fixed32':
        return this.fixed(4, () => this.view.getUint32(this.pos, true))
      case 'double':
        return this.fixed(8, () => this.view.getFloat64(this.pos, true))
    }
  }

  private fixed<T>(size: number, read: () => T): T {
    this.need(size)
    const v = read()
    this.pos += size
    return v
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw new ProtobufError(`the body ends at byte ${this.buf.length}, inside a field that needs ${n} more bytes`)
  }

  private bytes(): Uint8Array {
    const length = this.varint()
    this.need(length)
    const slice = this.buf.subarray(this.pos, this.pos + length)
    this.pos += length
    return slice
  }

  private string(): string {
    try {
      return this.text.decode(this.bytes())
    } catch (error) {
      if (error instanceof ProtobufError) throw error
      throw new ProtobufError(`a string field before byte ${this.pos} is not valid UTF-8`)
    }
  }

  /** A varint as a number (lengths, tags, uint32, enums): exact up to 2^53. */
  private varint(): number {
    const v = this.bigVarint()
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufError(`a length or count at byte ${this.pos} is too big`)
    return Number(v)
  }

  private bigVarint(): bigint {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1)
      const b = this.buf[this.pos++]
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result)
    }
    throw new ProtobufError(`a varint at byte ${this.pos} is longer than 10 bytes`)
  }

  private skip(wire: number, number: number): void {
    if (wire === WIRE.varint) this.bigVarint()
    else if (wire === WIRE.fixed64) this.fixed(8, () => 0)
    else if (wire === WIRE.fixed32) this.fixed(4, () => 0)
    else if (wire === WIRE.bytes) this.bytes()
    else throw new ProtobufError(`field ${number} at byte ${this.pos} has wire type ${wire}, which OTLP never uses`)
  }
}
