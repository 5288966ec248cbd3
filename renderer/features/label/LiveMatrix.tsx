import type { SessionItem } from '../../../shared/domain'
import { judgeRates, type RateInterval } from '../../../shared/stats/rates'

const pct = (r: RateInterval) => (r.estimate === null ? '—' : `${Math.round(r.estimate * 100)}%`)
const range = (r: RateInterval) =>
  r.estimate === null
    ? 'no items of this class yet'
    : `95% CI ${Math.round(r.lower * 100)}–${Math.round(r.upper * 100)}%`

/**
 * The judge against this session's human labels so far: the confusion matrix (axes in words;
 * error verdicts counted beside it, never inside) and TPR/TNR with Wilson intervals.
 */
export function LiveMatrix({ items }: { items: readonly SessionItem[] }) {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0 }
  let errors = 0
  for (const { label, judge } of items) {
    if (label?.verdict !== 'pass' && label?.verdict !== 'fail') continue
    if (judge === 'error') errors++
    else if (judge === 'pass') c[label.verdict === 'pass' ? 'tp' : 'fp']++
    else if (judge === 'fail') c[label.verdict === 'pass' ? 'fn' : 'tn']++
  }
  const n = c.tp + c.fn + c.fp + c.tn
  if (n === 0 && errors === 0)
    return <p className="muted">No item of this session has both your label and a judge verdict yet.</p>
  const { tpr, tnr } = judgeRates(c)
  return (
    <div className="live-matrix" data-testid="live-matrix">
      <table className="matrix" aria-label="Judge against your labels">
        <thead>
          <tr>
            <th />
            <th scope="col">judge pass</th>
            <th scope="col">judge fail</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">you: pass</th>
            <td className="agree">{c.tp}</td>
            <td className="disagree">{c.fn}</td>
          </tr>
          <tr>
            <th scope="row">you: fail</th>
            <td className="disagree">{c.fp}</td>
            <td className="agree">{c.tn}</td>
          </tr>
        </tbody>
      </table>
      <p>
        <abbr title="True positive rate: of the items you passed, the share the judge passed">TPR</abbr>{' '}
        <strong>{pct(tpr)}</strong>{' '}
        <span className="muted">
          ({range(tpr)}, n={tpr.trials})
        </span>
        <br />
        <abbr title="True negative rate: of the items you failed, the share the judge failed">TNR</abbr>{' '}
        <strong>{pct(tnr)}</strong>{' '}
        <span className="muted">
          ({range(tnr)}, n={tnr.trials})
        </span>
        {errors > 0 && (
          <>
            <br />
            <span className="muted">
              {errors} judge error{errors === 1 ? '' : 's'} (not in the matrix)
            </span>
          </>
        )}
      </p>
    </div>
  )
}
