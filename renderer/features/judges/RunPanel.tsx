import { useEffect, useMemo, useRef, useState } from 'react'
import type { RunScope, RunView } from '../../../shared/judges'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { selectJudgeRun } from '../../store/slices/judges'
import { DATASET } from './run-format'
import { RunErrors } from './RunErrors'
import { RunForm, type RunChoice } from './RunForm'
import { RunsTable } from './RunsTable'

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
  const testReveals = useStore((s) => s.testReveals)
  const selected = useStore((s) => s.selected)
  const live = useStore((s) => s.runs)
  const { estimate, datasetIds, verdicts } = useStore(selectJudgeRun)
  const loadRunCounts = useStore((s) => s.loadRunCounts)
  const loadDatasetIds = useStore((s) => s.loadDatasetIds)
  const estimateRun = useStore((s) => s.estimateRun)
  const loadRunVerdicts = useStore((s) => s.loadRunVerdicts)
  const startRun = useStore((s) => s.startRun)
  const resumeRun = useStore((s) => s.resumeRun)
  const cancelRun = useStore((s) => s.cancelRun)
  const leaveRuns = useStore((s) => s.leaveRuns)
  const [run, setRun] = useState<RunChoice>({ choice: 'dev', concurrency: 8, batch: false, confirmTest: false })
  const { choice, concurrency, batch, confirmTest } = run
  const progress = useRef<HTMLDivElement>(null)
  const dataset = choice.startsWith(DATASET)
  const scope: RunScope = dataset ? 'selection' : (choice as RunScope)
  // A dataset runs as a selection of its items (fetched when chosen; null while on their way).
  const runIds = useMemo(
    () => (dataset ? datasetIds : scope === 'selection' ? [...selected] : undefined),
    [dataset, datasetIds, scope, selected],
  )

  const merged = runs.map((r) => live.get(r.id) ?? r)
  for (const r of live.values()) if (r.versionId === versionId && !merged.some((m) => m.id === r.id)) merged.unshift(r)
  const active = merged.find((r) => r.status === 'running')
  const resumable = merged.find((r) => r.status === 'interrupted' || r.status === 'cancelled')
  const finishedCount = merged.filter((r) => r.status !== 'running').length

  useEffect(() => leaveRuns, [leaveRuns])
  useEffect(() => {
    if (!external) void loadRunCounts(versionId)
  }, [versionId, external, finishedCount, loadRunCounts])
  useEffect(() => {
    void loadDatasetIds(choice.startsWith(DATASET) ? Number(choice.slice(DATASET.length)) : null)
  }, [choice, loadDatasetIds])
  useEffect(() => {
    if (external) return
    const empty = dataset
      ? 'This dataset has no items.'
      : 'Nothing is selected: select items in the Data table (x) first.'
    void estimateRun({ versionId, scope, itemIds: runIds, batch }, empty)
  }, [versionId, dataset, scope, runIds, selected, external, finishedCount, batch, estimateRun])
  // A run's progress comes into view when it starts: the form may sit below the fold.
  const activeId = active?.id
  useEffect(() => {
    if (activeId !== undefined) progress.current?.scrollIntoView({ block: 'nearest' })
  }, [activeId])
  // Test verdicts join the list once test results are shown (here, on Calibrate or in a report).
  useEffect(() => void loadRunVerdicts(versionId), [versionId, finishedCount, testReveals, loadRunVerdicts])
  // When a run ends, the metrics and lists change.
  useEffect(() => {
    if (finishedCount > 0) onChanged()
  }, [finishedCount, onChanged])

  const start = async () => {
    if (external || active) return
    if (estimate?.touchesTest && !confirmTest) {
      useStore
        .getState()
        .showError(
          'This scope includes test items: tick "final test evaluation" to confirm (the test set is for one final measurement).',
        )
      return
    }
    const itemIds = runIds ?? (dataset ? [] : undefined)
    if (await startRun({ versionId, scope, itemIds, confirmTest, concurrency, batch }))
      setRun((r) => ({ ...r, confirmTest: false }))
  }
  const resume = (runId: number, retryErrors: boolean) => void resumeRun({ runId, retryErrors, concurrency })
  useKeyAction('judges.run', () => void start(), !external)
  useKeyAction('judges.cancel', () => active && void cancelRun(active.id), active !== undefined)
  useKeyAction('judges.resume', () => resumable && resume(resumable.id, false), resumable !== undefined && !active)

  return (
    <section className="run-panel">
      <h2>Run</h2>
      {external ? (
        <p className="muted">
          This version holds verdicts recorded elsewhere (imported from a file, or the demo's synthetic judge): there is
          nothing to run. Create a judge with a prompt and a model (n) to run one here.
        </p>
      ) : (
        <RunForm run={run} onRun={setRun} active={active !== undefined} onStart={() => void start()} />
      )}
      <RunsTable
        merged={merged}
        active={active}
        progress={progress}
        onResume={resume}
        onCancel={(runId) => void cancelRun(runId)}
      />
      <RunErrors errors={verdicts.filter((v) => v.verdict === 'error')} lockedTestErrors={lockedTestErrors} />
    </section>
  )
}
