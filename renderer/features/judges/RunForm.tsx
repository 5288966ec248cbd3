import type { Output } from '../../../shared/contract'
import { formatCount } from '../../format'
import { useStore } from '../../store'
import { selectJudgeRun } from '../../store/slices/judges'
import { DATASET, money, SCOPES } from './run-format'

/** The run's settings the user picks: scope (a split, a dataset…), concurrency, Batch API, the test lock. */
export interface RunChoice {
  choice: string
  concurrency: number
  batch: boolean
  confirmTest: boolean
}

/** The run form: scope with its count, concurrency, the Batch API, the estimate, the test lock and Run. */
export function RunForm({
  run,
  onRun,
  active,
  onStart,
}: {
  run: RunChoice
  onRun: (run: RunChoice) => void
  active: boolean
  onStart: () => void
}) {
  const { counts, estimate, estimateError } = useStore(selectJudgeRun)
  const selected = useStore((s) => s.selected)
  const datasets = useStore((s) => s.facets?.datasets ?? NO_DATASETS)
  const { choice, concurrency, batch, confirmTest } = run
  const setChoice = (next: string) => onRun({ ...run, choice: next })
  const setConcurrency = (next: number) => onRun({ ...run, concurrency: next })
  const setBatch = (next: boolean) => onRun({ ...run, batch: next })
  const setConfirmTest = (next: boolean) => onRun({ ...run, confirmTest: next })
  return (
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
              dataset “{d.name}”: {formatCount(d.count)} items, labeled or not
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
        <input type="checkbox" checked={batch} onChange={(e) => setBatch(e.target.checked)} /> Batch API (half price,
        answers within 24 h)
      </label>
      <p className="estimate" data-testid="run-estimate">
        {estimateError ? (
          <span className="warning">{estimateError}</span>
        ) : estimate ? (
          <>
            {formatCount(estimate.items)} items: {formatCount(estimate.calls)} calls
            {estimate.cachedItems ? `, ${formatCount(estimate.cachedItems)} cached (free)` : ''} · ≈
            {formatCount(estimate.tokensIn)} tokens in, ≈{formatCount(estimate.tokensOut)} out · ≈
            {money(estimate.costUsd)}
          </>
        ) : (
          'Estimating…'
        )}
      </p>
      {estimate?.touchesTest && (
        <label className="inline test-lock">
          <input type="checkbox" checked={confirmTest} onChange={(e) => setConfirmTest(e.target.checked)} /> Final test
          evaluation: this version has been run on test {estimate.testEvaluations} time
          {estimate.testEvaluations === 1 ? '' : 's'}. Iterate on dev; test once, at the end.
        </label>
      )}
      <button
        className="primary"
        onClick={onStart}
        disabled={active || !estimate || (estimate.touchesTest && !confirmTest)}
      >
        Run <kbd>Ctrl+Enter</kbd>
      </button>
    </div>
  )
}

const NO_DATASETS: Output<'items.facets'>['datasets'] = []
