import type { StateCreator } from 'zustand'
import type { MergeReport } from '../../../shared/merge'
import { call, errorText } from '../../api'
import type { Store } from '../index'

/** File → Merge project…: whether the dialog is open, a merge runs, and what it reported. */
export interface MergeSlice {
  mergeOpen: boolean
  merging: boolean
  mergeReport: MergeReport | null
  mergeError: string | null
  /** Opens (with a fresh state) or closes the dialog; only with a project open. */
  setMergeOpen: (open: boolean) => void
  /** The desktop app's file dialog for the project to merge; null when cancelled. */
  pickMergeSource: () => Promise<string | null>
  /** Merges the project at `path` into the open one; the outcome shows in the dialog. */
  runMerge: (path: string) => Promise<void>
}

export const createMergeSlice: StateCreator<Store, [], [], MergeSlice> = (set, get) => ({
  mergeOpen: false,
  merging: false,
  mergeReport: null,
  mergeError: null,
  setMergeOpen: (open) =>
    set({ mergeOpen: open && get().project !== null, mergeReport: null, mergeError: null, merging: false }),
  async pickMergeSource() {
    try {
      return (await call('project.pick', { mode: 'merge' })).path
    } catch (error) {
      set({ mergeError: errorText(error) })
      return null
    }
  },
  async runMerge(path) {
    if (get().merging) return
    set({ merging: true, mergeError: null, mergeReport: null })
    try {
      set({ mergeReport: await call('merge.run', { path }) })
    } catch (error) {
      set({ mergeError: errorText(error) })
    } finally {
      set({ merging: false })
    }
  },
})
