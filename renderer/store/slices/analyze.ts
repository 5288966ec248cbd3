import type { StateCreator } from 'zustand'
import type { Output } from '../../../shared/contract'
import type { CriterionInfo, ItemDetail, NoteView, Taxonomy } from '../../../shared/domain'
import { attemptOrNull, call } from '../../api'
import type { Store } from '../index'

type Mode = Taxonomy['modes'][number]
/** A failure mode an LLM proposed from the notes (nothing is saved until the user creates it). */
export type Suggestion = Output<'taxonomy.suggest'>['suggestions'][number]

/** The Analyze screen's server data. */
export interface AnalyzeState {
  notes: NoteView[]
  /** The counted taxonomy; null until it arrives. */
  taxonomy: Taxonomy | null
  /** The Overall criterion (not a failure mode: `e` `0` edits its definition). */
  overall: CriterionInfo | null
  /** The metadata field the taxonomy is pivoted by. */
  pivot: string | null
  /** The trace opened from a note (`o`). */
  trace: ItemDetail | null
  /** Model profiles the LLM suggestions can use. */
  profiles: { id: string; name: string }[]
  /** The LLM's proposals; null before it was asked (the panel is closed). */
  suggestions: Suggestion[] | null
  /** A suggestion request is on its way. */
  suggesting: boolean
  /** Bumped on leaving the screen: answers to requests made before are dropped. */
  generation: number
  /** Bumped by every fetch of the notes and counts: only the newest answer is shown. */
  request: number
  /** Bumped when the suggestions panel closes: its pending answer is dropped. */
  suggestGeneration: number
}

export interface AnalyzeSlice {
  analyze: AnalyzeState
  /** Fetches the notes, the taxonomy (pivoted) and the Overall criterion. */
  loadAnalyze: () => Promise<void>
  setAnalyzePivot: (pivot: string | null) => void
  /** Puts a trace in a failure mode or takes it out, then refetches. */
  assignMode: (itemId: number, modeId: number, on: boolean) => Promise<void>
  /** Pins (or unpins) a trace as an example of a mode present (fail) or absent (pass), then refetches. */
  pinExample: (modeId: number, itemId: number, kind: 'pass' | 'fail', on: boolean) => Promise<void>
  /** A new mode from traces, optionally taking them out of another mode (a split); resolves to whether it worked. */
  createMode: (mode: { name: string; definition: string; itemIds: number[]; from: number | null }) => Promise<boolean>
  /** Renames a mode and gives it a new definition (a new version) where they changed. */
  editMode: (mode: Mode, name: string, definition: string) => Promise<boolean>
  mergeMode: (from: number, into: number) => Promise<boolean>
  deleteMode: (id: number) => Promise<boolean>
  openAnalyzeTrace: (itemId: number) => Promise<void>
  closeAnalyzeTrace: () => void
  loadSuggestProfiles: () => Promise<void>
  suggestModes: (profileId: string) => Promise<void>
  /** Makes a suggestion a mode, takes it off the list and refetches. */
  createSuggested: (suggestion: Suggestion) => Promise<void>
  /** Forgets the suggestions when their panel closes. */
  leaveSuggest: () => void
  /** Forgets the screen's data when it closes: it is fetched afresh when it opens. */
  leaveAnalyze: () => void
}

const EMPTY: AnalyzeState = {
  notes: [],
  taxonomy: null,
  overall: null,
  pivot: null,
  trace: null,
  profiles: [],
  suggestions: null,
  suggesting: false,
  generation: 0,
  request: 0,
  suggestGeneration: 0,
}

/** Every note of the project. */
export const selectNotes = (s: Store): NoteView[] => s.analyze.notes
/** The counted taxonomy (null while loading). */
export const selectTaxonomy = (s: Store): Taxonomy | null => s.analyze.taxonomy
/** The Overall criterion, if the project has one. */
export const selectOverall = (s: Store): CriterionInfo | null => s.analyze.overall
/** The metadata field the counts are pivoted by. */
export const selectPivot = (s: Store): string | null => s.analyze.pivot
/** The trace opened from a note. */
export const selectAnalyzeTrace = (s: Store): ItemDetail | null => s.analyze.trace

/** What the action groups share: the store, a patch of this slice's state, and the error-reporting call. */
interface Tools {
  get: () => Store
  patch: (change: Partial<AnalyzeState>) => void
  request: <T>(work: () => Promise<T>) => Promise<T | null>
}

/** Resolves to whether a request worked (writes whose answer is null). */
const worked = (answer: Promise<true | null>): Promise<boolean> => answer.then((done) => done ?? false)

/** Fetching the notes and counts, the pivot, the opened trace, and leaving. */
function loadActions({ get, patch, request }: Tools) {
  return {
    async loadAnalyze() {
      const { generation, pivot } = get().analyze
      const at = get().analyze.request + 1
      patch({ request: at })
      const loaded = await request(() =>
        Promise.all([call('notes.list', {}), call('taxonomy.get', { pivot }), call('criteria.list', {})]),
      )
      if (!loaded || get().analyze.generation !== generation || get().analyze.request !== at) return
      const [notes, taxonomy, criteria] = loaded
      patch({ notes, taxonomy, overall: criteria.find((c) => c.kind === 'overall') ?? null })
    },
    setAnalyzePivot(pivot: string | null) {
      patch({ pivot })
      void get().loadAnalyze()
    },
    async openAnalyzeTrace(itemId: number) {
      const { generation } = get().analyze
      const trace = await request(() => call('items.get', { id: itemId }))
      if (trace && get().analyze.generation === generation) patch({ trace })
    },
    closeAnalyzeTrace: () => patch({ trace: null }),
    leaveAnalyze() {
      const { generation, request: at, suggestGeneration } = get().analyze
      patch({ ...EMPTY, generation: generation + 1, request: at + 1, suggestGeneration })
    },
  } satisfies Partial<AnalyzeSlice>
}

/** Writes to the failure modes; each is followed by fresh counts (here or by the form that asked). */
function modeActions({ get, request }: Tools) {
  /** A write, then a fresh copy of the counts when it worked. */
  const write = async (work: () => Promise<unknown>): Promise<void> => {
    const done = await request(async () => {
      await work()
      return true as const
    })
    if (done) await get().loadAnalyze()
  }
  return {
    assignMode: (itemId: number, modeId: number, on: boolean) =>
      write(() => call('modes.assign', { itemId, modeId, on })),
    pinExample: (modeId: number, itemId: number, kind: 'pass' | 'fail', on: boolean) =>
      write(() => call('modes.example', { modeId, itemId, kind, on })),
    createMode: ({ name, definition, itemIds, from }: Parameters<AnalyzeSlice['createMode']>[0]) =>
      worked(
        request(async () => {
          const { id } = await call('modes.create', { name, definition, itemIds: from === null ? itemIds : [] })
          if (from !== null && itemIds.length > 0) await call('modes.move', { itemIds, from, to: id })
          return true as const
        }),
      ),
    editMode: (mode: Mode, name: string, definition: string) =>
      worked(
        request(async () => {
          if (name.trim() !== mode.name) await call('modes.rename', { id: mode.id, name })
          if (definition.trim() && definition.trim() !== mode.definition)
            await call('criteria.update', { id: mode.id, definition })
          return true as const
        }),
      ),
    mergeMode: (from: number, into: number) =>
      worked(request(() => call('modes.merge', { from, into }).then(() => true as const))),
    deleteMode: (id: number) => worked(request(() => call('modes.delete', { id }).then(() => true as const))),
  } satisfies Partial<AnalyzeSlice>
}

/** The LLM's suggestions of failure modes. */
function suggestActions({ get, patch, request }: Tools) {
  return {
    async loadSuggestProfiles() {
      const { suggestGeneration } = get().analyze
      // Without profiles the panel says where to add one; a failure reads the same.
      const listed = await call('profiles.list', {}).catch(() => null)
      if (listed && get().analyze.suggestGeneration === suggestGeneration) patch({ profiles: listed.profiles })
    },
    async suggestModes(profileId: string) {
      const { suggestGeneration, suggesting } = get().analyze
      if (!profileId || suggesting) return
      patch({ suggesting: true })
      const answer = await request(() => call('taxonomy.suggest', { profileId }))
      if (get().analyze.suggestGeneration !== suggestGeneration) return
      patch({ suggesting: false, ...(answer ? { suggestions: answer.suggestions } : {}) })
    },
    async createSuggested(s: Suggestion) {
      const { suggestGeneration } = get().analyze
      const made = await request(() =>
        call('modes.create', { name: s.name, definition: s.definition, itemIds: s.itemIds }),
      )
      if (!made) return
      if (get().analyze.suggestGeneration === suggestGeneration)
        patch({ suggestions: get().analyze.suggestions?.filter((x) => x !== s) ?? null })
      await get().loadAnalyze()
    },
    leaveSuggest() {
      const { suggestGeneration } = get().analyze
      patch({ profiles: [], suggestions: null, suggesting: false, suggestGeneration: suggestGeneration + 1 })
    },
  } satisfies Partial<AnalyzeSlice>
}

/** The Analyze screen's slice: its actions call the API; the screen keeps the list's cursor and filters. */
export const createAnalyzeSlice: StateCreator<Store, [], [], AnalyzeSlice> = (set, get) => {
  const request = attemptOrNull // an error goes to the banner and resolves to null
  const tools: Tools = { get, request, patch: (change) => set({ analyze: { ...get().analyze, ...change } }) }
  return { analyze: EMPTY, ...loadActions(tools), ...modeActions(tools), ...suggestActions(tools) }
}
