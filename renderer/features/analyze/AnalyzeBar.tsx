import type { RefObject } from 'react'
import type { Taxonomy } from '../../../shared/domain'

/** A key pressed that waits for a mode's number. */
export type Pending = 'edit' | 'recode' | 'pass' | 'fail'

/** The Analyze screen's head: the counts, saturation, the note search, copying, and a pending key. */
export function AnalyzeBar({
  notes,
  taxonomy,
  search,
  query,
  onSearch,
  copied,
  copy,
  pending,
}: {
  notes: readonly unknown[]
  taxonomy: Taxonomy
  search: RefObject<HTMLInputElement | null>
  query: string
  onSearch: (text: string) => void
  copied: boolean
  copy: () => void
  pending: Pending | null
}) {
  return (
    <div className="analyze-bar">
      <strong title="Every note of the project; the list shows those the search and filters keep">
        {notes.length} notes in the project
      </strong>
      <span>{taxonomy.modes.length} failure modes</span>
      <span data-testid="analyze-reviewed">{taxonomy.reviewed} traces reviewed</span>
      <span className={taxonomy.saturation.saturated ? 'verdict-pass' : 'muted'}>
        {taxonomy.saturation.newModes} new modes in the last {taxonomy.saturation.window}
        {taxonomy.saturation.saturated ? ' · saturated' : ''}
      </span>
      <input
        ref={search}
        type="search"
        className="search"
        placeholder="Search notes  ( / )"
        aria-label="Search notes"
        value={query}
        onChange={(e) => onSearch(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
      />
      <button onClick={copy} title="Also: assay taxonomy PROJECT --format md|json">
        <kbd>m</kbd> {copied ? 'Copied' : 'Copy as Markdown'}
      </button>
      {pending && (
        <strong className="pending">
          {
            {
              edit: 'Edit',
              recode: 'Re-code',
              pass: 'Example of the mode absent',
              fail: 'Example of the mode present',
            }[pending]
          }
          : press a mode's number (Esc cancels)
        </strong>
      )}
    </div>
  )
}
