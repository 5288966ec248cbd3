import type { ProjectContext } from '../../electron/core/context'
import { judgeProject, type FixtureItem } from './judge-project'

/**
 * A project of its own for report tests: 4 train, 10 dev and 10 test items labeled (Pass first,
 * then Fail; `-fail` items are misjudged), 20 unlabeled, and a recorded judge version whose
 * verdicts cover `splits` only. Ids look like a course export's (`chat-00152`).
 */
export function reportProject(
  path: string,
  o: { splits: ('train' | 'dev' | 'test' | 'unlabeled')[]; note?: string },
): ProjectContext & { versionId: number; criterionId: number; ids: Map<string, number> } {
  const items: FixtureItem[] = []
  let n = 140
  const add = (split: 'train' | 'dev' | 'test' | undefined, count: number) => {
    for (let i = 0; i < count; i++) {
      const label = split ? (i < count / 2 ? 'pass' : 'fail') : undefined
      items.push({
        id: `chat-${String(n++).padStart(5, '0')}`,
        input: `question ${n} (${split ?? 'unlabeled'})`,
        label,
        split,
        note: label === 'fail' ? (o.note ?? 'The answer invents a source.') : '',
      })
    }
  }
  add('train', 4)
  add('dev', 10)
  add('test', 10)
  add(undefined, 20)
  const d = judgeProject(path, items)
  const at = '2026-03-01T00:00:00Z'
  const judgeId = d.repos.judges.addJudge(d.criterionId, 'Recorded judge', at)
  const versionId = d.repos.judges.addVersion(
    { judgeId, version: 1, prompt: 'imported', model: { provider: 'imported' }, params: {}, fewshotIds: [] },
    at,
  )
  const splitOf = new Map(items.map((it) => [it.id, it.split ?? ('unlabeled' as const)]))
  const judged = items.filter((it) => o.splits.includes(splitOf.get(it.id)!))
  const runId = d.repos.judges.addRun(
    { judgeVersionId: versionId, scope: 'imported', status: 'done', itemIds: judged.map((it) => d.ids.get(it.id)!) },
    at,
    at,
  )
  judged.forEach((it, i) => {
    // Labeled items: right on all but one of each class per split; unlabeled: 3 of 4 pass.
    const verdict = it.label
      ? i % 5 === 4
        ? it.label === 'pass'
          ? 'fail'
          : 'pass'
        : it.label
      : i % 4 === 0
        ? 'fail'
        : 'pass'
    d.repos.judges.addVerdict(
      {
        runId,
        itemId: d.ids.get(it.id)!,
        verdict,
        critique: `The judge says ${verdict}: the answer ${verdict === 'pass' ? 'cites a real source and follows the recipe' : 'invents a study that does not exist'}.`,
        raw: '',
        latencyMs: null,
        tokensIn: null,
        tokensOut: null,
        cached: false,
      },
      at,
    )
  })
  return { ...d, versionId }
}
