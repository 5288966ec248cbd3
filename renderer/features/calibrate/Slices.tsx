import type { CalibrationView } from '../../../shared/calibrate'
import { f3 } from './format'

/** The production estimate per value of a metadata field. */
export function Slices({
  view,
  sliceBy,
  onSlice,
}: {
  view: CalibrationView
  sliceBy: string | null
  onSlice: (key: string | null) => void
}) {
  return (
    <section className="slices">
      <h2>
        Slices{' '}
        <select
          value={sliceBy ?? ''}
          onChange={(ev) => onSlice(ev.target.value || null)}
          aria-label="Slice by metadata field"
          data-testid="slice-by"
        >
          <option value="">(choose a metadata field)</option>
          {view.slices.keys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </h2>
      {sliceBy && view.slices.rows.length === 0 && <p className="muted">No estimate to slice yet.</p>}
      {view.slices.rows.length > 0 && (
        <table className="compare">
          <thead>
            <tr>
              <th>{sliceBy}</th>
              <th>production n</th>
              <th>raw</th>
              <th>θ̂ [interval]</th>
              <th>test items</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {view.slices.rows.map((r) => (
              <tr key={r.value}>
                <td>{r.value}</td>
                <td>{r.m}</td>
                <td>{r.m ? f3(r.k / r.m) : '—'}</td>
                <td>{r.theta !== null ? `${f3(r.theta)} [${f3(r.lower)}, ${f3(r.upper)}]` : '—'}</td>
                <td>{r.testItems}</td>
                <td className="warning small">{r.warning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
