import { scoreCheck } from '../../../shared/calibrate'
import type { JudgeDetail, SplitMetrics } from '../../../shared/judges'
import { judgeRates, type RateInterval } from '../../../shared/stats/rates'

const pct = (r: RateInterval) => (r.estimate === null ? '—' : `${Math.round(r.estimate * 100)}%`)
const ci = (r: RateInterval) => (r.estimate === null ? '' : `${Math.round(r.lower * 100)}–${Math.round(r.upper * 100)}`)

/** TPR and TNR of one split with Wilson intervals and n per class; errors beside, never inside. */
function Rates({ m }: { m: SplitMetrics | undefined }) {
  if (!m) return <span className="muted">—</span>
  const n = m.tp + m.fn + m.tn + m.fp
  if (n === 0 && m.errors === 0)
    return <span className="muted">{m.missing > 0 ? `not run (${m.missing} items)` : 'no items'}</span>
  const { tpr, tnr } = judgeRates(m)
  // Error verdicts are left out of the rates here (Calibrate can count them in).
  const check = scoreCheck({
    tpr: tpr.estimate,
    tnr: tnr.estimate,
    errorsPass: m.errorsPass,
    errorsFail: m.errorsFail,
    errorPolicy: 'exclude',
  })
  return (
    <span
      className="rates"
      title={`human pass: ${m.tp} judged pass, ${m.fn} judged fail · human fail: ${m.tn} judged fail, ${m.fp} judged pass`}
    >
      TPR <strong>{pct(tpr)}</strong>{' '}
      <span className="muted">
        [{ci(tpr)}] n={tpr.trials}
      </span>{' '}
      · TNR <strong>{pct(tnr)}</strong>{' '}
      <span className="muted">
        [{ci(tnr)}] n={tnr.trials}
      </span>
      {(tpr.trials < 30 || tnr.trials < 30) && (
        <span className="warning" title="Fewer than 30 items of a class: its interval is wide">
          {' '}
          · small n
        </span>
      )}
      {check && (
        <span
          className="warning"
          data-testid="score-check"
          title={
            check.kind === 'perfect' ? `${check.text} A perfect score also often means too few items.` : check.text
          }
        >
          {' '}
          · {check.short}
        </span>
      )}
      {m.errors > 0 && (
        <span
          className="warning"
          title="Error verdicts (UNKNOWN/ERROR answers) are left out of TPR and TNR here; the Calibrate screen can count them as Fail or Pass"
        >
          {' '}
          · {m.errors} error{m.errors === 1 ? '' : 's'} ({m.errorsPass} on human pass, {m.errorsFail} on human fail)
        </span>
      )}
      {m.missing > 0 && <span className="muted"> · {m.missing} not run</span>}
    </span>
  )
}

/**
 * Every version of a judge side by side: model, examples, and TPR/TNR per split. A version's test
 * results stay hidden until the user asks for them (the test lock); test evaluations are counted.
 */
export function VersionTable({
  detail,
  shown,
  onShow,
  onRevealTest,
}: {
  detail: JudgeDetail
  shown: number | null
  onShow: (id: number) => void
  onRevealTest: (versionId: number) => void
}) {
  return (
    <table className="versions" data-testid="versions">
      <thead>
        <tr>
          <th>version</th>
          <th>model</th>
          <th>train</th>
          <th>dev</th>
          <th>test</th>
          <th>production (unlabeled)</th>
        </tr>
      </thead>
      <tbody>
        {[...detail.versions].reverse().map((v) => {
          const m = detail.metrics.find((x) => x.versionId === v.id)
          const split = (name: SplitMetrics['split']) => m?.splits.find((s) => s.split === name)
          const prod = split('unlabeled')
          return (
            <tr key={v.id} className={v.id === shown ? 'current' : ''} onClick={() => onShow(v.id)}>
              <th scope="row">
                v{v.version} <span className="muted">{v.createdAt.slice(0, 16).replace('T', ' ')}</span>
              </th>
              <td className="mono">{v.external ? 'imported verdicts' : (v.model.model ?? '')}</td>
              <td>
                <Rates m={split('train')} />
              </td>
              <td>
                <Rates m={split('dev')} />
              </td>
              <td>
                {m?.testRevealed ? (
                  <Rates m={split('test')} />
                ) : (
                  <button
                    className="link"
                    onClick={(e) => {
                      e.stopPropagation()
                      onRevealTest(v.id)
                    }}
                  >
                    hidden: show <kbd>t</kbd>
                  </button>
                )}
                <div className="muted small">
                  {v.testEvaluations} test evaluation{v.testEvaluations === 1 ? '' : 's'}
                </div>
              </td>
              <td>
                {prod && prod.judgedPass + prod.judgedFail + prod.errors > 0 ? (
                  <span>
                    {prod.judgedPass} pass · {prod.judgedFail} fail{prod.errors ? ` · ${prod.errors} error` : ''}
                  </span>
                ) : (
                  <span className="muted">not run</span>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
