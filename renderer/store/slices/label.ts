import type { StateCreator } from 'zustand'
import type { Input, Output } from '../../../shared/contract'
import type {
  AgreementRow,
  CriterionInfo,
  ItemDetail,
  ItemFilter,
  LabelState,
  SessionItem,
  SessionView,
  UserSettings,
} from '../../../shared/domain'
import type { Store } from '../index'
import { labelSessionActions } from './label-session'
import { labelSetupActions } from './label-setup'
import { labelWriteActions } from './label-writes'

/** What `sessions.counts` is asked: a criterion, a step, and which items. */
export interface UnlabeledQuery {
  criterionId: number
  step: string | null
  items: { ids?: number[]; search?: string; filter?: ItemFilter }
}

/** The Label screen: the annotator, the criteria, the session being labeled and its writes. */
export interface LabelSlice {
  user: UserSettings | null
  criteria: CriterionInfo[]
  /** The annotator's newest session, offered for resuming on the setup screen. */
  latest: SessionView | null
  /** Cohen's κ rows of the setup's criterion (null until they arrive); an empty list when unavailable. */
  agreement: AgreementRow[] | null
  /** How many of the setup's items are unlabeled, for the order picker (null until asked). */
  unlabeled: Output<'sessions.counts'> | null
  /** The criterion whose agreement is asked for (null: the setup is closed); other answers are ignored. */
  agreementOf: number | null
  /** Bumped by every counts request, and on leaving the setup: older answers are ignored. */
  unlabeledGeneration: number
  session: SessionView | null
  /** Index into `session.items`; `items.length` means the end-of-session summary. */
  position: number
  details: Map<number, ItemDetail>
  /** Item ids whose details are being fetched for the session (not fetched twice). */
  prefetching: Set<number>
  /**
   * Items whose details could not be had, with why: the screen says so in place of the trace
   * (not "Loading…" for ever); asked again by `retryItem` or when the cursor comes back to them.
   */
  unloaded: Map<number, string>
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
  /**
   * Label writes go to the core one after another, in the order of the keys pressed: requests on
   * separate connections could otherwise arrive out of order, and an undo pressed while a save is
   * in flight must take back that save, not the one before it. This is the tail of that chain;
   * a reset keeps it, since it orders requests to the core, not what the screen shows.
   */
  writes: Promise<unknown>
  /**
   * Counts the queue changes made here (a defer moves its item to the end at once). A save's
   * answer carries the queue as the core saw it then; it may only replace the local order when no
   * later change was made meanwhile, or an old queue would move items under the reviewer's cursor
   * (and a note being typed would land on the next item).
   */
  queueChanges: number
  loadLabeling: () => Promise<void>
  setUser: (change: Partial<UserSettings>) => Promise<void>
  /** The user's settings alone: the Settings screen shows them with no project open. */
  loadUser: () => Promise<void>
  updateCriterion: (id: number, definition: string) => Promise<boolean>
  /** Adds a criterion; resolves to it (null when refused: the error is shown). */
  createCriterion: (name: string, definition: string) => Promise<CriterionInfo | null>
  renameCriterion: (id: number, name: string) => Promise<boolean>
  /** Loads the agreement table of a criterion (quietly empty when it cannot be had). */
  loadAgreement: (criterionId: number) => void
  /** Loads the unlabeled counts for the setup's choice (null criterion: none). */
  loadUnlabeled: (query: UnlabeledQuery | null) => void
  /** The setup screen closed: its counts and agreement go, and answers still on their way are ignored. */
  leaveSetup: () => void
  startSession: (settings: Input<'sessions.create'>) => Promise<boolean>
  openSession: (session: SessionView) => void
  leaveSession: () => void
  /** Forgets the session and everything loaded for it (another project was opened). */
  resetLabeling: () => void
  go: (index: number) => void
  /** Asks again for the details of the item under the cursor (and those around it) that could not be had. */
  retryItem: () => void
  label: (
    verdict: LabelState['verdict'],
    options?: { firstFailingStep?: number | null; advance?: boolean },
  ) => Promise<void>
  undo: () => Promise<void>
  toggleTag: (modeIndex: number) => Promise<void>
  setDraft: (itemId: number, text: string) => void
  setTagMode: (on: boolean) => void
  moveStep: (delta: number) => void
}

/** The item under the cursor of the session, if any (none at the summary). */
export const currentItem = (s: Pick<LabelSlice, 'session' | 'position'>): SessionItem | undefined =>
  s.session?.items[s.position]

/** Whether the session is at its end-of-session summary. */
export const sessionDone = (s: Pick<LabelSlice, 'session' | 'position'>): boolean =>
  s.session ? s.position >= s.session.items.length : false

/** Selectors of the label slice. */
export const labelSelectors = { currentItem, sessionDone }

/** The label slice: setup (annotator, criteria, counts), the session, and its ordered writes. */
export const createLabelSlice: StateCreator<Store, [], [], LabelSlice> = (set, get) => ({
  user: null,
  criteria: [],
  latest: null,
  agreement: null,
  unlabeled: null,
  agreementOf: null,
  unlabeledGeneration: 0,
  session: null,
  position: 0,
  details: new Map(),
  prefetching: new Set(),
  unloaded: new Map(),
  saving: new Map(),
  drafts: new Map(),
  acks: [],
  tagMode: false,
  lastWrite: null,
  stepFocus: null,
  writes: Promise.resolve(),
  queueChanges: 0,
  ...labelSetupActions(set, get),
  ...labelSessionActions(set, get),
  ...labelWriteActions(set, get),
})
