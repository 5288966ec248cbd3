import { createRng, type Rng } from '../../shared/stats/rng'
import { openProject } from './db/open'
import { createRepos, type Repos } from './db/repos'
import { chatTrace, padded, pipelineTrace, type Truth } from './demo/traces'

export interface DemoOptions {
  seed?: number
  /** Unlabeled "production" traces with judge verdicts (≥ 1 000 in the demo; 100 000 for the bench). */
  unlabeled?: number
  nativeBinding?: string
  now?: Date
  /** Pads every trace's answer with more Markdown to about this many characters (the bench uses 5 000). */
  traceBytes?: number
}

/** Failure modes of the demo, each a criterion with a one-sentence definition. */
export const DEMO_MODES = {
  diet: {
    name: 'Ignores dietary constraint',
    definition: 'The answer includes an ingredient that the user said they cannot eat.',
  },
  retrieval: {
    name: 'Misses the key source',
    definition: 'The retrieve step returns no document that answers the question, so the answer is unsupported.',
  },
} as const

/**
 * The second annotator, who labels every third labeled trace on Overall (before the first: theirs
 * stay the current labels).
 */
export const DEMO_REVIEWER = 'demo-reviewer'

/**
 * Writes the bundled demo project: synthetic (and marked so in the file, its datasets and every
 * trace's metadata), deterministic from `seed`. Chat traces with tool calls and 3-step pipeline
 * traces, 120 human labels on Overall and two failure modes with notes (failing pipelines with
 * their first failing step marked: mostly retrieve, some extract, a few decompose), a second
 * annotator's Overall labels on 40 of them (so Cohen's κ has something to measure),
 * train/dev/test splits, and one judge's recorded verdicts on every split and on the unlabeled
 * traces.
 */
export function writeDemoProject(path: string, options: DemoOptions = {}): { items: number; labels: number } {
  const seed = options.seed ?? 7
  const rng = createRng(seed)
  // What came after the first demo (decompose failures, the second annotator) draws from a stream
  // of its own, so the traces, labels and verdicts drawn before stay as they were.
  const side = createRng(seed + 0x16_0000)
  const at = (options.now ?? new Date('2026-01-15T09:00:00Z')).toISOString()
  const { db } = openProject(path, { mode: 'create', nativeBinding: options.nativeBinding })
  try {
    const repos = createRepos(db)
    return db.transaction(() => fill(repos, rng, side, at, options.unlabeled ?? 1200, options.traceBytes ?? 0))()
  } finally {
    db.close()
  }
}

/** A trace written into the demo, with the truth it was drawn with. */
interface Written {
  id: number
  truth: Truth
}

/** The criteria of the demo: Overall and its two failure modes. */
interface DemoCriteria {
  overall: number
  diet: number
  retrieval: number
}

function fill(
  repos: Repos,
  rng: Rng,
  side: Rng,
  at: string,
  unlabeledCount: number,
  traceBytes: number,
): { items: number; labels: number } {
  const p = repos.project
  p.setMeta('synthetic', '1')
  p.setMeta('created_at', at)
  p.setMeta('description', 'Synthetic demo project bundled with Assay. Every trace, label and verdict is made up.')
  const criteria: DemoCriteria = {
    overall: p.defineOverall('The system fully and correctly did what the user asked.', at),
    diet: p.addCriterion(DEMO_MODES.diet.name, 'failure_mode', DEMO_MODES.diet.definition, at),
    retrieval: p.addCriterion(DEMO_MODES.retrieval.name, 'failure_mode', DEMO_MODES.retrieval.definition, at),
  }
  const { reviewed, unlabeled } = addTraces(repos, rng, side, at, unlabeledCount, traceBytes)

  // 120 reviewed traces, labeled by one annotator on all three criteria; splits 15/45/40 on each.
  const labeled = shuffle(rng, reviewed).slice(0, 120)
  addLabels(repos, side, labeled, criteria, at)
  recordJudge(repos, rng, criteria.overall, labeled, unlabeled, at)
  p.log(
    'demo.created',
    {
      items: reviewed.length + unlabeled.length,
      labels: labeled.length,
      secondAnnotator: { name: DEMO_REVIEWER, labels: Math.ceil(labeled.length / 3) },
    },
    at,
  )
  return { items: reviewed.length + unlabeled.length, labels: labeled.length }
}

/** The three datasets and their traces: 200 chats and 150 pipelines to review, and the unlabeled sample. */
function addTraces(
  repos: Repos,
  rng: Rng,
  side: Rng,
  at: string,
  unlabeledCount: number,
  traceBytes: number,
): { reviewed: Written[]; unlabeled: Written[] } {
  const p = repos.project
  const chats = p.addDataset(
    { name: 'Recipe assistant chats (synthetic)', sourcePath: null, format: 'demo', synthetic: true },
    at,
  )
  const pipes = p.addDataset(
    { name: 'Research pipeline (synthetic)', sourcePath: null, format: 'demo', synthetic: true },
    at,
  )
  const prod = p.addDataset(
    { name: 'Production sample, unlabeled (synthetic)', sourcePath: null, format: 'demo', synthetic: true },
    at,
  )

  const reviewed: Written[] = []
  const unlabeled: Written[] = []
  const add = (datasetId: number, n: number, prefix: string, into: Written[], mix: boolean) => {
    for (let i = 0; i < n; i++) {
      const kind = mix ? (rng.nextFloat() < 0.6 ? 'chat' : 'pipeline') : datasetId === chats ? 'chat' : 'pipeline'
      const made = padded(kind === 'chat' ? chatTrace(rng) : pipelineTrace(rng, side), traceBytes)
      const externalId = `${prefix}-${String(i + 1).padStart(5, '0')}`
      const id = repos.items.insert({ ...made.item, datasetId, externalId }, at)
      into.push({ id, truth: made.truth })
    }
  }
  add(chats, 200, 'chat', reviewed, false)
  add(pipes, 150, 'pipe', reviewed, false)
  add(prod, unlabeledCount, 'prod', unlabeled, true)
  p.setDatasetRowCount(chats, 200)
  p.setDatasetRowCount(pipes, 150)
  p.setDatasetRowCount(prod, unlabeledCount)
  return { reviewed, unlabeled }
}

/** The split of the `i`-th labeled trace: 18 train, 54 dev, the rest test. */
const splitOf = (i: number): 'train' | 'dev' | 'test' => (i < 18 ? 'train' : i < 72 ? 'dev' : 'test')

/** The labels of the labeled traces: the reviewer's on every third, then the annotator's on all three criteria. */
function addLabels(repos: Repos, side: Rng, labeled: Written[], c: DemoCriteria, at: string): void {
  // The second annotator labeled a day earlier, so the first annotator's labels are the current ones.
  const earlier = new Date(Date.parse(at) - 86_400_000).toISOString()
  labeled.forEach(({ id, truth }, i) => {
    if (i % 3 === 0)
      repos.labels.add(
        {
          itemId: id,
          criterionVersion: 1,
          annotator: DEMO_REVIEWER,
          criterionId: c.overall,
          ...reviewerLabel(side, truth),
        },
        earlier,
      )
  })
  labeled.forEach(({ id, truth }, i) => {
    const base = { itemId: id, criterionVersion: 1, annotator: 'demo-annotator', firstFailingStep: null }
    repos.labels.add(
      {
        ...base,
        criterionId: c.overall,
        verdict: truth.overall,
        note: truth.note,
        firstFailingStep: truth.failingStep,
      },
      at,
    )
    repos.labels.add({ ...base, criterionId: c.diet, verdict: truth.diet, note: '' }, at)
    repos.labels.add({ ...base, criterionId: c.retrieval, verdict: truth.retrieval, note: '' }, at)
    // A labeled item has its split on every criterion it is labeled on (Assay places one with each label).
    for (const criterion of [c.overall, c.diet, c.retrieval]) repos.labels.assignSplit(criterion, id, splitOf(i), 7, at)
  })
}

/** One judge on Overall (TPR ≈ 0.90, TNR ≈ 0.85), recorded on every split and the unlabeled traces. */
function recordJudge(
  repos: Repos,
  rng: Rng,
  overall: number,
  labeled: Written[],
  unlabeled: Written[],
  at: string,
): void {
  const judge = repos.judges.addJudge(overall, 'Overall judge', at)
  const version = repos.judges.addVersion(
    {
      judgeId: judge,
      version: 1,
      prompt: 'Recorded verdicts of a synthetic judge (demo).',
      model: { provider: 'demo', model: 'synthetic-judge' },
      params: { temperature: 0 },
      fewshotIds: [],
    },
    at,
  )
  const record = (scope: string, items: Written[]) => {
    const run = repos.judges.addRun(
      { judgeVersionId: version, scope, status: 'done', itemIds: items.map((i) => i.id), done: items.length },
      at,
      at,
    )
    for (const { id, truth } of items) repos.judges.addVerdict({ runId: run, ...judgeVerdict(rng, id, truth) }, at)
  }
  for (const split of ['train', 'dev', 'test'] as const)
    record(
      split,
      labeled.filter((_, i) => splitOf(i) === split),
    )
  record('unlabeled', unlabeled)
}

/** The synthetic judge's verdict on one trace: right nine times in ten on a pass, 85 in 100 on a fail. */
function judgeVerdict(rng: Rng, itemId: number, truth: Truth) {
  const correct = rng.nextFloat() < (truth.overall === 'pass' ? 0.9 : 0.85)
  const verdict = correct ? truth.overall : truth.overall === 'pass' ? 'fail' : 'pass'
  const critique =
    verdict === 'pass'
      ? 'The answer addresses the request and respects its constraints.'
      : 'The answer misses part of the request or breaks a stated constraint.'
  return {
    itemId,
    verdict,
    critique,
    raw: JSON.stringify({ critique, verdict }),
    latencyMs: 400 + rng.nextInt(900),
    tokensIn: 600 + rng.nextInt(400),
    tokensOut: 60 + rng.nextInt(60),
    cached: false,
  }
}

/**
 * The second annotator's Overall label: the truth (with their own note, and a pipeline's first
 * failing step), except about one trace in ten, which they see the other way.
 */
function reviewerLabel(
  side: Rng,
  truth: Truth,
): { verdict: 'pass' | 'fail'; note: string; firstFailingStep: number | null } {
  const flip = side.nextFloat() < 0.1
  const verdict = flip ? (truth.overall === 'pass' ? 'fail' : 'pass') : truth.overall
  if (verdict === 'pass') return { verdict, note: '', firstFailingStep: null }
  if (flip) return { verdict, note: 'Reviewer: the answer feels thin for what was asked.', firstFailingStep: null }
  return {
    verdict,
    note: `Reviewer: ${truth.note.charAt(0).toLowerCase()}${truth.note.slice(1)}`,
    firstFailingStep: truth.failingStep,
  }
}

function shuffle<T>(rng: Rng, values: readonly T[]): T[] {
  const out = [...values]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
