import { useEffect } from 'react'
import { KAPPA_INTERVAL_NAME } from '../../../shared/stats/agreement'
import { useStore } from '../../store'

const fmt = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits))

/**
 * Cohen's κ with its 95% interval (the method named) for every two annotators (and blind self
 * re-labels) on a criterion.
 */
export function AgreementTable({ criterionId }: { criterionId: number }) {
  const rows = useStore((s) => s.agreement)
  const loadAgreement = useStore((s) => s.loadAgreement)
  useEffect(() => loadAgreement(criterionId), [loadAgreement, criterionId])
  if (!rows || rows.length === 0) {
    return (
      <section>
        <h2>Agreement</h2>
        <p className="muted">
          No overlap yet. Import another annotator's labels (Data → Import) or run a blind self-consistency re-label to
          see Cohen's κ here.
        </p>
      </section>
    )
  }
  return (
    <section>
      <h2>Agreement (Cohen's κ, 95% interval)</h2>
      <p className="muted small" data-testid="kappa-method">
        Interval: {KAPPA_INTERVAL_NAME}, with each annotator's Pass rate as observed. It stays honest when the two never
        disagree: few items cannot show κ = 1 for sure.
      </p>
      <table className="agreement" data-testid="agreement">
        <thead>
          <tr>
            <th>Annotators</th>
            <th>n</th>
            <th>agree</th>
            <th>κ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.a}/${r.b}`}
              title={`both pass ${r.cells.tp}, ${r.a} pass/${r.b} fail ${r.cells.fn}, ${r.a} fail/${r.b} pass ${r.cells.fp}, both fail ${r.cells.tn}`}
            >
              <td>
                {r.a} · {r.b}
              </td>
              <td>{r.n}</td>
              <td>{r.observed === null ? '—' : `${Math.round(r.observed * 100)}%`}</td>
              <td>
                {fmt(r.kappa)}{' '}
                <span className="muted">
                  [{fmt(r.lower)}, {fmt(r.upper)}]
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
