import {
  alternativeRows,
  type Alternatives as AlternativesView,
  type AuditView,
  type LabelNext,
} from '../../../shared/audit'
import { f3 } from './format'

/**
 * Fewer labels for the same certainty (issue 18): Rogan–Gladen beside PPI++ and the production
 * audit, each with its interval's name, the labels it used, its width against Rogan–Gladen's and the
 * assumption it needs; then the audit's strata and "label next" for each.
 */
export function Alternatives({
  alternatives: a,
  size,
  onSize,
  onAudit,
  onResume,
}: {
  alternatives: AlternativesView
  size: number
  onSize: (size: number) => void
  onAudit: () => void
  onResume: (sessionId: number) => void
}) {
  const rows = alternativeRows(a)
  return (
    <section className="alternatives" data-testid="alternatives" aria-labelledby="alternatives-title">
      <h2 id="alternatives-title">Fewer labels for the same certainty</h2>
      <table className="compare">
        <thead>
          <tr>
            <th scope="col">Estimator</th>
            <th scope="col">θ̂</th>
            <th scope="col">Interval</th>
            <th scope="col">Labels used</th>
            <th scope="col">Width ÷ Rogan–Gladen</th>
            <th scope="col">Assumes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`alt-${r.key}`}>
              <th scope="row">{r.name}</th>
              {r.estimate ? (
                <>
                  <td data-testid={`alt-${r.key}-theta`}>{f3(r.estimate.theta)}</td>
                  <td>
                    <span data-testid={`alt-${r.key}-interval`}>
                      [{f3(r.estimate.lower)}, {f3(r.estimate.upper)}]
                    </span>{' '}
                    <span className="muted small">{r.estimate.interval}</span>
                  </td>
                  <td>{r.estimate.labels}</td>
                  <td>{f3(r.widthRatio)}</td>
                </>
              ) : (
                <td colSpan={4} className="muted" data-testid={`alt-${r.key}-why`}>
                  {r.why}
                </td>
              )}
              <td className="muted small">{r.assumes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.ppiWarnings.length > 0 && (
        <ul className="warnings" data-testid="alt-ppi-warnings">
          {a.ppiWarnings.map((w) => (
            <li key={w}>PPI++: {w}</li>
          ))}
        </ul>
      )}
      {a.disagreement && (
        <p className="warnings" role="alert" data-testid="alt-disagreement">
          {a.disagreement}
        </p>
      )}
      <NextLine title="Label next (Rogan–Gladen)" next={a.next.roganGladen} />
      <NextLine title="Label next (audit)" next={a.next.audit} />
      <AuditControls audit={a.audit} size={size} onSize={onSize} onAudit={onAudit} onResume={onResume} />
    </section>
  )
}

function NextLine({ title, next }: { title: string; next: LabelNext | null }) {
  if (!next) return null
  return (
    <p className="advice">
      <strong>{title}:</strong> {next.message}{' '}
      <span className="muted">
        Width {f3(next.widthNow)} now, about {f3(next.widthAfter)} after {next.more} more labels.
      </span>
    </p>
  )
}

function AuditControls({
  audit,
  size,
  onSize,
  onAudit,
  onResume,
}: {
  audit: AuditView | null
  size: number
  onSize: (size: number) => void
  onAudit: () => void
  onResume: (sessionId: number) => void
}) {
  const open = audit ? audit.drawn - audit.labeled - audit.strata.reduce((n, s) => n + s.deferred, 0) : 0
  return (
    <div className="audit" data-testid="audit">
      <p>
        <label>
          Draw{' '}
          <input
            type="number"
            min={1}
            max={10000}
            value={size}
            aria-label="Items to draw"
            onChange={(ev) => {
              const n = Number(ev.target.value)
              if (Number.isInteger(n) && n >= 1 && n <= 10_000) onSize(n)
            }}
          />{' '}
          production items
        </label>{' '}
        <button type="button" onClick={onAudit} aria-keyshortcuts="a" data-testid="audit-start">
          {audit ? 'Extend the audit' : 'Audit production'} <kbd>a</kbd>
        </button>{' '}
        {audit?.sessionId != null && open > 0 && (
          <button type="button" onClick={() => audit.sessionId !== null && onResume(audit.sessionId)}>
            Resume its session ({open} to label)
          </button>
        )}
      </p>
      {audit && <AuditStrata audit={audit} />}
    </div>
  )
}

function AuditStrata({ audit }: { audit: AuditView }) {
  return (
    <>
      <table className="compare" data-testid="audit-strata">
        <caption className="muted small">
          Audit #{audit.id}, seed {audit.seed}: the judge&apos;s verdict on production splits it into strata; each
          weighs N/ΣN.
        </caption>
        <thead>
          <tr>
            <th scope="col">Stratum</th>
            <th scope="col">N</th>
            <th scope="col">Drawn</th>
            <th scope="col">Labeled</th>
            <th scope="col">Human pass</th>
            <th scope="col">Deferred</th>
          </tr>
        </thead>
        <tbody>
          {audit.strata.map((s) => (
            <tr key={s.name}>
              <th scope="row">{s.name}</th>
              <td>{s.N}</td>
              <td>{s.drawn}</td>
              <td>{s.n}</td>
              <td>{s.humanPass}</td>
              <td>{s.deferred}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.warnings.length > 0 && (
        <ul className="warnings">
          {audit.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Recompute: <code className="mono">assay estimate --method stratified</code> with{' '}
        <code className="mono">{JSON.stringify(audit.estimateInput)}</code> (or{' '}
        <code className="mono">assay export PROJECT --audit --judge NAME</code>).
      </p>
    </>
  )
}
