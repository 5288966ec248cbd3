import { useCallback, useEffect, useRef, useState } from 'react'
import { DEFAULT_AUDIT_SIZE } from '../../../shared/audit'
import { DEFAULT_TARGETS, type Targets } from '../../../shared/calibrate'
import { DEFAULT_METHOD, ERROR_POLICIES } from '../../../shared/stats'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { selectCalibrateCell, selectCalibrateChoices, selectCalibrationView } from '../../store/slices/calibrate'
import { Alternatives } from './Alternatives'
import { CalibrateBar } from './CalibrateBar'
import { EstimatePanel } from './EstimatePanel'
import type { CalibrateParams } from './format'
import { Matrices } from './Matrices'
import type { Cell } from './MatrixTable'

const DEFAULT_PARAMS: CalibrateParams = {
  method: DEFAULT_METHOD,
  iterations: 20_000,
  seed: 0,
  confidence: 0.95,
  sliceBy: null,
  targetWidth: 0.1,
  errors: 'exclude',
}

/**
 * Calibrate (DESIGN §3.6): is this judge good enough, and what is the real success rate? The
 * matrices per split with click-through to the disagreements, TPR/TNR against targets, the
 * corrected rate θ̂ with its named interval and bootstrap distribution, sensitivity, advice on
 * what to label next, slices and comparisons. It refetches whenever labels change.
 */
export function CalibrateScreen() {
  const labelsVersion = useStore((s) => s.labelsVersion)
  const runs = useStore((s) => s.runs)
  const choices = useStore(selectCalibrateChoices)
  const view = useStore(selectCalibrationView)
  const cell = useStore(selectCalibrateCell)
  const loadChoices = useStore((s) => s.loadCalibrateChoices)
  const loadCalibration = useStore((s) => s.loadCalibration)
  const openCalibrateCell = useStore((s) => s.openCalibrateCell)
  const refreshCell = useStore((s) => s.refreshCalibrateCell)
  const closeCell = useStore((s) => s.closeCalibrateCell)
  const saveCalibrateTargets = useStore((s) => s.saveCalibrateTargets)
  const leaveCalibrate = useStore((s) => s.leaveCalibrate)
  const startAudit = useStore((s) => s.startAudit)
  const resumeAudit = useStore((s) => s.resumeAudit)
  const [auditSize, setAuditSize] = useState(DEFAULT_AUDIT_SIZE)
  // The version picked; until the user picks one, the first choice.
  const [picked, setPicked] = useState<number | null>(null)
  const versionId = picked ?? choices?.[0]?.versionId ?? null
  const [params, setParams] = useState(DEFAULT_PARAMS)
  const [reveal, setReveal] = useState(false)
  const picker = useRef<HTMLSelectElement>(null)

  useEffect(() => {
    void loadChoices()
    return leaveCalibrate
  }, [loadChoices, leaveCalibrate])

  const finishedRuns = [...runs.values()].filter((r) => r.status === 'done').length
  const load = useCallback(async () => {
    if (versionId !== null) await loadCalibration({ versionId, ...params, revealTest: reveal })
  }, [versionId, params, reveal, loadCalibration])
  useEffect(() => void load(), [load, labelsVersion, finishedRuns])

  const openCell = (split: 'train' | 'dev' | 'test', c: Cell) => {
    if (versionId !== null) void openCalibrateCell({ versionId, split, ...c }, params.errors)
  }
  // A list that is open follows label changes, and the error policy (error verdicts move between cells).
  useEffect(() => void refreshCell(params.errors), [labelsVersion, params.errors, refreshCell])

  // The criterion's targets live in the project: the report grades the judge against the same ones.
  const targets = view?.targets ?? DEFAULT_TARGETS
  const saveTargets = async (next: Targets) => {
    if (view && (await saveCalibrateTargets(view.judge.criterionId, next))) await load()
  }

  const primary = view?.matrices.find((m) => m.split === 'test') ?? view?.matrices.find((m) => m.split === 'dev')
  const fix = () => {
    if (!cell || !view || cell.items.length === 0) return
    void useStore.getState().startSession({
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
    () => primary && openCell(primary.split, { human: 'pass', judge: 'fail' }),
    primary !== undefined,
  )
  useKeyAction(
    'calibrate.falsePass',
    () => primary && openCell(primary.split, { human: 'fail', judge: 'pass' }),
    primary !== undefined,
  )
  useKeyAction('calibrate.fix', fix, cell !== null && cell.items.length > 0)
  useKeyAction('calibrate.version', () => picker.current?.focus())
  const nextPolicy = ERROR_POLICIES[(ERROR_POLICIES.indexOf(params.errors) + 1) % ERROR_POLICIES.length]
  useKeyAction('calibrate.errors', () => setParams({ ...params, errors: nextPolicy }))
  useKeyAction('calibrate.close', closeCell, cell !== null)
  const audit = () => view && void startAudit(view.judge.versionId, auditSize)
  useKeyAction('calibrate.audit', audit, view !== null)

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
  return (
    <div className="calibrate">
      <CalibrateBar
        choices={choices}
        versionId={versionId}
        onVersion={(id) => {
          setPicked(id)
          closeCell()
          setReveal(false)
        }}
        params={params}
        onParams={setParams}
        targets={targets}
        onTargets={(next) => void saveTargets(next)}
        picker={picker}
      />
      {!view ? (
        <p className="muted calibrate-loading">Computing…</p>
      ) : (
        <div className="calibrate-body">
          <Matrices
            view={view}
            targets={targets}
            params={params}
            onCell={openCell}
            onReveal={() => setReveal(true)}
            onFix={fix}
          />
          <EstimatePanel view={view} params={params} onParams={setParams} />
          <Alternatives
            alternatives={view.alternatives}
            size={auditSize}
            onSize={setAuditSize}
            onAudit={audit}
            onResume={(id) => void resumeAudit(id)}
          />
        </div>
      )}
    </div>
  )
}
