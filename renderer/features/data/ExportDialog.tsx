import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ERROR_POLICY_NAMES } from '../../../shared/calibrate'
import type { ExportFormat, ExportKind } from '../../../shared/export'
import { ERROR_POLICIES, type ErrorPolicy } from '../../../shared/stats'
import { useKeyAction, useModalKeys } from '../../keyboard'
import { useStore } from '../../store'

const KINDS: { id: ExportKind; title: string; hint: string }[] = [
  {
    id: 'items',
    title: 'Items with their current labels',
    hint: "One row per item: id, input, output, messages, steps, metadata; per criterion the current label, note, annotator, time and split; each judge version's verdict and critique. Importing it back changes nothing.",
  },
  {
    id: 'history',
    title: 'The full label history',
    hint: 'Every label ever saved, undos included (each names the label it takes back): who decided what, when.',
  },
  {
    id: 'judgy',
    title: "judgy's arrays for a judge",
    hint: "{test_labels, test_preds, unlabeled_preds}, 1 = Pass, for the judge's newest version: judgy.estimate_success_rate(...) or `assay estimate FILE --method judgy` gives the Calibrate estimate under the same error policy. They hold test results: exporting them is recorded, like t on Calibrate.",
  },
]

/**
 * File → Export… (and `e` on the Data screen): what `assay export` writes, from the app. The
 * desktop app asks where to save and writes the file there; `assay serve` hands the browser a
 * one-time download link. Either way the file streams: its size does not matter.
 */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const { shell, judges, status, busy, openExportDialog, runExport, setStatus } = useStore(
    useShallow((s) => ({
      shell: s.shell,
      judges: s.exportJudges,
      status: s.exportStatus,
      busy: s.exporting,
      openExportDialog: s.openExportDialog,
      runExport: s.runExport,
      setStatus: s.setExportStatus,
    })),
  )
  const [what, setWhat] = useState<ExportKind>('items')
  const [format, setFormat] = useState<ExportFormat>('csv')
  // The judge chosen; until one is, the first of the list.
  const [chosen, setJudge] = useState('')
  const judge = chosen || (judges[0] ?? '')
  const [errors, setErrors] = useState<ErrorPolicy>('exclude')
  const first = useRef<HTMLInputElement>(null)

  useEffect(() => first.current?.focus(), [])
  // Before the first paint: a status left from the last time it was open is not shown.
  useLayoutEffect(() => openExportDialog(), [openExportDialog])

  const run = async () => {
    if (busy) return
    if (what === 'judgy' && !judge) {
      setStatus({
        ok: false,
        message: "This project has no judge yet: judgy's arrays are a judge's verdicts beside your labels.",
      })
      return
    }
    await runExport({ what, format, errors, ...(what === 'judgy' ? { judge } : {}) })
  }
  useModalKeys()
  useKeyAction('export.run', () => void run())
  useKeyAction('export.close', onClose)

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="export-title">
      <form
        className="overlay-panel export-dialog"
        onSubmit={(e) => {
          e.preventDefault()
          void run()
        }}
      >
        <div className="overlay-head">
          <h2 id="export-title">Export</h2>
          <button type="button" onClick={onClose}>
            Close (Esc)
          </button>
        </div>
        <fieldset>
          <legend>What</legend>
          {KINDS.map((k, i) => (
            <label key={k.id} className="inline export-kind">
              <input
                ref={i === 0 ? first : undefined}
                type="radio"
                name="export-what"
                checked={what === k.id}
                onChange={() => setWhat(k.id)}
              />
              <span>
                <strong>{k.title}</strong>
                <span className="hint">{k.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {what === 'judgy' ? (
          <div className="row-fields">
            <label>
              Judge
              <select value={judge} onChange={(e) => setJudge(e.target.value)} data-testid="export-judge">
                {judges.length === 0 && <option value="">no judge yet</option>}
                {judges.map((j) => (
                  <option key={j} value={j}>
                    {j}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Error verdicts (judgy takes 0/1 only)
              <select
                value={errors}
                onChange={(e) => setErrors(e.target.value as ErrorPolicy)}
                data-testid="export-errors"
              >
                {ERROR_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {ERROR_POLICY_NAMES[p]}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : (
          <label>
            Format
            <select
              value={format}
              onChange={(e) => setFormat(e.target.value as ExportFormat)}
              data-testid="export-format"
            >
              <option value="csv">CSV</option>
              <option value="jsonl">JSON Lines</option>
              <option value="parquet">Parquet (pandas, polars)</option>
            </select>
          </label>
        )}
        <div className="setup-actions">
          <button type="submit" className="primary" disabled={busy}>
            {shell === 'electron' ? 'Save…' : 'Download'} <kbd>Ctrl+Enter</kbd>
          </button>
          <span className="hint">
            The same files as <code>assay export</code>
            {what === 'judgy' ? ' --judgy' : what === 'history' ? ' --history' : ''}.
          </span>
        </div>
        {status && (
          <p role="status" className={status.ok ? 'ok' : 'import-problem'} data-testid="export-status">
            {status.message}
          </p>
        )}
      </form>
    </div>
  )
}
