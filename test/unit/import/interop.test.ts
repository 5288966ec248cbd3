import { describe, expect, it } from 'vitest'
import { applyMapArgs } from '../../../electron/cli/import'
import { detectFormat } from '../../../electron/core/import/detect'
import { expandLangfuseTraces } from '../../../electron/core/import/langfuse'
import { mapRecord } from '../../../electron/core/import/mapping/apply'
import { suggestMapping } from '../../../electron/core/import/mapping/suggest'
import { EMPTY_MAPPING, type Mapping } from '../../../shared/import'
import { interopFixture } from '../../helpers/interop'

/** Issue 20: what the interop importers decide before any row is written. */
describe('recognising span and run exports', () => {
  it('suggests the grouping, the trace fields and a verdict column per score for each fixture', async () => {
    const suggest = async (name: string) => suggestMapping(await detectFormat(interopFixture(name)))
    const langsmith = await suggest('langsmith-runs.json')
    expect(langsmith.spans).toMatchObject({
      traceId: 'trace_id',
      spanId: 'id',
      parentId: 'parent_run_id',
      order: 'dotted_order',
      source: 'LangSmith runs',
    })
    expect([langsmith.input, langsmith.output, langsmith.verdicts.map((v) => v.field)]).toEqual([
      'inputs',
      'outputs',
      ['feedback_stats.correctness.avg'],
    ])
    const braintrust = await suggest('braintrust-events.jsonl')
    expect(braintrust.spans).toMatchObject({ traceId: 'root_span_id', parentId: 'span_parents', source: 'Braintrust' })
    expect(braintrust.verdicts.map((v) => [v.field, v.threshold])).toEqual([
      ['scores.Factuality', undefined],
      ['scores.ExactMatch', undefined],
    ])
    const langfuse = await suggest('langfuse-traces.json')
    expect(langfuse.spans).toMatchObject({ traceId: 'traceId', parentId: 'parentObservationId' })
    expect(langfuse.verdicts.map((v) => [v.judge, v.critique])).toEqual([
      ['helpfulness', 'score.helpfulness.comment'],
      ['resolved', 'score.resolved.comment'],
      ['policy', 'score.policy.comment'],
    ])
    const unknown = await suggest('unknown-spans.jsonl')
    expect(unknown.spans).toBeNull()
  })

  it('a Langfuse trace listing only observation ids (the list endpoint) and a bare observation pass through as rows', () => {
    const { records, errors } = expandLangfuseTraces([
      { line: 1, fields: { id: 't', input: 'q', output: 'a', observations: ['o1', 'o2'], scores: [] } },
      { line: 2, fields: { id: 'o9', traceId: 't9', parentObservationId: null, input: 'x' } },
    ])
    expect(errors).toEqual([])
    expect(records.map((r) => r.fields)).toEqual([
      { id: 't', input: 'q', output: 'a', observations: ['o1', 'o2'], scores: [] },
      { id: 'o9', traceId: 't9', parentObservationId: null, input: 'x' },
    ])
  })
})

describe('--map for grouping and thresholds', () => {
  const base: Mapping = { ...EMPTY_MAPPING, input: 'in', output: 'out' }

  it('trace, span and parent group strictly, with the trace id as the id; input keeps a grouping set by hand', () => {
    const m = applyMapArgs(base, ['trace=tid', 'span=sid', 'parent=pid', 'input=question'])
    expect(m.spans).toEqual({
      traceId: 'tid',
      spanId: 'sid',
      parentId: 'pid',
      name: null,
      start: null,
      strict: true,
    })
    expect([m.id, m.input]).toEqual(['tid', 'question'])
    expect(applyMapArgs(m, ['trace=']).spans).toBeNull()
  })

  it('refuses a trace id without a span id, and a threshold that is no number or has no verdict column', () => {
    expect(() => applyMapArgs(base, ['trace=tid'])).toThrow(/needs both the trace id and the span id field/)
    const judged = applyMapArgs(base, ['verdict:j=score'])
    expect(applyMapArgs(judged, ['threshold:j=0.7']).verdicts[0].threshold).toBe(0.7)
    expect(applyMapArgs(judged, ['threshold=0.2']).verdicts[0].threshold).toBe(0.2)
    expect(() => applyMapArgs(judged, ['threshold:j=high'])).toThrow(/must be a number/)
    expect(() => applyMapArgs(judged, ['threshold:other=0.5'])).toThrow(/no verdict column of judge "other"/)
  })
})

describe('numeric scores against a threshold', () => {
  const mapping: Mapping = {
    ...EMPTY_MAPPING,
    id: 'id',
    input: 'q',
    verdicts: [{ field: 's', judge: 'j', criterion: 'Overall', critique: 'why', threshold: 0.5 }],
  }
  const verdictOf = (s: unknown) => {
    const r = mapRecord({ line: 7, fields: { id: 'x', q: 'hi', s, why: 'short' } }, mapping)
    return r.ok ? r.verdicts.map((v) => [v.verdict, v.critique]) : r.error
  }

  it('at or above passes, below fails, the score and line in the critique; text is read by the value map, else an error', () => {
    expect(verdictOf(0.5)).toEqual([['pass', 'score 0.5 ≥ threshold 0.5. short']])
    expect(verdictOf('0.49')).toEqual([['fail', 'score 0.49 < threshold 0.5. short']])
    expect(verdictOf(null)).toEqual([])
    expect(verdictOf('good')).toEqual([['pass', 'short']]) // a pass word of the value map
    expect(verdictOf('somewhat')).toMatchObject({ line: 7, column: 's' })
  })
})
