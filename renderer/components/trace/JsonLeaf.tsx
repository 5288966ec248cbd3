import { useState } from 'react'
import { formatCount } from '../../format'
import { activateOnEnter } from './LongText'
import './trace.css'

/** Strings longer than this are cut with a "show all" button. */
export const JSON_STRING_LIMIT = 300

/** A JSON value that is not an object or array, as text with a class per type (never markup). */
export function Leaf({ value }: { value: unknown }) {
  if (typeof value === 'string') return <JsonString text={value} />
  if (value === null) return <span className="json-null">null</span>
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>
  return <span className="json-other">{otherText(value)}</span>
}

/** The text of a leaf JSON cannot hold (undefined, a function, a bigint…), as `String` gives it. */
function otherText(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value)
  return String(value)
}

function JsonString({ text }: { text: string }) {
  const [all, setAll] = useState(false)
  if (all || text.length <= JSON_STRING_LIMIT) return <span className="json-string">"{text}"</span>
  const show = () => setAll(true)
  return (
    <span className="json-string">
      "{text.slice(0, JSON_STRING_LIMIT)}…"{' '}
      <button type="button" className="link json-more" onClick={show} onKeyDown={activateOnEnter(show)}>
        show all ({formatCount(text.length - JSON_STRING_LIMIT)} more characters)
      </button>
    </span>
  )
}
