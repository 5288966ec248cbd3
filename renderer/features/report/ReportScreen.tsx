import { useEffect, useState } from 'react'
import type { ReportFormat } from '../../../shared/report/data'
import { ReportDocument } from '../../../shared/report/Document'
import { ERROR_POLICIES, type ErrorPolicy } from '../../../shared/stats'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { selectReportData } from '../../store/slices/report'
import { ReportBar } from './ReportBar'

/** Saves a rendered report file through the browser's download. */
function download(file: { filename: string; mime: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = file.filename
  a.click()
  setTimeout(() => {
    URL.revokeObjectURL(url)
  }, 10_000)
}

/**
 * Report (DESIGN §3.7): a live preview of the calibration report — the same React document the
 * exported HTML is rendered from — and its exports: HTML, PDF, Markdown, JSON.
 */
export function ReportScreen() {
  const labelsVersion = useStore((s) => s.labelsVersion)
  const data = useStore(selectReportData)
  const loadReportJudges = useStore((s) => s.loadReportJudges)
  const loadReport = useStore((s) => s.loadReport)
  const renderReport = useStore((s) => s.renderReport)
  const leaveReport = useStore((s) => s.leaveReport)
  const [judge, setJudge] = useState('')
  const [method, setMethod] = useState('lang-reiczigel')
  const [errors, setErrors] = useState<ErrorPolicy>('exclude')
  const [saving, setSaving] = useState<ReportFormat | null>(null)

  useEffect(() => {
    void loadReportJudges()
    return leaveReport
  }, [loadReportJudges, leaveReport])
  // A report shows every chosen judge's test results, and viewing them is recorded (the test
  // lock): it is built when asked for, then follows label changes.
  const [built, setBuilt] = useState(false)
  useEffect(() => {
    if (built) void loadReport({ ...(judge ? { judge } : {}), method, errors })
  }, [built, judge, method, errors, labelsVersion, loadReport])

  const save = async (format: ReportFormat) => {
    setSaving(format)
    const file = await renderReport({ ...(judge ? { judge } : {}), method, errors, format })
    if (file) download(file)
    setSaving(null)
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
      <ReportBar
        choice={{ judge, method, errors }}
        onJudge={setJudge}
        onMethod={setMethod}
        onErrors={setErrors}
        saving={saving}
        onSave={(format) => void save(format)}
      />
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
