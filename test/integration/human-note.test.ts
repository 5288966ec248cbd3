/**
 * The human's note where a failure mode's label has none: tagging a trace with a mode (or
 * putting its note in a mode on Analyze) writes a label without a note, while the observation
 * was written on the trace's Overall label. Few-shot critiques, the Calibrate cell lists and the
 * report show that note instead of "(no note)" and "—".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cellItems } from '../../electron/core/calibrate'
import { versionForRun } from '../../electron/core/judge/runs'
import { buildReport } from '../../electron/core/report/build'
import { reportHtml, reportMarkdown } from '../../electron/core/report/render'
import { judgeProject } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'

const at = '2026-03-01T00:00:00Z'

describe("the human's note on a failure mode's examples and disagreements", () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  function project() {
    const items = [
      {
        id: 'a',
        input: 'Plan a trip to Rome',
        label: 'fail' as const,
        note: 'Talks about Paris instead of Rome.',
        split: 'train' as const,
      },
      {
        id: 'b',
        input: 'Plan a trip to Oslo',
        label: 'pass' as const,
        note: 'Good plan, on topic.',
        split: 'train' as const,
      },
      { id: 'c', input: 'Plan a trip to Lima', label: 'fail' as const, note: '', split: 'train' as const },
      {
        id: 'd',
        input: 'Plan a trip to Kyiv',
        label: 'fail' as const,
        note: 'Answers a cooking question.',
        split: 'test' as const,
      },
      {
        id: 'e',
        input: 'Plan a trip to Riga',
        label: 'pass' as const,
        note: 'Fine, stays on the trip.',
        split: 'test' as const,
      },
      // f fails Overall for another reason, and passes the mode: that note is not about the mode.
      {
        id: 'f',
        input: 'Plan a vegan trip to Bern',
        label: 'fail' as const,
        note: 'Suggests a cheese fondue to a vegan.',
        split: 'train' as const,
      },
      // g: only another annotator wrote a note on Overall.
      { id: 'g', input: 'Plan a trip to Nice', label: undefined, note: '', split: 'train' as const },
    ]
    const d = judgeProject(tmp.file('p.assay'), items)
    const { repos } = d
    const mode = repos.project.addCriterion(
      'Off topic',
      'failure_mode',
      'The answer is about something the user did not ask.',
      at,
    )
    const id = (x: string) => d.ids.get(x)!
    // Tagged in a session: a label on the mode with no note of its own (but "b", which has one).
    for (const [x, verdict, note] of [
      ['a', 'fail', ''],
      ['b', 'pass', 'Checked: stays on topic.'],
      ['c', 'fail', ''],
      ['d', 'fail', ''],
      ['e', 'pass', ''],
      ['f', 'pass', ''],
      ['g', 'fail', ''],
    ] as const) {
      repos.labels.add(
        {
          itemId: id(x),
          criterionId: mode,
          criterionVersion: 1,
          verdict,
          note,
          annotator: 'ann',
          firstFailingStep: null,
        },
        at,
      )
      repos.labels.assignSplit(mode, id(x), x === 'd' || x === 'e' ? 'test' : 'train', 1, at)
    }
    // A second annotator's later Overall note on "a": the mode label's own annotator's note comes first.
    repos.labels.add(
      {
        itemId: id('a'),
        criterionId: d.criterionId,
        criterionVersion: 1,
        verdict: 'fail',
        note: 'Wrong city.',
        annotator: 'bob',
        firstFailingStep: null,
      },
      at,
    )
    repos.labels.add(
      {
        itemId: id('g'),
        criterionId: d.criterionId,
        criterionVersion: 1,
        verdict: 'fail',
        note: 'Reviewer: feels thin.',
        annotator: 'bob',
        firstFailingStep: null,
      },
      at,
    )
    const judge = repos.judges.addJudge(mode, 'Off-topic judge', at)
    const versionId = repos.judges.addVersion(
      {
        judgeId: judge,
        version: 1,
        prompt: 'Is it off topic?\n{{examples}}\n{{output}}',
        model: {
          provider: 'local',
          model: 'm',
          baseUrl: 'http://127.0.0.1:9/v1',
          structuredOutputs: true,
          pricePerMInput: 0,
          pricePerMOutput: 0,
        },
        params: {},
        fewshotIds: [id('a'), id('b'), id('c'), id('f'), id('g')],
      },
      at,
    )
    // The judge gets both test items wrong: two disagreements for the report.
    const run = repos.judges.addRun(
      { judgeVersionId: versionId, scope: 'test', status: 'done', itemIds: [id('d'), id('e')], done: 2 },
      at,
      at,
    )
    repos.judges.addVerdict(
      {
        runId: run,
        itemId: id('d'),
        verdict: 'pass',
        critique: 'On topic.',
        raw: '',
        latencyMs: 1,
        tokensIn: 1,
        tokensOut: 1,
        cached: false,
      },
      at,
    )
    repos.judges.addVerdict(
      {
        runId: run,
        itemId: id('e'),
        verdict: 'fail',
        critique: 'Off topic.',
        raw: '',
        latencyMs: 1,
        tokensIn: 1,
        tokensOut: 1,
        cached: false,
      },
      at,
    )
    return { d, versionId }
  }

  it("few-shot examples carry the note written on the trace's Overall label when the mode's label has none", () => {
    const { d, versionId } = project()
    const examples = versionForRun(d, versionId).run.examples
    const critiques = [...examples.matchAll(/<critique>(.*?)<\/critique>/g)].map((m) => m[1])
    // a: ann's Overall note (the mode label's annotator) over bob's newer one; b: its own note; c: none anywhere;
    // f: ann's Overall note explains a fail, not this pass; g: only bob's note, and the mode label is ann's.
    expect(critiques).toEqual([
      'Talks about Paris instead of Rome.',
      'Checked: stays on topic.',
      '(no note)',
      '(no note)',
      '(no note)',
    ])
    d.db.close()
  })

  it("the report's disagreements and the Calibrate cell list show that note instead of a dash", () => {
    const { d, versionId } = project()
    const data = buildReport(d, { projectPath: tmp.file('p.assay'), appVersion: 'test', judge: 'Off-topic judge' })
    expect(data.judges[0].disagreements.map((x) => [x.externalId, x.human, x.judge, x.note, x.critique])).toEqual([
      ['d', 'fail', 'pass', 'Answers a cooking question.', 'On topic.'],
      ['e', 'pass', 'fail', 'Fine, stays on the trip.', 'Off topic.'],
    ])
    expect(reportMarkdown(data)).toContain('| `d` | fail | pass | Answers a cooking question. | On topic. |')
    expect(reportHtml(data)).toContain('<td>Fine, stays on the trip.</td>')
    // The Calibrate screen's cell list (open now: the report showed the test results) says the same.
    expect(
      cellItems(d, { versionId, split: 'test', human: 'fail', judge: 'pass' }).map((c) => [c.externalId, c.note]),
    ).toEqual([['d', 'Answers a cooking question.']])
    d.db.close()
  })
})
