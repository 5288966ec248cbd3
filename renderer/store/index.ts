import { create } from 'zustand'
import { createAnalyzeSlice, type AnalyzeSlice } from './slices/analyze'
import { createAppSlice, type AppSlice } from './slices/app'
import { createCalibrateSlice, type CalibrateSlice } from './slices/calibrate'
import { createCollectSlice, type CollectSlice } from './slices/collect'
import { createExportSlice, type ExportSlice } from './slices/export'
import { createImportSlice, type ImportSlice } from './slices/import'
import { createItemsSlice, type ItemsSlice } from './slices/items'
import { createJudgesSlice, type JudgesSlice } from './slices/judges'
import { createLabelSlice, type LabelSlice } from './slices/label'
import { createMergeSlice, type MergeSlice } from './slices/merge'
import { createReportSlice, type ReportSlice } from './slices/report'
import { createSettingsSlice, type SettingsSlice } from './slices/settings'

export { appSelectors, type Screen } from './slices/app'
export { isFiltered, itemsSelectors, PAGE_SIZE, rowAt } from './slices/items'
export { currentItem, labelSelectors, sessionDone } from './slices/label'

/** Every slice's state and actions: a slice reads the others through it and writes them through their actions. */
export type Store = AppSlice &
  ItemsSlice &
  LabelSlice &
  ImportSlice &
  ExportSlice &
  MergeSlice &
  SettingsSlice &
  AnalyzeSlice &
  JudgesSlice &
  CalibrateSlice &
  ReportSlice &
  CollectSlice

/** The one bound store, composed of one slice per feature (store/slices/*); actions call the API client. */
export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createItemsSlice(...a),
  ...createLabelSlice(...a),
  ...createImportSlice(...a),
  ...createExportSlice(...a),
  ...createMergeSlice(...a),
  ...createSettingsSlice(...a),
  ...createAnalyzeSlice(...a),
  ...createJudgesSlice(...a),
  ...createCalibrateSlice(...a),
  ...createReportSlice(...a),
  ...createCollectSlice(...a),
}))

// The desktop shell never restarts for an update while a labeling session is open: tell it when one opens or closes.
useStore.subscribe((state, previous) => {
  const open = state.session !== null
  if (open !== (previous.session !== null) && typeof window !== 'undefined') window.assay?.reportLabeling(open)
})
