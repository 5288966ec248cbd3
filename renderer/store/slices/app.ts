import type { StateCreator, StoreApi } from 'zustand'
import type { Input } from '../../../shared/contract'
import type { ProjectInfo, RecentProject } from '../../../shared/domain'
import type { RunView } from '../../../shared/judges'
import { DEFAULT_FILTER, DEFAULT_SORT } from '../../../shared/table-query'
import { call, callOrTake, errorText, forgetAsked, reportErrorsTo, takeAsked } from '../../api'
import { boot, FIRST_PAGE } from '../../boot'
import type { ItemsPage } from './items'
import type { Store } from '../index'

export type Screen = 'start' | 'data' | 'label' | 'analyze' | 'judges' | 'calibrate' | 'report' | 'settings'

/** The methods that open (or create) a project: `openProject` runs one of them. */
export type OpenMethod = 'project.open' | 'project.create' | 'project.openDemo'

/** The shell, the open project, the screen shown, the banner, and the events the core sends. */
export interface AppSlice {
  shell: 'electron' | 'serve' | null
  canPickFiles: boolean
  /** The file "Open demo project" opens (the Start screen names it before leaving another project). */
  demoPath: string | null
  /** The export dialog (File → Export…, `e` on the Data screen). */
  exportOpen: boolean
  /** A file the import wizard starts with (dropped on the window); it detects it at once. */
  importPath: string | null
  /**
   * Which items a new session's setup proposes: only what the user asked for with `l` on the
   * Data screen; all items otherwise.
   */
  sessionScope: 'table' | 'selection' | null
  project: ProjectInfo | null
  /**
   * True until the core has said which project is open (`init`): the window shows no screen
   * meanwhile, rather than the Start screen of a project that is about to open.
   */
  opening: boolean
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
  init: () => Promise<void>
  /**
   * Shows a project (or none). `opening` comes from `init`: the first page of rows, already asked
   * for alongside the project, and the recent list, just fetched.
   */
  setProject: (project: ProjectInfo | null, opening?: { firstPage: Promise<ItemsPage | null> }) => void
  /** A `project.changed` event: the core opened, closed or refused a project. */
  projectChanged: (project: ProjectInfo | null) => void
  /** Runs an open/create call; resolves to whether it worked (the error banner says why not). */
  openProject: <M extends OpenMethod>(method: M, input: Input<M>) => Promise<boolean>
  /** The shell's file dialog for a project to open or create; resolves to the path chosen, if any. */
  pickProject: (mode: 'open' | 'create') => Promise<string | null>
  setScreen: (screen: Screen) => void
  toggleHelp: (open?: boolean) => void
  setImporting: (open: boolean) => void
  /** Opens the import wizard on the Data screen with a file (dropped on the window). */
  importFile: (path: string) => void
  setExportOpen: (open: boolean) => void
  setSessionScope: (scope: AppSlice['sessionScope']) => void
  setProgress: (progress: AppSlice['progress']) => void
  showError: (message: string | null) => void
  setRun: (run: RunView) => void
  labelsChanged: () => void
  /** A `test.revealed` event: the Data table's `hidden` verdicts of that version are visible now. */
  testRevealed: () => void
}

type SetState = Parameters<StateCreator<Store, [], [], AppSlice>>[0]
type Get = () => Store

const initialApp = {
  shell: null as AppSlice['shell'],
  canPickFiles: false,
  demoPath: null as string | null,
  exportOpen: false,
  importPath: null as string | null,
  sessionScope: null as AppSlice['sessionScope'],
  project: null as ProjectInfo | null,
  opening: true,
  recent: [] as RecentProject[],
  screen: 'start' as Screen,
  helpOpen: false,
  importing: false,
  progress: null as AppSlice['progress'],
  error: null as string | null,
  busy: false,
  runs: new Map<number, RunView>(),
  labelsVersion: 0,
  projectEvents: 0,
  testReveals: 0,
} satisfies Partial<AppSlice>

/** The recent list, refetched after an open (or a refusal: a damaged file leaves it); failures are quiet. */
const refreshRecent = (set: SetState) =>
  void call('project.recent', {}).then(
    (recent) => set({ recent }),
    () => undefined,
  )

/**
 * Runs `then` once the table's first trace is in the store (or there is none to wait for: no rows,
 * a failure in the banner, another query): the facets' request (slow on a large project) must not
 * hold up the core's answer for the trace, nor the page's work to show it.
 */
function afterFirstTrace(api: StoreApi<Store>, then: () => void): void {
  const { generation } = api.getState()
  const waiting = (s: Store) => s.detail === null && s.total > 0 && s.error === null && s.generation === generation
  if (!waiting(api.getState())) {
    then()
    return
  }
  const unsubscribe = api.subscribe((s) => {
    if (waiting(s)) return
    unsubscribe()
    setTimeout(then, 0) // after the render of the trace this update starts
  })
}

/** Opening, closing and switching projects: what every other slice resets from. */
function projectActions(set: SetState, get: Get, api: StoreApi<Store>) {
  return {
    async init() {
      // The boot (start.ts) asked for all of these before this code ran; a failed boot request is
      // asked again. The first page of rows was asked for alongside the project, not after it: a
      // round trip less before the first trace. Without a project open that request fails,
      // quietly, and nothing waits for it.
      boot() // sent already by start.ts, unless this page's entry did not
      const current = callOrTake('project.current', {})
      const page = (takeAsked('items.list', FIRST_PAGE) ?? call('items.list', FIRST_PAGE)).catch(() => null)
      try {
        await Promise.all([
          current.then((project) => get().setProject(project, { firstPage: page })),
          callOrTake('app.info', {}).then((info) =>
            set({ shell: info.shell, canPickFiles: info.canPickFiles, demoPath: info.demoPath }),
          ),
          callOrTake('project.recent', {}).then((recent) => set({ recent })),
        ])
      } catch (error) {
        set({ error: errorText(error), opening: false })
      }
    },
    setProject(project: ProjectInfo | null, opening?: { firstPage: Promise<ItemsPage | null> }) {
      const changed = project?.path !== get().project?.path
      const screen = get().screen
      // Settings needs no project: no project (yet, or any more) leaves the user there.
      set({
        project,
        opening: false,
        screen: project ? (changed ? 'data' : screen) : screen === 'settings' ? 'settings' : 'start',
      })
      if (changed) {
        get().clearSelection()
        get().resetLabeling()
        set({ runs: new Map() })
      }
      // The first page and its trace come first; the filter bar's facets can wait for them.
      if (project && changed)
        void get()
          .resetItems('', { filter: DEFAULT_FILTER, sort: DEFAULT_SORT }, opening?.firstPage)
          .then(() => {
            // The first row's trace was taken as the cursor landed on it: an answer still untaken
            // (the user searched meanwhile) would be out of date by the time a cursor reached it.
            if (opening) forgetAsked()
            afterFirstTrace(api, () => get().loadFacets())
          })
      else if (project) get().loadFacets()
      if (opening) return
      // Another project (or none) than the boot asked about: its answers are not this one's.
      forgetAsked()
      refreshRecent(set)
    },
    projectChanged(project: ProjectInfo | null) {
      set({ projectEvents: get().projectEvents + 1 })
      get().setProject(project)
    },
    async openProject<M extends OpenMethod>(method: M, input: Input<M>) {
      set({ busy: true, error: null })
      try {
        const seen = get().projectEvents
        const project = await call(method, input)
        // The event of this opening came first, or even one that closed it again (damage found at
        // the first read): the events are newer than this answer, and already applied.
        if (get().projectEvents === seen) get().setProject(project)
        return true
      } catch (error) {
        set({ error: errorText(error) })
        refreshRecent(set) // a damaged file left it
        return false
      } finally {
        set({ busy: false })
      }
    },
    async pickProject(mode: 'open' | 'create') {
      const { path } = await call('project.pick', { mode })
      return path
    },
  }
}

/** Screens, overlays and the banner: state of the window, not of the project. */
function windowActions(set: SetState, get: Get) {
  return {
    setScreen(screen: Screen) {
      if (screen !== 'start' && screen !== 'settings' && !get().project) return
      const from = get().screen
      set({ screen })
      get().setExpanded(false)
      // Labels saved on the Label screen change the table's label column (and maybe its filter).
      if (screen === 'data' && from === 'label') void get().refreshRows()
    },
    toggleHelp: (open?: boolean) => set({ helpOpen: open ?? !get().helpOpen }),
    setImporting: (importing: boolean) =>
      set({ importing, progress: null, ...(importing ? {} : { importPath: null }) }),
    importFile(path: string) {
      if (!get().project) return
      set({ screen: 'data', importing: true, importPath: path, progress: null })
      get().setExpanded(false)
    },
    setExportOpen: (exportOpen: boolean) => set({ exportOpen: exportOpen && get().project !== null }),
    setSessionScope: (sessionScope: AppSlice['sessionScope']) => set({ sessionScope }),
    setProgress: (progress: AppSlice['progress']) => set({ progress }),
    showError: (error: string | null) => set({ error }),
  }
}

/** The core's events that are not a project's: judge runs, label changes, test reveals. */
function eventActions(set: SetState, get: Get) {
  return {
    setRun: (run: RunView) => set({ runs: new Map(get().runs).set(run.id, run) }),
    labelsChanged: () => set({ labelsVersion: get().labelsVersion + 1 }),
    testRevealed() {
      set({ testReveals: get().testReveals + 1 })
      if (get().project) void get().refreshRows()
    },
  }
}

/** The app slice; it also points the client's `request` failures at its error banner. */
export const createAppSlice: StateCreator<Store, [], [], AppSlice> = (set, get, api) => {
  reportErrorsTo((message) => get().showError(message))
  return { ...initialApp, ...projectActions(set, get, api), ...windowActions(set, get), ...eventActions(set, get) }
}

/** Selectors of the app slice. */
export const appSelectors = {
  /** The open project's read-only reason, or null when it may be written. */
  readOnly: (s: Pick<AppSlice, 'project'>): string | null => s.project?.readOnly ?? null,
}
