import { describe, expect, it } from 'vitest'
import { DEFAULT_VALUES, EMPTY_MAPPING, Mapping, type Mapping as MappingType } from '../../../shared/import'
import { mapRecord, type MapResult } from '../../../electron/core/import/mapping/apply'
import { mapSpanRecords } from '../../../electron/core/import/mapping/prepare'
import { suggestMapping } from '../../../electron/core/import/mapping/suggest'
import { humanize } from '../../../electron/core/import/mapping/suggest-judgements'
import { normalizeVerdict } from '../../../electron/core/import/mapping/values'
import type { Detected, SourceRecord } from '../../../electron/core/import/types'

const rec = (line: number, fields: Record<string, unknown>): SourceRecord => ({ line, fields })
const mapping = (over: Partial<MappingType>): MappingType =>
  Mapping.parse({ ...structuredClone(EMPTY_MAPPING), ...over })
const detected = (records: Record<string, unknown>[], format: Detected['format'] = 'csv'): Detected => ({
  format,
  columns: [...new Set(records.flatMap((r) => Object.keys(r)))],
  sample: records.map((fields, i) => rec(i + 2, fields)),
  notes: [],
  size: 0,
})
function okOf(r: MapResult) {
  if (!r.ok) throw new Error(`${r.error.line} ${r.error.column}: ${r.error.message}`)
  return r
}
function errorOf(r: MapResult) {
  if (r.ok) throw new Error('expected an error')
  return r.error
}

// A recipe-bot response as the course CSVs hold it: multi-line markdown with quotes and non-ASCII.
const RESPONSE =
  'Absolutely! Here\'s a **"Gluten-Light" Quinoa Salad**:\n\n### Ingredients\n- 1 cup quinoa\n- Bake at 180 °C\n\n> Enjoy "as is"!'

describe('normalizeVerdict', () => {
  it('reads PASS/pass/1/True/true/1.0 as pass and FAIL/0/False as fail, trimmed and case-insensitive', () => {
    for (const v of ['PASS', 'pass', ' Pass ', '1', 1, 1.0, '1.0', 'True', true, 'yes', '"PASS"'])
      expect(normalizeVerdict(v, DEFAULT_VALUES), String(v)).toBe('pass')
    for (const v of ['FAIL', 'fail', '0', 0, 'False', false, 'no'])
      expect(normalizeVerdict(v, DEFAULT_VALUES), String(v)).toBe('fail')
  })

  it('reads UNKNOWN, ERROR, "None", NaN as error, never as a silent fail; an empty cell is no verdict at all', () => {
    for (const v of ['UNKNOWN', 'ERROR', 'None', 'none', 'NaN', 'null'])
      expect(normalizeVerdict(v, DEFAULT_VALUES), v).toBe('error')
    for (const v of ['', '  ', null, undefined]) expect(normalizeVerdict(v, DEFAULT_VALUES), String(v)).toBeNull()
    expect(normalizeVerdict('', { ...DEFAULT_VALUES, error: [...DEFAULT_VALUES.error, ''] })).toBe('error')
  })

  it('returns null for a value the map does not list, or for a nested value', () => {
    expect(normalizeVerdict('MAYBE', DEFAULT_VALUES)).toBeNull()
    expect(normalizeVerdict('0.5', DEFAULT_VALUES)).toBeNull()
    expect(normalizeVerdict([1], DEFAULT_VALUES)).toBeNull()
    expect(normalizeVerdict('MAYBE', { ...DEFAULT_VALUES, fail: [...DEFAULT_VALUES.fail, 'maybe'] })).toBe('fail')
  })
})

describe('mapRecord: text traces with labels (course HW3 CSV)', () => {
  const m = mapping({
    id: 'trace_id',
    input: 'query',
    output: 'response',
    labels: [{ field: 'label', criterion: 'Overall', note: 'reasoning', annotator: 'imported' }],
  })
  const row = {
    query: 'Gluten-light recipe',
    dietary_restriction: 'gluten-free',
    response: RESPONSE,
    success: 'True',
    error: '',
    trace_id: '48_3',
    query_id: '48',
    label: 'FAIL',
    reasoning: 'Labelled "Gluten-Light".',
    confidence: 'MEDIUM',
  }

  it('maps id, input, output and the label with its note; keeps the rest as metadata', () => {
    const r = okOf(mapRecord(rec(7, row), m))
    expect(r.item).toEqual({
      externalId: '48_3',
      kind: 'text',
      input: 'Gluten-light recipe',
      output: RESPONSE,
      messages: [],
      steps: [],
      metadata: { dietary_restriction: 'gluten-free', success: 'True', query_id: '48', confidence: 'MEDIUM' },
    })
    expect(r.labels).toEqual([
      { column: 0, criterion: 'Overall', verdict: 'fail', note: 'Labelled "Gluten-Light".', annotator: 'imported' },
    ])
    expect(r.verdicts).toEqual([])
    expect(r.splits).toEqual([])
  })

  it('names the line, the column and the fix for a value outside the value map', () => {
    expect(errorOf(mapRecord(rec(12, { ...row, label: 'MAYBE' }), m))).toEqual({
      line: 12,
      column: 'label',
      message:
        'label column "label": value "MAYBE" is not a known pass/fail/error value; add it to the value map or fix the cell',
    })
  })

  it('refuses an empty id, and numbers rows when no id is mapped', () => {
    expect(errorOf(mapRecord(rec(3, { ...row, trace_id: ' ' }), m))).toMatchObject({
      line: 3,
      column: 'trace_id',
      message: expect.stringContaining('id column "trace_id" is empty'),
    })
    expect(okOf(mapRecord(rec(3, row), { ...m, id: null })).item.externalId).toBe('row-3')
  })

  it('an empty label cell is no label, never a deferral (its note is kept as a note); a map listing "" makes it an error value', () => {
    expect(okOf(mapRecord(rec(2, { ...row, label: '', reasoning: '' }), m)).labels).toEqual([])
    expect(okOf(mapRecord(rec(2, { ...row, label: '' }), m)).labels).toEqual([
      { column: 0, criterion: 'Overall', verdict: 'defer', note: 'Labelled "Gluten-Light".', annotator: 'imported' },
    ])
    const listsEmpty = { ...m, values: { ...DEFAULT_VALUES, error: [...DEFAULT_VALUES.error, ''] } }
    expect(okOf(mapRecord(rec(2, { ...row, label: '' }), listsEmpty)).labels[0].verdict).toBe('error')
  })

  it('keeps JSON in a cell as parsed metadata and explicit metadata fields by path', () => {
    const r = okOf(
      mapRecord(
        rec(2, {
          id: 'SYN001',
          query: 'q',
          dimension_tuple_json: '{"CuisinePreference":"Thai"}',
          is_realistic_and_kept: '1',
          notes_for_filtering: '',
        }),
        mapping({ id: 'id', input: 'query', metadata: ['dimension_tuple_json.CuisinePreference'] }),
      ),
    )
    expect(r.item.metadata).toEqual({
      'dimension_tuple_json.CuisinePreference': 'Thai',
      dimension_tuple_json: { CuisinePreference: 'Thai' },
      is_realistic_and_kept: '1',
    })
  })

  it('says so when a row has nothing to review (not a trace file)', () => {
    const r = errorOf(
      mapRecord(rec(1, { test_labels: [1, 0], test_preds: [1, 1], description: 'for judgy' }), EMPTY_MAPPING),
    )
    expect(r.message).toContain('nothing to review')
  })

  it('names a mapped trace field the row does not have, and the fields it has', () => {
    const r = errorOf(mapRecord(rec(3, { user_msg: 'hi', bot_reply: 'hello' }), mapping({ input: 'message' })))
    expect(r).toMatchObject({ line: 3, column: 'message' })
    expect(r.message).toBe(
      'this row has no field "message" (mapped as input), so nothing to review. Its fields: "user_msg", "bot_reply". Map the ones that hold the trace, or check that this is a trace file',
    )
  })
})

describe('mapRecord: judge predictions and splits', () => {
  it('records the judge verdict with its critique; UNKNOWN and ERROR become error verdicts', () => {
    const m = mapping({
      id: 'trace_id',
      input: 'query',
      output: 'response',
      labels: [{ field: 'true_label', criterion: 'Overall', note: null, annotator: 'imported' }],
      verdicts: [{ field: 'predicted_label', judge: 'predicted_label', criterion: 'Overall', critique: 'reasoning' }],
    })
    const base = {
      trace_id: '5_12',
      query: 'Vegetarian pizza',
      response: "Let's make a Margherita…",
      true_label: 'PASS',
      reasoning: 'No meat.',
      success: true,
    }
    expect(okOf(mapRecord(rec(1, { ...base, predicted_label: 'PASS' }), m)).verdicts).toEqual([
      { column: 0, judge: 'predicted_label', criterion: 'Overall', verdict: 'pass', critique: 'No meat.' },
    ])
    expect(okOf(mapRecord(rec(2, { ...base, predicted_label: 'UNKNOWN' }), m)).verdicts[0].verdict).toBe('error')
    expect(okOf(mapRecord(rec(3, { ...base, predicted_label: 'ERROR', reasoning: null }), m)).verdicts[0]).toEqual({
      column: 0,
      judge: 'predicted_label',
      criterion: 'Overall',
      verdict: 'error',
      critique: '',
    })
    expect(okOf(mapRecord(rec(3, { ...base, predicted_label: '' }), m)).verdicts).toEqual([])
    expect(errorOf(mapRecord(rec(4, { ...base, predicted_label: 'PASSED?' }), m)).message).toMatch(
      /^verdict column "predicted_label": value "PASSED\?"/,
    )
  })

  it('reads a split column (val → dev) and refuses an unknown split', () => {
    const m = mapping({ input: 'q', splits: [{ field: 'split', criterion: 'Overall' }] })
    expect(okOf(mapRecord(rec(1, { q: 'x', split: 'Train' }), m)).splits).toEqual([
      { criterion: 'Overall', split: 'train' },
    ])
    expect(okOf(mapRecord(rec(1, { q: 'x', split: 'val' }), m)).splits[0]?.split).toBe('dev')
    expect(okOf(mapRecord(rec(1, { q: 'x', split: '' }), m)).splits).toEqual([])
    expect(errorOf(mapRecord(rec(9, { q: 'x', split: 'calibration' }), m))).toMatchObject({ line: 9, column: 'split' })
    // Names of Object's own members are not splits either.
    for (const cell of ['constructor', '__proto__', 'toString'])
      expect(errorOf(mapRecord(rec(3, { q: 'x', split: cell }), m))).toMatchObject({ line: 3, column: 'split' })
  })

  it('reads pandas column-oriented records with dotted names, numbers and nulls (Phoenix results)', () => {
    const m = mapping({
      input: 'attributes.query',
      output: 'attributes.output.value',
      labels: [{ field: 'ground_truth_label', criterion: 'Overall', note: null, annotator: 'imported' }],
      verdicts: [
        { field: 'llm_as_judge_label', judge: 'llm_as_judge_label', criterion: 'Overall', critique: 'explanation' },
      ],
    })
    const r = okOf(
      mapRecord(
        rec(1, {
          ground_truth_label: 'FAIL',
          llm_as_judge_label: 'FAIL',
          explanation: 'sugar',
          'attributes.query': 'diabetic cake',
          'attributes.output.value': 'Certainly!',
          'attributes.id': 40,
          parent_id: null,
        }),
        m,
      ),
    )
    expect([r.item.input, r.item.output, r.labels[0].verdict, r.verdicts[0].critique]).toEqual([
      'diabetic cake',
      'Certainly!',
      'fail',
      'sugar',
    ])
    expect(r.item.metadata).toEqual({ 'attributes.id': 40 })
  })
})

describe('mapRecord: failure-mode columns and notes without a verdict', () => {
  const m = mapping({
    id: 'Trace_ID',
    input: 'User_Query',
    labels: [
      { field: null, criterion: 'Overall', note: 'Open_Code_Notes', annotator: 'imported' },
      {
        field: 'SafetyRequirementIgnored',
        criterion: 'Safety requirement ignored',
        note: null,
        annotator: 'imported',
        invert: true,
      },
    ],
  })

  it('inverts 0/1 failure-mode columns: 1 = the failure is present = fail', () => {
    const r = okOf(
      mapRecord(
        rec(2, {
          Trace_ID: '60',
          User_Query: 'keto?',
          Open_Code_Notes: 'Boilerplate Persona; Safety Framing',
          SafetyRequirementIgnored: '1',
        }),
        m,
      ),
    )
    expect(r.labels).toEqual([
      {
        column: 0,
        criterion: 'Overall',
        verdict: 'defer',
        note: 'Boilerplate Persona; Safety Framing',
        annotator: 'imported',
      },
      { column: 1, criterion: 'Safety requirement ignored', verdict: 'fail', note: '', annotator: 'imported' },
    ])
    const clean = okOf(
      mapRecord(rec(3, { Trace_ID: '61', User_Query: 'vegan?', Open_Code_Notes: '', SafetyRequirementIgnored: 0 }), m),
    )
    expect(clean.labels).toEqual([
      { column: 1, criterion: 'Safety requirement ignored', verdict: 'pass', note: '', annotator: 'imported' },
    ])
  })

  it('keeps a note written with a leading space and literal quotes as the annotator wrote it, trimmed', () => {
    const r = okOf(
      mapRecord(
        rec(2, { Trace_ID: '62', User_Query: 'q', Open_Code_Notes: ' "No errors"', SafetyRequirementIgnored: '0' }),
        m,
      ),
    )
    expect(r.labels[0].note).toBe('"No errors"')
  })
})

describe('mapRecord: chat traces', () => {
  const nurture = {
    Notes: '',
    lsmith_id: '97f6ba60',
    lsmith_url: 'https://smith.langchain.com/o/x/r/97f6ba60',
    tools: [{ function: { name: 'getTourAvailability', description: 'tour slots' }, type: 'function' }],
    z_note: 'Did not invoke the text message tool',
    messages: [
      { role: 'system', content: '[Role and Purpose]\nYou are Emma.' },
      { role: 'user', content: 'Is there a pool?' },
      { role: 'asssistant', content: 'Yes, an Oasis Style Salt Water Pool.' },
      { role: 'tool', content: '{"ok":true}' },
    ],
    id: 'root',
    all_responses_substantiated: true,
  }

  it('derives input/output from the first user and last assistant messages, keeping the typo role', () => {
    const m = mapping({
      id: 'lsmith_id',
      messages: 'messages',
      labels: [{ field: null, criterion: 'Overall', note: 'z_note', annotator: 'imported' }],
    })
    const r = okOf(mapRecord(rec(1, nurture), m))
    expect(r.item).toMatchObject({
      externalId: '97f6ba60',
      kind: 'chat',
      input: 'Is there a pool?',
      output: 'Yes, an Oasis Style Salt Water Pool.',
    })
    expect(r.item.messages.map((x) => x.role)).toEqual(['system', 'user', 'asssistant', 'tool'])
    expect(r.labels).toEqual([
      {
        column: 0,
        criterion: 'Overall',
        verdict: 'defer',
        note: 'Did not invoke the text message tool',
        annotator: 'imported',
      },
    ])
    expect(Object.keys(r.item.metadata)).toEqual(['lsmith_url', 'tools', 'id', 'all_responses_substantiated'])
  })

  it('reads a log export whose input cell is a JSON message list and whose metadata cells are JSON', () => {
    const input = JSON.stringify([
      { content: 'You are Emma', role: 'system' },
      { content: 'Is there parking?', role: 'user' },
      {
        role: 'assistant',
        tool_calls: [{ function: { arguments: '{}', name: 'getParking' }, id: 'call_1', type: 'function' }],
      },
      { content: '{"parking":"garage"}', role: 'tool', tool_call_id: 'call_1' },
      [{ content: 'Yes, there is a garage.', role: 'assistant' }],
    ])
    const row = {
      name: 'root',
      input,
      output: '',
      expected: '',
      tags: '',
      metrics: '{"duration":0.93,"prompt_tokens":0}',
      metadata: '{"Notes":"no parking info","lsmith_id":"abc"}',
      created: '2025-02-03T00:18:08.001Z',
      span_id: 'd14b',
      comments: '',
    }
    const r = okOf(mapRecord(rec(2, row), mapping({ id: 'span_id', messages: 'input' })))
    expect(r.item.kind).toBe('chat')
    expect(r.item.messages).toHaveLength(5)
    expect(r.item.messages[2]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', name: 'getParking', arguments: '{}' }],
    })
    expect([r.item.input, r.item.output]).toEqual(['Is there parking?', 'Yes, there is a garage.'])
    expect(r.item.metadata).toEqual({
      name: 'root',
      metrics: { duration: 0.93, prompt_tokens: 0 },
      Notes: 'no parking info',
      lsmith_id: 'abc',
      created: '2025-02-03T00:18:08.001Z',
    })
  })

  it('joins a reply given as a message (or as plain text) in the output column to the conversation', () => {
    const m = mapping({ messages: 'input', output: 'output' })
    const asMessage = okOf(
      mapRecord(
        rec(1, { input: '[{"role":"user","content":"hi"}]', output: '{"role":"assistant","content":"hello"}' }),
        m,
      ),
    )
    expect(asMessage.item.messages.map((x) => x.content)).toEqual(['hi', 'hello'])
    expect(asMessage.item.output).toBe('hello')
    const asText = okOf(mapRecord(rec(1, { input: '[{"role":"user","content":"hi"}]', output: 'hello' }), m))
    expect(asText.item.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ])
    const already = okOf(
      mapRecord(
        rec(1, { input: '[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]', output: 'hello' }),
        m,
      ),
    )
    expect(already.item.messages).toHaveLength(2)
  })

  it('reports a message list holding a non-object, naming the column', () => {
    const e = errorOf(
      mapRecord(rec(5, { messages: '[{"role":"user","content":"hi"}, "oops"]' }), mapping({ messages: 'messages' })),
    )
    expect(e).toEqual({
      line: 5,
      column: 'messages',
      message:
        'messages column "messages" message 2 is the text "oops", not a {role, content} object; fix the cell or map another column',
    })
  })
})

describe('mapRecord: pipeline steps and the step unit of review', () => {
  const steps = JSON.stringify([
    { name: 'decompose', input: 'q', output: 'sub-questions' },
    { name: 'retrieve', input: 'sub-questions', output: 'passages', k: 5 },
  ])

  it('makes a pipeline item from a steps field', () => {
    const r = okOf(
      mapRecord(
        rec(1, { id: 't1', question: 'q', answer: 'a', steps }),
        mapping({ id: 'id', input: 'question', output: 'answer', steps: 'steps' }),
      ),
    )
    expect(r.item.kind).toBe('pipeline')
    expect(r.item.steps).toEqual([
      { name: 'decompose', input: 'q', output: 'sub-questions', metadata: {} },
      { name: 'retrieve', input: 'sub-questions', output: 'passages', metadata: { k: 5 } },
    ])
  })

  it('with unit = step, the item is that step; a trace without it is an error the pipeline can skip', () => {
    const m = mapping({ id: 'id', input: 'question', steps: 'steps', unit: { kind: 'step', step: 'retrieve' } })
    const r = okOf(mapRecord(rec(1, { id: 't1', question: 'q', steps }), m))
    expect(r.item).toEqual({
      externalId: 't1/retrieve',
      kind: 'text',
      input: 'sub-questions',
      output: 'passages',
      messages: [],
      steps: [],
      metadata: { k: 5, traceId: 't1', step: 'retrieve' },
    })
    const e = errorOf(mapRecord(rec(4, { id: 't2', question: 'q', steps: '[{"name":"decompose"}]' }), m))
    expect(e).toEqual({
      line: 4,
      column: 'steps',
      message: 'trace "t2" has no step named "retrieve" (it has: decompose); skip it, or review whole traces',
    })
  })
})

describe('mapSpanRecords + mapRecord: span exports', () => {
  const spans = [
    rec(2, {
      'context.trace_id': 'T1',
      'context.span_id': 'llm',
      parent_id: 'root',
      name: 'ChatCompletion',
      span_kind: 'LLM',
      start_time: '2025-07-24 22:03:40.2+00:00',
      'attributes.input.value':
        '{"messages":[{"role":"system","content":"You are a recipe bot"},{"role":"user","content":"vegan pizza?"}]}',
      'attributes.output.value': 'Try this',
      'attributes.llm.model_name': 'gpt-4o-mini',
      ground_truth_label: '',
    }),
    rec(3, {
      'context.trace_id': 'T1',
      'context.span_id': 'root',
      parent_id: '',
      name: 'Query_Information',
      span_kind: 'CHAIN',
      start_time: '2025-07-24 22:03:40.1+00:00',
      'attributes.input.value': 'vegan pizza?',
      'attributes.output.value': 'Try this',
      'attributes.dietary_restriction': 'vegan',
      ground_truth_label: 'PASS',
    }),
    rec(4, {
      'context.trace_id': 'T2',
      'context.span_id': 'r2',
      parent_id: null,
      name: 'Query_Information',
      span_kind: 'CHAIN',
      start_time: '2025-07-24 22:03:41+00:00',
      'attributes.input.value': 'keto bread?',
      'attributes.output.value': 'Here',
      ground_truth_label: 'FAIL',
    }),
    rec(5, { 'context.span_id': 'x' }),
  ]
  const base = mapping({
    id: 'context.trace_id',
    input: 'attributes.input.value',
    output: 'attributes.output.value',
    spans: {
      traceId: 'context.trace_id',
      spanId: 'context.span_id',
      parentId: 'parent_id',
      name: 'name',
      start: 'start_time',
    },
    labels: [{ field: 'ground_truth_label', criterion: 'Overall', note: null, annotator: 'imported' }],
  })

  it('groups spans into one item per trace, labels read from the root span', () => {
    const grouped = mapSpanRecords(spans, base)
    expect(grouped.errors).toEqual([
      { line: 5, column: 'context.trace_id', message: expect.stringContaining('every span needs a trace id') },
    ])
    const results = grouped.records.map((r) => okOf(mapRecord(r, base)))
    expect(
      results.map((r) => [r.item.externalId, r.item.kind, r.item.input, r.item.output, r.labels[0].verdict]),
    ).toEqual([
      ['T1', 'pipeline', 'vegan pizza?', 'Try this', 'pass'],
      ['T2', 'text', 'keto bread?', 'Here', 'fail'],
    ])
    const t1 = results[0].item
    expect(t1.steps).toHaveLength(1)
    expect(t1.steps[0]).toMatchObject({
      name: 'ChatCompletion',
      output: 'Try this',
      metadata: { kind: 'LLM', model: 'gpt-4o-mini', parentId: 'root' },
    })
    expect(t1.metadata).toMatchObject({
      spanCount: 2,
      rootSpanId: 'root',
      kind: 'CHAIN',
      'attributes.dietary_restriction': 'vegan',
    })
    expect(t1.metadata).not.toHaveProperty('ground_truth_label')
    expect(Object.keys(t1.metadata).some((k) => k.startsWith('\u0000'))).toBe(false)
  })

  it('with unit = step, makes the named span of each trace an item; traces without it are errors', () => {
    const m = { ...base, unit: { kind: 'step' as const, step: 'ChatCompletion' } }
    const [t1, t2] = mapSpanRecords(spans, m).records.map((r) => mapRecord(r, m))
    const item = okOf(t1).item
    // The LLM span's raw request ({messages: [...]}) is read as its conversation.
    expect(item).toMatchObject({
      externalId: 'T1/ChatCompletion',
      kind: 'chat',
      input: '[{"role":"system","content":"You are a recipe bot"},{"role":"user","content":"vegan pizza?"}]',
      output: 'Try this',
    })
    expect(item.messages.map((x) => x.role)).toEqual(['system', 'user'])
    expect(item.metadata).toMatchObject({ traceId: 'T1', step: 'ChatCompletion', model: 'gpt-4o-mini' })
    expect(errorOf(t2)).toMatchObject({
      line: 4,
      column: 'name',
      message: expect.stringContaining('trace "T2" has no step named "ChatCompletion"'),
    })
  })
})

describe('mapRecord: step-wise labels (last successful and first failing state)', () => {
  const states = (over: Partial<NonNullable<MappingType['states']>> = {}) => ({
    lastSuccess: 'last',
    firstFailure: 'first',
    criterion: 'Overall',
    annotator: 'imported',
    order: null,
    ...over,
  })
  const m = mapping({ id: 'id', messages: 'messages', states: states() })
  const chat = (last: unknown, first: unknown) =>
    rec(2, { id: 'c', messages: [{ role: 'user', content: 'hi' }], last, first })

  it('a named first failing state is a fail on Overall carrying both states; "(start)", "None" or an empty last success: it failed at its first state', () => {
    expect(okOf(mapRecord(chat('PlanToolCalls', 'GetRecipes'), m)).labels).toEqual([
      {
        column: -1,
        byStates: true,
        criterion: 'Overall',
        verdict: 'fail',
        note: '',
        annotator: 'imported',
        states: { firstFailingStep: null, lastSuccess: 'PlanToolCalls', firstFailure: 'GetRecipes' },
      },
    ])
    for (const start of ['(start)', 'None', '', null])
      expect(okOf(mapRecord(chat(start, ' ParseRequest '), m)).labels[0].states).toEqual({
        firstFailingStep: null,
        lastSuccess: null,
        firstFailure: 'ParseRequest',
      })
    expect(okOf(mapRecord(chat('', ''), m)).labels).toEqual([]) // no state: no label
  })

  it("goes onto the label column of its criterion (which must not say pass), with that column's annotator", () => {
    const labeled = mapping({
      id: 'id',
      messages: 'messages',
      labels: [{ field: 'label', criterion: 'Overall', note: 'why', annotator: 'ann' }],
      states: states(),
    })
    const row = (label: string, last: string, first: string) =>
      rec(3, { id: 'c', messages: [{ role: 'user', content: 'hi' }], label, why: 'broke', last, first })
    expect(okOf(mapRecord(row('FAIL', 'a', 'b'), labeled)).labels).toEqual([
      {
        column: 0,
        byStates: true,
        criterion: 'Overall',
        verdict: 'fail',
        note: 'broke',
        annotator: 'ann',
        states: { firstFailingStep: null, lastSuccess: 'a', firstFailure: 'b' },
      },
    ])
    expect(okOf(mapRecord(row('PASS', 'c', ''), labeled)).labels[0]).toMatchObject({
      verdict: 'pass',
      states: { lastSuccess: 'c', firstFailure: null },
    })
    expect(errorOf(mapRecord(row('PASS', 'a', 'b'), labeled))).toMatchObject({
      line: 3,
      column: 'first',
      message: expect.stringContaining('says pass: a trace that passed has no failing state'),
    })
    expect(errorOf(mapRecord(row('UNKNOWN', 'a', 'b'), labeled)).message).toContain('is not a verdict ("error")')
    expect(
      errorOf(
        mapRecord(rec(4, { id: 'c', messages: [{ role: 'user', content: 'hi' }], last: { a: 1 }, first: 'b' }), m),
      ),
    ).toMatchObject({ column: 'last', message: expect.stringContaining('holds an object, not a state name') })
  })

  it("a pipeline's first failing state is one of its steps, stored as its index", () => {
    const steps = [{ name: 'plan' }, { name: 'search' }, { name: 'plan' }, { name: 'answer' }]
    const pm = mapping({ id: 'id', steps: 'steps', states: states() })
    const row = (last: string, first: string) => mapRecord(rec(5, { id: 'p', steps, last, first }), pm)
    expect(okOf(row('', 'plan')).labels[0].states).toEqual({
      firstFailingStep: 0,
      lastSuccess: null,
      firstFailure: null,
    })
    expect(okOf(row('search', 'plan')).labels[0].states).toEqual({
      firstFailingStep: 2,
      lastSuccess: null,
      firstFailure: null,
    })
    expect(errorOf(row('answer', 'plan')).message).toBe(
      'trace "p" has no step "plan" right after a step "answer" (its steps: plan, search, plan, answer); fix the cell, or map the column that names its steps',
    )
    expect(
      errorOf(
        mapRecord(
          rec(5, { id: 'p', steps, last: '', first: 'x' }),
          mapping({ id: 'id', steps: 'steps', states: states(), unit: { kind: 'step', step: 'plan' } }),
        ),
      ).message,
    ).toContain('step-wise labels are about whole traces')
  })

  it('the order the user gave: a state outside it, or a last success not before its first failure, is refused', () => {
    const ordered = mapping({ id: 'id', messages: 'messages', states: states({ order: ['a', 'b', 'c'] }) })
    expect(okOf(mapRecord(chat('a', 'c'), ordered)).ok).toBe(true)
    expect(errorOf(mapRecord(chat('a', 'd'), ordered)).message).toBe(
      'state "d" is not in the state order you gave (a, b, c); add it to the order, or fix the cell',
    )
    expect(errorOf(mapRecord(chat('c', 'b'), ordered)).message).toBe(
      'the last successful state "c" does not come before the first failing state "b" in the state order you gave (a → b → c); fix the cells, or the order',
    )
    expect(Mapping.safeParse({ ...ordered, states: states({ order: ['a', 'a'] }) }).success).toBe(false)
  })
})

describe('suggestMapping', () => {
  const hw3 = {
    query: 'q',
    dietary_restriction: 'vegan',
    response: RESPONSE,
    success: 'True',
    error: '',
    trace_id: '1_1',
    query_id: '1',
    label: 'PASS',
    reasoning: 'ok',
    confidence: 'HIGH',
    labeled: 'True',
  }

  it('course HW3: id, input, output, the label with its reasoning; success stays metadata', () => {
    const m = suggestMapping(detected([hw3, { ...hw3, trace_id: '1_2', label: 'FAIL' }]))
    expect(m).toMatchObject({
      id: 'trace_id',
      input: 'query',
      output: 'response',
      messages: null,
      spans: null,
      verdicts: [],
      splits: [],
      keepUnmapped: true,
    })
    expect(m.labels).toEqual([{ field: 'label', criterion: 'Overall', note: 'reasoning', annotator: 'imported' }])
    expect(Mapping.safeParse(m).success).toBe(true)
  })

  it('prediction files: true_label as the label, predicted_label as a judge with its reasoning', () => {
    const rows = ['PASS', 'UNKNOWN', 'FAIL'].map((p, i) => ({
      trace_id: `t${i}`,
      query: 'q',
      response: 'r',
      true_label: 'PASS',
      predicted_label: p,
      reasoning: 'why',
      success: true,
    }))
    const m = suggestMapping(detected(rows, 'json-array'))
    expect(m.labels).toEqual([{ field: 'true_label', criterion: 'Overall', note: null, annotator: 'imported' }])
    expect(m.verdicts).toEqual([
      { field: 'predicted_label', judge: 'predicted_label', criterion: 'Overall', critique: 'reasoning' },
    ])
  })

  it('a judge run appended to human labels: each explanation goes to the nearest verdict column (duplicate headers renamed)', () => {
    const row = { ...hw3, llm_judge_label: 'pass', reason: 'judge says', confidence_2: 'high' }
    const m = suggestMapping(detected([row, { ...row, trace_id: '1_2' }]))
    expect(m.labels).toEqual([{ field: 'label', criterion: 'Overall', note: 'reasoning', annotator: 'imported' }])
    expect(m.verdicts).toEqual([
      { field: 'llm_judge_label', judge: 'llm_judge_label', criterion: 'Overall', critique: 'reason' },
    ])
  })

  it('Phoenix span dataframe, one span per trace: dotted columns, no span grouping', () => {
    const row = (i: number) => ({
      ground_truth_label: i ? 'PASS' : 'FAIL',
      ground_truth_explanation: 'why',
      prompt: 'You are a labeler…',
      name: 'Query_Information',
      span_kind: 'CHAIN',
      parent_id: '',
      start_time: '2025-07-24 22:03:39+00:00',
      'context.span_id': `s${i}`,
      'context.trace_id': `t${i}`,
      'attributes.output.value': 'recipe',
      'attributes.query': 'q',
      'attributes.input.value': 'q',
    })
    const m = suggestMapping(detected([row(0), row(1)]))
    expect(m).toMatchObject({
      id: 'context.trace_id',
      input: 'attributes.input.value',
      output: 'attributes.output.value',
      spans: null,
    })
    expect(m.labels).toEqual([
      { field: 'ground_truth_label', criterion: 'Overall', note: 'ground_truth_explanation', annotator: 'imported' },
    ])
  })

  it('span exports with several spans per trace get a span mapping', () => {
    const spans = [
      { traceId: 'a', spanId: '1', parentSpanId: '', name: 'agent', startTimeUnixNano: '1', attributes: {} },
      { traceId: 'a', spanId: '2', parentSpanId: '1', name: 'llm', startTimeUnixNano: '2', attributes: {} },
    ]
    expect(suggestMapping(detected(spans, 'jsonl'))).toMatchObject({
      id: 'traceId',
      spans: {
        traceId: 'traceId',
        spanId: 'spanId',
        parentId: 'parentSpanId',
        name: 'name',
        start: 'startTimeUnixNano',
      },
    })
    expect(suggestMapping(detected([{ resourceSpans: [] }], 'json-records')).spans).toMatchObject({
      traceId: 'traceId',
      parentId: 'parentSpanId',
    })
  })

  it('chat files: messages column, a unique id (not the constant `id: root`), the note column with most notes', () => {
    const rows = [0, 1, 2].map((i) => ({
      Notes: i === 0 ? 'Axial code: Did not invoke tool' : undefined,
      lsmith_id: `ls${i}`,
      z_note: i === 0 ? null : `note ${i}`,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'asssistant', content: 'hello' },
      ],
      id: 'root',
      all_responses_substantiated: true,
    }))
    const m = suggestMapping(
      detected(
        rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
        'json-array',
      ),
    )
    expect(m).toMatchObject({ id: 'lsmith_id', messages: 'messages', input: null, output: null })
    expect(m.labels).toEqual([{ field: null, criterion: 'Overall', note: 'z_note', annotator: 'imported' }])
  })

  it('log exports: an input column holding message JSON becomes the messages field; empty output is not mapped', () => {
    const row = (i: number) => ({
      name: 'root',
      input: '[{"content":"sys","role":"system"},{"content":"hi","role":"user"}]',
      output: '',
      metrics: '{}',
      metadata: '{"Notes":"x"}',
      span_id: `s${i}`,
      comments: '',
    })
    expect(suggestMapping(detected([row(0), row(1)]))).toMatchObject({
      id: 'span_id',
      messages: 'input',
      input: null,
      output: null,
      labels: [],
    })
  })

  it('0/1 failure-mode columns become inverted labels with humanised criteria; open-code notes a deferred note', () => {
    const row = (i: number) => ({
      Trace_ID: String(60 + i),
      User_Query: 'q',
      Full_Bot_Trace_Summary: 's',
      Open_Code_Notes: 'Boilerplate Persona; Missing Content',
      MissingResponseContent: String(i % 2),
      Failure_Mode_Time_Effort_Mismatch: '0',
      is_realistic_and_kept: '1',
    })
    const m = suggestMapping(detected([row(0), row(1)]))
    expect(m).toMatchObject({ id: 'Trace_ID', input: 'User_Query', output: null })
    expect(m.labels).toEqual([
      { field: null, criterion: 'Overall', note: 'Open_Code_Notes', annotator: 'imported' },
      {
        field: 'MissingResponseContent',
        criterion: 'Missing response content',
        note: null,
        annotator: 'imported',
        invert: true,
      },
      {
        field: 'Failure_Mode_Time_Effort_Mismatch',
        criterion: 'Time effort mismatch',
        note: null,
        annotator: 'imported',
        invert: true,
      },
    ])
  })

  it('an annotated file with status + notes, and a split column', () => {
    const rows = ['pass', 'fail'].map((s, i) => ({
      id: `SYN${i}`,
      query: 'q',
      response: 'r',
      notes: "good result, but I don't like the final note",
      status: s,
      split: i ? 'dev' : 'train',
    }))
    const m = suggestMapping(detected(rows))
    expect(m.labels).toEqual([{ field: 'status', criterion: 'Overall', note: 'notes', annotator: 'imported' }])
    expect(m.splits).toEqual([{ field: 'split', criterion: 'Overall' }])
  })

  it('step-wise label columns (last_success_state / first_failure_state, camelCase, "first failing step") become the state mapping; flags do not', () => {
    const hw5 = [
      {
        conversation_id: 'c1',
        messages: [{ role: 'user', content: 'hi' }],
        last_success_state: 'PlanToolCalls',
        first_failure_state: 'GetRecipes',
      },
    ]
    const m = suggestMapping(detected(hw5, 'jsonl'))
    expect(m.states).toEqual({
      lastSuccess: 'last_success_state',
      firstFailure: 'first_failure_state',
      criterion: 'Overall',
      annotator: 'imported',
      order: null,
    })
    expect(m.labels).toEqual([]) // a failure-like name, but names rather than 0/1: not a failure-mode column
    expect(Mapping.safeParse(m).success).toBe(true)
    expect(
      suggestMapping(detected([{ id: 'a', input: 'q', lastSuccessfulStep: 'plan', firstFailingStep: 'search' }]))
        .states,
    ).toMatchObject({ lastSuccess: 'lastSuccessfulStep', firstFailure: 'firstFailingStep' })
    expect(suggestMapping(detected([{ id: 'a', input: 'q', 'First failing step': 'search' }])).states).toMatchObject({
      lastSuccess: null,
      firstFailure: 'First failing step',
    })
    expect(suggestMapping(detected([{ id: 'a', input: 'q', last_success: 1, first_failure: 0 }])).states).toBeNull()
    expect(suggestMapping(detected([{ id: 'a', input: 'q', last_success_state: 'plan' }])).states).toBeNull() // no failure column: nothing failed
  })

  it('does not map a label column whose values are not pass/fail words', () => {
    const m = suggestMapping(
      detected([
        { id: 'a', query: 'q', label: 'GetRecipes' },
        { id: 'b', query: 'q', label: 'ParseRequest' },
      ]),
    )
    expect(m.labels).toEqual([])
  })

  it('a non-trace file (judgy input) maps nothing, and mapping it reports instead of crashing', () => {
    const file = {
      test_labels: [1, 0, 1],
      test_preds: [1, 1, 1],
      description: 'Test set labels and predictions for judgy evaluation',
    }
    const m = suggestMapping(detected([file], 'json-records'))
    expect(m).toEqual(EMPTY_MAPPING)
    expect(mapRecord(rec(1, file), m).ok).toBe(false)
  })
})

describe('humanize', () => {
  it('turns column names into criterion names', () => {
    expect(humanize('Failure_Mode_Adherence_Ingredients')).toBe('Adherence ingredients')
    expect(humanize('Other_Failure_Mode_Specify')).toBe('Other failure mode specify')
    expect(humanize('LackOfDemographicAdaptation')).toBe('Lack of demographic adaptation')
    expect(humanize('attributes.has_PII_leak')).toBe('Has PII leak')
  })
})
