import { memo, useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useKeyAction } from '../../keyboard'
import { LazyBoundary, lazyComponent } from '../../lazy'
import { isFiltered, rowAt, useStore } from '../../store'
import { DataToolbar } from './DataToolbar'
import { FilterBar } from './FilterBar'
import { ItemsTable, ROW_HEIGHT } from './ItemsTable'
import { ItemView } from './ItemView'

/** The import wizard: a chunk of its own (the mapping forms are most of the Data screen's code). */
export const ImportWizard = lazyComponent(() => import('./ImportWizard').then((m) => m.ImportWizard))

/** Data: the items table with search and go-to-id, and the selected item beside it (or full size). */
export function DataScreen() {
  const {
    total,
    counting,
    cursor,
    detail,
    expanded,
    search,
    importing,
    importPath,
    filter,
    selected,
    toggleSelected,
    selectAllMatching,
    clearSelection,
    setImporting,
    moveCursor,
    moveToLast,
    setExpanded,
    resetItems,
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
      counting: s.counting,
      cursor: s.cursor,
      detail: s.detail,
      expanded: s.expanded,
      search: s.search,
      moveCursor: s.moveCursor,
      moveToLast: s.moveToLast,
      setExpanded: s.setExpanded,
      resetItems: s.resetItems,
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
  useKeyAction('data.last', () => void moveToLast(), browsing)
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
  useKeyAction('data.receive', () => void useStore.getState().toggleReceiving(), browsing)
  useKeyAction('data.filter', () => filterBar.current?.focus(), browsing)
  const filtered = isFiltered({ search, filter })
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
    return (
      <LazyBoundary>
        <ImportWizard key={importPath ?? ''} initialPath={importPath} onClose={() => setImporting(false)} />
      </LazyBoundary>
    )

  return (
    <div className={expanded ? 'data expanded' : 'data'}>
      <DataToolbar
        searchBox={searchBox}
        query={query}
        setQuery={setQuery}
        goto={goto}
        setGoto={setGoto}
        filtered={filtered}
        onLabel={labelThese}
      />
      <FilterBar ref={filterBar} />
      {total === 0 && !counting && !search && !filtered ? (
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
              <p className="muted">
                {total === 0 && !counting ? 'Nothing matches the search and filters.' : 'Loading…'}
              </p>
            )}
          </aside>
        </div>
      )}
    </div>
  )
}

const MemoItemView = memo(ItemView)
