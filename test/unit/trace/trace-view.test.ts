import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { ChatMessage, ItemDetail } from '../../../shared/domain'
import { JsonView } from '../../../renderer/components/trace/JsonView'
import { cutText, LongText } from '../../../renderer/components/trace/LongText'
import { Markdown } from '../../../renderer/components/trace/Markdown'
import { pairToolCalls, TraceView } from '../../../renderer/components/trace/TraceView'

function item(over: Partial<ItemDetail>): ItemDetail {
  return {
    id: 1,
    externalId: 'trace-1',
    dataset: 'fixture.jsonl',
    kind: 'chat',
    input: '',
    output: '',
    messages: [],
    steps: [],
    metadata: {},
    labels: [],
    verdicts: [],
    ...over,
  }
}
const render = (detail: ItemDetail) =>
  renderToStaticMarkup(createElement(TraceView, { item: detail, onOpenLink: () => {} }))
const count = (html: string, needle: string | RegExp) => html.split(needle).length - 1

/** An agent turn: two calls answered out of order, plus quirks seen in real exports. */
const agentChat: ChatMessage[] = [
  {
    role: 'system',
    content:
      'You are a recipe bot.\nRule 1: respect diets.\nRule 2: be brief.\nRule 3: cite sources.\nRule 4: never invent.',
  },
  { role: 'user', content: 'Vegan **curry** for 4?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_a', name: 'search_recipes', arguments: '{"query":"vegan curry","max_minutes":40}' },
      { id: 'call_b', name: 'get_nutrition', arguments: 'not json at all' },
      { id: 'call_c', name: 'never_answered', arguments: '{}' },
    ],
  },
  { role: 'tool', tool_call_id: 'call_b', name: 'get_nutrition', content: '320 kcal per serving' },
  {
    role: 'tool',
    tool_call_id: 'call_a',
    name: 'search_recipes',
    content: '[{"title":"Chickpea curry","minutes":30}]',
  },
  { role: 'tool', tool_call_id: 'call_zzz', content: 'a result nobody asked for' },
  { role: 'tool', content: '{"available_tour_dates":["01/21/2025"]}' }, // NurtureBoss style: no ids at all
  { role: 'asssistant', content: 'Typo role from a real trace' },
  { role: 'assistant', content: '## Chickpea curry\n\n1. Fry onions\n2. Add chickpeas' },
]

describe('pairToolCalls', () => {
  it('moves each result under its call and leaves the rest in place', () => {
    const { shown, resultOf } = pairToolCalls(agentChat)
    expect(resultOf.get('2:0')).toBe(4)
    expect(resultOf.get('2:1')).toBe(3)
    expect(resultOf.has('2:2')).toBe(false)
    expect(shown).toEqual([0, 1, 2, 5, 6, 7, 8])
  })

  it('pairs a repeated call id with results in order, and keeps extra results visible', () => {
    const messages: ChatMessage[] = [
      { role: 'assistant', content: null, tool_calls: [{ id: 'x', name: 'f', arguments: '{}' }] },
      { role: 'tool', tool_call_id: 'x', content: 'first' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'x', name: 'f', arguments: '{}' }] },
      { role: 'tool', tool_call_id: 'x', content: 'second' },
      { role: 'tool', tool_call_id: 'x', content: 'third, unclaimed' },
    ]
    const { shown, resultOf } = pairToolCalls(messages)
    expect([resultOf.get('0:0'), resultOf.get('2:0')]).toEqual([1, 3])
    expect(shown).toEqual([0, 2, 4])
  })
})

describe('TraceView, chat', () => {
  const html = render(item({ messages: agentChat }))

  it('keeps the hooks the e2e tests rely on', () => {
    expect(html).toMatch(/^<article[^>]*data-testid="item-view"/)
    expect(html).toContain('<h2>trace-1</h2>')
    expect(count(html, /<h2[ >]/)).toBe(1) // the assistant's "## Chickpea curry" must not add an h2
    expect(html).toContain('fixture.jsonl')
  })

  it('shows each paired result inside its call, not as a bubble of its own', () => {
    expect(count(html, 'class="bubble ')).toBe(7)
    const callA = html.slice(html.indexOf('data-call-id="call_a"'), html.indexOf('data-call-id="call_b"'))
    expect(callA).toContain('search_recipes')
    expect(callA).toContain('data-result-for="call_a"')
    expect(callA).toContain('Chickpea curry')
    const callB = html.slice(html.indexOf('data-call-id="call_b"'), html.indexOf('data-call-id="call_c"'))
    expect(callB).toContain('not json at all')
    expect(callB).toContain('320 kcal per serving')
    const callC = html.slice(html.indexOf('data-call-id="call_c"'))
    expect(callC.slice(0, 600)).toContain('no result in the trace')
  })

  it('renders tool arguments and JSON results as a JSON tree', () => {
    expect(html).toContain(
      '<span class="json-key">query: </span><span class="json-string">&quot;vegan curry&quot;</span>',
    )
    expect(html).toContain('<span class="json-key">max_minutes: </span><span class="json-number">40</span>')
  })

  it('shows unpaired results where they are, flagged when their id matches no call', () => {
    const orphan = html.slice(
      html.indexOf('a result nobody asked for') - 700,
      html.indexOf('a result nobody asked for'),
    )
    expect(orphan).toContain('result without a matching call')
    expect(count(html, 'result without a matching call')).toBe(1) // the id-less NurtureBoss result is not flagged
    expect(html).toContain('available_tour_dates')
  })

  it('shows an unknown role as written, with a badge', () => {
    expect(html).toMatch(
      /class="bubble role-unknown" data-role="asssistant"><div class="role"><span>asssistant<\/span><span class="trace-badge warn"[^>]*>unknown role</,
    )
    expect(count(html, 'unknown role</span>')).toBe(1)
  })

  it('renders user and assistant content as Markdown', () => {
    expect(html).toContain('Vegan <strong>curry</strong> for 4?')
    expect(html).toContain('<h4 class="md-h md-h2">Chickpea curry</h4>')
    expect(html).toContain('<ol><li>')
  })

  it('folds the system prompt to its first three lines', () => {
    const system = html.slice(html.indexOf('role-system'), html.indexOf('role-user'))
    expect(system).toContain('Rule 2: be brief.')
    expect(system).not.toContain('Rule 3')
    expect(system).toMatch(/Show system prompt \(\d+ more characters\)/)
  })

  it('shows a short system prompt whole, without a button', () => {
    const out = render(item({ messages: [{ role: 'system', content: 'Be nice.' }] }))
    expect(out).toContain('Be nice.')
    expect(out).not.toContain('Show system prompt')
  })

  it('keeps the labels and verdicts table', () => {
    const out = render(
      item({
        labels: [
          {
            criterion: 'Overall',
            verdict: 'fail',
            note: 'ignored the diet',
            annotator: 'ana',
            split: 'dev',
            createdAt: '2025-01-01',
          },
        ],
        verdicts: [
          {
            judge: 'diet-judge',
            version: 2,
            criterion: 'Overall',
            runId: 7,
            scope: 'dev',
            verdict: 'pass',
            critique: 'looks fine',
          },
        ],
      }),
    )
    expect(out).toContain('<table class="assessments">')
    expect(out).toContain('ignored the diet')
    expect(out).toContain('diet-judge v2')
    expect(render(item({}))).toContain('Not labeled yet.')
  })

  it('folds metadata and does not render its tree until opened', () => {
    const out = render(item({ metadata: { secret_marker: 'zzz-meta', diet: 'vegan' } }))
    expect(out).toContain('Metadata')
    expect(out).toContain('aria-expanded="false"')
    expect(out).not.toContain('zzz-meta')
  })
})

describe('TraceView, long content', () => {
  it('cuts a long assistant answer with a "Show all" button naming what is hidden', () => {
    const answer = Array.from({ length: 300 }, (_, i) => `Line ${i} of the answer.`).join('\n')
    const out = render(item({ messages: [{ role: 'assistant', content: answer }] }))
    expect(out).toContain('Line 0 of the answer.')
    expect(out).toContain('Line 59 of the answer.')
    expect(out).not.toContain('Line 60 of the answer.')
    const hidden = answer.length - answer.indexOf('\nLine 60 ')
    expect(out).toContain(`Show all (${hidden.toLocaleString('en-US')} more characters)`)
  })

  it('cuts by characters too, at a line break near the limit', () => {
    const text = 'word '.repeat(2000) // 10 000 chars, one line
    expect(cutText(text, 4000, 60)?.length).toBe(4000)
    expect(cutText('short', 4000, 60)).toBeNull()
    const lines = `${'a'.repeat(3500)}\n${'b'.repeat(1000)}`
    expect(cutText(lines, 4000, 60)).toBe('a'.repeat(3500))
    expect(cutText('😀'.repeat(10), 5, 60)).toBe('😀😀') // never half an emoji
  })

  it('LongText shows everything when it fits', () => {
    const out = renderToStaticMarkup(createElement(LongText, { text: 'all of it', render: (t: string) => t }))
    expect(out).toBe('<div class="long-text">all of it</div>')
  })

  it('cuts long strings inside JSON and pages huge arrays', () => {
    const value = { long: 'x'.repeat(1000), list: Array.from({ length: 250 }, (_, i) => i) }
    const out = renderToStaticMarkup(createElement(JsonView, { value }))
    expect(out).toContain('show all (700 more characters)')
    expect(out).not.toContain('x'.repeat(301))
    expect(out).toContain('<span class="json-key">99: </span>')
    expect(out).not.toContain('<span class="json-key">100: </span>')
    expect(out).toContain('Show 100 more (150 not shown)')
  })

  it('JsonView opens two levels and renders nothing inside folded nodes', () => {
    const out = renderToStaticMarkup(createElement(JsonView, { value: { a: { b: { c: { d: 'deep-marker' } } } } }))
    expect(out).toContain('<span class="json-key">b: </span>')
    expect(out).toMatch(/aria-label="Expand b"/)
    expect(out).not.toContain('deep-marker')
    expect(out).not.toContain('json-key">c: ')
  })
})

describe('TraceView, pipelines and text items', () => {
  it('renders numbered step sections with JSON or Markdown output', () => {
    const out = render(
      item({
        kind: 'pipeline',
        steps: [
          { index: 0, name: 'decompose', input: 'What is **vegan**?', output: '["q1","q2"]', metadata: {} },
          {
            index: 1,
            name: 'retrieve',
            input: '["q1","q2"]',
            output: '{"docs":[{"id":"d1","score":0.9}]}',
            metadata: { latency_ms: 512 },
          },
          { index: 2, name: 'answer', input: '{"docs":[]}', output: '# Answer\n\nNo animal products.', metadata: {} },
        ],
      }),
    )
    expect(count(out, 'class="step"')).toBe(3)
    expect(out).toMatch(/<h3><span class="step-number">1<\/span> decompose<\/h3>/)
    expect(out).toMatch(/<h3><span class="step-number">3<\/span> answer<\/h3>/)
    expect(out).toContain('What is <strong>vegan</strong>?')
    expect(out).toContain('<span class="json-key">docs: </span>')
    expect(out).toContain('<h3 class="md-h md-h1">Answer</h3>')
    expect(out).toContain('Step metadata')
    expect(out).not.toContain('512') // folded until opened
  })

  it('renders a text item as input and output', () => {
    const out = render(item({ kind: 'text', input: 'Quick pasta?', output: '**Ingredients:**\n- pasta' }))
    expect(out).toContain('<h4>Input</h4>')
    expect(out).toContain('Quick pasta?')
    expect(out).toContain('<strong>Ingredients:</strong>')
    expect(count(out, 'class="bubble')).toBe(0)
  })
})

// How long these take is measured by `assay bench --only ui` (rows "1 MB chat trace …" and
// "1 MB JSON tool result …"), in Chromium; here only what they render is checked.
describe('huge traces', () => {
  /** ~5 KB of recipe-like Markdown: headings, lists, a table, code, links. */
  function markdown5k(i: number): string {
    const parts = [`## Recipe ${i}\n\n**Ingredients:**\n`]
    for (let k = 0; k < 12; k++)
      parts.push(`- ${k + 1} cup of *ingredient ${k}* with \`code ${k}\` and [a link](https://example.com/${i}/${k})\n`)
    parts.push('\n| step | minutes |\n|---|--:|\n| prep | 10 |\n| cook | 20 |\n\n```python\nprint("hello")\n```\n\n')
    let s = parts.join('')
    while (s.length < 5000)
      s += `${s.length}. A longer paragraph sentence with **bold** and _emphasis_ that keeps going for a while.\n`
    return s.slice(0, 5000)
  }

  it('renders a 1 MB trace (200 messages × 5 KB of Markdown), each message cut', () => {
    const messages: ChatMessage[] = Array.from({ length: 200 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: markdown5k(i),
    }))
    const bytes = messages.reduce((n, m) => n + (m.content?.length ?? 0), 0)
    expect(bytes).toBe(1_000_000)
    const full = (ms: ChatMessage[]) =>
      renderToStaticMarkup(createElement(TraceView, { item: item({ messages: ms }), firstPaintChars: Infinity }))
    const out = full(messages)
    expect(count(out, 'class="bubble ')).toBe(200)
    expect(out).toContain('Show all (')
  })

  it('paints the first 60 000 characters of a huge trace at once and defers the rest', () => {
    const messages: ChatMessage[] = Array.from({ length: 200 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: markdown5k(i) + '  ',
    }))
    const out = render(item({ messages }))
    expect(count(out, 'class="bubble ')).toBe(11) // 11 × 5 002 chars fit in 60 000
    expect(out).toContain('Rendering 189 more messages…')
    const small = render(item({ messages: messages.slice(0, 11) }))
    expect(count(small, 'class="bubble ')).toBe(11) // an ordinary trace renders whole in one pass
    expect(small).not.toContain('more messages…')
  })

  it('renders the same 1 MB of Markdown uncut', () => {
    const texts = Array.from({ length: 200 }, (_, i) => markdown5k(i) + ' ') // distinct from the memoized ones
    const out = renderToStaticMarkup(
      createElement('div', null, ...texts.map((text, i) => createElement(Markdown, { key: i, text }))),
    )
    expect(count(out, '<h4 class="md-h md-h2">')).toBe(200)
  })

  it('renders a 1 MB JSON tool result lazily', () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({
      id: i,
      title: `Recipe number ${i}`,
      tags: ['vegan', 'quick'],
      nutrition: { kcal: 300 + i, protein: 12 },
    }))
    const content = JSON.stringify(rows)
    expect(content.length).toBeGreaterThan(500_000)
    const big = JSON.stringify({ results: rows, more: rows })
    expect(big.length).toBeGreaterThan(1_000_000)
    const out = render(item({ messages: [{ role: 'tool', content: big }] }))
    expect(out).toContain('Show 100 more (5,900 not shown)')
  })
})
