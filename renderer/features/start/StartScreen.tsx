import { useState, type FormEvent } from 'react'
import { call } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

/** Start: recent projects, New, Open, and the demo project. */
export function StartScreen() {
  const { recent, canPickFiles, busy, project, demoPath, openProject, setScreen } = useStore()
  const [asking, setAsking] = useState<'open' | 'create' | null>(null)
  // Opening the demo leaves the open project for another file: asked first, naming both.
  const [demoQuestion, setDemoQuestion] = useState(false)

  const choose = async (mode: 'open' | 'create') => {
    if (!canPickFiles) {
      setAsking(mode)
      return
    }
    const { path } = await call('project.pick', { mode })
    if (path) await openProject(() => call(mode === 'open' ? 'project.open' : 'project.create', { path }))
  }
  const openRecent = (index: number) => {
    const target = recent[index]
    if (target?.exists) void openProject(() => call('project.open', { path: target.path }))
  }

  const openDemo = () => {
    setDemoQuestion(false)
    void openProject(() => call('project.openDemo', {}))
  }
  const askDemo = () => {
    if (project && project.path === demoPath) setScreen('data')
    else if (project) setDemoQuestion(true)
    else openDemo()
  }
  const idle = !asking && !demoQuestion
  useKeyAction('start.demo', askDemo, idle)
  useKeyAction('start.demoConfirm', openDemo, demoQuestion)
  useKeyAction('start.demoCancel', () => setDemoQuestion(false), demoQuestion)
  useKeyAction('start.open', () => void choose('open'), idle)
  useKeyAction('start.new', () => void choose('create'), idle)
  useKeyAction('start.recent', (_event, key) => openRecent(Number(key) - 1), idle)

  return (
    <div className="start">
      <section className="start-intro">
        <h1>Assay</h1>
        <p>
          Label LLM traces with the keyboard, turn notes into a failure taxonomy, and calibrate LLM judges against your
          labels.
        </p>
        {project && (
          <p>
            <button className="link" onClick={() => setScreen('data')}>
              Back to {project.name} ({project.itemCount.toLocaleString()} items)
            </button>
          </p>
        )}
      </section>
      <section className="start-actions">
        <button className="primary" disabled={busy} onClick={askDemo}>
          <kbd>d</kbd> Open demo project <span className="muted">synthetic traces, labels and judge verdicts</span>
        </button>
        {demoQuestion && project && (
          <div className="demo-question" role="alertdialog" aria-labelledby="demo-question" data-testid="demo-question">
            <p id="demo-question">
              Open the demo project in place of <strong>{project.name}</strong> ({project.path})? The demo is another
              file, <code>{demoPath}</code>, with synthetic traces, labels and verdicts. {project.name} stays as it is:
              every label in it is saved.
            </p>
            <div className="setup-actions">
              <button className="primary" autoFocus onClick={openDemo}>
                <kbd>Enter</kbd> Open the demo
              </button>
              <button onClick={() => setDemoQuestion(false)}>
                <kbd>Esc</kbd> Stay in {project.name}
              </button>
            </div>
          </div>
        )}
        <button disabled={busy} onClick={() => void choose('open')}>
          <kbd>o</kbd> Open project…
        </button>
        <button disabled={busy} onClick={() => void choose('create')}>
          <kbd>n</kbd> New project…
        </button>
        {asking && <PathForm mode={asking} onDone={() => setAsking(null)} />}
      </section>
      <section className="start-recent">
        <h2>Recent projects</h2>
        {recent.length === 0 ? (
          <p className="muted">None yet. Projects you open appear here.</p>
        ) : (
          <ol>
            {recent.map((r, i) => (
              <li key={r.path}>
                <button
                  className="recent"
                  disabled={!r.exists || busy}
                  onClick={() => openRecent(i)}
                  title={r.exists ? r.path : `${r.path} no longer exists`}
                >
                  {i < 9 && <kbd>{i + 1}</kbd>}
                  <span className="recent-name">{r.name}</span>
                  {r.path === demoPath && <span className="badge synthetic">Assay's demo</span>}
                  <span className="muted recent-path">{r.exists ? r.path : `missing: ${r.path}`}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  )
}

/** Where the shell has no file dialog (`assay serve`), the user types the project's path. */
function PathForm({ mode, onDone }: { mode: 'open' | 'create'; onDone: () => void }) {
  const openProject = useStore((s) => s.openProject)
  const [path, setPath] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!path.trim()) return
    // On failure the form stays, so the path can be corrected; the banner says what was wrong.
    void openProject(() => call(mode === 'open' ? 'project.open' : 'project.create', { path: path.trim() })).then(
      (opened) => opened && onDone(),
    )
  }
  return (
    <form className="path-form" onSubmit={submit}>
      <label>
        {mode === 'open' ? 'Path of the project file to open' : 'Path of the new project file'} (on the machine running
        Assay)
        <input
          autoFocus
          value={path}
          placeholder={mode === 'open' ? '/home/me/evals/recipes.assay' : '/home/me/evals/new-project.assay'}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onDone()}
        />
      </label>
      <button type="submit">{mode === 'open' ? 'Open' : 'Create'}</button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  )
}
