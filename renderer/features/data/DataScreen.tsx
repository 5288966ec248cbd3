import { memo, useEffect, useRef, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { call } from '../../api'
import { useKeyAction } from '../../keyboard'
import { rowAt, useStore } from '../../store'
import { DEFAULT_FILTER } from '../../../shared/table-query'
import { FilterBar } from './FilterBar'
import { ImportWizard } from './ImportWizard'
import { ItemsTable, ROW_HEIGHT } from './ItemsTable'
import { ItemView } from './ItemView'

/** Data: the items table with search and go-to-id, and the selected item beside it (or full size). */
export function DataScreen() {
  const {
    total,
    cursor,
    detail,
    expanded,
    search,
    project,
    importing,
    importPath,
    filter,
    selected,
    toggleSelected,
    selectAllMatching,
    clearSelection,
    setImporting,
    moveCursor,
    setExpanded,
    resetItems,
    showError,
  } = useStore(
    useShallow((s) => ({
      importing: s.importing,
      importPath: s.importPath,
      selected: s.selected,
      toggleSelected: s.toggleSelected,
      selectAllMatching: s.selectAllMatching,
      clearSelection: s.clearSelection,
      filter: s.filter,
      setImporting: s.setImporting,
      total: s.total,
      cursor: s.cursor,
      detail: s.detail,
      expanded: s.expanded,
      search: s.search,
      project: s.project,
      moveCursor: s.moveCursor,
      setExpanded: s.setExpanded,
      resetItems: s.resetItems,
      showError: s.showError,
    })),
  )
  const searchBox = useRef<HTMLInputElement>(null)
  const filterBar = useRef<HTMLSelectElement>(null)
  const [query, setQuery] = useState(search)
  const [goto, setGoto] = useState<string | null>(null)
  const page = Math.max(1, Math.floor((window.innerHeight - 160) / ROW_HEIGHT))

  // Search as the user types, a quarter second after the last key.
  useEffect(() => {
    if (query === search) return
    const timer = setTimeout(() => void resetItems(query), 250)
    return () => clearTimeout(timer)
  }, [query, search, resetItems])

  const browsing = !importing
  useKeyAction('data.next', () => moveCursor(cursor + 1), browsing)
  useKeyAction('data.prev', () => moveCursor(cursor - 1), browsing)
  useKeyAction('data.pageDown', () => moveCursor(cursor + page), browsing)
  useKeyAction('data.pageUp', () => moveCursor(cursor - page), browsing)
  useKeyAction('data.first', () => moveCursor(0), browsing)
  useKeyAction('data.last', () => moveCursor(total - 1), browsing)
  useKeyAction('data.open', () => setExpanded(true), browsing && detail !== null && !expanded)
  useKeyAction(
    'data.close',
    () => (expanded ? setExpanded(false) : search ? setQuery('') : selected.size > 0 ? clearSelection() : undefined),
    browsing,
  )
  useKeyAction(
    'data.select',
    () => {
      const row = rowAt(useStore.getState(), cursor)
      if (row) toggleSelected(row.id)
    },
    browsing,
  )
  useKeyAction('data.selectAll', () => void selectAllMatching(), browsing)
  useKeyAction('data.search', () => searchBox.current?.focus(), browsing)
  useKeyAction('data.goto', () => setGoto(''), browsing)
  useKeyAction('data.import', () => setImporting(true), browsing)
  useKeyAction('data.filter', () => filterBar.current?.focus(), browsing)
  const filtered = search !== '' || JSON.stringify(filter) !== JSON.stringify(DEFAULT_FILTER)
  const labelThese = () => {
    const state = useStore.getState()
    if (state.session) state.leaveSession() // a new session of these items, not the one in progress
    // `l` asks for these items: the setup proposes them (reaching the setup any other way proposes all items).
    state.setSessionScope(state.selected.size > 0 ? 'selection' : filtered ? 'table' : null)
    state.setScreen('label')
  }
  useKeyAction('data.label', labelThese, browsing)
  useKeyAction('data.export', () => useStore.getState().setExportOpen(true), browsing)

  if (importing)
    return <ImportWizard key={importPath ?? ''} initialPath={importPath} onClose={() => setImporting(false)} />

  const submitGoto = async (event: FormEvent) => {
    event.preventDefault()
    const externalId = goto?.trim()
    setGoto(null)
    if (!externalId) return
    try {
      const located = await call('items.locate', {
        externalId,
        search: search || undefined,
        filter,
        sort: useStore.getState().sort,
      })
      moveCursor(located.index)
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <div className={expanded ? 'data expanded' : 'data'}>
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
          <form onSubmit={(e) => void submitGoto(e)} className="goto">
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
          {total === 0 ? 'No items' : `Item ${(cursor + 1).toLocaleString()} of ${total.toLocaleString()}`}
          {search && ` matching “${search}”`}
          {project && filtered && ` (${project.itemCount.toLocaleString()} in all)`}
        </span>
        {selected.size > 0 && (
          <span className="selection" data-testid="selection">
            {selected.size.toLocaleString()} selected{' '}
            <button className="link" onClick={clearSelection}>
              clear
            </button>
          </span>
        )}
        <button onClick={() => setImporting(true)}>
          <kbd>i</kbd> Import…
        </button>
        <button onClick={labelThese} title="Label the selection, or the items the table shows, in a session">
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
      <FilterBar ref={filterBar} />
      {total === 0 && !search && !filtered ? (
        <div className="empty">
          <h2>This project has no items yet</h2>
          <p>
            Press <kbd>i</kbd> to import traces from a CSV, TSV, JSON or JSONL export (chat messages, pipeline steps,
            span exports, and any labels or judge verdicts they hold).
          </p>
        </div>
      ) : (
        <div className="data-body">
          {!expanded && <ItemsTable />}
          <aside className="detail" aria-live="polite">
            {detail ? (
              <MemoItemView item={detail} />
            ) : (
              <p className="muted">{total === 0 ? 'Nothing matches the search and filters.' : 'Loading…'}</p>
            )}
          </aside>
        </div>
      )}
    </div>
  )
}

const MemoItemView = memo(ItemView)
