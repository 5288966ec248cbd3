import { useState, type KeyboardEvent, type ReactNode } from 'react'
import { formatCount } from '../../format'
import './trace.css'

/** Past either bound a text is cut: one 50 KB tool dump must not push the answer off screen. */
export const LONG_TEXT_CHARS = 4000
/** The line bound of the same cut (a 60-line stack trace is long even when it is short in bytes). */
export const LONG_TEXT_LINES = 60

/**
 * Text that may be very long, shown cut with a "Show all (N more characters)" button.
 * `render` draws the visible part (as Markdown, plain text, …), so the cost of rendering is
 * paid only for what is shown. With `collapse`, the text starts folded to its first lines
 * (system prompts: long, the same on every item, rarely what the reader is checking).
 */
export function LongText({
  text,
  render,
  limit = LONG_TEXT_CHARS,
  maxLines = LONG_TEXT_LINES,
  collapse,
}: LongTextProps) {
  const [expanded, setExpanded] = useState(false)
  const cut = expanded
    ? null
    : collapse
      ? cutText(text, collapse.lines * 160, collapse.lines)
      : cutText(text, limit, maxLines)
  if (cut === null) {
    return (
      <div className="long-text">
        {render(text)}
        {expanded && (
          <button
            type="button"
            className="link show-more"
            onClick={() => setExpanded(false)}
            onKeyDown={activateOnEnter(() => setExpanded(false))}
          >
            {collapse ? `Hide ${collapse.label.toLowerCase()}` : 'Show less'}
          </button>
        )}
      </div>
    )
  }
  const hidden = text.length - cut.length
  const expand = () => setExpanded(true)
  return (
    <div className={`long-text cut${collapse ? ' collapsed' : ''}`} data-hidden-chars={hidden}>
      {render(cut)}
      <button type="button" className="link show-more" onClick={expand} onKeyDown={activateOnEnter(expand)}>
        {collapse
          ? `Show ${collapse.label.toLowerCase()} (${plural(hidden, 'more character')})`
          : `Show all (${plural(hidden, 'more character')})`}
      </button>
    </div>
  )
}

/** `render` receives only the visible part, so hidden text costs nothing to draw. */
export interface LongTextProps {
  text: string
  render: (visible: string) => ReactNode
  limit?: number
  maxLines?: number
  /** Start folded to `lines` lines; the button reads "Show <label>". */
  collapse?: { lines: number; label: string }
}

/**
 * The shown part of `text`, or null when it fits: at most `limit` characters and `maxLines`
 * lines, ending at a line break when one is near so Markdown is not cut mid-line.
 */
export function cutText(text: string, limit: number, maxLines: number): string | null {
  let end = Math.min(text.length, limit)
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    if (++lines >= maxLines) {
      end = i
      break
    }
  }
  if (end >= text.length) return null
  const lastBreak = text.lastIndexOf('\n', end)
  if (lastBreak > end * 0.75) end = lastBreak
  else if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end-- // never split a surrogate pair (emoji)
  return text.slice(0, end)
}

/**
 * Enter on a focused button runs `action` and stops there: the app's window-level Enter
 * shortcut (open item) would otherwise fire and cancel the button's own click.
 */
export function activateOnEnter(action: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return
    e.preventDefault()
    action()
  }
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`
