import { create } from 'zustand'
import type { Output } from '../../shared/contract'
import type { ItemDetail, ItemFilter, ItemRow, ItemSort, ProjectInfo, RecentProject } from '../../shared/domain'
import type { RunView } from '../../shared/judges'
import { DEFAULT_FILTER, DEFAULT_SORT } from '../../shared/table-query'
import { call, errorText } from '../api'
import { createLabelSlice, type LabelSlice } from './label'
import { createAnalyzeSlice, type AnalyzeSlice } from './slices/analyze'
import { createCalibrateSlice, type CalibrateSlice } from './slices/calibrate'
import { createJudgesSlice, type JudgesSlice } from './slices/judges'
import { createReportSlice, type ReportSlice } from './slices/report'

export type Screen = 'start' | 'data' | 'label' | 'analyze' | 'judges' | 'calibrate' | 'report' | 'settings'
export const PAGE_SIZE = 100

interface AppSlice {
  shell: 'electron' | 'serve' | null
  canPickFiles: boolean
  /** The file "Open demo project" opens (the Start screen names it before leaving another project). */
  demoPath: string | null
  /** The export dialog (File → Export…, `e` on the Data screen). */
  exportOpen: boolean
  /** A file the import wizard starts with (dropped on the window); it detects it at once. */
  importPath: string | null
  /** Which items a new session's setup proposes: only what the user asked for with `l` on the Data screen; all items otherwise. */
  sessionScope: 'table' | 'selection' | null
  project: ProjectInfo | null
  recent: RecentProject[]
  screen: Screen
  helpOpen: boolean
  importing: boolean
  /** The latest progress event of a long task (an import). */
  progress: { task: string; done: number; total: number | null; detail?: string } | null
  error: string | null
  busy: boolean
  /** Judge runs as their `judge.run` events report them, by run id. */
  runs: Map<number, RunView>
  /** Bumped whenever human labels change anywhere (a `labels.changed` event): live matrices refetch. */
  labelsVersion: number
  /** `project.changed` events seen: an open's answer older than one of them is stale. */
  projectEvents: number
  /** `test.revealed` events seen: lists that hid test verdicts refetch when it changes. */
  testReveals: number
  init(): Promise<void>
  setProject(project: ProjectInfo | null): void
  /** A `project.changed` event: the core opened, closed or refused a project. */
  projectChanged(project: ProjectInfo | null): void
  /** Runs an open/create call; resolves to whether it worked (the error banner says why not). */
  openProject(open: () => Promise<ProjectInfo>): Promise<boolean>
  setScreen(screen: Screen): void
  toggleHelp(open?: boolean): void
  setImporting(open: boolean): void
  /** Opens the import wizard on the Data screen with a file (dropped on the window). */
  importFile(path: string): void
  setExportOpen(open: boolean): void
  setSessionScope(scope: AppSlice['sessionScope']): void
  setProgress(progress: AppSlice['progress']): void
  showError(message: string | null): void
  setRun(run: RunView): void
  labelsChanged(): void
  /** A `test.revealed` event: the Data table's `hidden` verdicts of that version are visible now. */
  testRevealed(): void
}

interface ItemsSlice {
  total: number
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
  /** Reloads the table from the top with a new search, filter or sort (the rest unchanged). */
  resetItems(search?: string, query?: { filter?: ItemFilter; sort?: ItemSort }): Promise<void>
  loadFacets(): void
  toggleSelected(id: number): void
  selectAllMatching(): Promise<void>
  clearSelection(): void
  /** Reloads the rows around the cursor (labels changed elsewhere), keeping the place. */
  refreshRows(): Promise<void>
  ensureRows(from: number, to: number): void
  moveCursor(index: number): void
  setExpanded(expanded: boolean): void
}

export type Store = AppSlice & ItemsSlice & LabelSlice & AnalyzeSlice & JudgesSlice & CalibrateSlice & ReportSlice

/** The one bound store, made of an app slice and an items slice; actions call the API client. */
export const useStore = create<Store>()((set, get, api) => ({
  ...createLabelSlice(set, get, api),
  ...createAnalyzeSlice(set, get, api),
  ...createJudgesSlice(set, get, api),
  ...createCalibrateSlice(set, get, api),
  ...createReportSlice(set, get, api),
  shell: null,
  canPickFiles: false,
  demoPath: null,
  exportOpen: false,
  importPath: null,
  sessionScope: null,
  project: null,
  recent: [],
  screen: 'start',
  helpOpen: false,
  importing: false,
  progress: null,
  error: null,
  busy: false,
  runs: new Map(),
  labelsVersion: 0,
  projectEvents: 0,
  testReveals: 0,

  async init() {
    try {
      const [info, project, recent] = await Promise.all([
        call('app.info', {}),
        call('project.current', {}),
        call('project.recent', {}),
      ])
      set({ shell: info.shell, canPickFiles: info.canPickFiles, demoPath: info.demoPath, recent })
      get().setProject(project)
    } catch (error) {
      set({ error: errorText(error) })
    }
  },

  setProject(project) {
    const changed = project?.path !== get().project?.path
    // Settings needs no project: no project (yet, or any more) leaves the user there.
    set({
      project,
      screen: project ? (changed ? 'data' : get().screen) : get().screen === 'settings' ? 'settings' : 'start',
    })
    // The first page and its trace come first; the filter bar's facets can wait for them.
    if (changed)
      set({ selected: new Set(), session: null, latest: null, details: new Map(), drafts: new Map(), runs: new Map() })
    if (project && changed)
      void get()
        .resetItems('', { filter: DEFAULT_FILTER, sort: DEFAULT_SORT })
        .then(() => get().loadFacets())
    else if (project) get().loadFacets()
    void call('project.recent', {}).then(
      (recent) => set({ recent }),
      () => undefined,
    )
  },

  projectChanged(project) {
    set({ projectEvents: get().projectEvents + 1 })
    get().setProject(project)
  },

  async openProject(open) {
    set({ busy: true, error: null })
    try {
      const seen = get().projectEvents
      const project = await open()
      // The event of this opening came first, or even one that closed it again (damage found at
      // the first read): the events are newer than this answer, and already applied.
      if (get().projectEvents === seen) get().setProject(project)
      return true
    } catch (error) {
      set({ error: errorText(error) })
      void call('project.recent', {}).then(
        (recent) => set({ recent }),
        () => undefined,
      ) // a damaged file left it
      return false
    } finally {
      set({ busy: false })
    }
  },

  setScreen(screen) {
    if (screen !== 'start' && screen !== 'settings' && !get().project) return
    const from = get().screen
    set({ screen, expanded: false })
    // Labels saved on the Label screen change the table's label column (and maybe its filter).
    if (screen === 'data' && from === 'label') void get().refreshRows()
  },
  toggleHelp: (open) => set({ helpOpen: open ?? !get().helpOpen }),
  setImporting: (importing) => set({ importing, progress: null, ...(importing ? {} : { importPath: null }) }),
  importFile(path) {
    if (!get().project) return
    set({ screen: 'data', expanded: false, importing: true, importPath: path, progress: null })
  },
  setExportOpen: (exportOpen) => set({ exportOpen: exportOpen && get().project !== null }),
  setSessionScope: (sessionScope) => set({ sessionScope }),
  setProgress: (progress) => set({ progress }),
  showError: (error) => set({ error }),
  setRun: (run) => set({ runs: new Map(get().runs).set(run.id, run) }),
  labelsChanged: () => set({ labelsVersion: get().labelsVersion + 1 }),
  testRevealed() {
    set({ testReveals: get().testReveals + 1 })
    if (get().project) void get().refreshRows()
  },

  total: 0,
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

  async resetItems(search = get().search, query = {}) {
    const generation = get().generation + 1
    const filter = query.filter ?? get().filter
    const sort = query.sort ?? get().sort
    set({ search, filter, sort, generation, pages: new Map(), cursor: 0, detail: null, expanded: false, total: 0 })
    try {
      const first = await call('items.list', { offset: 0, limit: PAGE_SIZE, search: search || undefined, filter, sort })
      if (get().generation !== generation) return
      set({ total: first.total, pages: new Map([[0, first.rows]]) })
      get().moveCursor(0)
    } catch (error) {
      set({ error: errorText(error) })
    }
  },

  async refreshRows() {
    const { search, filter, sort, cursor } = get()
    const generation = get().generation + 1
    const page = Math.floor(cursor / PAGE_SIZE)
    set({ generation })
    try {
      const result = await call('items.list', {
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        search: search || undefined,
        filter,
        sort,
      })
      if (get().generation !== generation) return
      set({ total: result.total, pages: new Map([[page, result.rows]]) })
      get().moveCursor(Math.min(cursor, Math.max(0, result.total - 1)))
    } catch (error) {
      set({ error: errorText(error) })
    }
  },

  ensureRows(from, to) {
    const { pages, search, filter, sort, generation } = get()
    for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= Math.floor(to / PAGE_SIZE); page++) {
      if (page * PAGE_SIZE >= get().total || pages.has(page)) continue
      pages.set(page, 'loading')
      void call('items.list', {
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        search: search || undefined,
        filter,
        sort,
      }).then(
        (result) => {
          if (get().generation !== generation) return
          set({ pages: new Map(get().pages).set(page, result.rows) })
        },
        (error: unknown) => {
          if (get().generation !== generation) return
          get().pages.delete(page)
          set({ error: errorText(error) })
        },
      )
    }
  },

  moveCursor(index) {
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
      call('items.get', { id: row.id }).then(
        (detail) => get().cursor === cursor && get().generation === generation && set({ detail }),
        (error: unknown) => get().generation === generation && set({ error: errorText(error) }),
      )
    const row = rowAt(get(), cursor)
    if (row) return void load(row)
    // The row's page is on its way: load the detail when it lands.
    const unsubscribe = useStore.subscribe((state) => {
      const landed = state.cursor === cursor ? rowAt(state, cursor) : null
      if (state.cursor !== cursor || state.generation !== generation) unsubscribe()
      else if (landed) {
        unsubscribe()
        void load(landed)
      }
    })
  },

  setExpanded: (expanded) => set({ expanded }),
  toggleSelected(id) {
    const selected = new Set(get().selected)
    if (!selected.delete(id)) selected.add(id)
    set({ selected })
  },
  async selectAllMatching() {
    const { search, filter, sort } = get()
    try {
      const { ids } = await call('items.ids', { search: search || undefined, filter, sort })
      set({ selected: new Set([...get().selected, ...ids]) })
    } catch (error) {
      set({ error: errorText(error) })
    }
  },
  clearSelection: () => set({ selected: new Set() }),
  loadFacets() {
    void call('items.facets', {}).then(
      (facets) => set({ facets }),
      () => undefined,
    )
  },
}))

/** The row at a table index, if its page has arrived. */
export function rowAt(state: Pick<Store, 'pages'>, index: number): ItemRow | null {
  const page = state.pages.get(Math.floor(index / PAGE_SIZE))
  return Array.isArray(page) ? (page[index % PAGE_SIZE] ?? null) : null
}
