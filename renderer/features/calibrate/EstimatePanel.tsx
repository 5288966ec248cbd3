import { estimateErrorsText, type CalibrationView } from '../../../shared/calibrate'
import { Histogram } from '../../../shared/charts/Histogram'
import { errorPolicyEffect } from '../../../shared/stats'
import { Compare } from './Compare'
import { f3, METHOD_NAMES, type CalibrateParams } from './format'
import { Sensitivity } from './Sensitivity'
import { Slices } from './Slices'

/**
 * The production success rate: the raw judge pass rate, the corrected θ̂ with its named interval
 * and bootstrap distribution (or why there is none), advice, sensitivity, slices and comparisons.
 */
export function EstimatePanel({
  view,
  params,
  onParams,
}: {
  view: CalibrationView
  params: CalibrateParams
  onParams: (params: CalibrateParams) => void
}) {
  const e = view.estimate
  return (
    <section className="estimate-panel" data-testid="estimate">
      <h2>Production success rate</h2>
      <p>
        Raw judge pass rate{' '}
        <strong data-testid="p-obs">{view.production.m ? f3(view.production.k / view.production.m) : '—'}</strong>{' '}
        <span className="muted">
          ({view.production.k} of {view.production.m} unlabeled items judged pass
          {view.production.errors
            ? `; ${view.production.errors} error verdict${view.production.errors === 1 ? '' : 's'} ${errorPolicyEffect(view.errorPolicy)}`
            : ''}
          )
        </span>
      </p>
      {e ? (
        <>
          <p className="theta">
            Corrected θ̂ <strong data-testid="theta">{f3(e.theta)}</strong>, {Math.round(e.confidence * 100)}% interval{' '}
            <strong data-testid="interval">
              [{f3(e.lower)}, {f3(e.upper)}]
            </strong>{' '}
            <span className="method">{METHOD_NAMES[e.method] ?? e.method}</span>
            {e.clipped && <span className="muted"> (unclipped {f3(e.thetaUnclipped)}, clipped to [0, 1])</span>}
          </p>
          <p className="muted small">
            Rogan–Gladen with test TPR {f3(e.tpr)} and TNR {f3(e.tnr)} (tp {e.counts.tp}, fn {e.counts.fn}, tn{' '}
            {e.counts.tn}, fp {e.counts.fp}; k {e.counts.k} of m {e.counts.m}).{' '}
            {e.iterations !== null ? `B = ${e.iterations}, ${e.nDropped ?? 0} draws dropped (TPR + TNR ≤ 1), ` : ''}
            seed {e.seed}, {e.prng}. <span data-testid="estimate-errors">{estimateErrorsText(e)}</span>.{' '}
            {e.estimateId !== null ? `Stored as estimate #${e.estimateId}.` : 'Not stored (the project is read-only).'}{' '}
            Recompute: <code className="mono">assay estimate</code> with{' '}
            <code className="mono">{JSON.stringify(e.estimateInput)}</code> and{' '}
            <code>
              --method {e.method}
              {e.errorPolicy !== 'exclude' ? ` --errors ${e.errorPolicy}` : ''}
            </code>
            .
          </p>
          {view.histogram && <Histogram {...view.histogram} lower={e.lower} upper={e.upper} theta={e.theta} />}
          {e.warnings.length > 0 && (
            <ul className="warnings" data-testid="warnings">
              {e.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          )}
          {view.advice && (
            <p className="advice">
              <strong>Label next: {view.advice.nextClass}.</strong> {view.advice.message}
            </p>
          )}
          <Sensitivity
            key={`${view.judge.versionId}/${e.estimateId ?? `${e.method}-${e.seed}-${e.confidence}`}`}
            counts={e.counts}
            confidence={e.confidence}
          />
        </>
      ) : (
        <p className="refusal" data-testid="refusal">
          {view.refusal}
        </p>
      )}
      <Slices view={view} sliceBy={params.sliceBy} onSlice={(sliceBy) => onParams({ ...params, sliceBy })} />
      <Compare view={view} params={params} />
    </section>
  )
}
