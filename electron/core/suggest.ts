/**
 * LLM-suggested grouping of open-coding notes into failure modes (methodology §2.3: axial coding;
 * the course uses an LLM to propose groups, which the human then accepts, edits or rejects). The
 * suggestions change nothing: the Analyze screen shows them, and creating a mode stays a human act.
 */
import type { NoteView } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import type { ModelSnapshot } from '../../shared/judges'
import type { LlmClient } from './judge/llm'

export interface ModeSuggestion {
  name: string
  definition: string
  itemIds: number[]
  notes: string[]
}

/** At most this many notes go into one request (about 40k characters with typical notes). */
export const MAX_SUGGEST_NOTES = 400

const SCHEMA = {
  type: 'object',
  properties: {
    modes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          definition: { type: 'string' },
          notes: { type: 'array', items: { type: 'integer' } },
        },
        required: ['name', 'definition', 'notes'],
        additionalProperties: false,
      },
    },
  },
  required: ['modes'],
  additionalProperties: false,
} as const

/** The request: numbered notes of failing traces, and the rules of a good failure taxonomy. */
export function suggestionPrompt(notes: readonly NoteView[]): string {
  return `You help with axial coding: grouping a reviewer's open-coding notes on failed LLM traces into a small failure taxonomy.

Rules:
- Propose 3 to 10 failure modes. Each is one specific, observable failure (not "bad answer"), with a short name and a one-sentence definition a reviewer can apply as pass/fail.
- Put every note in the mode it fits best; a note may fit none (leave it out) or, rarely, two.
- Use the notes' own words; do not invent failures that no note describes.

Notes (number: note):
${notes.map((n, i) => `${i + 1}: ${n.note.replace(/\s+/g, ' ').trim()}`).join('\n')}

Answer with JSON only: {"modes": [{"name": "...", "definition": "...", "notes": [note numbers]}]}`
}

/** Asks the model once; an answer that does not parse is an error that says so (nothing is guessed). */
export async function suggestModes(
  client: LlmClient,
  model: ModelSnapshot,
  params: Record<string, unknown>,
  allNotes: readonly NoteView[],
): Promise<ModeSuggestion[]> {
  const notes = allNotes.filter((n) => n.note.trim() && n.verdict === 'fail').slice(0, MAX_SUGGEST_NOTES)
  if (notes.length < 3)
    throw new AppError(
      'invalid_input',
      `Only ${notes.length} note${notes.length === 1 ? '' : 's'} on failing traces: write notes while labeling (n), then ask for suggestions.`,
    )
  const response = await client.complete(
    {
      model: model.model,
      messages: [{ role: 'user', content: suggestionPrompt(notes) }],
      params,
      responseFormat: model.structuredOutputs
        ? { type: 'json_schema', json_schema: { name: 'failure_modes', strict: true, schema: SCHEMA } }
        : null,
    },
    { signal: new AbortController().signal, timeoutMs: Math.max(model.timeoutMs, 120_000) },
  )
  const text = (response.content ?? '').trim()
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text)
  let parsed: unknown
  try {
    parsed = JSON.parse(fenced ? fenced[1] : text)
  } catch {
    throw new AppError(
      'invalid_input',
      `The model's answer is not JSON (${text.slice(0, 120)}…): try again, or a model that supports structured outputs.`,
    )
  }
  const modes = (parsed as { modes?: unknown }).modes
  if (!Array.isArray(modes))
    throw new AppError('invalid_input', 'The model answered JSON without a "modes" list: try again.')
  return modes.flatMap((m: { name?: unknown; definition?: unknown; notes?: unknown } | null) => {
    if (typeof m?.name !== 'string' || !m.name.trim() || !Array.isArray(m.notes)) return []
    const picked = [
      ...new Set(m.notes.filter((k): k is number => Number.isInteger(k) && k >= 1 && k <= notes.length)),
    ].map((k) => notes[k - 1])
    if (picked.length === 0) return []
    return [
      {
        name: m.name.trim().slice(0, 200),
        definition: typeof m.definition === 'string' ? m.definition.trim().slice(0, 5000) : '',
        itemIds: [...new Set(picked.map((n) => n.itemId))],
        notes: picked.map((n) => n.note),
      },
    ]
  })
}
