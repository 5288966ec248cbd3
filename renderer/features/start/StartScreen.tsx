import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatCount } from '../../format'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { PathForm } from './PathForm'
import { RecentProjects } from './RecentProjects'

/** Start: recent projects, New, Open, and the demo project. */
export function StartScreen() {
  const { recent, canPickFiles, busy, project, demoPath, openProject, pickProject, setScreen } = useStore(
    useShallow((s) => ({
      recent: s.recent,
      canPickFiles: s.canPickFiles,
      busy: s.busy,
      project: s.project,
      demoPath: s.demoPath,
      openProject: s.openProject,
      pickProject: s.pickProject,
      setScreen: s.setScreen,
    })),
  )
  const [asking, setAsking] = useState<'open' | 'create' | null>(null)
  // Opening the demo leaves the open project for another file: asked first, naming both.
  const [demoQuestion, setDemoQuestion] = useState(false)

  const choose = async (mode: 'open' | 'create') => {
    if (!canPickFiles) {
      setAsking(mode)
      return
    }
    const path = await pickProject(mode)
    if (path) await openProject(mode === 'open' ? 'project.open' : 'project.create', { path })
  }
  const openRecent = (index: number) => {
    const target = recent.at(index)
    if (target?.exists) void openProject('project.open', { path: target.path })
  }

  const openDemo = () => {
    setDemoQuestion(false)
    void openProject('project.openDemo', {})
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
              Back to {project.name} ({formatCount(project.itemCount)} items)
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
        {project && (
          <button disabled={busy} onClick={() => useStore.getState().setMergeOpen(true)} data-testid="start-merge">
            Merge another copy into {project.name}…{' '}
            <span className="muted">an annotator&apos;s labels, failure modes and judge versions</span>
          </button>
        )}
        {asking && <PathForm mode={asking} onDone={() => setAsking(null)} />}
      </section>
      <RecentProjects onOpen={openRecent} />
    </div>
  )
}
