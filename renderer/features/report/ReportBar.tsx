import type { ReportFormat } from '../../../shared/report/data'
import { INTERVAL_METHODS, type ErrorPolicy } from '../../../shared/stats'
import { ErrorPolicyField } from '../../components/ErrorPolicyField'
import { useStore } from '../../store'
import { selectReportJudges } from '../../store/slices/report'

const FORMATS: { format: ReportFormat; name: string; key: string }[] = [
  { format: 'html', name: 'HTML', key: 'h' },
  { format: 'pdf', name: 'PDF', key: 'p' },
  { format: 'md', name: 'Markdown', key: 'm' },
  { format: 'json', name: 'JSON', key: 'j' },
]

/** The Report screen's choices (judges, interval, error policy) and its export buttons. */
export function ReportBar({
  choice,
  onJudge,
  onMethod,
  onErrors,
  saving,
  onSave,
}: {
  choice: { judge: string; method: string; errors: ErrorPolicy }
  onJudge: (judge: string) => void
  onMethod: (method: string) => void
  onErrors: (errors: ErrorPolicy) => void
  saving: ReportFormat | null
  onSave: (format: ReportFormat) => void
}) {
  const judges = useStore(selectReportJudges)
  return (
    <header className="calibrate-bar">
      <label>
        Judges
        <select value={choice.judge} onChange={(e) => onJudge(e.target.value)} data-testid="report-judge">
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
        <select value={choice.method} onChange={(e) => onMethod(e.target.value)}>
          {INTERVAL_METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <ErrorPolicyField value={choice.errors} onChange={onErrors} testId="report-errors" />
      <div className="setup-actions">
        {FORMATS.map(({ format, name, key }) => (
          <button
            key={format}
            className={format === 'html' ? 'primary' : undefined}
            onClick={() => onSave(format)}
            disabled={saving !== null}
          >
            {name} <kbd>{key}</kbd>
          </button>
        ))}
        {saving && <span className="muted">Writing the {saving.toUpperCase()}…</span>}
      </div>
      <span className="hint">
        Making a report shows test results (recorded). Labels, notes, verdicts and splits, and judgy's arrays: File →
        Export…, or <kbd>e</kbd> on the Data screen (the same files as <code>assay export</code>).
      </span>
    </header>
  )
}
