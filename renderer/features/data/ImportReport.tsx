import type { ImportReport } from '../../../shared/import'
import { ORDER_SOURCE } from '../../../shared/taxonomy-report'
import { formatCount } from '../../format'
import { useStore } from '../../store'
import { ErrorList } from './ImportErrors'

/** What an import did (or why it did nothing): counts per column, warnings, problems, and what next. */
export function ReportView({
  report,
  onClose,
  unit,
}: {
  report: ImportReport
  onClose: () => void
  unit?: 'line' | 'row'
}) {
  const onBack = useStore((s) => s.backFromReport)
  const done = [
    report.imported > 0 ? `Imported ${formatCount(report.imported)} new items into “${report.dataset}”.` : '',
    report.matched.count > 0 ? `Added to ${formatCount(report.matched.count)} items the project had already.` : '',
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
        {formatCount(report.rows)} rows read · {formatCount(report.skipped)} skipped · {formatCount(report.errorCount)}{' '}
        problems
        {report.duplicates.count > 0 &&
          ` · ${formatCount(report.duplicates.count)} duplicate ids (${ids(report.duplicates)})`}
        {report.unmatched.count > 0 &&
          ` · ${formatCount(report.unmatched.count)} ids match no item (${ids(report.unmatched)})`}
        {report.committed && report.idsGenerated && ' · ids generated (no id column): row-<line>'}
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
              <th title="Notes with no verdict beside them, kept as deferred labels">note, no verdict</th>
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
                <td>{c.notes}</td>
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
          unit={unit}
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

/**
 * What the step-wise columns held and wrote, and the state order the project now has (as the
 * Analyze screen draws it).
 */
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
