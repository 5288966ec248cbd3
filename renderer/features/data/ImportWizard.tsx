import { useEffect, useLayoutEffect, useState, type SyntheticEvent } from 'react'
import type { DetectedInfo } from '../../../shared/import'
import { useShallow } from 'zustand/react/shallow'
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice'
import { useKeyAction } from '../../keyboard'
import { appSelectors, useStore } from '../../store'
import { ImportDetected } from './ImportDetected'
import { ImportOptionsForm } from './ImportOptionsForm'
import { OfferedLabels, PreviewTable } from './ImportPreview'
import { ReportView } from './ImportReport'
import { MappingForm } from './MappingForm'

/**
 * Import: file → detected format → mapping with a live preview of the first rows as they will
 * be imported → one atomic import with progress and cancel → a report of what happened.
 */
export function ImportWizard({
  onClose,
  initialPath = null,
}: {
  onClose: () => void
  /** A file dropped on the window: detected at once. */ initialPath?: string | null
}) {
  const readOnly = useStore(appSelectors.readOnly)
  const { phase, mapping, problem, startImport, schedulePreview, runImport, cancelImport } = useStore(
    useShallow((s) => ({
      phase: s.importPhase,
      mapping: s.importMapping,
      problem: s.importProblem,
      startImport: s.startImport,
      schedulePreview: s.schedulePreview,
      runImport: s.runImport,
      cancelImport: s.cancelImport,
    })),
  )
  // The file typed or chosen: kept while the wizard is open (back from a report shows it again).
  const [path, setPath] = useState(initialPath ?? '')
  // A fresh wizard each time it opens (it is keyed by the file dropped), before the first paint.
  useLayoutEffect(() => startImport(initialPath), [startImport, initialPath])
  // Re-preview whenever the mapping changes (latest answer wins).
  useEffect(() => schedulePreview(), [schedulePreview, mapping, phase])

  useKeyAction('import.run', () => void runImport(), phase.kind === 'map')
  useKeyAction('import.close', () => (phase.kind === 'running' ? cancelImport() : onClose()))

  if (readOnly) {
    return (
      <section className="import" aria-label="Import traces">
        <header className="import-head">
          <h2>Import traces</h2>
          <button onClick={onClose}>Close (Esc)</button>
        </header>
        <ReadOnlyNotice what="Importing" reason={readOnly} />
      </section>
    )
  }

  return (
    <section className="import" aria-label="Import traces">
      <header className="import-head">
        <h2>Import traces</h2>
        <button onClick={onClose} disabled={phase.kind === 'running'}>
          Close (Esc)
        </button>
      </header>
      {problem && (
        <p className="import-problem" role="alert">
          {problem}
        </p>
      )}
      {(phase.kind === 'source' || phase.kind === 'map') && <ImportMapping path={path} setPath={setPath} />}
      {phase.kind === 'running' && <ImportRunning onCancel={cancelImport} />}
      {phase.kind === 'done' && (
        <ReportView report={phase.report} onClose={onClose} unit={recordUnit(phase.detected.format)} />
      )}
    </section>
  )
}

/** The file to read and, once read, its format, the mapping, the preview and the options. */
function ImportMapping({ path, setPath }: { path: string; setPath: (path: string) => void }) {
  const { phase, mapping, preview, offered, arrays, canPickFiles } = useStore(
    useShallow((s) => ({
      phase: s.importPhase,
      mapping: s.importMapping,
      preview: s.importPreview,
      offered: s.importOffered,
      arrays: s.importArrays,
      canPickFiles: s.canPickFiles,
    })),
  )
  const { detectImport, pickImportFile, setImportMapping, takeOffered } = useStore.getState()
  const pick = async () => {
    const picked = await pickImportFile()
    if (picked) setPath(picked)
  }
  const submitSource = (event: SyntheticEvent) => {
    event.preventDefault()
    if (path.trim()) void detectImport(path)
  }
  return (
    <>
      <form className="import-source" onSubmit={submitSource}>
        <label>
          File to import (CSV, TSV, JSON, JSONL{canPickFiles ? '' : '; a path on the machine running Assay'})
          <input
            autoFocus
            aria-label="File to import"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/exports/traces.csv"
          />
        </label>
        {canPickFiles && (
          <button type="button" onClick={() => void pick()}>
            Choose…
          </button>
        )}
        <button type="submit">Read file</button>
      </form>
      {arrays && (
        <RecordsChoice
          arrays={arrays.keys}
          chosen={phase.kind === 'map' && phase.detected.path === arrays.path ? phase.detected.recordsKey : undefined}
          onChoose={(recordsKey) => void detectImport(arrays.path, { format: 'json-records', recordsKey })}
        />
      )}
      {phase.kind === 'map' && mapping && (
        <>
          <ImportDetected detected={phase.detected} onDetect={(override) => void detectImport(path, override)} />
          <MappingForm
            columns={phase.detected.columns}
            mapping={mapping}
            onChange={setImportMapping}
            offered={offered.length > 0 && <OfferedLabels offered={offered} onTake={takeOffered} />}
          />
          {preview && <PreviewTable preview={preview} unit={recordUnit(phase.detected.format)} />}
          <ImportOptionsForm />
        </>
      )}
    </>
  )
}

/** The array of a JSON object its records come from, when it holds several: the user's choice, never a guess. */
function RecordsChoice({
  arrays,
  chosen,
  onChoose,
}: {
  arrays: string[]
  chosen: string | undefined
  onChoose: (key: string) => void
}) {
  return (
    <label className="map-field import-records">
      <span>Records from</span>
      <select aria-label="Records from" value={chosen ?? ''} onChange={(e) => onChoose(e.target.value)}>
        {chosen === undefined && (
          <option value="" disabled>
            Choose the array that holds the records…
          </option>
        )}
        {arrays.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The import's progress, from its `progress` events. */
function ImportRunning({ onCancel }: { onCancel: () => void }) {
  const progress = useStore((s) => s.progress)
  return (
    <div className="import-running" aria-live="polite">
      <progress value={progress?.done ?? 0} max={progress?.total ?? undefined} />
      <p>{progress?.detail ?? 'Starting…'}</p>
      <button onClick={onCancel}>Cancel (Esc)</button>
    </div>
  )
}

/** Where a problem is: a Parquet file has rows, text files have lines. */
function recordUnit(format: DetectedInfo['format']): 'line' | 'row' {
  return format === 'parquet' ? 'row' : 'line'
}
