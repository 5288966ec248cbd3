import type { StateCreator } from 'zustand'
import type { Input } from '../../../shared/contract'
import type { CalibrationView, CellItem, Targets } from '../../../shared/calibrate'
import type { ErrorPolicy } from '../../../shared/stats'
import { attemptOrNull, call, errorText } from '../../api'
import type { Store } from '../index'

type Split = 'train' | 'dev' | 'test'
/** One open confusion-matrix cell: which one, and its items (critique beside the human note). */
export interface OpenCell {
  versionId: number
  split: Split
  human: 'pass' | 'fail'
  judge: 'pass' | 'fail'
  items: CellItem[]
}

/** The Calibrate screen's server data. */
export interface CalibrateState {
  /** Judge versions that can be calibrated; null until they arrive. */
  choices: { versionId: number; label: string }[] | null
  view: CalibrationView | null
  cell: OpenCell | null
  /** Bumped on leaving the screen: answers to requests made before are dropped. */
  generation: number
  /** Bumped by every fetch of the view: only the newest answer may set it. */
  request: number
}

export interface CalibrateSlice {
  calibrate: CalibrateState
  loadCalibrateChoices: () => Promise<void>
  /** Fetches the view; an answer to an older request than the newest is dropped. */
  loadCalibration: (input: Input<'calibrate.get'>) => Promise<void>
  /** Lists the items of one cell of a version's matrix under an error policy. */
  openCalibrateCell: (cell: Omit<OpenCell, 'items'>, errors: ErrorPolicy) => Promise<void>
  /** Fetches the open cell's items again (labels changed, or the error policy). */
  refreshCalibrateCell: (errors: ErrorPolicy) => Promise<void>
  closeCalibrateCell: () => void
  /** Stores a criterion's TPR/TNR targets; resolves to whether it worked. */
  saveCalibrateTargets: (criterionId: number, targets: Targets) => Promise<boolean>
  /** Draws production items for the version's audit and opens the blind session that labels them. */
  startAudit: (versionId: number, size: number) => Promise<void>
  /** Opens the session of an audit's earlier draw, to go on labeling it. */
  resumeAudit: (sessionId: number) => Promise<void>
  /** Forgets the screen's data when it closes: it is fetched afresh when it opens. */
  leaveCalibrate: () => void
}

const EMPTY: CalibrateState = { choices: null, view: null, cell: null, generation: 0, request: 0 }

/** The calibratable judge versions (null while loading). */
export const selectCalibrateChoices = (s: Store): CalibrateState['choices'] => s.calibrate.choices
/** The calibration of the chosen version under the chosen parameters. */
export const selectCalibrationView = (s: Store): CalibrationView | null => s.calibrate.view
/** The matrix cell whose items are listed, if any. */
export const selectCalibrateCell = (s: Store): OpenCell | null => s.calibrate.cell

/** The Calibrate screen's slice: its actions call the API; the screen keeps only its parameters. */
export const createCalibrateSlice: StateCreator<Store, [], [], CalibrateSlice> = (set, get) => {
  const request = attemptOrNull // an error goes to the banner and resolves to null
  const patch = (change: Partial<CalibrateState>) => set({ calibrate: { ...get().calibrate, ...change } })

  return {
    calibrate: EMPTY,
    async loadCalibrateChoices() {
      const { generation } = get().calibrate
      const choices = await request(() => call('calibrate.choices', {}))
      if (choices && get().calibrate.generation === generation) patch({ choices })
    },
    async loadCalibration(input) {
      // Cycling the error policy (e e) or the method fast must not leave an older answer on
      // screen under the newer choice.
      const at = get().calibrate.request + 1
      patch({ request: at })
      try {
        const view = await call('calibrate.get', input)
        if (get().calibrate.request === at) patch({ view })
      } catch (error) {
        if (get().calibrate.request === at) get().showError(errorText(error))
      }
    },
    async openCalibrateCell({ versionId, split, human, judge }, errors) {
      const { generation } = get().calibrate
      const items = await request(() => call('calibrate.cell', { versionId, split, human, judge, errors }))
      if (items && get().calibrate.generation === generation) patch({ cell: { versionId, split, human, judge, items } })
    },
    async refreshCalibrateCell(errors) {
      const { cell } = get().calibrate
      if (cell) await get().openCalibrateCell(cell, errors)
    },
    closeCalibrateCell: () => patch({ cell: null }),
    async saveCalibrateTargets(criterionId, targets) {
      return (await request(() => call('calibrate.targets', { criterionId, targets }))) !== null
    },
    async startAudit(versionId, size) {
      const started = await request(() => call('audit.start', { versionId, size }))
      if (started) get().openSession(started.session)
    },
    async resumeAudit(sessionId) {
      const session = await request(() => call('sessions.get', { id: sessionId }))
      if (session) get().openSession(session)
    },
    leaveCalibrate() {
      const { generation, request: at } = get().calibrate
      set({ calibrate: { ...EMPTY, generation: generation + 1, request: at + 1 } })
    },
  }
}
