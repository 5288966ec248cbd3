import { useEffect, useState } from 'react'
import type { ReportData, ReportFormat } from '../../../shared/report/data'
import { ReportDocument } from '../../../shared/report/Document'
import { ERROR_POLICY_NAMES } from '../../../shared/calibrate'
import { ERROR_POLICIES, INTERVAL_METHODS, type ErrorPolicy } from '../../../shared/stats'
import { call, errorText } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

/**
 * Report (DESIGN §3.7): a live preview of the calibration report — the same React document the
 * exported HTML is rendered from — and its exports: HTML, PDF, Markdown, JSON.
 */
export function ReportScreen() {
  const showError = useStore((s) => s.showError)
  const labelsVersion = useStore((s) => s.labelsVersion)
  const [data, setData] = useState<ReportData | null>(null)
  const [judge, setJudge] = useState('')
  const [judges, setJudges] = useState<string[]>([])
  const [method, setMethod] = useState('lang-reiczigel')
  const [errors, setErrors] = useState<ErrorPolicy>('exclude')
  const [saving, setSaving] = useState<string | null>(null)

  useEffect(() => {
    call('judges.list', {}).then(
      (list) => setJudges(list.map((j) => j.name)),
      () => undefined,
    )
  }, [])
  // A report shows every chosen judge's test results, and viewing them is recorded (the test
  // lock): it is built when asked for, then follows label changes.
  const [built, setBuilt] = useState(false)
  const request = { ...(judge ? { judge } : {}), method, errors }
  useEffect(() => {
    if (!built) return
    call('report.get', request).then(setData, (error: unknown) => showError(errorText(error)))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [built, judge, method, errors, labelsVersion, showError])

  const save = async (format: ReportFormat) => {
    setSaving(format)
    try {
      const file = await call('report.render', { ...request, format })
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
      const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }))
      const a = document.createElement('a')
      a.href = url
      a.download = file.filename
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (error) {
      showError(errorText(error))
    } finally {
      setSaving(null)
    }
  }
  useKeyAction('report.build', () => setBuilt(true), !built)
  useKeyAction('report.html', () => void save('html'))
  useKeyAction('report.pdf', () => void save('pdf'))
  useKeyAction('report.md', () => void save('md'))
  useKeyAction('report.json', () => void save('json'))
  useKeyAction('report.errors', () =>
    setErrors(ERROR_POLICIES[(ERROR_POLICIES.indexOf(errors) + 1) % ERROR_POLICIES.length]),
  )

  return (
    <div className="report-screen">
      <header className="calibrate-bar">
        <label>
          Judges
          <select value={judge} onChange={(e) => setJudge(e.target.value)} data-testid="report-judge">
            <option value="">every judge</option>
            {judges.map((j) => (
              <option key={j} value={j}>
                {j}
              </option>
            ))}
          </select>
        </label>
        <label>
          Interval
          <select value={method} onChange={(e) => setMethod(e.target.value)}>
            {INTERVAL_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>
            Error verdicts <kbd>e</kbd>
          </span>
          <select value={errors} onChange={(e) => setErrors(e.target.value as ErrorPolicy)} data-testid="report-errors">
            {ERROR_POLICIES.map((p) => (
              <option key={p} value={p}>
                {ERROR_POLICY_NAMES[p]}
              </option>
            ))}
          </select>
        </label>
        <div className="setup-actions">
          <button className="primary" onClick={() => void save('html')} disabled={saving !== null}>
            HTML <kbd>h</kbd>
          </button>
          <button onClick={() => void save('pdf')} disabled={saving !== null}>
            PDF <kbd>p</kbd>
          </button>
          <button onClick={() => void save('md')} disabled={saving !== null}>
            Markdown <kbd>m</kbd>
          </button>
          <button onClick={() => void save('json')} disabled={saving !== null}>
            JSON <kbd>j</kbd>
          </button>
          {saving && <span className="muted">Writing the {saving.toUpperCase()}…</span>}
        </div>
        <span className="hint">
          Making a report shows test results (recorded). Labels, notes, verdicts and splits, and judgy's arrays: File →
          Export…, or <kbd>e</kbd> on the Data screen (the same files as <code>assay export</code>).
        </span>
      </header>
      <div className="report-preview" data-testid="report-preview">
        {data ? (
          <ReportDocument data={data} />
        ) : built ? (
          <p className="muted report-intro">Building the report…</p>
        ) : (
          <div className="report-intro">
            <p>
              The report shows each judge's test-split results (matrices, TPR/TNR, the corrected success rate). Building
              it records that they were viewed, like <kbd>t</kbd> on Calibrate: after that, changing a judge warns that
              its test numbers are no longer an unbiased measure.
            </p>
            <button className="primary" onClick={() => setBuilt(true)}>
              Build the report <kbd>b</kbd>
            </button>
          </div>
        )}
      </div>
    </div>
  )
}
