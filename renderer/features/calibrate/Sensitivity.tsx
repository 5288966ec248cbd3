import { useCallback, useState } from 'react'
import { SensitivityPlot } from '../../../shared/charts/SensitivityPlot'
import { estimate } from '../../../shared/stats'
import { f3 } from './format'

/**
 * How θ̂ and its interval would move if the judge's TPR or TNR were different (judgy's
 * sensitivity plots, with the same n per class and the same production rate), and a slider pair
 * for a what-if. Lang–Reiczigel: analytic, so every point is instant.
 */
export function Sensitivity({
  counts,
  confidence,
}: {
  counts: { tp: number; fn: number; tn: number; fp: number; k: number; m: number }
  confidence: number
}) {
  const pos = counts.tp + counts.fn
  const neg = counts.tn + counts.fp
  const measured = { tpr: pos ? counts.tp / pos : 0.9, tnr: neg ? counts.tn / neg : 0.9 }
  const [tpr, setTpr] = useState(measured.tpr)
  const [tnr, setTnr] = useState(measured.tnr)
  const at = useCallback(
    (a: number, b: number) => {
      try {
        const tp = Math.round(a * pos)
        const tn = Math.round(b * neg)
        const e = estimate({
          counts: { tp, fn: pos - tp, tn, fp: neg - tn, k: counts.k, m: counts.m },
          method: 'lang-reiczigel',
          confidence,
        })
        return { theta: e.theta, lower: e.lower, upper: e.upper }
      } catch {
        return { theta: null, lower: null, upper: null }
      }
    },
    [pos, neg, counts.k, counts.m, confidence],
  )
  const grid = Array.from({ length: 26 }, (_, i) => 0.5 + i * 0.02)
  const whatIf = at(tpr, tnr)
  return (
    <details className="sensitivity">
      <summary>Sensitivity: how the estimate moves with the judge's TPR and TNR</summary>
      <div className="sensitivity-plots">
        <SensitivityPlot rate="TPR" measured={measured.tpr} points={grid.map((x) => ({ x, ...at(x, measured.tnr) }))} />
        <SensitivityPlot rate="TNR" measured={measured.tnr} points={grid.map((x) => ({ x, ...at(measured.tpr, x) }))} />
      </div>
      <label>
        TPR {tpr.toFixed(2)}
        <input
          type="range"
          min={0.5}
          max={1}
          step={0.01}
          value={tpr}
          onChange={(ev) => setTpr(Number(ev.target.value))}
        />
      </label>
      <label>
        TNR {tnr.toFixed(2)}
        <input
          type="range"
          min={0.5}
          max={1}
          step={0.01}
          value={tnr}
          onChange={(ev) => setTnr(Number(ev.target.value))}
        />
      </label>
      <p>
        {whatIf.theta === null
          ? 'No correction: TPR + TNR ≤ 1.'
          : `θ̂ ${f3(whatIf.theta)} [${f3(whatIf.lower)}, ${f3(whatIf.upper)}]`}{' '}
        <span className="muted">(same test n per class and production rate; Lang–Reiczigel)</span>
      </p>
    </details>
  )
}
