import { useEffect, useRef, useState } from 'react'
import type { Output } from '../../../shared/contract'
import type { RunEstimate, RunScope, RunView, VerdictView } from '../../../shared/judges'
import { DEFAULT_FILTER } from '../../../shared/table-query'
import { call, errorText } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

type Counts = Output<'judges.scopes'>
const n = (count: number | undefined) => (count === undefined ? '…' : count.toLocaleString())

/**
 * Each scope says what it counts: a split's labeled items, the items without a label in every
 * dataset (what the production estimate uses), every item; a dataset's items are a choice of
 * their own (they run as a selection of that dataset).
 */
const SCOPES: { id: RunScope; label: (c: Counts | null, selected: number) => string }[] = [
  { id: 'dev', label: (c) => `dev split: ${n(c?.dev)} labeled items (iterate here)` },
  { id: 'train', label: (c) => `train split: ${n(c?.train)} labeled items (the few-shot pool)` },
  { id: 'test', label: (c) => `test split: ${n(c?.test)} labeled items (final, locked)` },
  {
    id: 'unlabeled',
    label: (c) => `items without a label: ${n(c?.unlabeled)}, all datasets (the production estimate's)`,
  },
  { id: 'all', label: (c) => `every item: ${n(c?.all)}, all datasets` },
  { id: 'selection', label: (_c, selected) => `the Data table selection: ${selected.toLocaleString()} items` },
]
const DATASET = 'dataset:'

const money = (usd: number) => (usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`)

/**
 * Runs of the shown version: scope, a cost and token estimate before the run, the test lock's
 * confirmation, live progress with cancel, resume of interrupted runs, and every error with its reason.
 */
export function RunPanel({
  versionId,
  runs,
  external,
  lockedTestErrors,
  onChanged,
}: {
  versionId: number
  runs: RunView[]
  external: boolean
  lockedTestErrors: number
  onChanged: () => void
}) {
  const showError = useStore((s) => s.showError)
  const testReveals = useStore((s) => s.testReveals)
  const selected = useStore((s) => s.selected)
  const live = useStore((s) => s.runs)
  const datasets = useStore((s) => s.facets?.datasets ?? [])
  const [choice, setChoice] = useState<string>('dev')
  const [counts, setCounts] = useState<Counts | null>(null)
  // A dataset runs as a selection of its items (fetched when chosen).
  const [datasetIds, setDatasetIds] = useState<number[] | null>(null)
  const progress = useRef<HTMLDivElement>(null)
  const scope: RunScope = choice.startsWith(DATASET) ? 'selection' : (choice as RunScope)
  const runIds = choice.startsWith(DATASET) ? (datasetIds ?? []) : scope === 'selection' ? [...selected] : undefined
  const [concurrency, setConcurrency] = useState(8)
  const [estimate, setEstimate] = useState<RunEstimate | null>(null)
  const [estimateError, setEstimateError] = useState<string | null>(null)
  const [confirmTest, setConfirmTest] = useState(false)
  const [batch, setBatch] = useState(false)
  const [verdicts, setVerdicts] = useState<VerdictView[]>([])

  const merged = runs.map((r) => live.get(r.id) ?? r)
  for (const r of live.values()) if (r.versionId === versionId && !merged.some((m) => m.id === r.id)) merged.unshift(r)
  const active = merged.find((r) => r.status === 'running')
  const resumable = merged.find((r) => r.status === 'interrupted' || r.status === 'cancelled')
  const finishedCount = merged.filter((r) => r.status !== 'running').length

  useEffect(() => {
    if (external) return
    call('judges.scopes', { versionId }).then(setCounts, () => setCounts(null))
  }, [versionId, external, finishedCount])
  useEffect(() => {
    setDatasetIds(null)
    if (!choice.startsWith(DATASET)) return
    const dataset = Number(choice.slice(DATASET.length))
    call('items.ids', { filter: { ...DEFAULT_FILTER, dataset } }).then(
      ({ ids }) => setDatasetIds(ids),
      (error: unknown) => setEstimateError(errorText(error)),
    )
  }, [choice])

  useEffect(() => {
    if (external) return
    setEstimate(null)
    setEstimateError(null)
    if (choice.startsWith(DATASET) && datasetIds === null) return // its items are on their way
    if (scope === 'selection' && runIds!.length === 0) {
      setEstimateError(
        choice.startsWith(DATASET)
          ? 'This dataset has no items.'
          : 'Nothing is selected: select items in the Data table (x) first.',
      )
      return
    }
    call('judges.estimate', { versionId, scope, itemIds: runIds, batch }).then(setEstimate, (error: unknown) =>
      setEstimateError(errorText(error)),
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [versionId, choice, datasetIds, selected, external, finishedCount, batch])
  // A run's progress comes into view when it starts: the form may sit below the fold.
  useEffect(() => {
    if (active) progress.current?.scrollIntoView({ block: 'nearest' })
  }, [active?.id])

  // Test verdicts join the list once test results are shown (here, on Calibrate or in a report).
  useEffect(() => {
    call('judges.verdicts', { versionId }).then(setVerdicts, () => setVerdicts([]))
  }, [versionId, finishedCount, testReveals])
  // When a run ends, the metrics and lists change.
  useEffect(() => {
    if (finishedCount > 0) onChanged()
  }, [finishedCount, onChanged])

  const start = async () => {
    if (external || active) return
    if (estimate?.touchesTest && !confirmTest) {
      showError(
        'This scope includes test items: tick "final test evaluation" to confirm (the test set is for one final measurement).',
      )
      return
    }
    try {
      const run = await call('judges.run', { versionId, scope, itemIds: runIds, confirmTest, concurrency, batch })
      useStore.getState().setRun(run)
      setConfirmTest(false)
    } catch (error) {
      showError(errorText(error))
    }
  }
  const resume = async (runId: number, retryErrors: boolean) => {
    try {
      useStore.getState().setRun(await call('judges.resume', { runId, retryErrors, concurrency }))
    } catch (error) {
      showError(errorText(error))
    }
  }
  useKeyAction('judges.run', () => void start(), !external)
  useKeyAction('judges.cancel', () => active && void call('judges.cancel', { runId: active.id }), active !== undefined)
  useKeyAction('judges.resume', () => resumable && void resume(resumable.id, false), resumable !== undefined && !active)

  const errors = verdicts.filter((v) => v.verdict === 'error')
  const errorTotal = errors.length + lockedTestErrors
  return (
    <section className="run-panel">
      <h2>Run</h2>
      {external ? (
        <p className="muted">
          This version holds verdicts recorded elsewhere (imported from a file, or the demo's synthetic judge): there is
          nothing to run. Create a judge with a prompt and a model (n) to run one here.
        </p>
      ) : (
        <div className="run-form">
          <label>
            Scope
            <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="run-scope">
              {SCOPES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label(counts, selected.size)}
                </option>
              ))}
              {datasets.map((d) => (
                <option key={d.id} value={`${DATASET}${d.id}`}>
                  dataset “{d.name}”: {d.count.toLocaleString()} items, labeled or not
                </option>
              ))}
            </select>
          </label>
          <label>
            Concurrency
            <input
              type="number"
              min={1}
              max={64}
              value={concurrency}
              onChange={(e) => setConcurrency(Math.max(1, Math.min(64, Number(e.target.value) || 1)))}
            />
          </label>
          <label
            className="inline"
            title="One upload to the endpoint's Batch API (OpenAI's /v1/batches): half the price, answers within 24 hours. Cancel stops the waiting, not the batch; Resume collects its answers."
          >
            <input type="checkbox" checked={batch} onChange={(e) => setBatch(e.target.checked)} /> Batch API (half
            price, answers within 24 h)
          </label>
          <p className="estimate" data-testid="run-estimate">
            {estimateError ? (
              <span className="warning">{estimateError}</span>
            ) : estimate ? (
              <>
                {estimate.items} items: {estimate.calls} calls
                {estimate.cachedItems ? `, ${estimate.cachedItems} cached (free)` : ''} · ≈
                {estimate.tokensIn.toLocaleString()} tokens in, ≈{estimate.tokensOut.toLocaleString()} out · ≈
                {money(estimate.costUsd)}
              </>
            ) : (
              'Estimating…'
            )}
          </p>
          {estimate?.touchesTest && (
            <label className="inline test-lock">
              <input type="checkbox" checked={confirmTest} onChange={(e) => setConfirmTest(e.target.checked)} /> Final
              test evaluation: this version has been run on test {estimate.testEvaluations} time
              {estimate.testEvaluations === 1 ? '' : 's'}. Iterate on dev; test once, at the end.
            </label>
          )}
          <button
            className="primary"
            onClick={() => void start()}
            disabled={Boolean(active) || !estimate || (estimate.touchesTest && !confirmTest)}
          >
            Run <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      )}
      {active && (
        <div className="run-progress" data-testid="run-progress" ref={progress}>
          <progress value={active.done} max={active.total} />
          <span>
            {active.done} / {active.total} · {active.pass} pass · {active.fail} fail · {active.errors} error ·{' '}
            {active.cached} cached
            {active.mode === 'batch' &&
              active.done < active.total &&
              ' · waiting for the batch (checked every 30 s; cancel stops the waiting, Resume collects the answers)'}
          </span>
          <button onClick={() => void call('judges.cancel', { runId: active.id })}>
            Cancel <kbd>x</kbd>
          </button>
        </div>
      )}
      {merged.length > 0 && (
        <table className="runs" data-testid="runs">
          <thead>
            <tr>
              <th>run</th>
              <th>version</th>
              <th>scope</th>
              <th>status</th>
              <th>done</th>
              <th>pass</th>
              <th>fail</th>
              <th title="Error verdicts (UNKNOWN/ERROR answers, failed calls) among this run's items, as this run left them">
                error
              </th>
              <th>cached</th>
              <th>tokens in/out</th>
              <th>cost</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {merged.slice(0, 20).map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>v{r.version}</td>
                <td>
                  {r.scope}
                  {r.mode === 'batch' ? ' · batch' : ''}
                </td>
                <td className={`status-${r.status}`} title={r.error ?? ''}>
                  {r.status}
                </td>
                <td>
                  {r.done}/{r.total}
                </td>
                <td>{r.pass}</td>
                <td>{r.fail}</td>
                <td>{r.errors}</td>
                <td>{r.cached}</td>
                <td>
                  {r.tokensIn.toLocaleString()} / {r.tokensOut.toLocaleString()}
                </td>
                <td>{money(r.costUsd)}</td>
                <td>
                  {(r.status === 'interrupted' || r.status === 'cancelled' || r.status === 'failed') && !active && (
                    <button onClick={() => void resume(r.id, false)}>
                      Resume <kbd>r</kbd>
                    </button>
                  )}
                  {r.status === 'done' && r.errors > 0 && !active && (
                    <button onClick={() => void resume(r.id, true)}>Retry errors</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {errorTotal > 0 && (
        <details className="run-errors" data-testid="run-errors">
          <summary data-testid="run-errors-summary">{errorListSummary(errors, lockedTestErrors)}</summary>
          <table>
            <tbody>
              {errors.slice(0, 200).map((v) => (
                <tr key={v.itemId}>
                  <td className="mono">{v.externalId}</td>
                  <td>{v.error}</td>
                  <td className="clip mono">{v.raw}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  )
}

/**
 * What the version's error list counts, so it can be checked against the run rows: every item
 * whose newest verdict of this version (from any of its runs) is an error, by split; the test
 * split's while its results are locked are counted, not listed. A run row counts its own items.
 */
export function errorListSummary(
  listed: readonly Pick<VerdictView, 'split' | 'human'>[],
  lockedTestErrors: number,
): string {
  const total = listed.length + lockedTestErrors
  const where = { train: 0, dev: 0, test: lockedTestErrors, unlabeled: 0 }
  for (const v of listed) where[v.split && (v.human === 'pass' || v.human === 'fail') ? v.split : 'unlabeled']++
  const parts = Object.entries(where)
    .filter(([, n]) => n > 0)
    .map(([place, n]) =>
      place === 'test' && lockedTestErrors > 0
        ? `${n} test (not listed until test results are shown: t)`
        : `${n} ${place}`,
    )
  return `${total} error verdict${total === 1 ? '' : 's'} of this version, each item's newest verdict from any run (not counted as pass or fail): ${parts.join(', ')}`
}
