import type { ChatMessage } from '../../../shared/domain'

/** Roles we know how to show; anything else (e.g. the real typo `asssistant`) is flagged. */
export const KNOWN_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const
/** One of KNOWN_ROLES; picks how a message's content is shown. */
export type KnownRole = (typeof KNOWN_ROLES)[number]

/** The normalized known role, or null for anything else (shown as written, with a badge). */
export function knownRole(role: string): KnownRole | null {
  const r = role.trim().toLowerCase()
  return (KNOWN_ROLES as readonly string[]).includes(r) ? (r as KnownRole) : null
}

/** What the conversation shows: each message once, with tool results moved under their call. */
export interface PairedTrace {
  /** Indexes of messages shown in place (paired tool results are left out). */
  shown: number[]
  /** `${message index}:${call index}` → index of the `tool` message answering that call. */
  resultOf: Map<string, number>
}

/**
 * Pairs tool calls with results by `tool_call_id`. A result moves under its call only when a
 * call with that id exists; each call takes the first unused result with its id, so a repeated
 * id pairs in order; results left over stay where they are (flagged in the view).
 */
export function pairToolCalls(messages: ChatMessage[]): PairedTrace {
  const results = new Map<string, number[]>()
  messages.forEach((m, i) => {
    if (m.tool_call_id === undefined) return
    const list = results.get(m.tool_call_id)
    if (list) list.push(i)
    else results.set(m.tool_call_id, [i])
  })
  const resultOf = new Map<string, number>()
  const used = new Set<number>()
  messages.forEach((m, i) =>
    m.tool_calls?.forEach((call, k) => {
      const next = results.get(call.id)?.shift()
      if (next === undefined) return
      resultOf.set(`${i}:${k}`, next)
      used.add(next)
    }),
  )
  return { shown: messages.map((_, i) => i).filter((i) => !used.has(i)), resultOf }
}

/**
 * How many shown messages fit in the first-paint budget (at least one), so a huge trace paints
 * its head with the keypress and defers the rest (see FIRST_PAINT_CHARS in TraceView).
 */
export function firstPaintCount(messages: ChatMessage[], shown: number[], budget: number): number {
  let chars = 0
  for (let n = 0; n < shown.length; n++) {
    const m = messages[shown[n]]
    chars += (m.content?.length ?? 0) + (m.tool_calls?.reduce((sum, c) => sum + c.arguments.length, 0) ?? 0)
    if (chars > budget) return Math.max(1, n)
  }
  return shown.length
}
