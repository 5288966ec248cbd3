import type { NoteView, Taxonomy } from './domain'

/** A versioned, documented shape for the taxonomy as JSON (`assay taxonomy --format json`). */
export const TAXONOMY_SCHEMA = 'assay.taxonomy/v1'

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)

type Mode = Taxonomy['modes'][number]

/**
 * A mode's examples: the pinned ones first, then traces in the mode with a note (up to `n` in all), each with its note.
 */
function examples(notes: readonly NoteView[], mode: Mode, n = 3) {
  const noteOf = (itemId: number) => notes.find((x) => x.itemId === itemId)?.note ?? ''
  const pinned = mode.examples.map((e) => ({ kind: e.kind, id: e.externalId, note: noteOf(e.itemId) }))
  // One example per trace, though several annotators may have written a note on it.
  const seen = new Set(mode.examples.map((e) => e.itemId))
  const more = notes
    .filter((x) => x.modes.includes(mode.id) && !seen.has(x.itemId) && seen.add(x.itemId))
    .map((x) => ({ kind: 'fail' as const, id: x.externalId, note: x.note }))
  return [...pinned, ...more].slice(0, Math.max(n, pinned.length))
}

/** The taxonomy as JSON: definitions, example traces, counts with Wilson intervals, co-occurrences. */
export function taxonomyJson(t: Taxonomy, notes: readonly NoteView[], project: string) {
  return {
    schema: TAXONOMY_SCHEMA,
    project,
    reviewed: t.reviewed,
    saturation: t.saturation,
    modes: t.modes.map((m) => ({
      name: m.name,
      definition: m.definition,
      version: m.version,
      count: m.count,
      rate: m.rate.estimate,
      interval95: [m.rate.lower, m.rate.upper],
      examples: examples(notes, m),
    })),
    cooccurrence: { modes: t.modes.map((m) => m.name), counts: t.cooccurrence },
    transitions: t.transitions,
  }
}

/** The taxonomy as Markdown: the money table (Pareto), then each mode's definition and examples. */
export function taxonomyMarkdown(t: Taxonomy, notes: readonly NoteView[], project: string): string {
  const lines = [
    `# Failure taxonomy: ${project}`,
    '',
    `${t.reviewed} traces reviewed; ${t.saturation.newModes} new failure modes in the last ${t.saturation.window}${t.saturation.saturated ? ' (saturated)' : ''}.`,
    '',
  ]
  lines.push('| # | failure mode | traces | rate | 95% interval (Wilson) |', '|---|---|---|---|---|')
  t.modes.forEach((m, i) =>
    lines.push(
      `| ${i + 1} | ${m.name.replace(/\|/g, '\\|')} | ${m.count} | ${pct(m.rate.estimate)} | ${pct(m.rate.lower)}–${pct(m.rate.upper)} |`,
    ),
  )
  for (const m of t.modes) {
    lines.push('', `## ${m.name}`, '', m.definition || '_No definition yet._', '')
    for (const e of examples(notes, m))
      lines.push(
        `- ${e.kind === 'pass' ? 'Pass (absent)' : 'Fail (present)'}: \`${e.id}\`${e.note ? ` — ${e.note.replace(/\s+/g, ' ')}` : ''}`,
      )
  }
  lines.push(...transitionsMarkdown(t.transitions))
  return `${lines.join('\n')}\n`
}

/** Where the order of the states comes from, in words. */
export const ORDER_SOURCE = {
  user: 'as given at import',
  steps: "the pipelines' steps",
  inferred: 'inferred from the data',
} as const

/**
 * The transition failure matrix as Markdown: last success × first failure with totals, then each pipeline step's pass
 * rate.
 */
function transitionsMarkdown(tr: Taxonomy['transitions']): string[] {
  if (tr.cells.length === 0 && tr.steps.length === 0) return []
  const cell = (t: string) => t.replace(/\|/g, '\\|')
  const states = tr.states.map((s) => s.state)
  const count = (from: string, to: string) =>
    tr.cells.find((c) => c.lastSuccess === from && c.firstFailure === to)?.count ?? 0
  const lines = ['', '## Where traces fail: last successful state → first failing state', '']
  lines.push(`${tr.failed} failing traces. State order (${ORDER_SOURCE[tr.orderSource]}): ${states.join(' → ')}.`)
  if (tr.unfixed.length > 0)
    lines.push(
      `The data does not order ${tr.unfixed.map(([a, b]) => `${a} and ${b}`).join('; ')}: the one seen first is put first (give the order with \`assay import … --state-order\`).`,
    )
  if (tr.backwards > 0)
    lines.push(`${tr.backwards} traces' last success comes after their first failure in this order.`)
  if (tr.unmarked > 0)
    lines.push(`${tr.unmarked} failing pipeline traces have no first failing step marked: not counted.`)
  if (tr.cells.length > 0) {
    lines.push(
      '',
      `| last success ↓ / first failure → | ${states.map(cell).join(' | ')} | total |`,
      `|---|${states.map(() => '---|').join('')}---|`,
    )
    for (const from of ['(start)', ...states]) {
      const row = states.map((to) => count(from, to))
      lines.push(`| ${cell(from)} | ${row.join(' | ')} | ${row.reduce((a, b) => a + b, 0)} |`)
    }
    lines.push(`| first failures | ${tr.states.map((s) => s.firstFailures).join(' | ')} | ${tr.failed} |`)
  }
  if (tr.steps.length > 0) {
    lines.push('', '| pipeline step | passed | reached | pass rate | 95% interval (Wilson) |', '|---|---|---|---|---|')
    for (const s of tr.steps)
      lines.push(
        `| ${cell(s.step)} | ${s.passed} | ${s.reached} | ${pct(s.rate.estimate)} | ${pct(s.rate.lower)}–${pct(s.rate.upper)} |`,
      )
  }
  return lines
}
