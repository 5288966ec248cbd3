/**
 * suggestMapping + mapRecord on the real JSON/JSONL exports in ../shared/data (course and student
 * repos; see each folder's README). The files are read here with JSON.parse, not copied: their
 * licences do not allow it. CSV files are covered end to end with the readers elsewhere.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Mapping } from '../../../shared/import'
import { mapRecord, type MapResult } from '../../../electron/core/import/mapping/apply'
import { mapSpanRecords } from '../../../electron/core/import/mapping/prepare'
import { suggestMapping } from '../../../electron/core/import/mapping/suggest'
import type { Detected, SourceRecord } from '../../../electron/core/import/types'
import { hasShared, repoRoot } from '../../helpers/paths'

const dataDir = resolve(repoRoot, '../shared/data')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** JSONL lines, a JSON array, pandas `to_json()` columns ({col: {"0": v}}), or one object as one record. */
function load(file: string): { format: Detected['format']; records: SourceRecord[] } {
  const text = readFileSync(file, 'utf8')
  if (file.endsWith('.jsonl')) {
    const records = text
      .split('\n')
      .flatMap((line, i) =>
        line.trim() === '' ? [] : [{ line: i + 1, fields: JSON.parse(line) as Record<string, unknown> }],
      )
    return { format: 'jsonl', records }
  }
  const data = JSON.parse(text) as unknown
  if (Array.isArray(data))
    return {
      format: 'json-array',
      records: data.map((fields, i) => ({ line: i + 1, fields: fields as Record<string, unknown> })),
    }
  const obj = data as Record<string, unknown>
  const columns = Object.values(obj)
  const isColumns =
    columns.length > 0 &&
    columns.every(
      (c) => typeof c === 'object' && c !== null && !Array.isArray(c) && Object.keys(c).every((k) => /^\d+$/.test(k)),
    )
  if (isColumns) {
    const index = Object.keys(columns[0] as object)
    return {
      format: 'json-columns',
      records: index.map((k, i) => ({
        line: i + 1,
        fields: Object.fromEntries(Object.entries(obj).map(([c, v]) => [c, (v as Record<string, unknown>)[k]])),
      })),
    }
  }
  return { format: 'json-records', records: [{ line: 1, fields: obj }] }
}

function run(file: string) {
  const { format, records } = load(file)
  const columns = [...new Set(records.flatMap((r) => Object.keys(r.fields)))]
  const detected: Detected = { format, columns, sample: records.slice(0, 50), notes: [], size: 0 }
  const mapping = suggestMapping(detected)
  const grouped = mapping.spans ? mapSpanRecords(records, mapping) : { records, errors: [] }
  const results = grouped.records.map((r) => mapRecord(r, mapping))
  const ok = results.filter((r): r is Extract<MapResult, { ok: true }> => r.ok)
  const errors = [...grouped.errors, ...results.flatMap((r) => (r.ok ? [] : [r.error]))]
  return { mapping, records, ok, errors }
}

const count = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {})
/** Judge vs label, PASS = positive; error verdicts counted apart. */
function confusion(ok: ReturnType<typeof run>['ok']) {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0, judgeErrors: 0 }
  for (const r of ok) {
    const label = r.labels[0]?.verdict
    const judge = r.verdicts[0]?.verdict
    if (judge === 'error') c.judgeErrors++
    else if (label === 'pass') c[judge === 'pass' ? 'tp' : 'fn']++
    else if (label === 'fail') c[judge === 'pass' ? 'fp' : 'tn']++
  }
  return c
}

const NOT_TRACES = /(judgy_test_data|judge_performance|final_evaluation)\.json$/
const path = (p: string) => join(dataDir, p)

describe.skipIf(!hasShared('data'))('real exports in ../shared/data', () => {
  const files = existsSync(dataDir) ? filesUnder(dataDir).filter((f) => /\.jsonl?$/.test(f)) : []

  it('finds the JSON and JSONL files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  for (const file of files.filter((f) => !NOT_TRACES.test(f))) {
    it(`maps every record of ${relative(dataDir, file)} without an error, with unique ids`, () => {
      const { mapping, records, ok, errors } = run(file)
      expect(Mapping.safeParse(mapping).success).toBe(true)
      expect(errors).toEqual([])
      expect(ok).toHaveLength(records.length)
      expect(new Set(ok.map((r) => r.item.externalId)).size).toBe(ok.length)
      for (const r of ok) expect(r.item.input.length + r.item.output.length + r.item.messages.length).toBeGreaterThan(0)
    })
  }

  for (const file of files.filter((f) => NOT_TRACES.test(f))) {
    it(`maps nothing from ${relative(dataDir, file)} (not a trace file) and reports it instead of crashing`, () => {
      const { mapping, ok, errors } = run(file)
      expect([
        mapping.id,
        mapping.input,
        mapping.output,
        mapping.messages,
        mapping.spans,
        mapping.labels,
        mapping.verdicts,
      ]).toEqual([null, null, null, null, null, [], []])
      expect(ok).toEqual([])
      expect(errors.length).toBeGreaterThan(0)
      expect(errors[0].message).toContain('nothing to review')
    })
  }

  it('NurtureBoss traces: 100 chat items keyed by lsmith_id, the `asssistant` role kept, z_note as the note', () => {
    const { mapping, ok } = run(path('ai-evals-course-recipe-chatbot/lesson-4/nurtureboss_traces_labeled.json'))
    expect(mapping).toMatchObject({
      id: 'lsmith_id',
      messages: 'messages',
      labels: [{ field: null, criterion: 'Overall', note: 'z_note' }],
    })
    expect(ok).toHaveLength(100)
    expect(ok.every((r) => r.item.kind === 'chat')).toBe(true)
    expect(ok.flatMap((r) => r.item.messages).filter((m) => m.role === 'asssistant')).toHaveLength(2)
    expect(count(ok.flatMap((r) => r.item.messages.map((m) => m.role)))).toEqual({
      system: 100,
      user: 433,
      assistant: 445,
      tool: 218,
      asssistant: 2,
    })
    // 42 human notes become deferred labels carrying the note; `Notes` (5 non-empty) stays in metadata.
    const labels = ok.flatMap((r) => r.labels)
    expect(labels).toHaveLength(42)
    expect(labels.every((l) => l.verdict === 'defer' && l.note !== '')).toBe(true)
    expect(ok.filter((r) => typeof r.item.metadata.Notes === 'string')).toHaveLength(5)
    expect(ok[0].item.metadata).toMatchObject({
      lsmith_url: expect.stringMatching(/^https:\/\/smith\.langchain\.com\//),
      all_responses_substantiated: expect.any(Boolean),
    })
    expect(ok.every((r) => r.item.input !== '')).toBe(true)
    // One real trace ends on the user's message (system + user only): no assistant reply to show.
    expect(ok.filter((r) => r.item.output === '').map((r) => r.item.messages.map((m) => m.role))).toEqual([
      ['system', 'user'],
    ])
  })

  it('HW5 raw traces: 96 chat items; TOOL_CALL[...] text and the `agent` role kept as written', () => {
    const { mapping, ok } = run(path('ai-evals-course-recipe-chatbot/homeworks/hw5/reference_files/raw_traces.jsonl'))
    expect(mapping).toMatchObject({ id: 'conversation_id', messages: 'messages', labels: [], verdicts: [] })
    expect(ok).toHaveLength(96)
    expect(ok.every((r) => r.item.kind === 'chat' && r.item.input !== '')).toBe(true)
    const messages = ok.flatMap((r) => r.item.messages)
    expect(messages.some((m) => m.role === 'assistant' && m.content?.startsWith('TOOL_CALL[GetCustomerProfile]'))).toBe(
      true,
    )
    expect(messages.every((m) => m.tool_calls === undefined)).toBe(true)
    expect(count(messages.map((m) => m.role))).toEqual({ user: 187, assistant: 563, agent: 116 })
  })

  it('HW5 labeled traces: the pipeline states are step-wise labels (a fail with its last successful and first failing state), not metadata', () => {
    const { mapping, ok } = run(
      path('ai-evals-course-recipe-chatbot/homeworks/hw5/reference_files/labeled_traces.jsonl'),
    )
    expect(mapping).toMatchObject({
      labels: [],
      states: { lastSuccess: 'last_success_state', firstFailure: 'first_failure_state', criterion: 'Overall' },
    })
    expect(ok).toHaveLength(96)
    expect(
      ok.every(
        (r) => r.labels.length === 1 && r.labels[0].verdict === 'fail' && !('first_failure_state' in r.item.metadata),
      ),
    ).toBe(true)
    expect(count(ok.map((r) => String(r.labels[0].states!.firstFailure))).GetRecipes).toBe(32)
  })

  it('HW2 query/response JSONL: 250 text items, emoji preserved', () => {
    const { mapping, ok } = run(
      path('ai-evals-course-recipe-chatbot/homeworks/hw2/reference_files/query_response.jsonl'),
    )
    expect(mapping).toMatchObject({ id: 'id', input: 'query', output: 'response' })
    expect(ok).toHaveLength(250)
    expect(ok.some((r) => r.item.input.includes('🤔'))).toBe(true)
    expect(ok.filter((r) => r.item.output.includes('\n')).length).toBe(248) // multi-line markdown; 2 replies are one line
  })

  it('HW3 labeled JSONL: 75 PASS / 26 FAIL labels with the GPT-4o reasoning as note; Python "True" strings kept as metadata', () => {
    const { mapping, ok } = run(
      path('ai-evals-course-recipe-chatbot/homeworks/hw3/reference_files/labeled_traces.jsonl'),
    )
    expect(mapping).toMatchObject({
      id: 'trace_id',
      input: 'query',
      output: 'response',
      labels: [{ field: 'label', note: 'reasoning' }],
    })
    expect(count(ok.map((r) => r.labels[0].verdict))).toEqual({ pass: 75, fail: 26 })
    expect(ok[0].item.metadata).toMatchObject({ success: 'True', labeled: 'True', confidence: expect.any(String) })
    expect(ok.some((r) => 'error' in r.item.metadata)).toBe(false) // `error` is JSON null on every line: nothing to keep
  })

  it('course HW3 test predictions: judge verdicts with UNKNOWN → error, matching the README confusion counts', () => {
    const { mapping, ok } = run(path('ai-evals-course-recipe-chatbot/homeworks/hw3/results/test_predictions.json'))
    expect(mapping.verdicts).toEqual([
      { field: 'predicted_label', judge: 'predicted_label', criterion: 'Overall', critique: 'reasoning' },
    ])
    expect(mapping.labels).toEqual([{ field: 'true_label', criterion: 'Overall', note: null, annotator: 'imported' }])
    expect(confusion(ok)).toEqual({ tp: 31, fn: 0, fp: 2, tn: 9, judgeErrors: 4 })
    expect(ok.every((r) => r.verdicts[0].critique !== '')).toBe(true)
  })

  it('course HW3 dev predictions: a failed judge run, all 40 verdicts error', () => {
    const { ok } = run(path('ai-evals-course-recipe-chatbot/homeworks/hw3/results/dev_predictions.json'))
    expect(count(ok.map((r) => r.verdicts[0].verdict))).toEqual({ error: 40 })
  })

  it('d-gangz predictions: test TP 34 / FP 3 / TN 9; dev has one UNKNOWN', () => {
    expect(
      confusion(run(path('d-gangz-recipe-chatbot-practice/homeworks/hw3/results/test_predictions.json')).ok),
    ).toEqual({ tp: 34, fn: 0, fp: 3, tn: 9, judgeErrors: 0 })
    expect(
      confusion(run(path('d-gangz-recipe-chatbot-practice/homeworks/hw3/results/dev_predictions.json')).ok),
    ).toEqual({ tp: 30, fn: 0, fp: 3, tn: 6, judgeErrors: 1 })
  })

  it('Phoenix results (pandas column JSON, dotted names): label, judge and critique, README counts', () => {
    const test = run(path('PriyanJindal-recipe-chatbot-fork/homeworks/hw3_phoenix/results/test_predictions.json'))
    expect(test.mapping).toMatchObject({
      id: null,
      input: 'attributes.query',
      output: 'attributes.output.value',
      verdicts: [{ field: 'llm_as_judge_label', critique: 'explanation' }],
    })
    expect(confusion(test.ok)).toEqual({ tp: 22, fn: 1, fp: 0, tn: 10, judgeErrors: 0 })
    const dev = run(path('PriyanJindal-recipe-chatbot-fork/homeworks/hw3_phoenix/results/dev_predictions.json'))
    expect(dev.mapping).toMatchObject({
      id: 'context.trace_id',
      input: 'attributes.input.value',
      output: 'attributes.output.value',
      spans: null,
    })
    expect(dev.mapping.labels).toEqual([
      { field: 'ground_truth_label', criterion: 'Overall', note: 'ground_truth_explanation', annotator: 'imported' },
    ])
    expect(confusion(dev.ok)).toEqual({ tp: 30, fn: 0, fp: 2, tn: 4, judgeErrors: 0 })
    expect(dev.ok[0].item.metadata).toMatchObject({
      prompt_x: expect.any(String),
      'attributes.trace_num': expect.any(Number),
    })
  })
})
