import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { held, importInterop, interopFixture } from '../../helpers/interop'
import { tempDir } from '../../helpers/paths'

/**
 * Issue 20, item "Langfuse traces + observations". The fixture is three traces as Langfuse's public
 * API returns them (`GET /api/public/traces/{traceId}`, TraceWithFullDetails: `observations` with
 * `type` SPAN/EVENT/GENERATION and `parentObservationId`; `scores` with `name`, `value`,
 * `stringValue`, `dataType` NUMERIC/BOOLEAN/CATEGORICAL, `comment`, `observationId`), wrapped in
 * `{data, meta}` as the list endpoint pages them (API reference at api.reference.langfuse.com,
 * scores data model at langfuse.com/docs/evaluation/evaluation-methods/custom-scores).
 */
describe('Langfuse traces with observations and scores', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-langfuse-')
    project = tmp.file('p.assay')
  })
  afterEach(() => tmp.cleanup())
  const fixture = interopFixture('langfuse-traces.json')

  it('a NUMERIC score without a threshold is refused, saying how to give one; nothing is imported', async () => {
    const { code, report } = await importInterop(tmp.dir, project, fixture)
    expect(code).toBe(1)
    expect(report.imported).toBe(0)
    expect(report.errors[0]).toMatchObject({ line: 1, column: 'score.helpfulness' })
    expect(report.errors[0].message).toContain('value 0.9 is a numeric score, not pass/fail')
    expect(report.errors[0].message).toContain('--map "threshold:helpfulness=0.5"')
  })

  it('with a threshold: 3 items, observations as steps (nested in start order), each score a judge with its comment', async () => {
    const { code, report, stderr } = await importInterop(
      tmp.dir,
      project,
      fixture,
      '--map',
      'threshold:helpfulness=0.5',
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(report.imported).toBe(3)
    const { items, labels, verdicts } = held(project)
    expect(items.map((i) => [i.id, i.kind, i.messages, i.steps])).toEqual([
      ['lf-trace-1', 'chat', 3, ['lookup-order', 'cache-miss', 'answer']],
      ['lf-trace-2', 'chat', 2, ['policy-search', 'answer']],
      ['lf-trace-3', 'chat', 2, ['answer']],
    ])
    expect(items.flatMap((i) => i.steps)).toHaveLength(6)
    expect(items[0].stepRows.map((s) => [s.metadata.kind, s.metadata.depth])).toEqual([
      ['SPAN', 0],
      ['EVENT', 1],
      ['GENERATION', 0],
    ])
    expect(items[1].metadata.observationScores).toEqual([expect.objectContaining({ name: 'hallucination' })])
    expect(labels).toEqual([])
    expect(verdicts.map((v) => [v.judge, v.item, v.verdict, v.critique])).toEqual([
      ['helpfulness', 'lf-trace-1', 'pass', 'score 0.9 ≥ threshold 0.5. Apologises and gives the date.'],
      ['helpfulness', 'lf-trace-2', 'fail', 'score 0.2 < threshold 0.5. Contradicts the 30-day policy.'],
      ['policy', 'lf-trace-1', 'pass', ''],
      ['policy', 'lf-trace-2', 'fail', 'Checked against the returns policy.'],
      ['resolved', 'lf-trace-1', 'pass', 'The user got an answer.'],
      ['resolved', 'lf-trace-2', 'fail', 'Wrong policy.'],
    ])
    expect(report.columns.map((c) => [c.judge, c.pass, c.fail, c.empty])).toEqual([
      ['helpfulness', 1, 1, 1],
      ['resolved', 1, 1, 1],
      ['policy', 1, 1, 1],
    ])
  })

  it('two different scores of one name on a trace refuse that trace, with its line', async () => {
    const data = [
      {
        id: 't1',
        input: 'hi',
        output: 'hello',
        observations: [],
        scores: [
          { name: 'ok', value: 1, dataType: 'BOOLEAN' },
          { name: 'ok', value: 0, dataType: 'BOOLEAN' },
        ],
      },
      { id: 't2', input: 'hey', output: 'hello', scores: [{ name: 'ok', value: 1, dataType: 'BOOLEAN' }] },
    ]
    const file = tmp.file('dup.json')
    writeFileSync(file, JSON.stringify(data))
    const { code, report } = await importInterop(tmp.dir, project, file, '--on-error', 'skip')
    expect(code).toBe(0)
    expect(report.imported).toBe(1)
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 1, column: 'scores', message: expect.stringContaining('two scores named "ok"') }),
    ])
  })
})
