import type { StateCreator } from 'zustand'
import type { Input, Output } from '../../../shared/contract'
import type { CriterionInfo } from '../../../shared/domain'
import type { DiffLine, JudgeDetail, JudgeSummary, RunEstimate, RunScope, VerdictView } from '../../../shared/judges'
import { DEFAULT_FILTER } from '../../../shared/table-query'
import { attemptOrNull, call, errorText } from '../../api'
import type { Store } from '../index'

/** A draft template rendered on one item (the item is the id the user typed). */
export interface JudgePreview {
  itemId: string
  text: string
  tokens: number
}
/** Two versions compared: the prompt's lines and the other changes. */
export interface JudgeDiff {
  prompt: DiffLine[]
  changes: string[]
  title: string
}

/** The Judges screen's server data. */
export interface JudgesState {
  list: JudgeSummary[]
  criteria: CriterionInfo[]
  profiles: Output<'profiles.list'>['profiles']
  /** The chosen judge: versions, runs, metrics, splits and few-shot candidates. */
  detail: JudgeDetail | null
  preview: JudgePreview | null
  diff: JudgeDiff | null
  /** Bumped on leaving the screen: answers to requests made before are dropped. */
  generation: number
}

/** The run form's server data: scope sizes, the items of a chosen dataset, the estimate, the verdicts. */
export interface JudgeRunState {
  counts: Output<'judges.scopes'> | null
  /** A dataset runs as a selection of its items; null while they are on their way (or none is chosen). */
  datasetIds: number[] | null
  estimate: RunEstimate | null
  estimateError: string | null
  /** The version's newest verdict per item (test items once revealed). */
  verdicts: VerdictView[]
  /** Bumped when the run form closes: answers to requests made before are dropped. */
  generation: number
  /** Bumped by every estimate: only the newest answer is shown. */
  request: number
}

export interface JudgesSlice {
  judgeRun: JudgeRunState
  loadRunCounts: (versionId: number) => Promise<void>
  /** Fetches a dataset's items to run on (null: no dataset chosen). */
  loadDatasetIds: (dataset: number | null) => Promise<void>
  /**
   * Estimates a run's cost and tokens; `itemIds` null means they are still on their way, an
   * empty list is refused with `empty`.
   */
  estimateRun: (
    run: { versionId: number; scope: RunScope; itemIds: number[] | null | undefined; batch: boolean },
    empty: string,
  ) => Promise<void>
  loadRunVerdicts: (versionId: number) => Promise<void>
  /** Starts a run (progress then comes as events); resolves to whether it started. */
  startRun: (input: Input<'judges.run'>) => Promise<boolean>
  resumeRun: (input: Input<'judges.resume'>) => Promise<void>
  cancelRun: (runId: number) => Promise<void>
  /** Forgets the run form's data (another version is shown, or the screen closed). */
  leaveRuns: () => void

  judges: JudgesState
  /** Fetches the judges, criteria and model profiles. */
  loadJudgeLists: () => Promise<void>
  /** Fetches a judge's detail (none: clears it); `revealVersion` shows that version's test results. */
  loadJudgeDetail: (judgeId: number | null, revealVersion?: number | null) => Promise<JudgeDetail | null>
  /** Saves a draft as a new version (or finds it unchanged), refetches, and resolves to the answer. */
  saveJudgeVersion: (draft: Input<'judges.save'>) => Promise<Output<'judges.save'> | null>
  /** Renders a draft on the item with this external id. */
  previewJudge: (draft: Omit<Input<'judges.preview'>, 'itemId'>, externalId: string) => Promise<void>
  setJudgePreviewItem: (itemId: string) => void
  diffJudgeVersions: (from: { id: number; version: number }, to: { id: number; version: number }) => Promise<void>
  /** Forgets the preview and the diff (another version is shown). */
  clearJudgeAnswers: () => void
  /** Creates a judge; resolves to its index in the refetched list (null: not listed), or null when refused. */
  createJudge: (judge: Input<'judges.create'>) => Promise<{ index: number | null } | null>
  /** New split shares and seed for a criterion; resolves to whether they were saved. */
  saveJudgeSplits: (input: Input<'judges.splits'>) => Promise<boolean>
  /** Forgets the screen's data when it closes: it is fetched afresh when it opens. */
  leaveJudges: () => void
}

const EMPTY: JudgesState = {
  list: [],
  criteria: [],
  profiles: [],
  detail: null,
  preview: null,
  diff: null,
  generation: 0,
}
const NO_RUN: JudgeRunState = {
  counts: null,
  datasetIds: null,
  estimate: null,
  estimateError: null,
  verdicts: [],
  generation: 0,
  request: 0,
}

/** The project's judges. */
export const selectJudgeList = (s: Store): JudgeSummary[] => s.judges.list
/** The chosen judge's detail (null before it arrives, or with no judge). */
export const selectJudgeDetail = (s: Store): JudgeDetail | null => s.judges.detail
/** The model profiles a judge can use. */
export const selectJudgeProfiles = (s: Store): JudgesState['profiles'] => s.judges.profiles

/** The run form's data for the shown version. */
export const selectJudgeRun = (s: Store): JudgeRunState => s.judgeRun

/** What the action groups share: the store, patches of this slice's state, and the error-reporting call. */
interface Tools {
  get: () => Store
  patch: (change: Partial<JudgesState>) => void
  patchRun: (change: Partial<JudgeRunState>) => void
  request: <T>(work: () => Promise<T>) => Promise<T | null>
}

/** A check that the screen was not left since the request was made. */
const freshness = (get: () => Store) => {
  const { generation } = get().judges
  return () => get().judges.generation === generation
}

/** The lists, a judge's detail, creating a judge, its splits, and leaving. */
function judgeActions({ get, patch, request }: Tools) {
  return {
    async loadJudgeLists() {
      const current = freshness(get)
      const lists = await request(() =>
        Promise.all([call('judges.list', {}), call('criteria.list', {}), call('profiles.list', {})]),
      )
      if (lists && current()) patch({ list: lists[0], criteria: lists[1], profiles: lists[2].profiles })
    },
    async loadJudgeDetail(judgeId: number | null, revealVersion: number | null = null) {
      if (judgeId === null) {
        patch({ detail: null })
        return null
      }
      const current = freshness(get)
      const detail = await request(() => call('judges.get', { id: judgeId, revealVersion }))
      if (detail && current()) patch({ detail })
      return detail
    },
    async createJudge(judge: Input<'judges.create'>) {
      const current = freshness(get)
      const made = await request(() => call('judges.create', judge))
      if (!made) return null
      const list = await request(() => call('judges.list', {}))
      if (!list || !current()) return { index: null }
      patch({ list })
      return {
        index: Math.max(
          0,
          list.findIndex((j) => j.id === made.id),
        ),
      }
    },
    saveJudgeSplits: async (input: Input<'judges.splits'>) =>
      (await request(() => call('judges.splits', input))) !== null,
    leaveJudges() {
      patch({ ...EMPTY, generation: get().judges.generation + 1 })
      get().leaveRuns()
    },
  } satisfies Partial<JudgesSlice>
}

/** Saving a draft as a version, its preview, and the diff between versions. */
function draftActions({ get, patch, request }: Tools) {
  return {
    async saveJudgeVersion(draft: Input<'judges.save'>) {
      const saved = await request(() => call('judges.save', draft))
      if (!saved) return null
      await get().loadJudgeDetail(draft.judgeId)
      return saved
    },
    async previewJudge(draft: Omit<Input<'judges.preview'>, 'itemId'>, externalId: string) {
      const current = freshness(get)
      const p = await request(async () => {
        const found = await call('items.locate', { externalId })
        return call('judges.preview', { ...draft, itemId: found.id })
      })
      if (!p || !current()) return
      const text = p.problems.length ? `${p.problems.join('\n')}\n\n${p.text}` : p.text
      patch({ preview: { itemId: externalId, text, tokens: p.tokens } })
    },
    setJudgePreviewItem(itemId: string) {
      const { preview } = get().judges
      if (preview) patch({ preview: { ...preview, itemId } })
    },
    async diffJudgeVersions(from: { id: number; version: number }, to: { id: number; version: number }) {
      const current = freshness(get)
      const diff = await request(() => call('judges.diff', { from: from.id, to: to.id }))
      if (diff && current()) patch({ diff: { ...diff, title: `v${from.version} → v${to.version}` } })
    },
    clearJudgeAnswers: () => patch({ preview: null, diff: null }),
  } satisfies Partial<JudgesSlice>
}

/** The run form: scope sizes, a dataset's items, the estimate and the verdicts. */
function runFormActions({ get, patchRun }: Tools) {
  /** Applies an answer only if the run form was not closed since the request. */
  const fresh = () => {
    const { generation } = get().judgeRun
    return () => get().judgeRun.generation === generation
  }
  return {
    async loadRunCounts(versionId: number) {
      const current = fresh()
      const counts = await call('judges.scopes', { versionId }).catch(() => null)
      if (current()) patchRun({ counts })
    },
    async loadDatasetIds(dataset: number | null) {
      patchRun({ datasetIds: null })
      if (dataset === null) return
      const current = fresh()
      try {
        const { ids } = await call('items.ids', { filter: { ...DEFAULT_FILTER, dataset } })
        if (current()) patchRun({ datasetIds: ids })
      } catch (error) {
        if (current()) patchRun({ estimateError: errorText(error) })
      }
    },
    async estimateRun({ versionId, scope, itemIds, batch }: Parameters<JudgesSlice['estimateRun']>[0], empty: string) {
      const at = get().judgeRun.request + 1
      patchRun({ estimate: null, estimateError: null, request: at })
      if (itemIds === null) return // its items are on their way
      if (scope === 'selection' && itemIds?.length === 0) {
        patchRun({ estimateError: empty })
        return
      }
      try {
        const estimate = await call('judges.estimate', { versionId, scope, itemIds, batch })
        if (get().judgeRun.request === at) patchRun({ estimate })
      } catch (error) {
        if (get().judgeRun.request === at) patchRun({ estimateError: errorText(error) })
      }
    },
    async loadRunVerdicts(versionId: number) {
      const current = fresh()
      const verdicts = await call('judges.verdicts', { versionId }).catch(() => [])
      if (current()) patchRun({ verdicts })
    },
    leaveRuns() {
      const { generation, request: at } = get().judgeRun
      patchRun({ ...NO_RUN, generation: generation + 1, request: at + 1 })
    },
  } satisfies Partial<JudgesSlice>
}

/** Starting, resuming and cancelling runs; their progress comes as `judge.run` events. */
function runActions({ get, request }: Tools) {
  return {
    async startRun(input: Input<'judges.run'>) {
      const run = await request(() => call('judges.run', input))
      if (run) get().setRun(run)
      return run !== null
    },
    async resumeRun(input: Input<'judges.resume'>) {
      const run = await request(() => call('judges.resume', input))
      if (run) get().setRun(run)
    },
    // A failed cancel is not caught here, as before the store held it.
    cancelRun: (runId: number) => call('judges.cancel', { runId }).then(() => undefined),
  } satisfies Partial<JudgesSlice>
}

/** The Judges screen's slice: its actions call the API; the screen keeps the drafts and choices. */
export const createJudgesSlice: StateCreator<Store, [], [], JudgesSlice> = (set, get) => {
  const request = attemptOrNull // an error goes to the banner and resolves to null
  const tools: Tools = {
    get,
    request,
    patch: (change) => set({ judges: { ...get().judges, ...change } }),
    patchRun: (change) => set({ judgeRun: { ...get().judgeRun, ...change } }),
  }
  return {
    judges: EMPTY,
    judgeRun: NO_RUN,
    ...judgeActions(tools),
    ...draftActions(tools),
    ...runFormActions(tools),
    ...runActions(tools),
  }
}
