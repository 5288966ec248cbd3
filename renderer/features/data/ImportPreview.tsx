import type { OfferedLabel, PreviewResult } from '../../../shared/import'
import { ErrorList } from './ImportErrors'

/** Label columns the suggestion left out (a verdicts file repeating its set's labels), each with a way to take it. */
export function OfferedLabels({ offered, onTake }: { offered: OfferedLabel[]; onTake: (o: OfferedLabel) => void }) {
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

/** The first rows of the file as the mapping imports them, with any problems in them. */
export function PreviewTable({ preview, unit }: { preview: PreviewResult; unit?: 'line' | 'row' }) {
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
      {preview.errors.length > 0 && <ErrorList errors={preview.errors} title="Problems in these rows" unit={unit} />}
      <table>
        <thead>
          <tr>
            <th>{unit === 'row' ? 'Row' : 'Line'}</th>
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
