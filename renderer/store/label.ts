import type { StateCreator } from 'zustand'
import type { CriterionInfo, ItemDetail, LabelState, SessionItem, SessionView, UserSettings } from '../../shared/domain'
import type { Input } from '../../shared/contract'
import { call, errorText } from '../api'
import { setPreset } from '../keyboard'
import type { Store } from '.'

/** How many items ahead (and one behind) the Label screen keeps loaded, so the next one appears at once. */
const PREFETCH_AHEAD = 4

export interface LabelSlice {
  user: UserSettings | null
  criteria: CriterionInfo[]
  /** The annotator's newest session, offered for resuming on the setup screen. */
  latest: SessionView | null
  session: SessionView | null
  /** Index into `session.items`; `items.length` means the end-of-session summary. */
  position: number
  details: Map<number, ItemDetail>
  /** Saves in flight per item id: an item shows as labeled only once its save has committed. */
  saving: Map<number, number>
  /** Unsaved note text per item. */
  drafts: Map<number, string>
  /** When each save was acknowledged (performance.now), for items per minute. */
  acks: number[]
  tagMode: boolean
  /** The newest committed write of the session (a verdict or an undo), for the screen reader's live region. */
  lastWrite: { externalId: string; what: LabelState['verdict'] | 'undo' } | null
  /** The pipeline step `[` / `]` point at. */
  stepFocus: number | null
  loadLabeling(): Promise<void>
  setUser(change: Partial<UserSettings>): Promise<void>
  updateCriterion(id: number, definition: string): Promise<boolean>
  /** Adds a criterion; resolves to it (null when refused: the error is shown). */
  createCriterion(name: string, definition: string): Promise<CriterionInfo | null>
  renameCriterion(id: number, name: string): Promise<boolean>
  startSession(settings: Input<'sessions.create'>): Promise<boolean>
  openSession(session: SessionView): void
  leaveSession(): void
  go(index: number): void
  label(
    verdict: LabelState['verdict'],
    options?: { firstFailingStep?: number | null; advance?: boolean },
  ): Promise<void>
  undo(): Promise<void>
  toggleTag(modeIndex: number): Promise<void>
  setDraft(itemId: number, text: string): void
  setTagMode(on: boolean): void
  moveStep(delta: number): void
}

const loading = new Set<number>()

/**
 * Label writes go to the core one after another, in the order of the keys pressed: requests on
 * separate connections could otherwise arrive out of order, and an undo pressed while a save is
 * in flight must take back that save, not the one before it.
 */
let writes: Promise<unknown> = Promise.resolve()
function inOrder<T>(write: () => Promise<T>): Promise<T> {
  const run = writes.then(write, write)
  writes = run.catch(() => undefined)
  return run
}

/**
 * Counts the queue changes made here (a defer moves its item to the end at once). A save's
 * answer carries the queue as the core saw it then; it may only replace the local order when no
 * later change was made meanwhile, or an old queue would move items under the reviewer's cursor
 * (and a note being typed would land on the next item).
 */
let queueChanges = 0

export const createLabelSlice: StateCreator<Store, [], [], LabelSlice> = (set, get) => {
  /** Puts an item's new state into the session (by id: the queue may have moved meanwhile). */
  const merge = (sessionId: number, item: SessionItem, queue?: number[]) => {
    const session = get().session
    if (!session || session.id !== sessionId) return
    let items = session.items.map((i) => (i.id === item.id ? item : i))
    if (queue) {
      const byId = new Map(items.map((i) => [i.id, i]))
      items = queue.map((id) => byId.get(id)!).filter(Boolean)
    }
    set({ session: { ...session, items } })
  }
  const bump = (itemId: number, delta: number) => {
    const saving = new Map(get().saving)
    const n = (saving.get(itemId) ?? 0) + delta
    if (n > 0) saving.set(itemId, n)
    else saving.delete(itemId)
    set({ saving })
  }
  const prefetch = () => {
    const { session, position, details } = get()
    if (!session) return
    for (let i = position - 1; i <= position + PREFETCH_AHEAD; i++) {
      const id = session.items[i]?.id
      if (id === undefined || details.has(id) || loading.has(id)) continue
      loading.add(id)
      void call('items.get', { id }).then(
        (detail) => {
          loading.delete(id)
          const next = new Map(get().details).set(id, detail)
          // Keep the cache small: the items around the cursor are all a session needs.
          if (next.size > 60) next.delete(next.keys().next().value!)
          set({ details: next })
        },
        (error: unknown) => {
          loading.delete(id)
          get().showError(errorText(error))
        },
      )
    }
  }
  /** A note typed for an item that already has a verdict is saved when the user moves on. */
  const flushDraft = () => {
    const { session, position, drafts } = get()
    const item = session?.items[position]
    const draft = item ? drafts.get(item.id) : undefined
    if (item && draft !== undefined && item.label && draft !== item.label.note)
      void get().label(item.label.verdict, { advance: false })
  }

  return {
    user: null,
    criteria: [],
    latest: null,
    session: null,
    position: 0,
    details: new Map(),
    saving: new Map(),
    drafts: new Map(),
    acks: [],
    tagMode: false,
    lastWrite: null,
    stepFocus: null,

    async loadLabeling() {
      try {
        const [user, criteria, latest] = await Promise.all([
          call('settings.get', {}),
          call('criteria.list', {}),
          call('sessions.latest', {}),
        ])
        setPreset(user.keymap)
        set({ user, criteria, latest })
      } catch (error) {
        get().showError(errorText(error))
      }
    },
    async setUser(change) {
      try {
        const user = await call('settings.set', change)
        setPreset(user.keymap)
        set({ user })
        if (change.annotator) set({ latest: await call('sessions.latest', {}) })
      } catch (error) {
        get().showError(errorText(error))
      }
    },
    async updateCriterion(id, definition) {
      try {
        await call('criteria.update', { id, definition })
        set({ criteria: await call('criteria.list', {}) })
        return true
      } catch (error) {
        get().showError(errorText(error))
        return false
      }
    },
    async createCriterion(name, definition) {
      try {
        const made = await call('criteria.create', { name, definition })
        set({ criteria: await call('criteria.list', {}) })
        return made
      } catch (error) {
        get().showError(errorText(error))
        return null
      }
    },
    async renameCriterion(id, name) {
      try {
        await call('criteria.rename', { id, name })
        set({ criteria: await call('criteria.list', {}) })
        return true
      } catch (error) {
        get().showError(errorText(error))
        return false
      }
    },
    async startSession(settings) {
      try {
        get().openSession(await call('sessions.create', settings))
        return true
      } catch (error) {
        get().showError(errorText(error))
        return false
      }
    },
    openSession(session) {
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
        screen: 'label',
      })
      prefetch()
    },
    leaveSession() {
      flushDraft()
      set({ session: null, tagMode: false })
      void get().loadLabeling()
    },
    go(index) {
      const { session, position } = get()
      if (!session) return
      const next = Math.min(Math.max(0, index), session.items.length)
      if (next === position) return
      flushDraft()
      set({ position: next, tagMode: false, stepFocus: null })
      prefetch()
    },
    async label(verdict, options = {}) {
      const { session, position, drafts } = get()
      const item = session?.items[position]
      if (!session || !item) return
      const note = drafts.get(item.id) ?? item.label?.note ?? ''
      const firstFailingStep =
        options.firstFailingStep !== undefined ? options.firstFailingStep : (item.label?.firstFailingStep ?? null)
      const advance = options.advance ?? true
      bump(item.id, 1)
      // Move on at once; the item shows as labeled when the save has committed.
      if (verdict === 'defer' && advance) {
        queueChanges++
        const items = [...session.items.filter((i) => i.id !== item.id), item]
        set({ session: { ...session, items }, tagMode: false, stepFocus: null })
        prefetch()
      } else if (advance) {
        set({ position: position + 1, tagMode: false, stepFocus: null })
        prefetch()
      }
      const queueAt = queueChanges
      try {
        const saved = await inOrder(() =>
          call('labels.save', { sessionId: session.id, itemId: item.id, verdict, note, firstFailingStep }),
        )
        merge(session.id, saved.item, queueAt === queueChanges ? saved.queue : undefined)
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
        bump(item.id, -1)
      }
    },
    async undo() {
      const session = get().session
      if (!session) return
      try {
        const { item, saturation } = await inOrder(() => call('labels.undo', { sessionId: session.id }))
        if (!item) {
          get().showError('Nothing left to undo in this session.')
          return
        }
        merge(session.id, item)
        const current = get().session
        const index = current?.items.findIndex((i) => i.id === item.id) ?? -1
        const drafts = new Map(get().drafts)
        drafts.delete(item.id)
        if (current)
          set({ session: { ...current, saturation }, drafts, lastWrite: { externalId: item.externalId, what: 'undo' } })
        if (index >= 0) get().go(index)
      } catch (error) {
        get().showError(errorText(error))
      }
    },
    async toggleTag(modeIndex) {
      const { session, position } = get()
      const item = session?.items[position]
      const mode = session?.modes[modeIndex]
      set({ tagMode: false })
      if (!session || !item || !mode) return
      bump(item.id, 1)
      try {
        const tagged = await inOrder(() =>
          call('labels.tag', {
            sessionId: session.id,
            itemId: item.id,
            criterionId: mode.id,
            on: !item.tags.includes(mode.id),
          }),
        )
        merge(session.id, tagged.item)
        const current = get().session
        if (current) set({ session: { ...current, saturation: tagged.saturation } })
      } catch (error) {
        get().showError(errorText(error))
      } finally {
        bump(item.id, -1)
      }
    },
    setDraft(itemId, text) {
      set({ drafts: new Map(get().drafts).set(itemId, text) })
    },
    setTagMode: (tagMode) => set({ tagMode }),
    moveStep(delta) {
      const { session, position, details, stepFocus } = get()
      const steps = details.get(session?.items[position]?.id ?? -1)?.steps ?? []
      if (steps.length === 0) return
      const at =
        stepFocus === null
          ? delta > 0
            ? 0
            : steps.length - 1
          : Math.min(Math.max(0, stepFocus + delta), steps.length - 1)
      set({ stepFocus: at })
    },
  }
}
