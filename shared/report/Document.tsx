import { alternativeRows, type Alternatives } from '../audit'
import { Histogram } from '../charts/Histogram'
import { Pareto } from '../charts/Pareto'
import {
  ERROR_POLICY_NAMES,
  estimateErrorsText,
  matrixErrorsText,
  notRunText,
  rateText,
  splitRan,
  type Matrix,
} from '../calibrate'
import { profileField, type ReportData, type ReportJudge } from './data'

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3))
const METHOD: Record<string, string> = {
  'lang-reiczigel': 'Lang–Reiczigel',
  judgy: 'judgy bootstrap',
  bootstrap: 'bootstrap (production resampled)',
  bca: 'BCa bootstrap',
  exact: 'exact',
  wald: 'Wald',
}

/**
 * The calibration report as a React tree: the report files render it to static HTML
 * (react-dom/server, no script), and the Report screen renders it live — one document, two places.
 */
export function ReportDocument({ data }: { data: ReportData }) {
  return (
    <article className="report">
      <header>
        <h1>Calibration report: {data.project.name}</h1>
        <p className="meta">
          {data.project.items} items in {data.project.datasets.length} dataset
          {data.project.datasets.length === 1 ? '' : 's'} · generated {data.generatedAt.slice(0, 19).replace('T', ' ')}{' '}
          UTC by Assay {data.app.version}
          {data.project.synthetic && <strong className="synthetic"> · synthetic demo data</strong>}
        </p>
      </header>
      {data.judges.length === 0 && <p>No judge in this project yet: build one on the Judges screen.</p>}
      {data.judges.map((j) => (
        <JudgeSection key={`${j.criterion}/${j.name}`} j={j} />
      ))}
      <section>
        <h2>Failure modes</h2>
        {data.taxonomy.modes.length === 0 ? <p>No failure modes defined.</p> : <Pareto taxonomy={data.taxonomy} />}
      </section>
      <section>
        <h2>Criteria</h2>
        <table>
          <thead>
            <tr>
              <th>criterion</th>
              <th>version</th>
              <th>labeled</th>
              <th>definition</th>
            </tr>
          </thead>
          <tbody>
            {data.criteria.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.version}</td>
                <td>{c.labeled}</td>
                <td>{c.definition}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Data</h2>
        <table>
          <thead>
            <tr>
              <th>dataset</th>
              <th>format</th>
              <th>rows</th>
              <th>imported</th>
            </tr>
          </thead>
          <tbody>
            {data.project.datasets.map((s, i) => (
              <tr key={i}>
                <td>{s.name}</td>
                <td>{s.format}</td>
                <td>{s.rows}</td>
                <td>{s.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="repro">
        <h2>Reproducibility</h2>
        <p>
          Assay {data.app.version} · project file <code>{data.project.file}</code> · SHA-256{' '}
          <code>{data.project.sha256}</code> · generated {data.generatedAt}
        </p>
        {data.judges
          .filter((j) => j.command)
          .map((j) => (
            <p key={j.name}>
              {j.name}: <code>{j.command}</code>
            </p>
          ))}
      </section>
    </article>
  )
}

function JudgeSection({ j }: { j: ReportJudge }) {
  const e = j.estimate
  return (
    <section className="judge">
      <h2>
        {j.criterion}: judge “{j.name}” v{j.version}
      </h2>
      {j.interpretation.map((line, i) => (
        <p key={i} className="interpretation">
          {line}
        </p>
      ))}
      <h3>Production estimate</h3>
      {e ? (
        <>
          <table className="estimate">
            <tbody>
              <tr>
                <th>raw judge pass rate (p_obs)</th>
                <td>
                  {f3(e.pObs)} ({e.counts.k} of {e.counts.m})
                </td>
              </tr>
              <tr>
                <th>corrected success rate θ̂</th>
                <td>
                  <strong>{f3(e.theta)}</strong>
                  {e.clipped ? ` (unclipped ${f3(e.thetaUnclipped)})` : ''}
                </td>
              </tr>
              <tr>
                <th>{Math.round(e.confidence * 100)}% interval</th>
                <td>
                  <strong>
                    [{f3(e.lower)}, {f3(e.upper)}]
                  </strong>{' '}
                  — {METHOD[e.method] ?? e.method}
                </td>
              </tr>
              <tr>
                <th>method details</th>
                <td>
                  {e.iterations !== null ? `B = ${e.iterations}, dropped draws ${e.nDropped ?? 0}, ` : ''}seed {e.seed},
                  PRNG {e.prng}, confidence {e.confidence}
                </td>
              </tr>
              <tr>
                <th>test TPR / TNR used</th>
                <td>
                  {f3(e.tpr)} / {f3(e.tnr)} (tp {e.counts.tp}, fn {e.counts.fn}, tn {e.counts.tn}, fp {e.counts.fp})
                </td>
              </tr>
              <tr>
                <th>error verdicts</th>
                <td>{estimateErrorsText(e)}</td>
              </tr>
            </tbody>
          </table>
          {j.histogram && (
            <figure>
              <Histogram {...j.histogram} lower={e.lower} upper={e.upper} theta={e.theta} />
              <figcaption>
                Bootstrap distribution of θ: {j.histogram.source}; B = {j.histogram.counts.reduce((a, b) => a + b, 0)}.
              </figcaption>
            </figure>
          )}
          {e.warnings.length > 0 && (
            <ul className="warnings">
              {e.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="refusal">{j.refusal}</p>
      )}
      <AlternativesTable a={j.alternatives} />
      <h3>
        Judge quality (targets: TPR and TNR ≥ {j.targets.target}, minimum {j.targets.minimum})
      </h3>
      <p>
        Error verdicts of the judge: {ERROR_POLICY_NAMES[j.errorPolicy]} — error policy <code>{j.errorPolicy}</code>.
      </p>
      <div className="matrices">
        {j.matrices.filter(splitRan).map((m) => (
          <MatrixView key={m.split} m={m} />
        ))}
      </div>
      {j.matrices
        .filter((m) => !splitRan(m))
        .map((m) => (
          <p key={m.split} className="not-run">
            {notRunText(m)}
          </p>
        ))}
      <p>
        Labels per split (pass / fail): train {j.labels.train.pass} / {j.labels.train.fail} · dev {j.labels.dev.pass} /{' '}
        {j.labels.dev.fail} · test {j.labels.test.pass} / {j.labels.test.fail}. Test evaluations of this version:{' '}
        {j.testEvaluations}.
      </p>
      {j.disagreements.length > 0 && (
        <>
          <h3>Representative disagreements</h3>
          <table>
            <thead>
              <tr>
                <th>item</th>
                <th>human</th>
                <th>judge</th>
                <th>human note</th>
                <th>judge critique</th>
              </tr>
            </thead>
            <tbody>
              {j.disagreements.map((x) => (
                <tr key={x.itemId}>
                  <td>
                    <code className="id">{x.externalId}</code>
                  </td>
                  <td>{x.human}</td>
                  <td>{x.error ? `error (counted as ${x.judge})` : x.judge}</td>
                  <td>{x.note || '—'}</td>
                  <td>{x.critique || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Judge</h3>
      <p>
        Model <code>{profileField(j.model.model ?? j.model.provider ?? '—')}</code>
        {j.model.baseUrl ? (
          <>
            {' '}
            at <code>{profileField(j.model.baseUrl)}</code>
          </>
        ) : null}{' '}
        · parameters <code>{JSON.stringify(j.params)}</code> · {j.fewshotItems} few-shot example
        {j.fewshotItems === 1 ? '' : 's'} (train split) · version created {j.createdAt.slice(0, 10)}
      </p>
      <pre className="prompt">{j.prompt}</pre>
    </section>
  )
}

function MatrixView({ m }: { m: Matrix }) {
  return (
    <div className="matrix">
      <table>
        <caption>{m.split} split</caption>
        <thead>
          <tr>
            <th />
            <th>judge: pass</th>
            <th>judge: fail</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>human: pass</th>
            <td>{m.tp}</td>
            <td>{m.fn}</td>
          </tr>
          <tr>
            <th>human: fail</th>
            <td>{m.fp}</td>
            <td>{m.tn}</td>
          </tr>
        </tbody>
      </table>
      <p>
        TPR {rateText(m.tpr, 'Pass')}
        <br />
        TNR {rateText(m.tnr, 'Fail')}
        {m.errors ? (
          <>
            <br />
            {matrixErrorsText(m)}
          </>
        ) : null}
      </p>
    </div>
  )
}

/** Rogan–Gladen beside PPI++ and the production audit: θ̂, interval, labels used, width ratio, assumption. */
function AlternativesTable({ a }: { a: Alternatives }) {
  return (
    <>
      <h3>Side by side: fewer labels for the same certainty</h3>
      <table className="alternatives">
        <thead>
          <tr>
            <th>estimator</th>
            <th>θ̂</th>
            <th>interval</th>
            <th>labels used</th>
            <th>width ÷ Rogan–Gladen</th>
            <th>assumes</th>
          </tr>
        </thead>
        <tbody>
          {alternativeRows(a).map((r) => (
            <tr key={r.key}>
              <th>{r.name}</th>
              {r.estimate ? (
                <>
                  <td>{f3(r.estimate.theta)}</td>
                  <td>
                    [{f3(r.estimate.lower)}, {f3(r.estimate.upper)}] — {r.estimate.interval}
                  </td>
                  <td>{r.estimate.labels}</td>
                  <td>{f3(r.widthRatio)}</td>
                </>
              ) : (
                <td colSpan={4}>{r.why}</td>
              )}
              <td>{r.assumes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {a.disagreement && <p className="warnings">{a.disagreement}</p>}
      {a.ppiWarnings.map((w) => (
        <p key={w} className="warnings">
          PPI++: {w}
        </p>
      ))}
      {a.audit && (
        <p>
          Audit #{a.audit.id} (seed {a.audit.seed}):{' '}
          {a.audit.strata.map((s) => `${s.name} N = ${s.N}, ${s.n} labeled (${s.humanPass} pass)`).join('; ')}.
        </p>
      )}
    </>
  )
}
