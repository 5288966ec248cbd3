import type { RefObject, SyntheticEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatCount } from '../../format'
import { useStore } from '../../store'
import { ReceiveTraces } from './ReceiveTraces'

/** The Data screen's toolbar: search, go to id, the count, the selection, and Import, Label and Export. */
export function DataToolbar({
  searchBox,
  query,
  setQuery,
  goto,
  setGoto,
  filtered,
  onLabel,
}: {
  searchBox: RefObject<HTMLInputElement | null>
  /** The search as typed (the table follows it a moment later). */
  query: string
  setQuery: (query: string) => void
  /** The go-to-id box's text, or null when it is closed. */
  goto: string | null
  setGoto: (goto: string | null) => void
  filtered: boolean
  onLabel: () => void
}) {
  const { total, counting, cursor, search, project, selected, clearSelection, setImporting, locateItem } = useStore(
    useShallow((s) => ({
      total: s.total,
      counting: s.counting,
      cursor: s.cursor,
      search: s.search,
      project: s.project,
      selected: s.selected,
      clearSelection: s.clearSelection,
      setImporting: s.setImporting,
      locateItem: s.locateItem,
    })),
  )
  const submitGoto = (event: SyntheticEvent) => {
    event.preventDefault()
    const externalId = goto?.trim()
    setGoto(null)
    if (externalId) void locateItem(externalId)
  }
  return (
    <div className="data-toolbar">
      <input
        ref={searchBox}
        className="search"
        type="search"
        placeholder="Search ids, inputs and outputs  ( / )"
        aria-label="Search items"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur()
        }}
      />
      {goto !== null && (
        <form onSubmit={submitGoto} className="goto">
          <input
            autoFocus
            aria-label="Go to item id"
            placeholder="Item id, then Enter"
            value={goto}
            onChange={(e) => setGoto(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setGoto(null)}
            onBlur={() => setGoto(null)}
          />
        </form>
      )}
      <span className="count" data-testid="item-count">
        {total === 0
          ? counting
            ? 'Loading…'
            : 'No items'
          : `Item ${formatCount(cursor + 1)} of ${counting ? `${formatCount(total)}+ (counting…)` : formatCount(total)}`}
        {search && ` matching “${search}”`}
        {project && filtered && ` (${formatCount(project.itemCount)} in all)`}
      </span>
      {selected.size > 0 && (
        <span className="selection" data-testid="selection">
          {formatCount(selected.size)} selected{' '}
          <button className="link" onClick={clearSelection}>
            clear
          </button>
        </span>
      )}
      <button onClick={() => setImporting(true)}>
        <kbd>i</kbd> Import…
      </button>
      <ReceiveTraces />
      <button onClick={onLabel} title="Label the selection, or the items the table shows, in a session">
        <kbd>l</kbd> Label…
      </button>
      <button
        onClick={() => useStore.getState().setExportOpen(true)}
        title="Save labels, notes and verdicts (CSV or JSON Lines), the label history, or judgy's arrays"
      >
        <kbd>e</kbd> Export…
      </button>
      <span className="muted hint">
        <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> back · <kbd>?</kbd> keys
      </span>
    </div>
  )
}
