/**
 * The protobuf decoder against the OpenTelemetry project's own serializers
 * (@opentelemetry/otlp-transformer 0.301: `ProtobufTraceSerializer` and `JsonTraceSerializer`): the
 * same spans written both ways must decode to the same OTLP/JSON object.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { describe, expect, it } from 'vitest'
import { decodeTraceRequest, ProtobufError } from '../../../electron/core/collect/otlp-protobuf'

async function makeSpans() {
  const exporter = new InMemorySpanExporter()
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'recipe-bot', 'deployment.count': 3 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  })
  const tracer = provider.getTracer('test-scope', '1.2.3')
  const root = tracer.startSpan('agent', { kind: SpanKind.SERVER, attributes: { 'input.value': 'hi ✓' } })
  const ctx = trace.setSpan(context.active(), root)
  const child = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 12,
        'llm.temperature': 0.25,
        'big.negative': -(2 ** 40),
        streamed: false,
        'tags.list': ['a', 'b'],
        'nums.list': [1, 2.5],
      },
    },
    ctx,
  )
  child.addEvent('first token', { 'latency.ms': 41 })
  child.addLink({ context: root.spanContext(), attributes: { why: 'follows' } })
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' })
  child.end()
  root.setAttribute('output.value', 'hello')
  root.end()
  await provider.forceFlush()
  return exporter.getFinishedSpans()
}

/** The JSON serializer leaves `undefined` fields out by stringifying; a status without a message has none. */
const jsonOf = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes)) as unknown

describe('decodeTraceRequest', () => {
  it('reads what ProtobufTraceSerializer writes as JsonTraceSerializer writes it', async () => {
    const spans = await makeSpans()
    const proto = ProtobufTraceSerializer.serializeRequest(spans)!
    const json = jsonOf(JsonTraceSerializer.serializeRequest(spans)!)
    expect(decodeTraceRequest(proto)).toEqual(json)
  })

  it('keeps ids as hex, times as nanosecond strings and int64 values exact', async () => {
    const decoded = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(await makeSpans())!)
    const rs = (decoded.resourceSpans as Record<string, unknown>[])[0]
    const spans = (rs.scopeSpans as { spans: Record<string, unknown>[] }[])[0].spans
    const child = spans.find((s) => s.name === 'chat gpt-4o')!
    expect(child.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(child.parentSpanId).toBe(spans.find((s) => s.name === 'agent')!.spanId)
    expect(child.startTimeUnixNano).toMatch(/^\d{19}$/)
    const attrs = child.attributes as { key: string; value: Record<string, unknown> }[]
    expect(attrs.find((a) => a.key === 'big.negative')!.value).toEqual({ intValue: -(2 ** 40) })
    expect(child.status).toEqual({ code: 2, message: 'rate limited' })
  })

  it('refuses a truncated body and skips fields it does not know', async () => {
    const proto = ProtobufTraceSerializer.serializeRequest(await makeSpans())!
    expect(() => decodeTraceRequest(proto.subarray(0, proto.length - 3))).toThrow(ProtobufError)
    // Field 99 (varint) and field 98 (bytes) before the request's own field: both skipped.
    const unknown = Uint8Array.from([0x98, 0x06, 0x01, 0x92, 0x06, 0x02, 0x61, 0x62])
    const withUnknown = new Uint8Array([...unknown, ...proto])
    expect(decodeTraceRequest(withUnknown)).toEqual(decodeTraceRequest(proto))
    expect(decodeTraceRequest(new Uint8Array())).toEqual({})
  })
})
