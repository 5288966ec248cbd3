import { createRng, type Rng } from '../../shared/stats/rng'
import type { ChatMessage } from '../../shared/domain'
import { openProject } from './db/open'
import { createRepos, type Repos } from './db/repos'
import type { NewItem } from './db/repos/items'

export interface DemoOptions {
  seed?: number
  /** Unlabeled "production" traces with judge verdicts (≥ 1 000 in the demo; 100 000 for the bench). */
  unlabeled?: number
  nativeBinding?: string
  now?: Date
  /** Pads every trace's answer with more Markdown to about this many characters (the bench uses 5 000). */
  traceBytes?: number
}

const DIETS = ['vegan', 'gluten-free', 'nut-free', 'dairy-free', 'vegetarian'] as const
const FORBIDDEN: Record<(typeof DIETS)[number], string> = {
  vegan: 'a splash of cream',
  'gluten-free': 'two tablespoons of wheat flour',
  'nut-free': 'a handful of toasted almonds',
  'dairy-free': 'grated parmesan',
  vegetarian: 'chicken stock',
}
const DISHES = [
  'lentil curry',
  'mushroom risotto',
  'chickpea stew',
  'tofu stir-fry',
  'pumpkin soup',
  'bean chili',
  'falafel wrap',
  'veggie lasagna',
]
const TOPICS = [
  'battery recycling',
  'urban heat islands',
  'microplastics in rivers',
  'remote work productivity',
  'coral bleaching',
  'sleep and memory',
]
const STEPS = ['decompose', 'retrieve', 'extract'] as const

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

interface Truth {
  overall: 'pass' | 'fail'
  diet: 'pass' | 'fail'
  retrieval: 'pass' | 'fail'
  note: string
  /** A failing pipeline: the index of its first failing step (decompose 0, retrieve 1, extract 2). */
  failingStep: number | null
}

/** The second annotator, who labels every third labeled trace on Overall (before the first: theirs stay the current labels). */
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
  const overall = p.defineOverall('The system fully and correctly did what the user asked.', at)
  const diet = p.addCriterion(DEMO_MODES.diet.name, 'failure_mode', DEMO_MODES.diet.definition, at)
  const retrieval = p.addCriterion(DEMO_MODES.retrieval.name, 'failure_mode', DEMO_MODES.retrieval.definition, at)

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

  const reviewed: { id: number; truth: Truth }[] = []
  const unlabeled: { id: number; truth: Truth }[] = []
  const add = (datasetId: number, n: number, prefix: string, into: typeof reviewed, mix: boolean) => {
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

  // 120 reviewed traces, labeled by one annotator on all three criteria; splits 15/45/40 on each.
  const labeled = shuffle(rng, reviewed).slice(0, 120)
  const splitOf = (i: number): 'train' | 'dev' | 'test' => (i < 18 ? 'train' : i < 72 ? 'dev' : 'test')
  // The second annotator labeled a day earlier, so the first annotator's labels are the current ones.
  const earlier = new Date(Date.parse(at) - 86_400_000).toISOString()
  labeled.forEach(({ id, truth }, i) => {
    if (i % 3 === 0)
      repos.labels.add(
        {
          itemId: id,
          criterionVersion: 1,
          annotator: DEMO_REVIEWER,
          criterionId: overall,
          ...reviewerLabel(side, truth),
        },
        earlier,
      )
  })
  labeled.forEach(({ id, truth }, i) => {
    const base = { itemId: id, criterionVersion: 1, annotator: 'demo-annotator', firstFailingStep: null }
    repos.labels.add(
      { ...base, criterionId: overall, verdict: truth.overall, note: truth.note, firstFailingStep: truth.failingStep },
      at,
    )
    repos.labels.add({ ...base, criterionId: diet, verdict: truth.diet, note: '' }, at)
    repos.labels.add({ ...base, criterionId: retrieval, verdict: truth.retrieval, note: '' }, at)
    // A labeled item has its split on every criterion it is labeled on (Assay places one with each label).
    for (const criterion of [overall, diet, retrieval]) repos.labels.assignSplit(criterion, id, splitOf(i), 7, at)
  })

  // One judge on Overall (TPR ≈ 0.90, TNR ≈ 0.85), recorded on every split and the unlabeled traces.
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
  const record = (scope: string, items: { id: number; truth: Truth }[]) => {
    const run = repos.judges.addRun(
      { judgeVersionId: version, scope, status: 'done', itemIds: items.map((i) => i.id), done: items.length },
      at,
      at,
    )
    for (const { id, truth } of items) {
      const correct = rng.nextFloat() < (truth.overall === 'pass' ? 0.9 : 0.85)
      const verdict = correct ? truth.overall : truth.overall === 'pass' ? 'fail' : 'pass'
      const critique =
        verdict === 'pass'
          ? 'The answer addresses the request and respects its constraints.'
          : 'The answer misses part of the request or breaks a stated constraint.'
      repos.judges.addVerdict(
        {
          runId: run,
          itemId: id,
          verdict,
          critique,
          raw: JSON.stringify({ critique, verdict }),
          latencyMs: 400 + rng.nextInt(900),
          tokensIn: 600 + rng.nextInt(400),
          tokensOut: 60 + rng.nextInt(60),
          cached: false,
        },
        at,
      )
    }
  }
  for (const split of ['train', 'dev', 'test'] as const)
    record(
      split,
      labeled.filter((_, i) => splitOf(i) === split),
    )
  record('unlabeled', unlabeled)
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

type Made = { item: Omit<NewItem, 'datasetId' | 'externalId'>; truth: Truth }

function chatTrace(rng: Rng): Made {
  const diet = pick(rng, DIETS)
  const dish = pick(rng, DISHES)
  const servings = 2 + rng.nextInt(5)
  const breaksDiet = rng.nextFloat() < 0.22
  const vague = !breaksDiet && rng.nextFloat() < 0.1
  const user = `Can you give me a ${diet} ${dish} recipe for ${servings} people? I have about 40 minutes.`
  const callId = `call_${rng.nextU32().toString(16)}`
  const results = [
    { title: `Easy ${diet} ${dish}`, minutes: 25 + rng.nextInt(30), rating: (3.5 + rng.nextFloat() * 1.5).toFixed(1) },
  ]
  const extra = breaksDiet ? `\n- ${FORBIDDEN[diet]} to finish` : ''
  const answer = vague
    ? `There are many ways to make a ${dish}. Try combining your favourite ingredients and cook until done!`
    : `## ${results[0].title} (serves ${servings})\n\n**Ingredients**\n- 1 onion, diced\n- 2 cloves garlic\n- 400 g main vegetables for the ${dish}${extra}\n\n**Steps**\n1. Sauté the onion and garlic for 5 minutes.\n2. Add the rest and simmer for ${results[0].minutes} minutes.\n3. Season and serve.`
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content:
        'You are a friendly recipe assistant. Always respect dietary restrictions. Answer in Markdown with ingredients and numbered steps.',
    },
    { role: 'user', content: user },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: callId, name: 'search_recipes', arguments: JSON.stringify({ query: dish, diet, max_minutes: 40 }) },
      ],
    },
    { role: 'tool', tool_call_id: callId, name: 'search_recipes', content: JSON.stringify(results) },
    { role: 'assistant', content: answer },
  ]
  const overall = breaksDiet || vague ? 'fail' : 'pass'
  const note = breaksDiet
    ? `Suggests ${FORBIDDEN[diet]} although the user asked for ${diet}.`
    : vague
      ? 'Generic answer with no actual recipe.'
      : ''
  return {
    item: {
      kind: 'chat',
      input: user,
      output: answer,
      messages,
      metadata: { synthetic: true, diet, channel: pick(rng, ['web', 'ios', 'android']) },
      steps: [],
    },
    truth: { overall, diet: breaksDiet ? 'fail' : 'pass', retrieval: 'pass', note, failingStep: null },
  }
}

function pipelineTrace(rng: Rng, side: Rng): Made {
  const topic = pick(rng, TOPICS)
  const question = `What does recent research say about ${topic}?`
  const misses = rng.nextFloat() < 0.2
  const hallucinates = !misses && rng.nextFloat() < 0.1
  const subs = [`Define ${topic}`, `Key findings on ${topic} since 2020`, `Open questions about ${topic}`]
  const docs = misses
    ? [{ id: `doc-${rng.nextInt(9000)}`, title: 'Unrelated press release', relevant: false }]
    : [
        { id: `doc-${rng.nextInt(9000)}`, title: `Review: ${topic}`, relevant: true },
        { id: `doc-${rng.nextInt(9000)}`, title: `Field study on ${topic}`, relevant: true },
      ]
  const answer = misses
    ? `I could not find strong evidence; ${topic} is generally considered important.`
    : hallucinates
      ? `A 2031 meta-analysis proved that ${topic} is fully solved (see doc-0).`
      : `Two sources agree: ${topic} is well documented (${docs.map((d) => d.id).join(', ')}), with open questions on long-term effects.`
  const latency = [300 + rng.nextInt(400), 200 + rng.nextInt(300), 500 + rng.nextInt(700)]
  // A few otherwise good traces break at decompose: the sub-questions drift to another topic, and
  // retrieve and extract faithfully follow them (drawn from `side`, so `rng` draws as it did).
  const drifts = !misses && !hallucinates && side.nextFloat() < 0.06
  const other = drifts ? TOPICS[(TOPICS.indexOf(topic) + 1 + side.nextInt(TOPICS.length - 1)) % TOPICS.length] : topic
  const asked = drifts
    ? [`Define ${other}`, `Key findings on ${other} since 2020`, `Open questions about ${other}`]
    : subs
  const found = drifts
    ? docs.map((d, i) => ({ ...d, title: i === 0 ? `Review: ${other}` : `Field study on ${other}` }))
    : docs
  const said = drifts
    ? `Two sources agree: ${other} is well documented (${docs.map((d) => d.id).join(', ')}), with open questions on long-term effects.`
    : answer
  const steps = [
    { name: STEPS[0], input: question, output: JSON.stringify(asked), metadata: { latency_ms: latency[0] } },
    {
      name: STEPS[1],
      input: JSON.stringify(asked),
      output: JSON.stringify(found),
      metadata: { latency_ms: latency[1] },
    },
    { name: STEPS[2], input: JSON.stringify(found), output: said, metadata: { latency_ms: latency[2] } },
  ]
  const overall = misses || hallucinates || drifts ? 'fail' : 'pass'
  const note = misses
    ? 'Retrieve step returned only an unrelated press release.'
    : hallucinates
      ? 'Extract step cites a source that does not exist.'
      : drifts
        ? `Decompose step split the question into sub-questions about ${other} instead.`
        : ''
  return {
    item: {
      kind: 'pipeline',
      input: question,
      output: said,
      messages: [],
      metadata: { synthetic: true, topic },
      steps,
    },
    truth: {
      overall,
      diet: 'pass',
      retrieval: misses ? 'fail' : 'pass',
      note,
      failingStep: misses ? 1 : hallucinates ? 2 : drifts ? 0 : null,
    },
  }
}

const FILLER = [
  'A note on timing: the times above assume a medium heat and a heavy pan; adjust by a few minutes for thinner pans.',
  '- Keep the leftovers in a sealed container for up to three days, and reheat them gently with a splash of water.',
  '- The sources differ on the details, so the summary keeps to the points on which they agree.',
  '| Step | Minutes | Note |\n|---|---|---|\n| Prepare | 10 | chop everything first |\n| Cook | 20 | stir now and then |',
  '```\nsummary = {"confidence": "medium", "checked_sources": 2}\n```',
]

/** Grows a trace's answer with plain Markdown to about `bytes` characters (no randomness: the demo stays as it is). */
function padded(made: Made, bytes: number): Made {
  const size = (m: Made) =>
    m.item.input.length +
    m.item.output.length +
    JSON.stringify(m.item.messages).length +
    JSON.stringify(m.item.steps).length
  if (bytes <= 0 || size(made) >= bytes) return made
  const extra: string[] = []
  for (let i = 0, missing = bytes - size(made); missing > 0; i++) {
    const line = FILLER[i % FILLER.length]
    extra.push(line)
    missing -= (line.length + 2) * 2 // the answer is stored twice: as the output and in the trace
  }
  const output = `${made.item.output}\n\n${extra.join('\n\n')}`
  const item = { ...made.item, output }
  if (item.messages.length > 0)
    item.messages = item.messages.map((m, i) => (i === item.messages.length - 1 ? { ...m, content: output } : m))
  if (item.steps.length > 0)
    item.steps = item.steps.map((st, i) => (i === item.steps.length - 1 ? { ...st, output } : st))
  return { ...made, item }
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.nextInt(values.length)]
}

function shuffle<T>(rng: Rng, values: readonly T[]): T[] {
  const out = [...values]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
