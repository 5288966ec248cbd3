import { useEffect, useRef, useState } from 'react'
import { ERROR_POLICY_NAMES } from '../../../shared/calibrate'
import type { ExportKind } from '../../../shared/export'
import { ERROR_POLICIES, type ErrorPolicy } from '../../../shared/stats'
import { call, errorText } from '../../api'
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
  const shell = useStore((s) => s.shell)
  const [what, setWhat] = useState<ExportKind>('items')
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv')
  const [judges, setJudges] = useState<string[]>([])
  const [judge, setJudge] = useState('')
  const [errors, setErrors] = useState<ErrorPolicy>('exclude')
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLInputElement>(null)

  useEffect(() => first.current?.focus(), [])
  useEffect(() => {
    call('judges.list', {}).then(
      (list) => {
        setJudges(list.map((j) => j.name))
        setJudge((j) => j || list[0]?.name || '')
      },
      () => setJudges([]),
    )
  }, [])

  const run = async () => {
    if (busy) return
    if (what === 'judgy' && !judge) {
      setStatus({
        ok: false,
        message: "This project has no judge yet: judgy's arrays are a judge's verdicts beside your labels.",
      })
      return
    }
    setBusy(true)
    setStatus({ ok: true, message: shell === 'electron' ? 'Choose where to save it…' : 'Preparing the download…' })
    try {
      const result = await call('export.run', { what, format, errors, ...(what === 'judgy' ? { judge } : {}) })
      if (result.via === 'cancelled') setStatus(null)
      else if (result.via === 'saved') setStatus({ ok: true, message: result.message })
      else {
        const a = document.createElement('a')
        a.href = result.url
        a.download = result.filename
        a.click()
        setStatus({
          ok: true,
          message: [`Downloading ${result.filename} (your browser saves it).`, result.message]
            .filter(Boolean)
            .join(' '),
        })
      }
    } catch (error) {
      setStatus({ ok: false, message: errorText(error) })
    } finally {
      setBusy(false)
    }
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
              onChange={(e) => setFormat(e.target.value as 'csv' | 'jsonl')}
              data-testid="export-format"
            >
              <option value="csv">CSV</option>
              <option value="jsonl">JSON Lines</option>
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
