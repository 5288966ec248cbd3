import type { StateCreator } from 'zustand'
import type { SessionView } from '../../../shared/domain'
import { call, errorText } from '../../api'
import type { Store } from '../index'
import type { LabelSlice } from './label'

type SetState = Parameters<StateCreator<Store, [], [], LabelSlice>>[0]
type Get = () => Store

/** How many items ahead (and one behind) the Label screen keeps loaded, so the next one appears at once. */
const PREFETCH_AHEAD = 4
/** The most item details kept: the items around the cursor are all a session needs. */
const DETAILS_KEPT = 60

/**
 * Loads the details of the items around the cursor that are neither loaded nor on their way.
 * The item under the cursor is asked for at once; the ones ahead are asked for in a task of their
 * own, after the keypress that moved the cursor has been rendered: starting a request costs the
 * page a few milliseconds (more under load), which the next trace's paint need not wait for.
 */
export function prefetch(set: SetState, get: Get): void {
  const current = get().session?.items.at(get().position)?.id
  if (current !== undefined) load(set, get, [current])
  setTimeout(() => {
    const { session, position } = get()
    if (!session) return
    const around: number[] = []
    for (let i = Math.max(0, position - 1); i <= position + PREFETCH_AHEAD; i++) {
      const id = session.items.at(i)?.id
      if (id !== undefined) around.push(id)
    }
    load(set, get, around)
  }, 0)
}

/**
 * Fetches the details of `ids` not yet loaded or on their way, marking them as on their way in one
 * update. One that could not be had (the server gone, the item deleted meanwhile) is kept in
 * `unloaded` with why, and asked for again the next time it is wanted.
 */
function load(set: SetState, get: Get, ids: number[]): void {
  const { details, prefetching, unloaded } = get()
  const missing = ids.filter((id) => !details.has(id) && !prefetching.has(id))
  if (missing.length === 0) return
  set({
    prefetching: new Set([...prefetching, ...missing]),
    ...(missing.some((id) => unloaded.has(id)) && {
      unloaded: new Map([...unloaded].filter(([id]) => !missing.includes(id))),
    }),
  })
  const arrived = (id: number) => {
    const rest = new Set(get().prefetching)
    rest.delete(id)
    return rest
  }
  for (const id of missing)
    call('items.get', { id }).then(
      (detail) => {
        const next = new Map(get().details).set(id, detail)
        const oldest = next.keys().next()
        if (next.size > DETAILS_KEPT && !oldest.done) next.delete(oldest.value)
        set({ prefetching: arrived(id), details: next })
      },
      (error: unknown) =>
        set({ prefetching: arrived(id), unloaded: new Map(get().unloaded).set(id, errorText(error)) }),
    )
}

/** A note typed for an item that already has a verdict is saved when the user moves on. */
function flushDraft(get: Get): void {
  const { session, position, drafts } = get()
  const item = session?.items[position]
  const draft = item ? drafts.get(item.id) : undefined
  if (item?.label && draft !== undefined && draft !== item.label.note)
    void get().label(item.label.verdict, { advance: false })
}

/** Opening, leaving and moving through a session. */
export function labelSessionActions(set: SetState, get: Get) {
  return {
    openSession(session: SessionView) {
      const open = session.items.findIndex((i) => i.label === null)
      set({
        session,
        latest: session,
        position: open < 0 ? session.items.length : open,
        drafts: new Map(),
        acks: [],
        tagMode: false,
        lastWrite: null,
        stepFocus: null,
      })
      get().setScreen('label')
      prefetch(set, get)
    },
    leaveSession() {
      flushDraft(get)
      set({ session: null, tagMode: false })
      void get().loadLabeling()
    },
    resetLabeling() {
      set({
        session: null,
        latest: null,
        details: new Map(),
        drafts: new Map(),
        prefetching: new Set(),
        unloaded: new Map(),
        queueChanges: 0,
      })
    },
    go(index: number) {
      const { session, position } = get()
      if (!session) return
      const next = Math.min(Math.max(0, index), session.items.length)
      if (next === position) return
      flushDraft(get)
      set({ position: next, tagMode: false, stepFocus: null })
      prefetch(set, get)
    },
    retryItem() {
      prefetch(set, get)
    },
    setDraft(itemId: number, text: string) {
      set({ drafts: new Map(get().drafts).set(itemId, text) })
    },
    setTagMode: (tagMode: boolean) => set({ tagMode }),
    moveStep(delta: number) {
      const { session, position, details, stepFocus } = get()
      const id = session?.items[position]?.id
      const steps = (id === undefined ? undefined : details.get(id)?.steps) ?? []
      if (steps.length === 0) return
      const first = delta > 0 ? 0 : steps.length - 1
      set({ stepFocus: stepFocus === null ? first : Math.min(Math.max(0, stepFocus + delta), steps.length - 1) })
    },
  }
}
