import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { held, importInterop, interopFixture } from '../../helpers/interop'
import { tempDir } from '../../helpers/paths'

/**
 * Issue 20, item 1: LangSmith run exports grouped into traces. The fixture follows LangSmith's
 * "Run (span) data format" page (docs.langchain.com/langsmith/run-data-format): `id`, `trace_id`
 * (the root run's id), `parent_run_id`, `dotted_order`, `run_type`, `inputs`/`outputs`,
 * `feedback_stats`. Three traces: a chat agent with nested runs and LangChain-serialized messages,
 * a QA pipeline whose two children start at the same instant (dotted_order orders them), and a
 * trace with a failed tool run and no feedback.
 */
describe('LangSmith runs', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-langsmith-')))
  afterEach(() => tmp.cleanup())

  for (const file of ['langsmith-runs.json', 'langsmith-runs.jsonl']) {
    it(`${file}: 9 runs become 3 items, child runs their steps in start order, feedback the verdicts`, async () => {
      const project = tmp.file('p.assay')
      const { code, report, stderr } = await importInterop(tmp.dir, project, interopFixture(file))
      expect(stderr).toBe('')
      expect(code).toBe(0)
      expect(report.imported).toBe(3)
      const { items, labels, verdicts } = held(project)
      expect(items.map((i) => [i.id.slice(0, 1), i.kind, i.steps])).toEqual([
        ['a', 'chat', ['plan', 'web_search', 'ChatOpenAI']],
        ['b', 'pipeline', ['retrieve', 'generate']],
        ['c', 'pipeline', ['weather_api']],
      ])
      expect(items.flatMap((i) => i.steps)).toHaveLength(6)
      const [chat, qa] = items
      expect(chat.messages).toBe(3)
      expect([chat.input, chat.output]).toEqual(['What is the capital of France?', 'The capital of France is Paris.'])
      expect([qa.input, qa.output]).toEqual(['How many moons does Mars have?', 'Mars has one moon.'])
      const step = (item: number, name: string) => items[item].stepRows.find((s) => s.name === name)
      expect(step(0, 'web_search')).toMatchObject({
        input: 'capital of France',
        output: 'Paris is the capital and largest city of France.',
        metadata: { kind: 'tool', depth: 1 },
      })
      expect(step(0, 'ChatOpenAI')?.output).toBe('The capital of France is Paris.')
      expect(step(0, 'ChatOpenAI')?.metadata).toMatchObject({ kind: 'llm', depth: 0 })
      expect(step(2, 'weather_api')?.metadata).toMatchObject({ kind: 'tool', status: 'error' })
      expect(items[2].stepRows[0].output).toBe('')
      expect(labels).toEqual([])
      expect(verdicts.map((v) => [v.judge, v.item.slice(0, 1), v.verdict])).toEqual([
        ['correctness', 'a', 'pass'],
        ['correctness', 'b', 'fail'],
      ])
      expect(report.columns.map((c) => [c.field, c.pass, c.fail, c.empty])).toEqual([
        ['feedback_stats.correctness.avg', 1, 1, 1],
      ])
    })
  }
})
