import { useCallback, useEffect, useRef, useState } from 'react'
import {
  DEFAULT_TARGETS,
  ERROR_POLICY_NAMES,
  estimateErrorsText,
  IntervalMethodSchema,
  type CalibrationView,
  type CellItem,
  type Targets,
} from '../../../shared/calibrate'
import {
  DEFAULT_METHOD,
  ERROR_POLICIES,
  errorPolicyEffect,
  estimate,
  INTERVAL_METHODS,
  type ErrorPolicy,
} from '../../../shared/stats'
import { call, errorText } from '../../api'
import { Histogram } from '../../../shared/charts/Histogram'
import { SensitivityPlot } from '../../../shared/charts/SensitivityPlot'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { MatrixTable, type Cell } from './MatrixTable'

const METHOD_NAMES: Record<string, string> = {
  'lang-reiczigel': 'Lang–Reiczigel (best coverage)',
  judgy: 'judgy (course-compatible bootstrap)',
  bootstrap: 'bootstrap, production resampled too',
  bca: 'BCa bootstrap',
  exact: 'exact (judgy at B = ∞)',
  wald: 'Wald (for comparison only)',
}
const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3))

/**
 * Calibrate (DESIGN §3.6): is this judge good enough, and what is the real success rate? The
 * matrices per split with click-through to the disagreements, TPR/TNR against targets, the
 * corrected rate θ̂ with its named interval and bootstrap distribution, sensitivity, advice on
 * what to label next, slices and comparisons. It refetches whenever labels change.
 */
export function CalibrateScreen() {
  const showError = useStore((s) => s.showError)
  const readOnly = useStore((s) => s.project?.readOnly ?? null) !== null
  const startSession = useStore((s) => s.startSession)
  const labelsVersion = useStore((s) => s.labelsVersion)
  const runs = useStore((s) => s.runs)
  const [choices, setChoices] = useState<{ versionId: number; label: string }[] | null>(null)
  const [versionId, setVersionId] = useState<number | null>(null)
  const [params, setParams] = useState({
    method: DEFAULT_METHOD,
    iterations: 20_000,
    seed: 0,
    confidence: 0.95,
    sliceBy: null as string | null,
    targetWidth: 0.1,
    errors: 'exclude' as ErrorPolicy,
  })
  const [reveal, setReveal] = useState(false)
  const [view, setView] = useState<CalibrationView | null>(null)
  const [cell, setCell] = useState<{
    split: 'train' | 'dev' | 'test'
    human: 'pass' | 'fail'
    judge: 'pass' | 'fail'
    items: CellItem[]
  } | null>(null)
  const picker = useRef<HTMLSelectElement>(null)

  useEffect(() => {
    call('calibrate.choices', {}).then(
      (c) => {
        setChoices(c)
        setVersionId((v) => v ?? c[0]?.versionId ?? null)
      },
      (error: unknown) => showError(errorText(error)),
    )
  }, [showError])

  const finishedRuns = [...runs.values()].filter((r) => r.status === 'done').length
  // Only the newest request may set the view: cycling the error policy (e e) or the method fast
  // must not leave an older answer on screen under the newer choice.
  const latest = useRef(0)
  const load = useCallback(async () => {
    if (versionId === null) return
    const request = ++latest.current
    try {
      const next = await call('calibrate.get', { versionId, ...params, revealTest: reveal })
      if (request === latest.current) setView(next)
    } catch (error) {
      if (request === latest.current) showError(errorText(error))
    }
  }, [versionId, params, reveal, showError])
  useEffect(() => void load(), [load, labelsVersion, finishedRuns])

  const openCell = useCallback(
    async (split: 'train' | 'dev' | 'test', c: Cell) => {
      if (versionId === null) return
      try {
        setCell({ split, ...c, items: await call('calibrate.cell', { versionId, split, ...c, errors: params.errors }) })
      } catch (error) {
        showError(errorText(error))
      }
    },
    [versionId, params.errors, showError],
  )
  // A list that is open follows label changes, and the error policy (error verdicts move between cells).
  useEffect(() => {
    if (cell) void openCell(cell.split, cell)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labelsVersion, params.errors])

  // The criterion's targets live in the project: the report grades the judge against the same ones.
  const targets = view?.targets ?? DEFAULT_TARGETS
  const saveTargets = async (next: Targets) => {
    if (!view) return
    try {
      await call('calibrate.targets', { criterionId: view.judge.criterionId, targets: next })
      await load()
    } catch (error) {
      showError(errorText(error))
    }
  }

  const primary = view?.matrices.find((m) => m.split === 'test') ?? view?.matrices.find((m) => m.split === 'dev')
  const fix = () => {
    if (!cell || !view || cell.items.length === 0) return
    void startSession({
      criterionId: view.judge.criterionId,
      order: 'random',
      ids: cell.items.map((i) => i.itemId),
      size: cell.items.length,
      seed: 1,
      blind: false,
    })
  }
  useKeyAction('calibrate.test', () => setReveal(true), view !== null && !view.testRevealed)
  useKeyAction(
    'calibrate.falseFail',
    () => primary && void openCell(primary.split, { human: 'pass', judge: 'fail' }),
    primary !== undefined,
  )
  useKeyAction(
    'calibrate.falsePass',
    () => primary && void openCell(primary.split, { human: 'fail', judge: 'pass' }),
    primary !== undefined,
  )
  useKeyAction('calibrate.fix', fix, cell !== null && cell.items.length > 0)
  useKeyAction('calibrate.version', () => picker.current?.focus())
  const nextPolicy = ERROR_POLICIES[(ERROR_POLICIES.indexOf(params.errors) + 1) % ERROR_POLICIES.length]
  useKeyAction('calibrate.errors', () => setParams({ ...params, errors: nextPolicy }))
  useKeyAction('calibrate.close', () => setCell(null), cell !== null)

  if (choices === null) return <div className="calibrate-loading muted">Loading…</div>
  if (choices.length === 0)
    return (
      <div className="calibrate empty">
        <h1>Calibrate</h1>
        <p>
          No judge yet. Build one on the Judges screen (<kbd>Alt+5</kbd>), or import verdicts made elsewhere (Data →
          import, a verdict column).
        </p>
      </div>
    )
  const e = view?.estimate
  return (
    <div className="calibrate">
      <header className="calibrate-bar">
        <label>
          <span>
            Judge <kbd>v</kbd>
          </span>
          <select
            ref={picker}
            value={versionId ?? ''}
            onChange={(ev) => {
              setVersionId(Number(ev.target.value))
              setCell(null)
              setReveal(false)
            }}
            data-testid="calibrate-version"
          >
            {choices.map((c) => (
              <option key={c.versionId} value={c.versionId}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Interval
          <select
            value={params.method}
            onChange={(ev) => setParams({ ...params, method: IntervalMethodSchema.parse(ev.target.value) })}
            data-testid="calibrate-method"
          >
            {INTERVAL_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_NAMES[m] ?? m}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>
            Error verdicts <kbd>e</kbd>
          </span>
          <select
            value={params.errors}
            onChange={(ev) => setParams({ ...params, errors: ev.target.value as ErrorPolicy })}
            data-testid="calibrate-errors"
            title="What a judge answer of UNKNOWN/ERROR counts as, in the matrices and the estimate"
          >
            {ERROR_POLICIES.map((p) => (
              <option key={p} value={p}>
                {ERROR_POLICY_NAMES[p]}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="B"
          min={100}
          max={1_000_000}
          step={1000}
          value={params.iterations}
          onCommit={(iterations) => setParams({ ...params, iterations: Math.round(iterations) })}
        />
        <NumberField
          label="seed"
          min={0}
          step={1}
          value={params.seed}
          onCommit={(seed) => setParams({ ...params, seed: Math.round(seed) })}
        />
        <NumberField
          label="confidence"
          min={0.5}
          max={0.999}
          step={0.01}
          value={params.confidence}
          onCommit={(confidence) => setParams({ ...params, confidence })}
        />
        <NumberField
          label="target TPR/TNR"
          min={targets.minimum}
          max={1}
          step={0.01}
          value={targets.target}
          onCommit={(target) => void saveTargets({ ...targets, target })}
        />
        <NumberField
          label="minimum"
          min={0.01}
          max={targets.target}
          step={0.01}
          value={targets.minimum}
          onCommit={(minimum) => void saveTargets({ ...targets, minimum })}
        />
        <NumberField
          label="target interval width"
          min={0.01}
          max={0.9}
          step={0.01}
          value={params.targetWidth}
          onCommit={(targetWidth) => setParams({ ...params, targetWidth })}
        />
      </header>
      {!view ? (
        <p className="muted calibrate-loading">Computing…</p>
      ) : (
        <div className="calibrate-body">
          <section className="matrices">
            <div className="matrix-row">
              {view.matrices
                .filter((m) => m.split !== 'train')
                .map((m) => (
                  <MatrixTable
                    key={m.split}
                    m={m}
                    targets={targets}
                    confidence={params.confidence}
                    onCell={(c) => void openCell(m.split, c)}
                  />
                ))}
              {!view.testRevealed && (
                <section className="matrix-block locked" data-testid="test-locked">
                  <h3>test split</h3>
                  <p>
                    Hidden: the test set is for one final measurement. {view.testEvaluations} test evaluation
                    {view.testEvaluations === 1 ? '' : 's'} of this version so far.
                  </p>
                  <button onClick={() => setReveal(true)}>
                    Show test results <kbd>t</kbd>
                  </button>
                  <p className="hint">
                    {readOnly
                      ? 'This project is read-only, so viewing cannot be recorded here (no judge can be changed in it either); in a writable copy it is recorded.'
                      : 'Viewing is recorded; changing the judge afterwards warns that test numbers become optimistic.'}
                  </p>
                </section>
              )}
            </div>
            {view.matrices
              .filter((m) => m.split === 'train')
              .map((m) => (
                <details key="train" className="train-matrix">
                  <summary>train split (the few-shot pool: optimistic, shown apart)</summary>
                  <MatrixTable
                    m={m}
                    targets={targets}
                    confidence={params.confidence}
                    onCell={(c) => void openCell('train', c)}
                  />
                </details>
              ))}
            {cell && (
              <section className="cell-items" data-testid="cell-items">
                <h3>
                  {cell.split}: human {cell.human}, judge {cell.judge} — {cell.items.length} item
                  {cell.items.length === 1 ? '' : 's'}{' '}
                  {cell.items.length > 0 && (
                    <button onClick={fix}>
                      Label these again <kbd>l</kbd>
                    </button>
                  )}{' '}
                  <button onClick={() => setCell(null)}>
                    Close <kbd>Esc</kbd>
                  </button>
                </h3>
                <table>
                  <thead>
                    <tr>
                      <th>item</th>
                      <th>human note</th>
                      <th>judge critique</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cell.items.map((i) => (
                      <tr key={i.itemId}>
                        <td className="mono">
                          {i.externalId}
                          {i.error && (
                            <span
                              className="warning small"
                              title={`The judge's verdict was an error, ${errorPolicyEffect(params.errors)} by the error policy`}
                            >
                              {' '}
                              error verdict
                            </span>
                          )}
                        </td>
                        <td>{i.note || <span className="muted">(no note)</span>}</td>
                        <td>{i.critique || <span className="muted">(no critique)</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
          </section>
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
                  Corrected θ̂ <strong data-testid="theta">{f3(e.theta)}</strong>, {Math.round(e.confidence * 100)}%
                  interval{' '}
                  <strong data-testid="interval">
                    [{f3(e.lower)}, {f3(e.upper)}]
                  </strong>{' '}
                  <span className="method">{METHOD_NAMES[e.method] ?? e.method}</span>
                  {e.clipped && <span className="muted"> (unclipped {f3(e.thetaUnclipped)}, clipped to [0, 1])</span>}
                </p>
                <p className="muted small">
                  Rogan–Gladen with test TPR {f3(e.tpr)} and TNR {f3(e.tnr)} (tp {e.counts.tp}, fn {e.counts.fn}, tn{' '}
                  {e.counts.tn}, fp {e.counts.fp}; k {e.counts.k} of m {e.counts.m}).{' '}
                  {e.iterations !== null
                    ? `B = ${e.iterations}, ${e.nDropped ?? 0} draws dropped (TPR + TNR ≤ 1), `
                    : ''}
                  seed {e.seed}, {e.prng}. <span data-testid="estimate-errors">{estimateErrorsText(e)}</span>.{' '}
                  {e.estimateId !== null
                    ? `Stored as estimate #${e.estimateId}.`
                    : 'Not stored (the project is read-only).'}{' '}
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
            <Slices view={view} sliceBy={params.sliceBy} onSlice={(sliceBy) => setParams({ ...params, sliceBy })} />
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
                          {r.theta !== null ? (
                            `[${f3(r.lower)}, ${f3(r.upper)}]`
                          ) : (
                            <span className="muted">{r.note}</span>
                          )}
                        </td>
                        <td>{r.theta !== null ? `[${f3(r.simultaneousLower)}, ${f3(r.simultaneousUpper)}]` : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted small">
                  Joint bootstrap over the {view.allModes.testItems} test items labeled and judged on every criterion
                  and the {view.allModes.productionItems} production items every judge saw (B = {params.iterations},
                  seed {params.seed}). "Passes all" is its own judge: every verdict pass against every label pass.
                </p>
              </>
            )}
          </section>
        </div>
      )}
    </div>
  )
}

/**
 * A number that takes effect when the user is done typing (Enter or leaving the field), so a
 * half-typed B or confidence neither computes nor stores an estimate; out of range snaps back.
 */
function NumberField({
  label,
  value,
  min,
  max,
  step,
  onCommit,
}: {
  label: string
  value: number
  min: number
  max?: number
  step: number
  onCommit: (value: number) => void
}) {
  const [text, setText] = useState(String(value))
  useEffect(() => setText(String(value)), [value])
  const commit = () => {
    const n = Number(text)
    if (text.trim() !== '' && Number.isFinite(n) && n >= min && (max === undefined || n <= max)) {
      if (n !== value) onCommit(n)
    } else setText(String(value))
  }
  return (
    <label>
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        onChange={(ev) => setText(ev.target.value)}
        onBlur={commit}
        onKeyDown={(ev) => ev.key === 'Enter' && commit()}
      />
    </label>
  )
}

/**
 * How θ̂ and its interval would move if the judge's TPR or TNR were different (judgy's
 * sensitivity plots, with the same n per class and the same production rate), and a slider pair
 * for a what-if. Lang–Reiczigel: analytic, so every point is instant.
 */
function Sensitivity({
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

/** The production estimate per value of a metadata field. */
function Slices({
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
