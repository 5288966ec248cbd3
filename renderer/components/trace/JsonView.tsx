import { useMemo, useState, type ReactNode } from 'react'
import { formatCount } from '../../format'
import { Leaf } from './JsonLeaf'
import { activateOnEnter } from './LongText'
import './trace.css'

// The leaves (strings, numbers, …) live in JsonLeaf.tsx; the limit is re-exported for anyone importing it here.
export { JSON_STRING_LIMIT } from './JsonLeaf'

/** Entries of one object/array drawn at a time: a 10 000-element array must not draw 10 000 rows. */
export const JSON_PAGE = 100

/**
 * A collapsible JSON tree for tool arguments, tool results, step outputs and metadata. Levels
 * below `openDepth` start open, deeper ones folded; a folded node renders none of its children,
 * so a 1 MB document costs what is on screen, not what is in it. Values are text, never markup.
 */
export function JsonView({ value, openDepth = 2 }: { value: unknown; openDepth?: number }) {
  return (
    <div className="json-view" role="tree">
      <JsonNode name={null} value={value} depth={0} openDepth={openDepth} />
    </div>
  )
}

/** Parses `text` when it looks like a JSON object or array; anything else is not JSON for display. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trim()
  const looksLikeJson = (t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))
  if (!looksLikeJson) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(t) }
  } catch {
    return { ok: false }
  }
}

/** `text` as a JSON tree when it parses as an object or array, else drawn by `fallback`. */
export function JsonOrText({
  text,
  fallback,
  openDepth,
}: {
  text: string
  fallback: (text: string) => ReactNode
  openDepth?: number
}) {
  const parsed = useMemo(() => parseJson(text), [text])
  return parsed.ok ? <JsonView value={parsed.value} openDepth={openDepth} /> : <>{fallback(text)}</>
}

interface NodeProps {
  name: string | null
  value: unknown
  depth: number
  openDepth: number
}

function JsonNode(props: NodeProps) {
  const { value } = props
  if (value !== null && typeof value === 'object') return <Branch {...props} value={value} />
  return (
    <div className="json-row" role="treeitem">
      <Key name={props.name} />
      <Leaf value={value} />
    </div>
  )
}

function Key({ name }: { name: string | null }) {
  return name === null ? null : <span className="json-key">{name}: </span>
}

function Branch({ name, value, depth, openDepth }: NodeProps & { value: object }) {
  const [open, setOpen] = useState(depth < openDepth)
  const [shown, setShown] = useState(JSON_PAGE)
  const isArray = Array.isArray(value)
  const size = isArray ? value.length : Object.keys(value).length
  const [lb, rb] = isArray ? ['[', ']'] : ['{', '}']
  if (size === 0) {
    return (
      <div className="json-row" role="treeitem">
        <Key name={name} />
        <span className="json-punct">{lb + rb}</span>
      </div>
    )
  }
  const toggle = () => setOpen((o) => !o)
  const summary = `${formatCount(size)} ${isArray ? (size === 1 ? 'item' : 'items') : size === 1 ? 'key' : 'keys'}`
  return (
    <div className="json-branch" role="treeitem" aria-expanded={open}>
      <button
        type="button"
        className="json-toggle"
        onClick={toggle}
        onKeyDown={activateOnEnter(toggle)}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'value'}`}
      >
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <Key name={name} />
        <span className="json-punct">{open ? lb : `${lb} … ${rb}`}</span>
        {!open && <span className="json-summary"> {summary}</span>}
      </button>
      {open && (
        <>
          <div className="json-children" role="group">
            {entries(value, shown).map(([k, v]) => (
              <JsonNode key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
            ))}
            {size > shown && (
              <button
                type="button"
                className="link json-more"
                onClick={() => setShown((n) => n + JSON_PAGE)}
                onKeyDown={activateOnEnter(() => setShown((n) => n + JSON_PAGE))}
              >
                Show {Math.min(JSON_PAGE, size - shown)} more ({formatCount(size - shown)} not shown)
              </button>
            )}
          </div>
          <span className="json-punct">{rb}</span>
        </>
      )}
    </div>
  )
}

/** The first `n` entries only: slicing keys first keeps a huge object cheap to page through. */
function entries(value: object, n: number): [string, unknown][] {
  if (Array.isArray(value)) return value.slice(0, n).map((v, i) => [String(i), v])
  const out: [string, unknown][] = []
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue
    if (out.length >= n) break
    out.push([k, (value as Record<string, unknown>)[k]])
  }
  return out
}
