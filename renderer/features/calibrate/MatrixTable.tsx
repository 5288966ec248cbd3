import { matrixErrorsText, notRunText, scoreCheck, splitRan, type Matrix } from '../../../shared/calibrate'
import type { RateInterval } from '../../../shared/stats/rates'

export type Cell = { human: 'pass' | 'fail'; judge: 'pass' | 'fail' }

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const row = (a: number, b: number) => (a + b === 0 ? '' : ` (${Math.round((100 * a) / (a + b))}%)`)

/** Status of a rate against the targets, by its point value; the lower bound qualifies "meets target". */
export function status(
  r: RateInterval,
  targets: { target: number; minimum: number },
): { text: string; className: string } {
  if (r.estimate === null) return { text: 'no items', className: 'muted' }
  if (r.estimate >= targets.target)
    return {
      text: r.lower >= targets.minimum ? 'meets target' : 'meets target (interval reaches below minimum)',
      className: 'good',
    }
  if (r.estimate >= targets.minimum) return { text: 'above minimum, below target', className: 'warning' }
  return { text: 'below minimum', className: 'bad' }
}

/** The split's score check (a perfect score, or no better than chance), looking at TPR and TNR together. */
export const matrixScoreCheck = (m: Matrix) =>
  scoreCheck({
    tpr: m.tpr.estimate,
    tnr: m.tnr.estimate,
    errorsPass: m.errorsPass,
    errorsFail: m.errorsFail,
    errorPolicy: m.errorPolicy,
  })

/**
 * One split's confusion matrix, axes in words (Pass is the positive class), counts with row
 * rates; error verdicts beside it by human class, counted into a column only when the error
 * policy says so. Every cell lists its items.
 */
export function MatrixTable({
  m,
  onCell,
  targets,
  confidence,
}: {
  m: Matrix
  onCell: (cell: Cell) => void
  targets: { target: number; minimum: number }
  confidence: number
}) {
  const cell = (human: Cell['human'], judge: Cell['judge'], count: number, other: number, agree: boolean) => (
    <td className={agree ? 'agree' : 'disagree'}>
      <button
        className="cell"
        onClick={() => onCell({ human, judge })}
        data-testid={`cell-${m.split}-${human}-${judge}`}
        title={`List the ${count} items: human ${human}, judge ${judge}`}
        aria-label={`${count} ${count === 1 ? 'item' : 'items'}${row(count, other)}, human ${human}, judge ${judge}: list them`}
      >
        {count}
        <span className="muted">{row(count, other)}</span>
      </button>
    </td>
  )
  if (!splitRan(m)) {
    return (
      <section className="matrix-block" data-testid={`matrix-${m.split}`}>
        <h3>{m.split} split</h3>
        <p className="muted" data-testid={`not-run-${m.split}`}>
          {notRunText(m)}
        </p>
      </section>
    )
  }
  const tprStatus = status(m.tpr, targets)
  const check = matrixScoreCheck(m)
  const tnrStatus = status(m.tnr, targets)
  return (
    <section className="matrix-block" data-testid={`matrix-${m.split}`}>
      <h3>{m.split} split</h3>
      <table className="matrix" aria-label={`Judge against human labels, ${m.split} split`}>
        <thead>
          <tr>
            <th />
            <th scope="col">judge: pass</th>
            <th scope="col">judge: fail</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">human: pass</th>
            {cell('pass', 'pass', m.tp, m.fn, true)}
            {cell('pass', 'fail', m.fn, m.tp, false)}
          </tr>
          <tr>
            <th scope="row">human: fail</th>
            {cell('fail', 'pass', m.fp, m.tn, false)}
            {cell('fail', 'fail', m.tn, m.fp, true)}
          </tr>
        </tbody>
      </table>
      <p className="rates-line">
        <abbr title="True positive rate: of the items a human passed, the share the judge passed">TPR</abbr>{' '}
        <strong data-testid={`tpr-${m.split}`}>{pct(m.tpr.estimate)}</strong>{' '}
        <span className="muted">
          [{pct(m.tpr.lower)}, {pct(m.tpr.upper)}] n={m.tpr.trials}
        </span>{' '}
        <span className={tprStatus.className} data-testid={`tpr-status-${m.split}`}>
          {tprStatus.text}
        </span>
        <br />
        <abbr title="True negative rate: of the items a human failed, the share the judge failed">TNR</abbr>{' '}
        <strong data-testid={`tnr-${m.split}`}>{pct(m.tnr.estimate)}</strong>{' '}
        <span className="muted">
          [{pct(m.tnr.lower)}, {pct(m.tnr.upper)}] n={m.tnr.trials}
        </span>{' '}
        <span className={tnrStatus.className} data-testid={`tnr-status-${m.split}`}>
          {tnrStatus.text}
        </span>
        <br />
        <span className="muted">
          {Math.round(confidence * 100)}% Wilson intervals.{' '}
          {m.errors > 0 && <span data-testid={`errors-${m.split}`}>{matrixErrorsText(m)}. </span>}
          {m.missing > 0 ? `${m.missing} labeled item${m.missing === 1 ? '' : 's'} not judged by this version.` : ''}
        </span>
        {(m.tpr.trials < 30 || m.tnr.trials < 30) && m.tpr.trials + m.tnr.trials > 0 && (
          <span className="warning"> Fewer than 30 items in a class: the interval is wide.</span>
        )}
        {check && (
          <span className="warning" data-testid={`score-check-${m.split}`}>
            {' '}
            {check.text}
          </span>
        )}
      </p>
    </section>
  )
}
