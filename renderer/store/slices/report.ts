import type { StateCreator } from 'zustand'
import type { Input, Output } from '../../../shared/contract'
import type { ReportData } from '../../../shared/report/data'
import { attemptOrNull, call } from '../../api'
import type { Store } from '../index'

/** The Report screen's server data: the judges to choose from and the report being previewed. */
export interface ReportState {
  /** Judge names for the picker. */
  judges: string[]
  data: ReportData | null
  /** Bumped on leaving the screen: answers to requests made before are dropped. */
  generation: number
  /** Bumped by every fetch of the report: only the newest answer is shown. */
  request: number
}

export interface ReportSlice {
  report: ReportState
  loadReportJudges: () => Promise<void>
  /** Builds the report's data (this records that test results were viewed). */
  loadReport: (request: Input<'report.get'>) => Promise<void>
  /** The report as a file to save; null when it failed (the banner says why). */
  renderReport: (request: Input<'report.render'>) => Promise<Output<'report.render'> | null>
  /** Forgets the report when the screen closes, so it is built again (and recorded) when asked for. */
  leaveReport: () => void
}

const EMPTY: ReportState = { judges: [], data: null, generation: 0, request: 0 }

/** The report preview's data behind the Report screen. */
export const selectReportData = (s: Store): ReportData | null => s.report.data
/** The judge names the Report screen offers. */
export const selectReportJudges = (s: Store): string[] => s.report.judges

/** The Report screen's slice: its actions call the API; the screen keeps only its choices. */
export const createReportSlice: StateCreator<Store, [], [], ReportSlice> = (set, get) => {
  const request = attemptOrNull // an error goes to the banner and resolves to null
  const patch = (change: Partial<ReportState>) => set({ report: { ...get().report, ...change } })

  return {
    report: EMPTY,
    async loadReportJudges() {
      const { generation } = get().report
      // The picker can do without the list: a failure leaves "every judge".
      const list = await call('judges.list', {}).catch(() => null)
      if (list && get().report.generation === generation) patch({ judges: list.map((j) => j.name) })
    },
    async loadReport(input) {
      const at = get().report.request + 1
      patch({ request: at })
      const data = await request(() => call('report.get', input))
      if (data && get().report.request === at) patch({ data })
    },
    renderReport: (input) => request(() => call('report.render', input)),
    leaveReport() {
      const { generation, request: at } = get().report
      set({ report: { ...EMPTY, generation: generation + 1, request: at + 1 } })
    },
  }
}
