import { describe, expect, it } from 'vitest'
import { collectIndexed, getField, parseJsonCell } from '../../../electron/core/import/fields'
import { timeKey } from '../../../electron/core/import/span-content'
import { assembleSpanTrees, expandOtlpRecords } from '../../../electron/core/import/spans'
import {
  lastAssistantText,
  looksLikeMessages,
  normalizeMessages,
  normalizeSteps,
  outputMessages,
} from '../../../electron/core/import/traces'
import type { SourceRecord } from '../../../electron/core/import/types'

const rec = (line: number, fields: Record<string, unknown>): SourceRecord => ({ line, fields })
const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('getField', () => {
  it('prefers an exact column name with dots (Phoenix dataframe export)', () => {
    const fields = { 'attributes.input.value': 'flat', attributes: { input: { value: 'nested' } } }
    expect(getField(fields, 'attributes.input.value')).toBe('flat')
  })

  it('walks nested objects, trying the longest key at each level (OTel keys contain dots)', () => {
    const fields = { attributes: { 'gen_ai.prompt': 'hello', gen_ai: { other: 1 } } }
    expect(getField(fields, 'attributes.gen_ai.prompt')).toBe('hello')
    expect(getField(fields, 'attributes.gen_ai.other')).toBe(1)
    expect(getField(fields, 'attributes.missing')).toBeUndefined()
  })

  it('reads into a JSON object held in a CSV cell, OTLP attribute lists and array indexes', () => {
    expect(getField({ metadata: '{"lsmith_id":"abc"}' }, 'metadata.lsmith_id')).toBe('abc')
    const otlp = {
      attributes: [
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'n', value: { intValue: '3' } },
      ],
    }
    expect(getField(otlp, 'attributes.gen_ai.request.model')).toBe('gpt-4o')
    expect(getField(otlp, 'attributes.n')).toBe(3)
    expect(getField({ messages: [{ role: 'user', content: 'hi' }] }, 'messages.0.content')).toBe('hi')
  })

  it('rebuilds indexed lists flattened into dotted keys', () => {
    const attrs = {
      'llm.input_messages.1.message.content': 'b',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'a',
    }
    expect(collectIndexed(attrs, 'llm.input_messages')).toEqual([
      { message: { role: 'user', content: 'a' } },
      { message: { content: 'b' } },
    ])
  })
})

describe('parseJsonCell', () => {
  it('parses JSON-looking strings, keeps everything else, and leaves Python repr words alone', () => {
    expect(parseJsonCell(' [{"role":"user"}] ')).toEqual([{ role: 'user' }])
    expect(parseJsonCell('{"a":1}')).toEqual({ a: 1 })
    expect(parseJsonCell('[link](http://x)')).toBe('[link](http://x)')
    expect(parseJsonCell('{not json}')).toBe('{not json}')
    for (const word of ['True', 'False', 'None']) expect(parseJsonCell(word)).toBe(word)
    expect(parseJsonCell(42)).toBe(42)
  })
})

describe('normalizeMessages: OpenAI shapes', () => {
  it('flattens tool_calls (arguments as string or object), keeps tool_call_id, legacy function_call', () => {
    const msgs = ok(
      normalizeMessages([
        { role: 'system', content: 'be nice' },
        { role: 'user', content: 'book a tour' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'getTourAvailability', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"slots":[]}' },
        {
          role: 'assistant',
          tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'book', arguments: { day: 'mon' } } }],
        },
        { role: 'assistant', content: null, function_call: { name: 'legacy', arguments: '{"x":1}' } },
      ]),
    )
    expect(msgs[2]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', name: 'getTourAvailability', arguments: '{}' }],
    })
    expect(msgs[3]).toEqual({ role: 'tool', content: '{"slots":[]}', tool_call_id: 'call_1' })
    expect(msgs[4].tool_calls).toEqual([{ id: 'call_2', name: 'book', arguments: '{"day":"mon"}' }])
    expect(msgs[4].content).toBeNull()
    expect(msgs[5].tool_calls).toEqual([{ id: '', name: 'legacy', arguments: '{"x":1}' }])
  })

  it('reads a JSON string of messages from a CSV cell', () => {
    const cell =
      '[{"content":"You are Emma","role":"system"},{"content":"Is there parking?","role":"user"},{"content":"Yes","role":"assistant"}]'
    expect(ok(normalizeMessages(cell)).map((m) => m.role)).toEqual(['system', 'user', 'assistant'])
  })

  it('joins content parts; images become a placeholder and are never fetched', () => {
    const [m] = ok(
      normalizeMessages([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAABBBBCCCC' } },
          ],
        },
      ]),
    )
    expect(m.content).toBe(
      'What is in this picture?\n[image: https://example.com/cat.png]\n[image: data:image/png;base64,…]',
    )
  })

  it('keeps unknown roles as written (the real typo `asssistant`), missing roles become `unknown`', () => {
    const msgs = ok(
      normalizeMessages([
        { role: 'asssistant', content: 'Hi there!' },
        { content: 'no role' },
        { role: 'agent', content: 'hw5 agent turn' },
      ]),
    )
    expect(msgs.map((m) => m.role)).toEqual(['asssistant', 'unknown', 'agent'])
    expect(lastAssistantText(msgs)).toBe('hw5 agent turn')
    expect(lastAssistantText(msgs.slice(0, 2))).toBe('Hi there!')
  })

  it('flattens a message list nested inside the list (a real NurtureBoss log cell)', () => {
    const msgs = ok(
      normalizeMessages([{ role: 'user', content: 'bye' }, [{ role: 'assistant', content: 'Drive safely.' }]]),
    )
    expect(msgs).toEqual([
      { role: 'user', content: 'bye' },
      { role: 'assistant', content: 'Drive safely.' },
    ])
  })

  it('refuses a list entry that is not an object, saying which one', () => {
    const r = normalizeMessages([{ role: 'user', content: 'hi' }, 'oops', 3])
    expect(r).toEqual({ ok: false, error: 'message 2 is the text "oops", not a {role, content} object' })
    expect(normalizeMessages('just text').ok).toBe(false)
    expect(ok(normalizeMessages(''))).toEqual([])
    expect(ok(normalizeMessages('[]'))).toEqual([])
  })

  it('keeps TOOL_CALL[...] pseudo calls written as assistant text as text (hw5)', () => {
    const [m] = ok(
      normalizeMessages([
        { role: 'assistant', content: 'TOOL_CALL[GetCustomerProfile] Unable to access user profile.' },
      ]),
    )
    expect(m).toEqual({ role: 'assistant', content: 'TOOL_CALL[GetCustomerProfile] Unable to access user profile.' })
  })
})

describe('normalizeMessages: LangChain, OTel GenAI, OpenInference, Responses API', () => {
  it('maps LangChain message dicts and serialized objects to roles', () => {
    const msgs = ok(
      normalizeMessages({
        messages: [
          [
            {
              lc: 1,
              type: 'constructor',
              id: ['langchain', 'schema', 'messages', 'SystemMessage'],
              kwargs: { content: 'sys' },
            },
            {
              lc: 1,
              type: 'constructor',
              id: ['langchain', 'schema', 'messages', 'HumanMessage'],
              kwargs: { content: 'hi', type: 'human' },
            },
            { type: 'ai', content: '', tool_calls: [{ name: 'search', args: { q: 'x' }, id: 't1' }] },
            { type: 'tool', content: 'result', tool_call_id: 't1' },
            { type: 'human', data: { content: 'thanks' } },
          ],
        ],
      }),
    )
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(msgs[2].tool_calls).toEqual([{ id: 't1', name: 'search', arguments: '{"q":"x"}' }])
    expect(msgs[3].tool_call_id).toBe('t1')
    expect(msgs[4].content).toBe('thanks')
  })

  it('reads OTel GenAI parts: text, tool_call and tool_call_response', () => {
    const msgs = ok(
      normalizeMessages(
        JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
          },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'rainy' }] },
        ]),
      ),
    )
    expect(msgs[0]).toEqual({ role: 'user', content: 'Weather in Paris?' })
    expect(msgs[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    })
    expect(msgs[2]).toEqual({ role: 'tool', content: 'rainy', tool_call_id: 'c1' })
  })

  it('reads OpenInference message wrappers, nested and flattened', () => {
    const msgs = ok(
      normalizeMessages([
        { message: { role: 'user', content: 'a' } },
        {
          'message.role': 'assistant',
          'message.tool_calls': [
            { 'tool_call.id': 'x', 'tool_call.function.name': 'f', 'tool_call.function.arguments': '{}' },
          ],
        },
      ]),
    )
    expect(msgs[0]).toEqual({ role: 'user', content: 'a' })
    expect(msgs[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'x', name: 'f', arguments: '{}' }] })
  })

  it('reads OpenAI Responses API items and completion responses', () => {
    const msgs = ok(
      normalizeMessages([
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', call_id: 'fc1', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'fc1', output: 'found' },
      ]),
    )
    expect(msgs.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi'],
      ['assistant', null],
      ['tool', 'found'],
    ])
    expect(outputMessages({ choices: [{ message: { role: 'assistant', content: 'Hello' } }] })).toEqual([
      { role: 'assistant', content: 'Hello' },
    ])
    expect(outputMessages('plain reply')).toBeNull()
    expect(outputMessages('{"score": 3}')).toBeNull()
  })

  it('tells a conversation from other JSON in a cell', () => {
    expect(looksLikeMessages('[{"role":"user","content":"x"}]')).toBe(true)
    expect(looksLikeMessages([{ type: 'function', function: { name: 'getIndividualsInformation' } }])).toBe(false) // an OpenAI tools list
    expect(looksLikeMessages('What vegan meal can I cook?')).toBe(false)
    expect(looksLikeMessages({ dietary: 'vegan' })).toBe(false)
  })
})

describe('normalizeSteps', () => {
  it('reads an array (or a JSON string of one) of {name, input, output}', () => {
    const steps = ok(
      normalizeSteps(
        '[{"name":"decompose","input":"q","output":["a","b"],"latency_ms":12},{"name":"retrieve","input":{"k":3},"output":"docs"}]',
      ),
    )
    expect(steps.map((s) => [s.name, s.input, s.output])).toEqual([
      ['decompose', 'q', '["a","b"]'],
      ['retrieve', '{"k":3}', 'docs'],
    ])
    expect(steps[0].metadata).toEqual({ latency_ms: 12 })
    expect(normalizeSteps([{ name: 'a' }, 'b'])).toEqual({
      ok: false,
      error: 'step 2 is the text "b", not a {name, input, output} object',
    })
  })
})

describe('timeKey', () => {
  it('orders ISO (with microseconds), nanosecond strings and epoch numbers on one scale', () => {
    const iso = timeKey('2025-07-24 22:03:39.939923+00:00')!
    expect(iso).toBe(Date.parse('2025-07-24T22:03:39.939Z') * 1000 + 923)
    expect(timeKey('1753394619939923000')).toBe(iso)
    expect(timeKey(1753394619.939923)).toBeCloseTo(iso, -1)
    expect(timeKey('not a time')).toBeNull()
  })
})

describe('assembleSpanTrees', () => {
  const spans = {
    traceId: 'traceId',
    spanId: 'spanId',
    parentId: 'parentSpanId',
    name: 'name',
    start: 'startTimeUnixNano',
  }
  // An OTel GenAI trace written out of order, with an orphan whose parent was not exported.
  const otel = [
    rec(1, {
      traceId: 't1',
      spanId: 'c2',
      parentSpanId: 'root',
      name: 'extract',
      startTimeUnixNano: '3000000',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.system_instructions': '[{"type":"text","content":"Extract facts."}]',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"extract"}]}]',
        'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"done"}]}]',
      },
    }),
    rec(2, {
      traceId: 't1',
      spanId: 'root',
      parentSpanId: '',
      name: 'pipeline',
      startTimeUnixNano: '1000000',
      endTimeUnixNano: '9000000',
      attributes: { 'input.value': 'user question', 'output.value': 'final answer', 'app.version': '1.2' },
    }),
    rec(3, {
      traceId: 't1',
      spanId: 'c1',
      parentSpanId: 'root',
      name: 'retrieve',
      startTimeUnixNano: '2000000',
      attributes: { 'input.value': 'q', 'output.value': 'docs' },
    }),
    rec(4, {
      traceId: 't1',
      spanId: 'g1',
      parentSpanId: 'c1',
      name: 'rerank',
      startTimeUnixNano: '2500000',
      attributes: {},
    }),
    rec(5, {
      traceId: 't1',
      spanId: 'o1',
      parentSpanId: 'gone',
      name: 'late-tool',
      startTimeUnixNano: '8000000',
      attributes: { 'output.value': 'tool out' },
    }),
    rec(6, {
      traceId: 't2',
      spanId: 'r2',
      name: 'pipeline',
      startTimeUnixNano: '1',
      attributes: { 'input.value': 'second' },
    }),
  ]

  it('builds one trace per trace id: root input/output, descendants as steps in depth-first start order', () => {
    const { traces, errors } = assembleSpanTrees(otel, spans)
    expect(errors).toEqual([])
    expect(traces.map((t) => t.traceId)).toEqual(['t1', 't2'])
    const t = traces[0]
    expect(t.root.line).toBe(2)
    expect([t.input, t.output]).toEqual(['user question', 'final answer'])
    expect(t.steps.map((s) => s.name)).toEqual(['retrieve', 'rerank', 'extract', 'late-tool'])
    expect(t.steps.map((s) => s.metadata.depth)).toEqual([0, 1, 0, 0])
    const extract = t.steps[2]
    // Several input messages are kept whole; one plain reply is kept as its text.
    expect([extract.input, extract.output]).toEqual([
      '[{"role":"system","content":"Extract facts."},{"role":"user","content":"extract"}]',
      'done',
    ])
    expect(extract.metadata).toMatchObject({ kind: 'chat', model: 'gpt-4o', spanId: 'c2', parentId: 'root' })
    expect(extract.messages.map((m) => m.content)).toEqual(['Extract facts.', 'extract', 'done'])
    expect(t.steps[3].metadata.orphan).toBe('parent span "gone" is not in the file; attached to the root')
    expect(t.metadata).toMatchObject({ spanCount: 5, rootSpanId: 'root', durationMs: 8 })
    expect(t.metadata.importNotes).toEqual([
      '1 span(s) name a parent that is not in the file; they are attached to the root',
    ])
    // What the root said besides its input/output and timing stays for metadata.
    expect(t.rootFields).toEqual({ attributes: { 'app.version': '1.2' } })
    expect(t.metadata.end).toBe('9000000')
  })

  it('keeps a trace with several roots as one trace, every root a step', () => {
    const { traces } = assembleSpanTrees(
      [
        rec(1, {
          traceId: 't',
          spanId: 'b',
          name: 'turn-2',
          startTimeUnixNano: '20',
          attributes: { 'input.value': 'q2', 'output.value': 'a2' },
        }),
        rec(2, {
          traceId: 't',
          spanId: 'a',
          name: 'turn-1',
          startTimeUnixNano: '10',
          attributes: { 'input.value': 'q1', 'output.value': 'a1' },
        }),
        rec(3, { traceId: 't', spanId: 'a1', parentSpanId: 'a', name: 'llm', startTimeUnixNano: '11' }),
      ],
      spans,
    )
    expect(traces).toHaveLength(1)
    expect([traces[0].input, traces[0].output]).toEqual(['q1', 'a2'])
    expect(traces[0].steps.map((s) => `${String(s.metadata.depth)}:${s.name}`)).toEqual([
      '0:turn-1',
      '1:llm',
      '0:turn-2',
    ])
    expect(traces[0].metadata.roots).toBe(2)
  })

  it('uses the earliest span as root when the root was not exported, and reports rows without a trace id', () => {
    const { traces, errors } = assembleSpanTrees(
      [
        rec(1, { traceId: 't', spanId: 'x', parentSpanId: 'missing', name: 'b', startTimeUnixNano: '5' }),
        rec(2, { traceId: 't', spanId: 'y', parentSpanId: 'missing', name: 'a', startTimeUnixNano: '1' }),
        rec(3, { spanId: 'z' }),
      ],
      spans,
    )
    expect(traces[0].root.line).toBe(2)
    expect(traces[0].steps.map((s) => s.name)).toEqual(['b'])
    expect(errors).toEqual([
      { line: 3, column: 'traceId', message: expect.stringContaining('every span needs a trace id') },
    ])
  })

  it('reads Phoenix dataframe rows: dotted columns, ISO start times, flattened llm.input_messages', () => {
    const phoenix = {
      traceId: 'context.trace_id',
      spanId: 'context.span_id',
      parentId: 'parent_id',
      name: 'name',
      start: 'start_time',
    }
    const rows = [
      rec(2, {
        'context.trace_id': 'T',
        'context.span_id': 'L',
        parent_id: 'R',
        name: 'ChatCompletion',
        span_kind: 'LLM',
        start_time: '2025-07-24 22:03:40.000002+00:00',
        'attributes.llm.model_name': 'gpt-4o-mini',
        'attributes.llm.input_messages.0.message.role': 'user',
        'attributes.llm.input_messages.0.message.content': 'vegan pizza?',
        'attributes.llm.output_messages.0.message.role': 'assistant',
        'attributes.llm.output_messages.0.message.content': 'Here is one',
      }),
      rec(3, {
        'context.trace_id': 'T',
        'context.span_id': 'R',
        parent_id: '',
        name: 'Query_Information',
        span_kind: 'CHAIN',
        start_time: '2025-07-24 22:03:40.000001+00:00',
        end_time: '2025-07-24 22:03:41.000001+00:00',
        'attributes.input.value': 'vegan pizza?',
        'attributes.output.value': 'Here is one',
        ground_truth_label: 'PASS',
      }),
    ]
    const { traces } = assembleSpanTrees(rows, phoenix)
    expect(traces).toHaveLength(1)
    const [t] = traces
    expect([t.input, t.output, t.root.line]).toEqual(['vegan pizza?', 'Here is one', 3])
    expect(t.metadata).toMatchObject({ kind: 'CHAIN', durationMs: 1000 })
    expect(t.steps).toHaveLength(1)
    expect(t.steps[0]).toMatchObject({
      name: 'ChatCompletion',
      output: 'Here is one',
      metadata: { kind: 'LLM', model: 'gpt-4o-mini' },
    })
    expect(t.steps[0].messages).toEqual([
      { role: 'user', content: 'vegan pizza?' },
      { role: 'assistant', content: 'Here is one' },
    ])
    expect(t.rootFields).toEqual({ ground_truth_label: 'PASS' })
  })

  it('expands OTLP JSON (resourceSpans → scopeSpans → spans) with attribute lists and nanosecond times', () => {
    const file = rec(1, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'recipe-bot' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'ab',
                  spanId: '02',
                  parentSpanId: '01',
                  name: 'chat gpt-4o',
                  startTimeUnixNano: '1700000000200000000',
                  attributes: [
                    { key: 'gen_ai.prompt.0.role', value: { stringValue: 'user' } },
                    { key: 'gen_ai.prompt.0.content', value: { stringValue: 'hi' } },
                    { key: 'gen_ai.completion.0.role', value: { stringValue: 'assistant' } },
                    { key: 'gen_ai.completion.0.content', value: { stringValue: 'hello' } },
                  ],
                },
                {
                  traceId: 'ab',
                  spanId: '01',
                  parentSpanId: '',
                  name: 'agent',
                  startTimeUnixNano: '1700000000100000000',
                  endTimeUnixNano: '1700000000900000000',
                  attributes: [
                    { key: 'input.value', value: { stringValue: 'hi' } },
                    { key: 'output.value', value: { stringValue: 'hello' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    })
    const records = expandOtlpRecords([file])
    expect(records).toHaveLength(2)
    expect(records[0].fields['resource.service.name']).toBe('recipe-bot')
    const { traces } = assembleSpanTrees(records, spans)
    expect(traces[0].metadata.durationMs).toBe(800)
    expect(traces[0].steps[0]).toMatchObject({
      name: 'chat gpt-4o',
      input: 'hi',
      output: 'hello',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    })
  })
})
