import type { ChatMessage } from '../../../shared/domain'
import type { Rng } from '../../../shared/stats/rng'
import type { NewItem } from '../db/repos/items'

// The synthetic traces of the demo project: a recipe assistant's chats and a research pipeline's
// three steps, each drawn with the truth a careful annotator would label it with.

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

/** What a careful annotator would label a synthetic trace with on each demo criterion. */
export interface Truth {
  overall: 'pass' | 'fail'
  diet: 'pass' | 'fail'
  retrieval: 'pass' | 'fail'
  note: string
  /** A failing pipeline: the index of its first failing step (decompose 0, retrieve 1, extract 2). */
  failingStep: number | null
}

/** A synthetic trace (without its dataset and id) and its truth. */
export type Made = { item: Omit<NewItem, 'datasetId' | 'externalId'>; truth: Truth }

/** A recipe chat with one tool call; about one in five breaks the diet, one in ten is vague. */
export function chatTrace(rng: Rng): Made {
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

/**
 * A 3-step research pipeline (decompose, retrieve, extract) that may miss the key source,
 * cite one that does not exist, or drift to another topic at decompose.
 */
export function pipelineTrace(rng: Rng, side: Rng): Made {
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

/**
 * Grows a trace's answer with plain Markdown to about `bytes` characters (no randomness: the demo
 * stays as it is).
 */
export function padded(made: Made, bytes: number): Made {
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

/** One of `values`, drawn from `rng`. */
export function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[rng.nextInt(values.length)]
}
