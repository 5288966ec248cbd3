import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Output } from '../../../shared/contract'
import type {
  DetectedInfo,
  ExistingPolicy,
  ImportReport,
  Mapping,
  OfferedLabel,
  PreviewResult,
  SplitName,
} from '../../../shared/import'
import { ORDER_SOURCE } from '../../../shared/taxonomy-report'
import { call } from '../../api'
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { MappingForm } from './MappingForm'

type Detected = Output<'import.detect'>
type Phase =
  | { kind: 'source' }
  | { kind: 'map'; detected: DetectedInfo }
  | { kind: 'running' }
  | { kind: 'done'; report: ImportReport; detected: DetectedInfo }

const FORMATS: { value: DetectedInfo['format']; label: string }[] = [
  { value: 'csv', label: 'CSV / TSV' },
  { value: 'jsonl', label: 'JSON Lines' },
  { value: 'json-array', label: 'JSON array of records' },
  { value: 'json-records', label: 'JSON object holding records' },
  { value: 'json-columns', label: 'pandas column-oriented JSON' },
]

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
  const canPickFiles = useStore((s) => s.canPickFiles)
  const progress = useStore((s) => s.progress)
  const resetItems = useStore((s) => s.resetItems)
  const readOnly = useStore((s) => s.project?.readOnly ?? null)
  const [phase, setPhase] = useState<Phase>({ kind: 'source' })
  const [path, setPath] = useState(initialPath ?? '')
  const [mapping, setMapping] = useState<Mapping | null>(null)
  const [preview, setPreview] = useState<PreviewResult | null>(null)
  const [offered, setOffered] = useState<OfferedLabel[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const [options, setOptions] = useState({
    datasetName: '',
    onError: 'abort' as 'abort' | 'skip',
    duplicates: 'abort' as 'abort' | 'skip' | 'replace' | 'keep-both',
    existing: 'join' as ExistingPolicy,
    split: null as SplitName | null,
  })
  const previewSeq = useRef(0)

  const detect = async (override?: Pick<DetectedInfo, 'format' | 'delimiter'>) => {
    setProblem(null)
    try {
      const result: Detected = await call('import.detect', { path: path.trim(), ...override })
      setPhase({ kind: 'map', detected: result.detected })
      setMapping(result.mapping)
      setOffered(result.offered)
      setPreview(result.preview)
      setOptions((o) => ({ ...o, datasetName: o.datasetName || result.detected.path.split(/[/\\]/).pop() || '' }))
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }

  useEffect(() => {
    if (initialPath) void detect()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  // Re-preview whenever the mapping changes (latest answer wins).
  useEffect(() => {
    if (phase.kind !== 'map' || !mapping) return
    const seq = ++previewSeq.current
    const { detected } = phase
    const timer = setTimeout(() => {
      call('import.preview', {
        path: detected.path,
        format: detected.format,
        delimiter: detected.delimiter,
        mapping,
      }).then(
        (result) => seq === previewSeq.current && setPreview(result),
        (error: unknown) =>
          seq === previewSeq.current && setProblem(error instanceof Error ? error.message : String(error)),
      )
    }, 150)
    return () => clearTimeout(timer)
  }, [mapping, phase])

  const run = async () => {
    if (phase.kind !== 'map' || !mapping) return
    const { detected } = phase
    setPhase({ kind: 'running' })
    setProblem(null)
    try {
      const report = await call('import.run', {
        path: detected.path,
        format: detected.format,
        delimiter: detected.delimiter,
        mapping,
        datasetName: options.datasetName.trim() || undefined,
        onError: options.onError,
        duplicates: options.duplicates,
        existing: options.existing,
        split: options.split,
        offered,
      })
      setPhase({ kind: 'done', report, detected })
      if (report.committed) void resetItems('')
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error))
      setPhase({ kind: 'map', detected })
    }
  }

  /** Puts an offered label column back into the mapping. */
  const takeOffered = (o: OfferedLabel) => {
    setMapping(
      (m) =>
        m && {
          ...m,
          labels: [...m.labels, { field: o.field, criterion: o.criterion, note: null, annotator: 'imported' }],
          ignore: (m.ignore ?? []).filter((f) => f !== o.field),
        },
    )
    setOffered((list) => list.filter((x) => x !== o))
  }

  useKeyAction('import.run', () => void run(), phase.kind === 'map')
  useKeyAction('import.close', () => (phase.kind === 'running' ? void call('import.cancel', {}) : onClose()))

  const pick = async () => {
    const { path: picked } = await call('import.pick', {})
    if (picked) setPath(picked)
  }
  const submitSource = (event: FormEvent) => {
    event.preventDefault()
    if (path.trim()) void detect()
  }

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

      {(phase.kind === 'source' || phase.kind === 'map') && (
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
      )}

      {phase.kind === 'map' && mapping && (
        <>
          <div className="import-detected">
            <label className="map-field">
              <span>Format</span>
              <select
                aria-label="Format"
                value={phase.detected.format}
                onChange={(e) =>
                  void detect({ format: e.target.value as DetectedInfo['format'], delimiter: phase.detected.delimiter })
                }
              >
                {FORMATS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
            {phase.detected.format === 'csv' && (
              <label className="map-field">
                <span>Delimiter</span>
                <select
                  aria-label="Delimiter"
                  value={phase.detected.delimiter ?? ','}
                  onChange={(e) =>
                    void detect({ format: 'csv', delimiter: e.target.value as DetectedInfo['delimiter'] })
                  }
                >
                  <option value=",">comma</option>
                  <option value=";">semicolon</option>
                  <option value={'\t'}>tab</option>
                  <option value="|">pipe</option>
                </select>
              </label>
            )}
            <p className="muted">
              {phase.detected.columns.length} fields · {fileSize(phase.detected.size)}
              {phase.detected.notes.length > 0 && ` · ${phase.detected.notes.join(' · ')}`}
            </p>
          </div>
          <MappingForm
            columns={phase.detected.columns}
            mapping={mapping}
            onChange={setMapping}
            offered={offered.length > 0 && <OfferedLabels offered={offered} onTake={takeOffered} />}
          />
          {preview && <PreviewTable preview={preview} />}
          <div className="import-options">
            {!preview?.join && (
              <label className="map-field">
                <span>Dataset name</span>
                <input
                  aria-label="Dataset name"
                  value={options.datasetName}
                  onChange={(e) => setOptions({ ...options, datasetName: e.target.value })}
                />
              </label>
            )}
            {!preview?.join && (
              <label
                className="map-field"
                title="A row whose id is an item of the project already adds its labels, verdicts, split and new metadata to that item; its trace, if different, is reported and the stored one kept."
              >
                <span>Rows whose id is in the project</span>
                <select
                  aria-label="Rows whose id is in the project"
                  value={options.existing}
                  onChange={(e) => {
                    const existing = e.target.value as ExistingPolicy
                    setOptions({ ...options, existing })
                    // A copy makes new items: the labels a verdicts file carries are theirs, not a repeat.
                    if (existing === 'copy') for (const o of offered) takeOffered(o)
                  }}
                >
                  <option value="join">add to those items</option>
                  <option value="copy">import a copy (new items)</option>
                </select>
              </label>
            )}
            <label
              className="map-field"
              title="Puts every item of this file that has a human label in that split, on each criterion the file labels or judges (e.g. the file of your test set)."
            >
              <span>These items are</span>
              <select
                aria-label="These items are"
                value={options.split ?? ''}
                onChange={(e) =>
                  setOptions({ ...options, split: e.target.value === '' ? null : (e.target.value as SplitName) })
                }
              >
                <option value="">placed in splits by Assay</option>
                <option value="train">the train set</option>
                <option value="dev">the dev set</option>
                <option value="test">the test set</option>
              </select>
            </label>
            <label className="map-field">
              <span>Bad rows</span>
              <select
                aria-label="Bad rows"
                value={options.onError}
                onChange={(e) => setOptions({ ...options, onError: e.target.value as 'abort' | 'skip' })}
              >
                <option value="abort">stop and import nothing</option>
                <option value="skip">skip them (counted and listed)</option>
              </select>
            </label>
            <label className="map-field">
              <span>Duplicate ids</span>
              <select
                aria-label="Duplicate ids"
                value={options.duplicates}
                onChange={(e) => setOptions({ ...options, duplicates: e.target.value as typeof options.duplicates })}
              >
                <option value="abort">stop and import nothing</option>
                <option value="skip">keep the first, skip the rest</option>
                <option value="replace">keep the last</option>
                <option value="keep-both">keep all (suffix #2, #3…)</option>
              </select>
            </label>
            <button className="primary" onClick={() => void run()}>
              {preview?.join ||
              (preview &&
                preview.matched === preview.rows.length &&
                preview.rows.length > 0 &&
                options.existing === 'join')
                ? 'Add to existing items'
                : 'Import'}{' '}
              <kbd>Ctrl/⌘+Enter</kbd>
            </button>
          </div>
        </>
      )}

      {phase.kind === 'running' && (
        <div className="import-running" aria-live="polite">
          <progress value={progress?.done ?? 0} max={progress?.total ?? undefined} />
          <p>{progress?.detail ?? 'Starting…'}</p>
          <button onClick={() => void call('import.cancel', {})}>Cancel (Esc)</button>
        </div>
      )}

      {phase.kind === 'done' && (
        <ReportView
          report={phase.report}
          onClose={onClose}
          onBack={() =>
            setPhase(phase.report.committed ? { kind: 'source' } : { kind: 'map', detected: phase.detected })
          }
        />
      )}
    </section>
  )
}

/** Label columns the suggestion left out (a verdicts file repeating its set's labels), each with a way to take it. */
function OfferedLabels({ offered, onTake }: { offered: OfferedLabel[]; onTake: (o: OfferedLabel) => void }) {
  return (
    <div className="import-offered" role="note">
      <h4>Found, not imported unless you choose</h4>
      {offered.map((o) => (
        <p key={o.field}>
          Column <code>{o.field}</code>: {o.why.replace(/ \(to import them too.*\)$/, '')}.{' '}
          <button type="button" onClick={() => onTake(o)}>
            Import these labels too
          </button>
        </p>
      ))}
    </div>
  )
}

function PreviewTable({ preview }: { preview: PreviewResult }) {
  return (
    <div className="import-preview">
      <h3>
        Preview: the first {preview.rows.length} rows as they will be imported
        {preview.join && ' (added to existing items with the same id)'}
      </h3>
      {!preview.join && preview.matched > 0 && (
        <p className="import-note" data-testid="import-matched">
          {preview.matched} of these {preview.rows.length} rows name items the project has already: their labels,
          verdicts and split go to those items (or import a copy, below).
        </p>
      )}
      {preview.errors.length > 0 && <ErrorList errors={preview.errors} title="Problems in these rows" />}
      <table>
        <thead>
          <tr>
            <th>Line</th>
            <th>Id</th>
            <th>Kind</th>
            <th>Input</th>
            <th>Output</th>
            <th>Labels</th>
            <th>Judge verdicts</th>
            <th>Split</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={`${r.line}-${r.externalId}`}>
              <td>{r.line}</td>
              <td className="mono">{r.externalId}</td>
              <td>
                {r.kind}
                {r.messages > 0 && ` · ${r.messages} messages`}
                {r.steps.length > 0 && ` · ${r.steps.join(' → ')}`}
              </td>
              <td className="clip">{r.input}</td>
              <td className="clip">{r.output}</td>
              <td>
                {r.labels
                  .map((l) => `${l.criterion}: ${l.verdict}${l.states ? ` (${l.states})` : ''}${l.note ? ' ✎' : ''}`)
                  .join(', ')}
              </td>
              <td>{r.verdicts.map((v) => `${v.judge}: ${v.verdict}`).join(', ')}</td>
              <td>{r.split ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ErrorList({ errors, title }: { errors: { line: number; column?: string; message: string }[]; title: string }) {
  return (
    <div className="import-errors">
      <h4>{title}</h4>
      <table>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>line {e.line}</td>
              <td>{e.column ?? ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ReportView({ report, onClose, onBack }: { report: ImportReport; onClose: () => void; onBack: () => void }) {
  const done = [
    report.imported > 0 ? `Imported ${report.imported.toLocaleString()} new items into “${report.dataset}”.` : '',
    report.matched.count > 0 ? `Added to ${report.matched.count.toLocaleString()} items the project had already.` : '',
  ].filter(Boolean)
  const outcome = report.committed
    ? done.join(' ') || 'Nothing to add: every row was there already.'
    : report.cancelled
      ? 'Cancelled: nothing was imported.'
      : 'Stopped: nothing was imported. Fix what is listed below, or choose to skip bad rows or duplicates.'
  const ids = (l: { count: number; ids: string[] }) => `${l.ids.slice(0, 5).join(', ')}${l.count > 5 ? '…' : ''}`
  return (
    <div className="import-report" data-testid="import-report">
      <h3>{outcome}</h3>
      <p>
        {report.rows.toLocaleString()} rows read · {report.skipped.toLocaleString()} skipped ·{' '}
        {report.errorCount.toLocaleString()} problems
        {report.duplicates.count > 0 && ` · ${report.duplicates.count} duplicate ids (${ids(report.duplicates)})`}
        {report.unmatched.count > 0 && ` · ${report.unmatched.count} ids match no item (${ids(report.unmatched)})`}
        {report.idsGenerated && ' · ids generated (no id column): row-<line>'}
      </p>
      {report.committed && report.columns.length > 0 && (
        <table className="import-columns">
          <thead>
            <tr>
              <th>Column</th>
              <th>Became</th>
              <th>pass</th>
              <th>fail</th>
              <th>error</th>
              <th>defer</th>
              <th>empty</th>
              <th>added</th>
              <th>already there</th>
            </tr>
          </thead>
          <tbody>
            {report.columns.map((c) => (
              <tr key={`${c.kind}-${c.field}`}>
                <td className="mono">{c.field}</td>
                <td>
                  {c.kind === 'label' ? `labels of “${c.criterion}”` : `verdicts of ${c.judge} ${c.version ?? ''}`}
                </td>
                <td>{c.pass}</td>
                <td>{c.fail}</td>
                <td>{c.error}</td>
                <td>{c.defer}</td>
                <td>{c.empty}</td>
                <td>{c.added}</td>
                <td>{c.unchanged}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.committed && report.states && <StatesReport states={report.states} />}
      {report.notJudged.count > 0 && (
        <p>
          {report.notJudged.count} labeled item{report.notJudged.count === 1 ? '' : 's'} of the datasets this file
          joined got no verdict from it: {ids(report.notJudged)}
        </p>
      )}
      {report.warnings.map((w) => (
        <p key={w} className="import-warning" role="alert">
          {w}
        </p>
      ))}
      {report.offered.map((o) => (
        <p key={o.field} className="muted">
          Not imported: column <code>{o.field}</code> — {o.why}.
        </p>
      ))}
      {report.errors.length > 0 && (
        <ErrorList
          errors={report.errors}
          title={`Problems (${report.errors.length < report.errorCount ? `first ${report.errors.length} of ` : ''}${report.errorCount})`}
        />
      )}
      <div className="import-options">
        <button onClick={onBack}>{report.committed ? 'Import another file' : 'Back to the mapping'}</button>
        <button className="primary" onClick={onClose} autoFocus>
          {report.committed ? 'Show the items' : 'Close'}
        </button>
      </div>
    </div>
  )
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`
}

/** What the step-wise columns held and wrote, and the state order the project now has (as the Analyze screen draws it). */
function StatesReport({ states }: { states: NonNullable<ImportReport['states']> }) {
  const fields = [states.lastSuccess, states.firstFailure].filter(Boolean).join(', ')
  const held = [
    [states.failed, 'with a first failing state (a fail)'],
    [states.lastOnly, 'with a last successful state only'],
    [states.empty, 'empty'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`)
  return (
    <div className="import-states" data-testid="import-states">
      <p>
        <code>{fields}</code> → step-wise labels of “{states.criterion}”: {held.join(', ') || 'no values'};{' '}
        {states.added} added
        {states.unchanged > 0 && `, ${states.unchanged} already there`}.
      </p>
      <p>
        State order ({ORDER_SOURCE[states.orderSource]}): {states.order.join(' → ')}
      </p>
      {states.unfixed.length > 0 && (
        <p className="muted">
          The data does not order{' '}
          {states.unfixed
            .slice(0, 5)
            .map(([a, b]) => `${a} and ${b}`)
            .join('; ')}
          {states.unfixed.length > 5 ? '; …' : ''}: give the order under “State order” in the mapping and import again.
        </p>
      )}
    </div>
  )
}
