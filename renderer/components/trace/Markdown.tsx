import { Lexer, type Token, type Tokens } from 'marked'
import { memo, useMemo, type KeyboardEvent, type ReactNode } from 'react'
import './trace.css'

/**
 * Markdown from a trace, rendered without ever handing HTML to the browser (DESIGN §6: trace
 * content is untrusted). `marked` only tokenizes; every token becomes a React element here, so
 * text is escaped by React, raw HTML is shown as literal text, images are never fetched and
 * links open only after the user confirms, and only for http(s) and mailto.
 */
export const Markdown = memo(function Markdown({ text, onOpenLink, headingOffset = 2 }: MarkdownProps) {
  const tokens = useMemo(() => lexMarkdown(text), [text])
  const ctx: Ctx = { onOpenLink, headingOffset }
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

interface Ctx {
  onOpenLink?: (url: string) => void
  headingOffset: number
}

/**
 * GFM with `breaks`: single newlines become line breaks, as chat UIs show model output; LLM
 * answers often rely on them ("Serves 4\nTime: 20 min").
 */
export function lexMarkdown(text: string): Token[] {
  try {
    return Lexer.lex(text, { gfm: true, breaks: true })
  } catch {
    // marked does not throw on any input we know of; if it ever does, the text is still readable.
    return [{ type: 'paragraph', raw: text, text, tokens: [{ type: 'text', raw: text, text }] }]
  }
}

/** Where a link may go: openable only for http:, https: and mailto:, after entity decoding. */
export function linkTarget(href: string): { openable: true; url: string } | { openable: false; url: string } {
  const decoded = decodeEntities(href).trim()
  try {
    // The WHATWG parser drops tabs/newlines and leading control characters exactly as a browser would.
    const url = new URL(decoded)
    if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:')
      return { openable: true, url: url.href }
  } catch {
    // relative or malformed: nothing to open
  }
  return { openable: false, url: decoded }
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  le: '≤',
  ge: '≥',
  ne: '≠',
  micro: 'µ',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  ntilde: 'ñ',
  szlig: 'ß',
}

/**
 * Decodes HTML character references into plain text (React escapes it again on output).
 * marked leaves named references such as `&amp;` in text tokens for an HTML renderer to
 * interpret; we have none, so we decode them. Unknown names stay as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd'
      return String.fromCodePoint(code)
    }
    return NAMED[name] ?? whole
  })
}

function blocks(tokens: Token[], ctx: Ctx): ReactNode[] {
  return tokens.map((t, i) => block(t, i, ctx))
}

function block(token: Token, key: number, ctx: Ctx): ReactNode {
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

function list(l: Tokens.List, key: number, ctx: Ctx): ReactNode {
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

function checkbox(c: Tokens.Checkbox, key: number): ReactNode {
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

function table(t: Tokens.Table, key: number, ctx: Ctx): ReactNode {
  const align = (a: Tokens.TableCell['align']) => (a ? `align-${a}` : undefined)
  return (
    <div key={key} className="md-table-wrap">
      <table className="md-table">
        <thead>
          <tr>
            {t.header.map((cell, i) => (
              <th key={i} className={align(cell.align)}>
                {inlines(cell.tokens, ctx)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={align(cell.align)}>
                  {inlines(cell.tokens, ctx)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function inlines(tokens: Token[], ctx: Ctx): ReactNode[] {
  return tokens.map((t, i) => inline(t, i, ctx))
}

function inline(token: Token, key: number, ctx: Ctx): ReactNode {
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

function Link({
  href,
  onOpenLink,
  children,
}: {
  href: string
  onOpenLink?: (url: string) => void
  children: ReactNode
}) {
  const target = linkTarget(href)
  if (!target.openable) {
    return (
      <span className="md-link-blocked">
        {children}{' '}
        <span className="md-warn" title="This link is not http, https or mailto, so it cannot be opened">
          ⚠ unsafe link: {target.url}
        </span>
      </span>
    )
  }
  const open = () => {
    if (window.confirm(`Open ${target.url} in your browser?`)) onOpenLink?.(target.url)
  }
  // No href: the browser never navigates or prefetches on its own; opening is an explicit, confirmed act.
  return (
    <a
      className="md-link"
      role="link"
      tabIndex={0}
      title={target.url}
      onClick={(e) => {
        e.preventDefault()
        open()
      }}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key !== 'Enter') return
        e.preventDefault() // keeps the app's Enter shortcut from firing too
        open()
      }}
    >
      {children}
    </a>
  )
}
