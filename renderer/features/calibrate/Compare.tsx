import type { CalibrationView } from '../../../shared/calibrate'
import { f3 } from './format'

/**
 * Every calibratable judge side by side, and every failure mode's estimate together with
 * simultaneous (Bonferroni) intervals from one joint bootstrap.
 */
export function Compare({
  view,
  params,
}: {
  view: CalibrationView
  params: { confidence: number; iterations: number; seed: number }
}) {
  return (
    <>
      <h2>Compare</h2>
      <table className="compare" data-testid="compare">
        <thead>
          <tr>
            <th>judge</th>
            <th>criterion</th>
            <th>test n</th>
            <th>TPR</th>
            <th>TNR</th>
            <th>raw</th>
            <th>θ̂ [interval], Lang–Reiczigel</th>
          </tr>
        </thead>
        <tbody>
          {view.compare.map((r) => (
            <tr key={r.versionId} className={r.versionId === view.judge.versionId ? 'current' : ''}>
              <td>{r.label}</td>
              <td>{r.criterion}</td>
              <td>{r.testN}</td>
              <td>{f3(r.tpr)}</td>
              <td>{f3(r.tnr)}</td>
              <td>{f3(r.pObs)}</td>
              <td>
                {r.theta !== null ? (
                  `${f3(r.theta)} [${f3(r.lower)}, ${f3(r.upper)}]`
                ) : (
                  <span className="muted">{r.note}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>All failure modes together</h2>
      {view.allModes.reason ? (
        <p className="muted">{view.allModes.reason}</p>
      ) : (
        <>
          <table className="compare" data-testid="all-modes">
            <thead>
              <tr>
                <th>criterion</th>
                <th>θ̂</th>
                <th>{Math.round(params.confidence * 100)}% interval</th>
                <th>simultaneous (Bonferroni)</th>
              </tr>
            </thead>
            <tbody>
              {view.allModes.rows.map((r) => (
                <tr key={r.name}>
                  <td>{r.name === 'passes all' ? <strong>passes all</strong> : r.name}</td>
                  <td>{f3(r.theta)}</td>
                  <td>
                    {r.theta !== null ? `[${f3(r.lower)}, ${f3(r.upper)}]` : <span className="muted">{r.note}</span>}
                  </td>
                  <td>{r.theta !== null ? `[${f3(r.simultaneousLower)}, ${f3(r.simultaneousUpper)}]` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            Joint bootstrap over the {view.allModes.testItems} test items labeled and judged on every criterion and the{' '}
            {view.allModes.productionItems} production items every judge saw (B = {params.iterations}, seed{' '}
            {params.seed}). "Passes all" is its own judge: every verdict pass against every label pass.
          </p>
        </>
      )}
    </>
  )
}
