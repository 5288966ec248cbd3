// A test process instrumented with the OpenTelemetry JS SDK (@opentelemetry/sdk-trace 3.x) that
// sends traces to `assay collect` through the project's own OTLP/HTTP exporters:
// @opentelemetry/exporter-trace-otlp-http (JSON) or -proto (protobuf). Its spans carry the
// attributes of OpenInference (input.value, llm.input_messages.N.message.*) and of the OpenTelemetry
// GenAI semantic conventions (gen_ai.input.messages / gen_ai.output.messages as JSON, gen_ai.tool.name).
//
// Usage: node otel-client.mjs '<json options>'
//   url            the receiver's /v1/traces address
//   protocol       "json" or "protobuf"
//   gzip           compress the requests
//   traces         how many traces (batch mode)
//   firstTrace     number of the first trace (its question is "question N")
//   log            a file: one JSON line per export, {ok, spans: [[traceId, spanId], ...], traces: [{n, traceId}]}
//   requests       a file: each acknowledged request's OTLP/JSON body (JsonTraceSerializer), one per line
//   stream         keep sending one trace a request until killed
import { appendFileSync } from 'node:fs'
import { context, SpanKind, trace } from '@opentelemetry/api'
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'

const options = JSON.parse(process.argv[2])
const memory = new InMemorySpanExporter()
const provider = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'recipe-bot' }),
  spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
})
const tracer = provider.getTracer('assay-test', '1.0.0')
const Exporter = options.protocol === 'protobuf' ? ProtoExporter : JsonExporter
const exporter = new Exporter({
  url: options.url,
  timeoutMillis: options.timeoutMillis ?? 3000,
  ...(options.gzip ? { compression: 'gzip' } : {}),
})

const messages = (role, text) => JSON.stringify([{ role, parts: [{ type: 'text', content: text }] }])

/** Trace n: OpenInference when n is even, OpenTelemetry GenAI when odd; three spans either way. */
function makeTrace(n) {
  const question = `question ${n}`
  const answer = `answer ${n}`
  if (n % 2 === 0) {
    const root = tracer.startSpan('agent', {
      kind: SpanKind.SERVER,
      attributes: { 'openinference.span.kind': 'AGENT', 'input.value': question },
    })
    const ctx = trace.setSpan(context.active(), root)
    const retrieve = tracer.startSpan(
      'retrieve',
      { attributes: { 'openinference.span.kind': 'RETRIEVER', 'input.value': question } },
      ctx,
    )
    retrieve.setAttribute('output.value', `documents for ${n}`)
    retrieve.end()
    const llm = tracer.startSpan(
      'llm',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'gpt-4o-mini',
          'llm.input_messages.0.message.role': 'system',
          'llm.input_messages.0.message.content': 'You answer questions.',
          'llm.input_messages.1.message.role': 'user',
          'llm.input_messages.1.message.content': question,
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': answer,
        },
      },
      ctx,
    )
    llm.end()
    root.setAttribute('output.value', answer)
    root.end()
    return root.spanContext().traceId
  }
  const root = tracer.startSpan('invoke_agent recipe-bot', {
    kind: SpanKind.SERVER,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.input.messages': messages('user', question),
      'gen_ai.output.messages': messages('assistant', answer),
    },
  })
  const ctx = trace.setSpan(context.active(), root)
  const tool = tracer.startSpan(
    'execute_tool search',
    { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } },
    ctx,
  )
  tool.end()
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.input.messages': messages('user', question),
        'gen_ai.output.messages': messages('assistant', answer),
        'gen_ai.usage.input_tokens': 10 + n,
      },
    },
    ctx,
  )
  chat.end()
  root.end()
  return root.spanContext().traceId
}

async function finished() {
  await provider.forceFlush()
  const spans = memory.getFinishedSpans()
  memory.reset()
  return spans
}

function send(spans, traces) {
  return new Promise((resolve) => {
    exporter.export(spans, (result) => {
      const ok = result.code === 0
      const ids = spans.map((s) => [s.spanContext().traceId, s.spanContext().spanId])
      if (options.log)
        appendFileSync(options.log, `${JSON.stringify({ ok, spans: ids, traces, error: result.error?.message })}\n`)
      if (ok && options.requests)
        appendFileSync(options.requests, `${new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans))}\n`)
      resolve(ok)
    })
  })
}

const isRoot = (s) => !s.parentSpanContext?.spanId

if (options.stream) {
  for (let n = options.firstTrace ?? 0; ; n++) {
    const traceId = makeTrace(n)
    await send(await finished(), [{ n, traceId }])
  }
} else {
  // Spans of a trace in two requests: the children of a pair of traces first, their roots with the
  // next pair's children after, so that every trace is grouped again when its root arrives.
  const first = options.firstTrace ?? 0
  let waitingRoots = []
  let waitingTraces = []
  for (let n = first; n < first + options.traces; n += 2) {
    const traces = []
    for (const k of [n, n + 1].filter((k) => k < first + options.traces)) traces.push({ n: k, traceId: makeTrace(k) })
    const spans = await finished()
    await send([...waitingRoots, ...spans.filter((s) => !isRoot(s))], [...waitingTraces, ...traces])
    waitingRoots = spans.filter(isRoot)
    waitingTraces = traces
  }
  if (waitingRoots.length > 0) await send(waitingRoots, waitingTraces)
  await exporter.shutdown()
}
