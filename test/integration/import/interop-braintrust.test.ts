import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { held, importInterop, interopFixture } from '../../helpers/interop'
import { tempDir } from '../../helpers/paths'

/**
 * Issue 20, item 4: Braintrust experiment events. The fixture follows the event object of
 * Braintrust's REST API ("Fetch experiment events", braintrust.dev/docs/reference/api/Experiments):
 * `id`, `span_id`, `root_span_id`, `span_parents` (a list, empty for the root),
 * `span_attributes.{name,type}`, `metrics.start` (Unix seconds), `input`/`output`/`expected`/
 * `metadata`, and `scores` (name → 0..1, null when not scored). Three eval traces: one with a
 * nested LLM span and a score span, a chat input, and one scorer that did not run.
 */
describe('Braintrust events', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-braintrust-')
    project = tmp.file('p.assay')
  })
  afterEach(() => tmp.cleanup())
  const fixture = interopFixture('braintrust-events.jsonl')

  it('a fractional score without a threshold is refused with how to give one', async () => {
    const { code, report } = await importInterop(tmp.dir, project, fixture)
    expect(code).toBe(1)
    expect(report.errors[0]).toMatchObject({ line: 5, column: 'scores.Factuality' })
    expect(report.errors[0].message).toContain('--map "threshold:Factuality=0.5"')
  })

  it('with a threshold: 8 spans become 3 items, children their steps, scores the verdicts (null: none)', async () => {
    const { code, report, stderr } = await importInterop(tmp.dir, project, fixture, '--map', 'threshold:Factuality=0.5')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(report.imported).toBe(3)
    const { items, labels, verdicts } = held(project)
    expect(items.map((i) => [i.id, i.kind, i.messages, i.steps])).toEqual([
      ['bt-1', 'pipeline', 0, ['task', 'Chat Completion', 'Factuality']],
      ['bt-2', 'chat', 2, ['task']],
      ['bt-3', 'pipeline', 0, ['task']],
    ])
    expect(items.flatMap((i) => i.steps)).toHaveLength(5)
    const llm = items[0].stepRows[1]
    expect([llm.output, llm.metadata.kind, llm.metadata.depth]).toEqual(['4', 'llm', 1])
    expect(items[1].metadata).toMatchObject({ expected: 'William Shakespeare', difficulty: 'easy' })
    expect(labels).toEqual([])
    expect(verdicts.map((v) => [v.judge, v.item, v.verdict])).toEqual([
      ['ExactMatch', 'bt-1', 'pass'],
      ['ExactMatch', 'bt-2', 'fail'],
      ['Factuality', 'bt-1', 'pass'],
      ['Factuality', 'bt-2', 'fail'],
      ['Factuality', 'bt-3', 'pass'],
    ])
    expect(verdicts.find((v) => v.item === 'bt-2' && v.judge === 'Factuality')?.critique).toBe(
      'score 0.4 < threshold 0.5',
    )
    expect(report.columns.map((c) => [c.judge, c.pass, c.fail, c.empty])).toEqual([
      ['Factuality', 2, 1, 0],
      ['ExactMatch', 1, 1, 1],
    ])
  })
})
