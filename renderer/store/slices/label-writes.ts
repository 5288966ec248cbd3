import type { StateCreator } from 'zustand'
import type { LabelState, SessionItem } from '../../../shared/domain'
import { call, errorText, request } from '../../api'
import type { Store } from '../index'
import type { LabelSlice } from './label'
import { prefetch } from './label-session'

type SetState = Parameters<StateCreator<Store, [], [], LabelSlice>>[0]
type Get = () => Store

/** Puts an item's new state into the session (by id: the queue may have moved meanwhile). */
function merge(set: SetState, get: Get, sessionId: number, item: SessionItem, queue?: number[]): void {
  const session = get().session
  if (session?.id !== sessionId) return
  let items = session.items.map((i) => (i.id === item.id ? item : i))
  if (queue) {
    const byId = new Map(items.map((i) => [i.id, i]))
    items = queue.flatMap((id) => byId.get(id) ?? [])
  }
  set({ session: { ...session, items } })
}

/** Counts a save in flight for an item (+1 when sent, -1 when answered). */
function bump(set: SetState, get: Get, itemId: number, delta: number): void {
  set({ saving: bumped(get, itemId, delta) })
}

/** The saves in flight with one more (or one fewer) for an item. */
function bumped(get: Get, itemId: number, delta: number): Map<number, number> {
  const saving = new Map(get().saving)
  const n = (saving.get(itemId) ?? 0) + delta
  if (n > 0) saving.set(itemId, n)
  else saving.delete(itemId)
  return saving
}

/** Runs a write after the writes sent before it (see `LabelSlice.writes`). */
function inOrder<T>(set: SetState, get: Get, write: () => Promise<T>): Promise<T> {
  const run = get().writes.then(write, write)
  set({ writes: run.catch(() => undefined) })
  return run
}

/**
 * Moves on at once after a verdict key, in the one store update of the keypress (with `saving`,
 * the save just counted); the item shows as labeled when the save has committed.
 */
function advancePast(
  set: SetState,
  get: Get,
  verdict: LabelState['verdict'],
  item: SessionItem,
  saving: Map<number, number>,
): void {
  const { session, position } = get()
  if (!session) {
    set({ saving })
    return
  }
  if (verdict === 'defer') {
    const items = [...session.items.filter((i) => i.id !== item.id), item]
    set({
      saving,
      queueChanges: get().queueChanges + 1,
      session: { ...session, items },
      tagMode: false,
      stepFocus: null,
    })
  } else set({ saving, position: position + 1, tagMode: false, stepFocus: null })
  prefetch(set, get)
}

/** The session's writes: a verdict, an undo, a tag; each in the order its key was pressed. */
export function labelWriteActions(set: SetState, get: Get) {
  return {
    async label(verdict: LabelState['verdict'], options: { firstFailingStep?: number | null; advance?: boolean } = {}) {
      const { session, position, drafts } = get()
      const item = session?.items[position]
      if (!session || !item) return
      const note = drafts.get(item.id) ?? item.label?.note ?? ''
      const firstFailingStep =
        options.firstFailingStep !== undefined ? options.firstFailingStep : (item.label?.firstFailingStep ?? null)
      const saving = bumped(get, item.id, 1)
      if (options.advance ?? true) advancePast(set, get, verdict, item, saving)
      else set({ saving })
      const queueAt = get().queueChanges
      try {
        const saved = await inOrder(set, get, () =>
          call('labels.save', { sessionId: session.id, itemId: item.id, verdict, note, firstFailingStep }),
        )
        merge(set, get, session.id, saved.item, queueAt === get().queueChanges ? saved.queue : undefined)
        const rest = new Map(get().drafts)
        if (rest.get(item.id) === note) rest.delete(item.id)
        const current = get().session
        set({
          drafts: rest,
          acks: [...get().acks.slice(-50), performance.now()],
          lastWrite: { externalId: item.externalId, what: verdict },
          ...(current ? { session: { ...current, saturation: saved.saturation } } : {}),
        })
      } catch (error) {
        get().showError(
          `The label of ${item.externalId} was not saved (${errorText(error)}). It is still unlabeled: label it again.`,
        )
      } finally {
        bump(set, get, item.id, -1)
      }
    },
    async undo() {
      const session = get().session
      if (!session) return
      const undone = await inOrder(set, get, () => request('labels.undo', { sessionId: session.id }))
      if (!undone) return
      const { item, saturation } = undone
      if (!item) {
        get().showError('Nothing left to undo in this session.')
        return
      }
      merge(set, get, session.id, item)
      const current = get().session
      const index = current?.items.findIndex((i) => i.id === item.id) ?? -1
      const drafts = new Map(get().drafts)
      drafts.delete(item.id)
      if (current)
        set({ session: { ...current, saturation }, drafts, lastWrite: { externalId: item.externalId, what: 'undo' } })
      if (index >= 0) get().go(index)
    },
    async toggleTag(modeIndex: number) {
      const { session, position } = get()
      const item = session?.items[position]
      const mode = session?.modes[modeIndex]
      set({ tagMode: false })
      if (!session || !item || !mode) return
      bump(set, get, item.id, 1)
      const on = !item.tags.includes(mode.id)
      const tagged = await inOrder(set, get, () =>
        request('labels.tag', { sessionId: session.id, itemId: item.id, criterionId: mode.id, on }),
      )
      if (tagged) {
        merge(set, get, session.id, tagged.item)
        const current = get().session
        if (current) set({ session: { ...current, saturation: tagged.saturation } })
      }
      bump(set, get, item.id, -1)
    },
  }
}
