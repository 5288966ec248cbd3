/**
 * The eval-tool readers on shapes the fixtures do not hold: dict-valued Inspect scores, a log still
 * running (only `_journal/start.json`), damaged archives, and promptfoo results that are not objects.
 */
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { evalResults, sniffEvalFormat } from '../../../electron/core/import/readers/evals'
import type { ReadResult } from '../../../electron/core/import/types'

const json = (value: unknown) => strToU8(JSON.stringify(value))
const records = (results: ReadResult[]) => results.flatMap((r) => ('record' in r ? [r.record.fields] : []))
const errors = (results: ReadResult[]) => results.flatMap((r) => ('error' in r ? [r.error.message] : []))

const sample = (id: number, scores: Record<string, unknown>) => ({
  id,
  epoch: 1,
  input: 'q',
  messages: [{ role: 'user', content: 'q' }],
  output: { completion: 'a' },
  scores,
})

describe('eval-tool readers', () => {
  it('expands a dict-valued Inspect score into one verdict per key, each its own criterion', () => {
    const log = {
      eval: { task: 't', scorers: [{ name: 'rubric' }] },
      samples: [sample(1, { rubric: { value: { tone: 'C', facts: 0.4 }, explanation: 'why' } })],
    }
    const [fields] = records(evalResults('log.json', 'inspect', json(log)))
    expect(fields['verdict: rubric.tone']).toBe('C')
    expect(fields['verdict: rubric.facts']).toBe(0.4)
    expect(fields['criterion: rubric.tone']).toBe('rubric.tone')
    expect(fields['critique: rubric.facts']).toBe('why')
  })

  it('reads a .eval archive still being written (no header.json yet) from its journal', () => {
    const zip = zipSync({
      '_journal/start.json': json({ version: 2, eval: { task: 't', scorers: [{ name: 's' }] } }),
      'samples/2_epoch_1.json': json(sample(2, { s: { value: 'I' } })),
      'samples/1_epoch_1.json': json(sample(1, { s: { value: 'C' } })),
    })
    const got = records(evalResults('run.eval', 'inspect', zip))
    expect(got.map((f) => [f.id, f['verdict: s'], f['criterion: s']])).toEqual([
      ['1', 'C', 'Overall'],
      ['2', 'I', 'Overall'],
    ])
  })

  it('refuses a damaged archive, an archive without samples, and a sample that is not JSON', () => {
    const zip = zipSync({ 'header.json': json({ eval: { task: 't' } }) })
    expect(errors(evalResults('a.eval', 'inspect', zip.slice(0, 40)))[0]).toMatch(/damaged ZIP archive/)
    expect(errors(evalResults('a.eval', 'inspect', zip))[0]).toMatch(/without samples/)
    const bad = zipSync({ 'header.json': json({ eval: { task: 't' } }), 'samples/1_epoch_1.json': strToU8('{') })
    expect(errors(evalResults('a.eval', 'inspect', bad))[0]).toBe(
      'a.eval: samples/1_epoch_1.json is not valid JSON; the log is damaged.',
    )
  })

  it('names a promptfoo result that is not an object by its position, and refuses a file without results.results', () => {
    const doc = { results: { results: [{ testIdx: 0, promptIdx: 0, success: true }, 7] } }
    const got = evalResults('r.json', 'promptfoo', json(doc))
    expect(records(got)).toHaveLength(1)
    expect(errors(got)).toEqual(['result 2 of "results.results" is not an object.'])
    expect(errors(evalResults('r.json', 'promptfoo', json({ results: [] })))[0]).toMatch(/not a promptfoo results file/)
  })

  it('sniffs promptfoo and Inspect from the start of a JSON object, and nothing else', () => {
    expect(sniffEvalFormat('{"evalId":"e","results":{"version":3,"results":[{"testIdx":0,"promptIdx":0}]}}')).toBe(
      'promptfoo',
    )
    expect(sniffEvalFormat('{"version":2,"eval":{"task":"t"},"samples":[{"id":1}]}')).toBe('inspect')
    expect(sniffEvalFormat('{"data":[{"id":1,"results":{}}]}')).toBeNull()
  })
})
