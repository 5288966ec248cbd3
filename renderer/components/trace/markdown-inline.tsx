import type { Token, Tokens } from 'marked'
import type { ReactNode } from 'react'
import { decodeEntities } from './entities'
import { Link } from './MarkdownLink'
import './trace.css'

/** What every block and inline renderer needs from the Markdown component's props. */
export interface MarkdownCtx {
  onOpenLink?: (url: string) => void
  headingOffset: number
}

/** Inline tokens (text, emphasis, code spans, links…) as React nodes; never as HTML. */
export function inlines(tokens: Token[], ctx: MarkdownCtx): ReactNode[] {
  return tokens.map((t, i) => inline(t, i, ctx))
}

function inline(token: Token, key: number, ctx: MarkdownCtx): ReactNode {
  const t = token as Tokens.Generic
  switch (t.type) {
    case 'text':
      return t.tokens ? <span key={key}>{inlines(t.tokens, ctx)}</span> : decodeEntities(String(t.text))
    case 'escape':
      return String(t.text)
    case 'strong':
      return <strong key={key}>{inlines(t.tokens ?? [], ctx)}</strong>
    case 'em':
      return <em key={key}>{inlines(t.tokens ?? [], ctx)}</em>
    case 'del':
      return <del key={key}>{inlines(t.tokens ?? [], ctx)}</del>
    case 'codespan':
      return <code key={key}>{t.text}</code>
    case 'br':
      return <br key={key} />
    case 'link':
      return (
        <Link key={key} href={String(t.href)} onOpenLink={ctx.onOpenLink}>
          {inlines(t.tokens ?? [], ctx)}
        </Link>
      )
    case 'image':
      // Never fetched: a remote image would leak that the trace was read (and from where).
      return (
        <span key={key} className="md-image">
          [image: {decodeEntities(String(t.text))} — {decodeEntities(String(t.href))}]
        </span>
      )
    case 'html':
      return (
        <span key={key} className="md-raw-html">
          {t.text}
        </span>
      )
    case 'checkbox':
      return checkbox(t as Tokens.Checkbox, key)
    default:
      return t.raw
  }
}

/** A task-list box, drawn as a symbol: a real checkbox would invite clicks that change nothing. */
export function checkbox(c: Tokens.Checkbox, key: number): ReactNode {
  return (
    <span
      key={key}
      className={`md-check${c.checked ? ' checked' : ''}`}
      role="img"
      aria-label={c.checked ? 'done' : 'not done'}
    >
      {c.checked ? '☑' : '☐'}{' '}
    </span>
  )
}
