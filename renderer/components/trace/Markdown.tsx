import { Lexer, type Token } from 'marked'
import { memo, useMemo } from 'react'
import { blocks } from './markdown-blocks'
import type { MarkdownCtx } from './markdown-inline'
import './trace.css'

// The renderer is split by concern (markdown-blocks, -inline, -table, MarkdownLink, entities);
// these helpers are re-exported because tests import them from here.
export { decodeEntities } from './entities'
export { linkTarget } from './MarkdownLink'

/**
 * Markdown from a trace, rendered without ever handing HTML to the browser (DESIGN §6: trace
 * content is untrusted). `marked` only tokenizes; every token becomes a React element here, so
 * text is escaped by React, raw HTML is shown as literal text, images are never fetched and
 * links open only after the user confirms, and only for http(s) and mailto.
 */
export const Markdown = memo(function Markdown({ text, onOpenLink, headingOffset = 2 }: MarkdownProps) {
  const tokens = useMemo(() => lexMarkdown(text), [text])
  const ctx: MarkdownCtx = { onOpenLink, headingOffset }
  return <div className="md">{blocks(tokens, ctx)}</div>
})

/** Props of Markdown; `text` is untrusted trace content. */
export interface MarkdownProps {
  text: string
  /** Called with a checked http(s)/mailto URL after the user confirmed opening it. */
  onOpenLink?: (url: string) => void
  /**
   * Markdown `#` becomes `h{1 + offset}`: the trace view owns h2 (the item id) and h3 (step
   * titles), so content headings must not collide with them (tests and screen readers rely on them).
   */
  headingOffset?: number
}

/**
 * GFM with `breaks`: single newlines become line breaks, as chat UIs show model output; LLM
 * answers often rely on them ("Serves 4\nTime: 20 min").
 */
export function lexMarkdown(text: string): Token[] {
  const known = lexed.get(text)
  if (known) return known
  const tokens = lex(text)
  lexed.set(text, tokens)
  const oldest = lexed.keys().next()
  if (lexed.size > LEXED_KEPT && !oldest.done) lexed.delete(oldest.value)
  return tokens
}

function lex(text: string): Token[] {
  try {
    return Lexer.lex(text, { gfm: true, breaks: true })
  } catch {
    // marked does not throw on any input we know of; if it ever does, the text is still readable.
    return [{ type: 'paragraph', raw: text, text, tokens: [{ type: 'text', raw: text, text }] }]
  }
}

/**
 * Texts tokenized lately, newest last (the tokens are only read, never changed): the Label screen
 * tokenizes the next items' texts ahead (warmTrace), so a keypress renders them without lexing.
 */
const lexed = new Map<string, Token[]>()
const LEXED_KEPT = 64
