import type { KeyboardEvent, ReactNode } from 'react'
import { decodeEntities } from './entities'
import './trace.css'

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

/**
 * A Markdown link that opens only after the user confirms, and only for http(s) and mailto;
 * any other target is shown, flagged, and never opened.
 */
export function Link({
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
