import type { Token, Tokens } from 'marked'
import type { ReactNode } from 'react'
import { decodeEntities } from './entities'
import { checkbox, inlines, type MarkdownCtx } from './markdown-inline'
import { table } from './markdown-table'
import './trace.css'

/** Block tokens (paragraphs, headings, code, lists, tables…) as React nodes; never as HTML. */
export function blocks(tokens: Token[], ctx: MarkdownCtx): ReactNode[] {
  return tokens.map((t, i) => block(t, i, ctx))
}

function block(token: Token, key: number, ctx: MarkdownCtx): ReactNode {
  const t = token as Tokens.Generic
  switch (t.type) {
    case 'space':
    case 'def': // link reference definitions are resolved by the lexer and show nothing
      return null
    case 'paragraph':
      return <p key={key}>{inlines(t.tokens ?? [], ctx)}</p>
    case 'heading': {
      const h = t as Tokens.Heading
      const Tag = `h${Math.min(6, h.depth + ctx.headingOffset)}` as 'h3'
      return (
        <Tag key={key} className={`md-h md-h${h.depth}`}>
          {inlines(h.tokens, ctx)}
        </Tag>
      )
    }
    case 'code': {
      const c = t as Tokens.Code
      const lang = (c.lang ?? '').trim().split(/\s/)[0]?.slice(0, 40) ?? ''
      return (
        <figure key={key} className="md-code">
          {lang && <figcaption className="md-code-lang">{lang}</figcaption>}
          <pre>
            <code>{c.text}</code>
          </pre>
        </figure>
      )
    }
    case 'blockquote':
      return <blockquote key={key}>{blocks(t.tokens ?? [], ctx)}</blockquote>
    case 'hr':
      return <hr key={key} />
    case 'list':
      return list(t as Tokens.List, key, ctx)
    case 'table':
      return table(t as Tokens.Table, key, ctx)
    case 'html':
      // Raw HTML is content to read, not markup to run.
      return (
        <pre key={key} className="md-raw-html" title="Raw HTML, shown as text">
          {t.text}
        </pre>
      )
    case 'text':
      // Block-level text appears in tight list items; its inline tokens carry the formatting.
      return t.tokens ? (
        <span key={key}>{inlines(t.tokens, ctx)}</span>
      ) : (
        <span key={key}>{decodeEntities(String(t.text))}</span>
      )
    case 'checkbox':
      return checkbox(t as Tokens.Checkbox, key)
    default:
      return (
        <p key={key} className="md-unknown">
          {t.raw}
        </p>
      )
  }
}

function list(l: Tokens.List, key: number, ctx: MarkdownCtx): ReactNode {
  const items = l.items.map((item, i) => (
    <li key={i} className={item.task ? 'md-task' : undefined}>
      {item.task &&
        !item.tokens.some((tk) => tk.type === 'checkbox') &&
        checkbox({ type: 'checkbox', raw: '', checked: !!item.checked }, -1)}
      {blocks(item.tokens, ctx)}
    </li>
  ))
  if (!l.ordered) return <ul key={key}>{items}</ul>
  const start = typeof l.start === 'number' && l.start !== 1 ? l.start : undefined
  return (
    <ol key={key} start={start}>
      {items}
    </ol>
  )
}
