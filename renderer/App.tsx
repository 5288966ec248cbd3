import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { subscribe } from './api'
import { DataScreen, ImportWizard } from './features/data/DataScreen'
import { StartScreen } from './features/start/StartScreen'
import { useFileDrop } from './features/data/file-drop'
import { useKeyAction } from './keyboard'
import { LazyBoundary, lazyComponent, preloadWhenIdle } from './lazy'
import { useStore, type Screen } from './store'
import { useTheme } from './theme'

// The Data and Start screens come with the first load (a project opens on Data); every other
// screen and dialog is a chunk of its own, fetched in the background once the first screen shows.
const LabelScreen = lazyComponent(() => import('./features/label/LabelScreen').then((m) => m.LabelScreen))
const AnalyzeScreen = lazyComponent(() => import('./features/analyze/AnalyzeScreen').then((m) => m.AnalyzeScreen))
const JudgesScreen = lazyComponent(() => import('./features/judges/JudgesScreen').then((m) => m.JudgesScreen))
const CalibrateScreen = lazyComponent(() =>
  import('./features/calibrate/CalibrateScreen').then((m) => m.CalibrateScreen),
)
const ReportScreen = lazyComponent(() => import('./features/report/ReportScreen').then((m) => m.ReportScreen))
const SettingsScreen = lazyComponent(() => import('./features/settings/SettingsScreen').then((m) => m.SettingsScreen))
const ExportDialog = lazyComponent(() => import('./features/data/ExportDialog').then((m) => m.ExportDialog))
const MergeDialog = lazyComponent(() => import('./features/data/MergeDialog').then((m) => m.MergeDialog))
const HelpOverlay = lazyComponent(() => import('./components/HelpOverlay').then((m) => m.HelpOverlay))

/** The chunks fetched once the first screen is up: Label first (labeling follows the Data screen). */
export const DEFERRED_CHUNKS = [
  LabelScreen,
  AnalyzeScreen,
  JudgesScreen,
  CalibrateScreen,
  ReportScreen,
  SettingsScreen,
  ExportDialog,
  MergeDialog,
  HelpOverlay,
  ImportWizard,
]

/** Every screen of DESIGN §3, in its order; Alt+1…Alt+8 switch to them. */
const SCREENS: { id: Screen; title: string; key: string; needsProject: boolean }[] = [
  { id: 'start', title: 'Start', key: 'Alt+1', needsProject: false },
  { id: 'data', title: 'Data', key: 'Alt+2', needsProject: true },
  { id: 'label', title: 'Label', key: 'Alt+3', needsProject: true },
  { id: 'analyze', title: 'Analyze', key: 'Alt+4', needsProject: true },
  { id: 'judges', title: 'Judges', key: 'Alt+5', needsProject: true },
  { id: 'calibrate', title: 'Calibrate', key: 'Alt+6', needsProject: true },
  { id: 'report', title: 'Report', key: 'Alt+7', needsProject: true },
  { id: 'settings', title: 'Settings', key: 'Alt+8', needsProject: false },
]

export function App() {
  const { screen, project, opening, recent, exportOpen, mergeOpen, error, helpOpen, setScreen, toggleHelp, showError } =
    useStore(
      useShallow((s) => ({
        screen: s.screen,
        project: s.project,
        opening: s.opening,
        recent: s.recent,
        exportOpen: s.exportOpen,
        mergeOpen: s.mergeOpen,
        error: s.error,
        helpOpen: s.helpOpen,
        setScreen: s.setScreen,
        toggleHelp: s.toggleHelp,
        showError: s.showError,
      })),
    )

  useEffect(() => {
    return subscribe((event) => {
      if (event.name === 'project.changed') {
        useStore.getState().projectChanged(event.payload.project)
        void useStore.getState().refreshReceiving()
      }
      if (event.name === 'collect.batch') useStore.getState().collectBatch(event.payload)
      if (event.name === 'project.problem') showError(event.payload.message)
      if (event.name === 'progress') useStore.getState().setProgress(event.payload)
      if (event.name === 'judge.run') useStore.getState().setRun(event.payload)
      if (event.name === 'labels.changed') useStore.getState().labelsChanged()
      if (event.name === 'test.revealed') useStore.getState().testRevealed()
      if (event.name === 'app.navigate') setScreen(event.payload.screen)
      if (event.name === 'app.command' && event.payload.command === 'shortcuts') toggleHelp(true)
      else if (event.name === 'app.command') {
        // The commands the menu sends: File → Export… and File → Merge Project….
        const merge = event.payload.command === 'merge'
        if (!useStore.getState().project)
          showError(
            merge
              ? 'Open a project first (Start screen): another copy is merged into the open project.'
              : 'Open a project first (Start screen): an export holds its items, labels and verdicts.',
          )
        else if (merge) useStore.getState().setMergeOpen(true)
        else useStore.getState().setExportOpen(true)
      }
    })
  }, [setScreen, showError, toggleHelp])

  useEffect(() => afterFirstScreen(() => preloadWhenIdle(DEFERRED_CHUNKS)), [])
  useTheme()
  useKeyAction('help.toggle', () => toggleHelp())
  useKeyAction('nav.start', () => setScreen('start'))
  useKeyAction('nav.data', () => setScreen('data'), project !== null)
  useKeyAction('nav.label', () => setScreen('label'), project !== null)
  useKeyAction('nav.analyze', () => setScreen('analyze'), project !== null)
  useKeyAction('nav.judges', () => setScreen('judges'), project !== null)
  useKeyAction('nav.calibrate', () => setScreen('calibrate'), project !== null)
  useKeyAction('nav.report', () => setScreen('report'), project !== null)
  useKeyAction('nav.settings', () => setScreen('settings'))

  const dragging = useFileDrop()
  const shell = useStore((s) => s.shell)
  // Two projects of one name (a served demo.assay and the app's own demo): the header says which folder.
  const sameName = project !== null && recent.some((r) => r.name === project.name && r.path !== project.path)

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Assay</span>
        <nav aria-label="Screens">
          {SCREENS.filter((s) => !s.needsProject || project).map((s) => (
            <button
              key={s.id}
              className={s.id === screen ? 'tab active' : 'tab'}
              aria-current={s.id === screen ? 'page' : undefined}
              onClick={() => setScreen(s.id)}
              title={s.key}
            >
              {s.title}
            </button>
          ))}
        </nav>
        <span className="project-name" data-testid="project-name" title={project?.path}>
          {project ? project.name : opening ? '' : 'No project open'}
          {project?.synthetic && (
            <span className="badge synthetic" title="Every trace, label and verdict in this project is made up">
              synthetic demo
            </span>
          )}
          {project?.readOnly && (
            <span className="badge readonly" title={project.readOnly}>
              read-only
            </span>
          )}
        </span>
        {sameName && (
          <span className="project-folder muted" data-testid="project-folder" title={project.path}>
            in {folderOf(project.path)}
          </span>
        )}
        <button
          className="help-button"
          onClick={() => toggleHelp()}
          title="Keyboard shortcuts (?)"
          aria-label="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </header>
      {project?.readOnly && (
        <div className="readonly-banner" role="status" data-testid="readonly-banner">
          <strong>Read-only.</strong> {project.readOnly}
        </div>
      )}
      {error && (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button onClick={() => showError(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <main className="screen">
        {/* No screen until the core has said which project is open: not the Start screen of one that is opening. */}
        {!opening && <LazyBoundary key={screen}>{screenOf(screen, project !== null)}</LazyBoundary>}
      </main>
      {dragging && (
        <div className="drop-hint" aria-hidden="true">
          {project
            ? 'Drop a trace file (CSV, TSV, JSON, JSONL) to import it'
            : 'Open or create a project to import into'}
          {shell === 'electron' ? ', or a .assay project to open it' : ''}
        </div>
      )}
      <LazyBoundary dialog>
        {exportOpen && project && <ExportDialog onClose={() => useStore.getState().setExportOpen(false)} />}
        {mergeOpen && project && <MergeDialog onClose={() => useStore.getState().setMergeOpen(false)} />}
        {helpOpen && <HelpOverlay onClose={() => toggleHelp(false)} />}
      </LazyBoundary>
    </div>
  )
}

/** The folder of a project file, as the header shows it beside a name another project shares. */
const folderOf = (path: string): string => path.replace(/[\\/][^\\/]*$/, '') || path

/** The screen shown: Start until a project is open (Settings needs none). */
function screenOf(screen: Screen, hasProject: boolean) {
  if (screen === 'settings') return <SettingsScreen />
  if (!hasProject || screen === 'start') return <StartScreen />
  if (screen === 'data') return <DataScreen />
  if (screen === 'label') return <LabelScreen />
  if (screen === 'analyze') return <AnalyzeScreen />
  if (screen === 'calibrate') return <CalibrateScreen />
  if (screen === 'report') return <ReportScreen />
  return <JudgesScreen />
}

/**
 * Runs `then` once the first screen is up: the project's first trace shown, or after two seconds
 * whatever happened (the Start screen, an empty project); returns the cancel.
 */
function afterFirstScreen(then: () => void): () => void {
  const up = (s: ReturnType<typeof useStore.getState>) => s.detail !== null
  let done = false
  const finish = () => {
    if (done) return
    done = true
    unsubscribe()
    clearTimeout(timer)
    then()
  }
  const unsubscribe = useStore.subscribe((s) => {
    if (up(s)) finish()
  })
  const timer = setTimeout(finish, 2000)
  if (up(useStore.getState())) finish()
  return () => {
    done = true
    unsubscribe()
    clearTimeout(timer)
  }
}
