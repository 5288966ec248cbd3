import { openContext, type ProjectContext } from '../../electron/core/context'
import type { ModelSnapshot } from '../../shared/judges'

export interface FixtureItem {
  id: string
  input: string
  output?: string
  label?: 'pass' | 'fail'
  note?: string
  split?: 'train' | 'dev' | 'test'
}

/** A project file with text items, an `Overall` criterion, labels and (optionally) fixed splits. */
export function judgeProject(
  path: string,
  items: FixtureItem[],
  clock = () => new Date('2026-03-01T00:00:00Z'),
): ProjectContext & { criterionId: number; ids: Map<string, number> } {
  const context = openContext(path, { mode: 'create', clock })
  const { db, repos } = context
  const at = clock().toISOString()
  const ids = new Map<string, number>()
  const criterionId = db.transaction(() => {
    const dataset = repos.project.addDataset(
      { name: 'fixture', sourcePath: null, format: 'jsonl', synthetic: false },
      at,
    )
    const c = repos.project.defineOverall('The answer is correct and complete.', at)
    for (const it of items) {
      const id = repos.items.insert(
        {
          datasetId: dataset,
          externalId: it.id,
          kind: 'text',
          input: it.input,
          output: it.output ?? `answer to ${it.id}`,
          messages: [],
          metadata: { source: 'fixture' },
          steps: [],
        },
        at,
      )
      ids.set(it.id, id)
      if (it.label)
        repos.labels.add(
          {
            itemId: id,
            criterionId: c,
            criterionVersion: 1,
            verdict: it.label,
            note: it.note ?? '',
            annotator: 'ann',
            firstFailingStep: null,
          },
          at,
        )
      if (it.split) repos.labels.assignSplit(c, id, it.split, 1, at)
    }
    repos.project.setDatasetRowCount(dataset, items.length)
    return c
  })()
  return { ...context, criterionId, ids }
}

/** The model of a judge that calls the tests' local OpenAI-compatible server at `baseUrl`. */
export const localModel = (baseUrl: string, extra: Partial<ModelSnapshot> = {}): ModelSnapshot => ({
  id: 'local',
  name: 'Local',
  provider: 'test',
  baseUrl,
  model: 'fake-judge',
  pricePerMInput: 1,
  pricePerMOutput: 2,
  structuredOutputs: true,
  timeoutMs: 1000,
  apiKeyEnv: '',
  ...extra,
})
