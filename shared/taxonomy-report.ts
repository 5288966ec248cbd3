import type { NoteView, Taxonomy } from './domain'

/** A versioned, documented shape for the taxonomy as JSON (`assay taxonomy --format json`). */
export const TAXONOMY_SCHEMA = 'assay.taxonomy/v1'

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)

/** Up to `n` example traces of a mode, each with its note: the definition's evidence. */
function examples(notes: readonly NoteView[], modeId: number, n = 3) {
  return notes.filter((x) => x.modes.includes(modeId)).slice(0, n).map((x) => ({ id: x.externalId, note: x.note }))
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
      examples: examples(notes, m.id),
    })),
    cooccurrence: { modes: t.modes.map((m) => m.name), counts: t.cooccurrence },
    transitions: t.transitions,
  }
}

/** The taxonomy as Markdown: the money table (Pareto), then each mode's definition and examples. */
export function taxonomyMarkdown(t: Taxonomy, notes: readonly NoteView[], project: string): string {
  const lines = [`# Failure taxonomy: ${project}`, '', `${t.reviewed} traces reviewed; ${t.saturation.newModes} new failure modes in the last ${t.saturation.window}${t.saturation.saturated ? ' (saturated)' : ''}.`, '']
  lines.push('| # | failure mode | traces | rate | 95% interval (Wilson) |', '|---|---|---|---|---|')
  t.modes.forEach((m, i) => lines.push(`| ${i + 1} | ${m.name.replace(/\|/g, '\\|')} | ${m.count} | ${pct(m.rate.estimate)} | ${pct(m.rate.lower)}–${pct(m.rate.upper)} |`))
  for (const m of t.modes) {
    lines.push('', `## ${m.name}`, '', m.definition || '_No definition yet._', '')
    for (const e of examples(notes, m.id)) lines.push(`- \`${e.id}\`: ${e.note.replace(/\s+/g, ' ')}`)
  }
  return `${lines.join('\n')}\n`
}
