import { useState } from 'react'
import { JsonOrText, JsonView } from './JsonView'
import { activateOnEnter, LongText } from './LongText'
import { Markdown } from './Markdown'
import './trace.css'

/** Opens a checked http(s)/mailto URL after the user confirmed; passed down to every Markdown. */
export type OpenLink = (url: string) => void

/** A titled text: a JSON tree when it parses as JSON, else Markdown, cut when long. */
export function Field({ title, text, onOpenLink }: { title: string; text: string; onOpenLink: OpenLink }) {
  return (
    <section className="block">
      <h4>{title}</h4>
      {text.trim() === '' ? (
        <div className="muted empty-content">(empty)</div>
      ) : (
        <JsonOrText
          text={text}
          fallback={(t) => <LongText text={t} render={(v) => <Markdown text={v} onOpenLink={onOpenLink} />} />}
        />
      )}
    </section>
  )
}

/** The item's metadata, folded; nothing at all when there is none. */
export function MetadataPanel({ metadata }: { metadata: Record<string, unknown> }) {
  if (Object.keys(metadata).length === 0) return null
  return <Collapsible title="Metadata" value={metadata} className="metadata" />
}

/** Folded by default; the tree is not rendered at all until opened. */
export function Collapsible({ title, value, className = '' }: { title: string; value: unknown; className?: string }) {
  const [open, setOpen] = useState(false)
  const toggle = () => setOpen((o) => !o)
  const count = value && typeof value === 'object' ? Object.keys(value).length : 0
  return (
    <section className={`block collapsible ${className}`}>
      <button
        type="button"
        className="collapsible-toggle"
        aria-expanded={open}
        onClick={toggle}
        onKeyDown={activateOnEnter(toggle)}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}{' '}
        <span className="muted">
          ({count} {count === 1 ? 'key' : 'keys'})
        </span>
      </button>
      {open && <JsonView value={value} />}
    </section>
  )
}
