import type { StateCreator, StoreApi } from 'zustand'
import type { Output } from '../../../shared/contract'
import type { ItemDetail, ItemFilter, ItemRow, ItemSort } from '../../../shared/domain'
import { DEFAULT_FILTER, DEFAULT_SORT } from '../../../shared/table-query'
import { call, errorText, request, takeAsked } from '../../api'
import type { Store } from '../index'

/** One answer of `items.list`: a page of rows and the count of all that match. */
export type ItemsPage = Output<'items.list'>

/** Rows per `items.list` page: the table loads pages around the cursor. */
export const PAGE_SIZE = 100

/** The table's query when a project opens: the default filter and sort, no search. */
export const OPENING_QUERY = { filter: DEFAULT_FILTER, sort: DEFAULT_SORT }

/** The Data table: its query, the pages of rows loaded, the cursor, the selection and the item shown. */
export interface ItemsSlice {
  /** The rows that match; while `counting`, only how many are known to exist so far. */
  total: number
  /**
   * The count is not known yet: a new query's first page is on its way, or that page came before
   * the count of a large answer, which is on its way (`items.count`).
   */
  counting: boolean
  search: string
  filter: ItemFilter
  sort: ItemSort
  facets: Output<'items.facets'> | null
  /** Pages of rows by page number; a page being fetched is `'loading'`. */
  pages: Map<number, ItemRow[] | 'loading'>
  cursor: number
  /** Items picked for a labeling session or a judge run (ids); kept across filters. */
  selected: Set<number>
  expanded: boolean
  detail: ItemDetail | null
  /** Bumped on every reset, so answers to stale requests are ignored. */
  generation: number
  /**
   * Reloads the table from the top with a new search, filter or sort (the rest unchanged);
   * `asked` is that first page already requested (null when that request failed: asked again).
   */
  resetItems: (
    search?: string,
    query?: { filter?: ItemFilter; sort?: ItemSort },
    asked?: Promise<ItemsPage | null>,
  ) => Promise<void>
  loadFacets: () => void
  toggleSelected: (id: number) => void
  selectAllMatching: () => Promise<void>
  clearSelection: () => void
  /** Reloads the rows around the cursor (labels changed elsewhere), keeping the place. */
  refreshRows: () => Promise<void>
  ensureRows: (from: number, to: number) => void
  moveCursor: (index: number) => void
  /** Moves the cursor to the last row (End), once the rows are counted. */
  moveToLast: () => Promise<void>
  /** Moves the cursor to an item by its id, within the table's search and filter (go to id). */
  locateItem: (externalId: string) => Promise<void>
  setExpanded: (expanded: boolean) => void
}

type SetState = Parameters<StateCreator<Store, [], [], ItemsSlice>>[0]
type Get = () => Store

/** The row at a table index, if its page has arrived. */
export function rowAt(state: Pick<ItemsSlice, 'pages'>, index: number): ItemRow | null {
  const page = state.pages.get(Math.floor(index / PAGE_SIZE))
  return Array.isArray(page) ? (page[index % PAGE_SIZE] ?? null) : null
}

/** Whether the table shows less than every item (a search or a filter is set). */
export const isFiltered = (state: Pick<ItemsSlice, 'search' | 'filter'>): boolean =>
  state.search !== '' || JSON.stringify(state.filter) !== JSON.stringify(DEFAULT_FILTER)

/** Selectors of the items slice. */
export const itemsSelectors = { rowAt, isFiltered }

/** The `items.list` query of the table as it stands. */
const query = (s: Pick<ItemsSlice, 'search' | 'filter' | 'sort'>) => ({
  search: s.search || undefined,
  filter: s.filter,
  sort: s.sort,
})

/**
 * What a page says of the count, against what the table knows (`known`; null for a new query): an
 * exact total ends any counting; a lower bound (`counted: false`) raises the known total while the
 * count is on its way, and changes nothing once the exact count has come (it may arrive first).
 */
function totalOf(known: Pick<ItemsSlice, 'total' | 'counting'> | null, page: ItemsPage): Partial<ItemsSlice> {
  if (page.counted) return { total: page.total, counting: false }
  if (known && !known.counting) return {}
  return { total: Math.max(page.total, known?.total ?? 0), counting: true }
}

/** Loading pages of rows: from the top, around the cursor, or again in place. */
function pageActions(set: SetState, get: Get) {
  // The exact count of a first page that came before it (see `totalOf`), for the same generation.
  const countRows = (generation: number) =>
    void call('items.count', query(get())).then(
      ({ total }) => get().generation === generation && set({ total, counting: false }),
      (error: unknown) => get().generation === generation && get().showError(errorText(error)),
    )
  return {
    async resetItems(
      search = get().search,
      next: { filter?: ItemFilter; sort?: ItemSort } = {},
      asked?: Promise<ItemsPage | null>,
    ) {
      const generation = get().generation + 1
      const filter = next.filter ?? get().filter
      const sort = next.sort ?? get().sort
      set({
        search,
        filter,
        sort,
        generation,
        pages: new Map(),
        cursor: 0,
        detail: null,
        expanded: false,
        total: 0,
        // Nothing is known of the new query's rows until its first page comes: not "no items".
        counting: true,
      })
      const first = (await asked) ?? (await request('items.list', { offset: 0, limit: PAGE_SIZE, ...query(get()) }))
      if (get().generation !== generation) return
      if (!first) {
        set({ counting: false })
        return
      }
      set({ ...totalOf(null, first), pages: new Map([[0, first.rows]]) })
      if (!first.counted) countRows(generation)
      get().moveCursor(0)
    },
    async refreshRows() {
      const { cursor } = get()
      const generation = get().generation + 1
      const page = Math.floor(cursor / PAGE_SIZE)
      set({ generation })
      const result = await request('items.list', { offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...query(get()) })
      if (!result || get().generation !== generation) return
      set({ ...totalOf(null, result), pages: new Map([[page, result.rows]]) })
      if (!result.counted) countRows(generation)
      get().moveCursor(Math.min(cursor, Math.max(0, result.total - 1)))
    },
    ensureRows(from: number, to: number) {
      const { pages, generation } = get()
      const asked = query(get())
      for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= Math.floor(to / PAGE_SIZE); page++) {
        if (page * PAGE_SIZE >= get().total || pages.has(page)) continue
        pages.set(page, 'loading')
        // Not `request`: a failure of a query the user has already left is not worth a banner.
        void call('items.list', { offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...asked }).then(
          (result) => {
            if (get().generation !== generation) return
            set({ ...totalOf(get(), result), pages: new Map(get().pages).set(page, result.rows) })
          },
          (error: unknown) => {
            if (get().generation !== generation) return
            get().pages.delete(page)
            get().showError(errorText(error))
          },
        )
      }
    },
  }
}

/**
 * An item's detail: the first open's first trace when it is this item's (asked ahead with the
 * first page, renderer/boot.ts, so it is on its way or here already), otherwise asked now.
 */
function detailOf(id: number): Promise<ItemDetail> {
  const ask = () => call('items.get', { id })
  const first = takeAsked('items.first', OPENING_QUERY)
  return first ? first.then((detail) => (detail?.id === id ? detail : ask()), ask) : ask()
}

/** The cursor and the item it shows (loaded when its row has arrived). */
function cursorActions(set: SetState, get: Get, api: StoreApi<Store>) {
  return {
    moveCursor(index: number) {
      const { total } = get()
      if (total === 0) {
        set({ cursor: 0, detail: null })
        return
      }
      const cursor = Math.min(Math.max(0, index), total - 1)
      set({ cursor })
      get().ensureRows(cursor - PAGE_SIZE / 2, cursor + PAGE_SIZE / 2)
      const generation = get().generation
      const load = (row: ItemRow) =>
        detailOf(row.id).then(
          (detail) => {
            if (get().cursor === cursor && get().generation === generation) set({ detail })
          },
          (error: unknown) => {
            if (get().generation === generation) get().showError(errorText(error))
          },
        )
      const row = rowAt(get(), cursor)
      if (row) {
        void load(row)
        return
      }
      // The row's page is on its way: load the detail when it lands.
      const unsubscribe = api.subscribe((state) => {
        const landed = state.cursor === cursor ? rowAt(state, cursor) : null
        if (state.cursor !== cursor || state.generation !== generation) unsubscribe()
        else if (landed) {
          unsubscribe()
          void load(landed)
        }
      })
    },
    async moveToLast() {
      const generation = get().generation
      if (get().counting) {
        await new Promise<void>((resolve) => {
          const unsubscribe = api.subscribe((state) => {
            if (state.counting && state.generation === generation) return
            unsubscribe()
            resolve()
          })
        })
      }
      if (get().generation === generation) get().moveCursor(get().total - 1)
    },
    async locateItem(externalId: string) {
      const located = await request('items.locate', { externalId, ...query(get()) })
      if (located) get().moveCursor(located.index)
    },
    setExpanded: (expanded: boolean) => set({ expanded }),
  }
}

/** The selection, and the filter bar's facets. */
function selectionActions(set: SetState, get: Get) {
  return {
    toggleSelected(id: number) {
      const selected = new Set(get().selected)
      if (!selected.delete(id)) selected.add(id)
      set({ selected })
    },
    async selectAllMatching() {
      const found = await request('items.ids', query(get()))
      if (found) set({ selected: new Set([...get().selected, ...found.ids]) })
    },
    clearSelection: () => set({ selected: new Set() }),
    loadFacets() {
      void call('items.facets', {}).then(
        (facets) => set({ facets }),
        () => undefined,
      )
    },
  }
}

/** The items slice (the Data screen's server data). */
export const createItemsSlice: StateCreator<Store, [], [], ItemsSlice> = (set, get, api) => ({
  total: 0,
  counting: false,
  search: '',
  filter: DEFAULT_FILTER,
  sort: DEFAULT_SORT,
  facets: null,
  pages: new Map(),
  cursor: 0,
  selected: new Set(),
  expanded: false,
  detail: null,
  generation: 0,
  ...pageActions(set, get),
  ...cursorActions(set, get, api),
  ...selectionActions(set, get),
})
