import type { StateCreator } from 'zustand'
import type { CollectBatch, CollectStatus } from '../../../shared/collect'
import { request } from '../../api'
import type { Store } from '../index'

/** Data → "Receive traces": whether the open project receives OTLP traces, where, and what came last. */
export interface CollectSlice {
  /** The receiver's state as the core last told it (not running until asked). */
  receiving: CollectStatus
  /** The last committed export request, for the toolbar's line. */
  lastBatch: CollectBatch | null
  /** Starts or stops the receiver (the button and its key). */
  toggleReceiving: () => Promise<void>
  /** Asks the core again (a project opened or closed: the core stops its receiver then). */
  refreshReceiving: () => Promise<void>
  /** A `collect.batch` event: the counts move and the table reloads in place. */
  collectBatch: (batch: CollectBatch) => void
}

const STOPPED: CollectStatus = { running: false, endpoint: null, traces: 0, spans: 0 }

/** The collect slice (Data → "Receive traces"). */
export const createCollectSlice: StateCreator<Store, [], [], CollectSlice> = (set, get) => ({
  receiving: STOPPED,
  lastBatch: null,
  async toggleReceiving() {
    const status = get().receiving.running ? await request('collect.stop', {}) : await request('collect.start', {})
    if (status) set({ receiving: status, lastBatch: null })
  },
  async refreshReceiving() {
    const status = await request('collect.status', {})
    set({ receiving: status ?? STOPPED })
  },
  collectBatch(batch) {
    const { receiving } = get()
    if (!receiving.running) return
    set({
      lastBatch: batch,
      receiving: { ...receiving, traces: receiving.traces + batch.newTraces, spans: receiving.spans + batch.spans },
    })
    void get().refreshRows()
  },
})
