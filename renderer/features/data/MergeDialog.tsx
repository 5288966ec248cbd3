import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatMergeReport } from '../../../shared/merge-report'
import { useKeyAction, useModalKeys } from '../../keyboard'
import { useStore } from '../../store'

/**
 * File → Merge project… (and the Start screen's button): another annotator's copy of the project
 * merged into the open one, as `assay merge` does. The desktop app picks the file with its dialog;
 * `assay serve` takes a path on the machine it runs on, like its other file fields. The report is
 * the same text the command prints.
 */
export function MergeDialog({ onClose }: { onClose: () => void }) {
  const { canPickFiles, merging, report, error, pick, run } = useStore(
    useShallow((s) => ({
      canPickFiles: s.canPickFiles,
      merging: s.merging,
      report: s.mergeReport,
      error: s.mergeError,
      pick: s.pickMergeSource,
      run: s.runMerge,
    })),
  )
  const [path, setPath] = useState('')
  const field = useRef<HTMLInputElement>(null)
  useEffect(() => field.current?.focus(), [])

  const merge = () => {
    if (path.trim()) void run(path.trim())
  }
  const choose = async () => {
    const chosen = await pick()
    if (chosen) setPath(chosen)
  }
  useModalKeys()
  useKeyAction('merge.run', merge)
  useKeyAction('merge.close', onClose)

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="merge-title">
      <form
        className="overlay-panel export-dialog"
        onSubmit={(e) => {
          e.preventDefault()
          merge()
        }}
      >
        <div className="overlay-head">
          <h2 id="merge-title">Merge a project into this one</h2>
          <button type="button" onClick={onClose}>
            Close (Esc)
          </button>
        </div>
        <p className="hint">
          Items by id, labels with their annotator and time, failure modes by name, judge versions by content. Merging
          the same project again changes nothing; an item whose trace differs is reported and left out. All or nothing:
          if anything fails, this project stays as it was.
        </p>
        <label>
          Project file (.assay){canPickFiles ? '' : ' on the machine running Assay'}
          <span className="row-fields">
            <input
              ref={field}
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/path/to/annotator.assay"
              data-testid="merge-path"
            />
            {canPickFiles && (
              <button type="button" onClick={() => void choose()}>
                Choose…
              </button>
            )}
          </span>
        </label>
        <div className="setup-actions">
          <button type="submit" className="primary" disabled={merging || !path.trim()}>
            Merge <kbd>Ctrl+Enter</kbd>
          </button>
          <span className="hint">
            The same as <code>assay merge THIS-PROJECT {path.trim() || 'OTHER'}</code>
          </span>
        </div>
        {merging && <p role="status">Merging…</p>}
        {error && (
          <p role="alert" className="error" data-testid="merge-error">
            {error}
          </p>
        )}
        {report && (
          <pre className="merge-report" data-testid="merge-report">
            {formatMergeReport(report)}
          </pre>
        )}
      </form>
    </div>
  )
}
