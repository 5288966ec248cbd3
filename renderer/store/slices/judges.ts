import type { StateCreator } from 'zustand'
import type { Input, Output } from '../../../shared/contract'
import type { CriterionInfo } from '../../../shared/domain'
import type { DiffLine, JudgeDetail, JudgeSummary } from '../../../shared/judges'
import { call, errorText } from '../../api'
import type { Store } from '../index'
import { createRunSlice, type RunSlice } from './judge-runs'

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

export interface JudgesSlice extends RunSlice {
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
  /** Creates a judge; resolves to its index in the refetched list (null when refused). */
  createJudge: (judge: Input<'judges.create'>) => Promise<number | null>
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

/** The project's judges. */
export const selectJudgeList = (s: Store): JudgeSummary[] => s.judges.list
/** The chosen judge's detail (null before it arrives, or with no judge). */
export const selectJudgeDetail = (s: Store): JudgeDetail | null => s.judges.detail
/** The model profiles a judge can use. */
export const selectJudgeProfiles = (s: Store): JudgesState['profiles'] => s.judges.profiles

/** The Judges screen's slice (runs in ./judge-runs): its actions call the API; the screen keeps the drafts. */
export const createJudgesSlice: StateCreator<Store, [], [], JudgesSlice> = (set, get, api) => {
  /** Runs API calls; an error goes to the banner and resolves to null. */
  const request = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work()
    } catch (error) {
      get().showError(errorText(error))
      return null
    }
  }
  const patch = (change: Partial<JudgesState>) => set({ judges: { ...get().judges, ...change } })
  /** Applies an answer only if the screen was not left since the request. */
  const fresh = () => {
    const { generation } = get().judges
    return () => get().judges.generation === generation
  }

  return {
    ...createRunSlice(set, get, api),
    judges: EMPTY,
    async loadJudgeLists() {
      const current = fresh()
      const lists = await request(() =>
        Promise.all([call('judges.list', {}), call('criteria.list', {}), call('profiles.list', {})]),
      )
      if (lists && current()) patch({ list: lists[0], criteria: lists[1], profiles: lists[2].profiles })
    },
    async loadJudgeDetail(judgeId, revealVersion = null) {
      if (judgeId === null) {
        patch({ detail: null })
        return null
      }
      const current = fresh()
      const detail = await request(() => call('judges.get', { id: judgeId, revealVersion }))
      if (detail && current()) patch({ detail })
      return detail
    },
    async saveJudgeVersion(draft) {
      const saved = await request(() => call('judges.save', draft))
      if (!saved) return null
      await get().loadJudgeDetail(draft.judgeId)
      return saved
    },
    async previewJudge(draft, externalId) {
      const current = fresh()
      const p = await request(async () => {
        const found = await call('items.locate', { externalId })
        return call('judges.preview', { ...draft, itemId: found.id })
      })
      if (p && current())
        patch({
          preview: {
            itemId: externalId,
            text: p.problems.length ? `${p.problems.join('\n')}\n\n${p.text}` : p.text,
            tokens: p.tokens,
          },
        })
    },
    setJudgePreviewItem(itemId) {
      const { preview } = get().judges
      if (preview) patch({ preview: { ...preview, itemId } })
    },
    async diffJudgeVersions(from, to) {
      const current = fresh()
      const diff = await request(() => call('judges.diff', { from: from.id, to: to.id }))
      if (diff && current()) patch({ diff: { ...diff, title: `v${from.version} → v${to.version}` } })
    },
    clearJudgeAnswers: () => patch({ preview: null, diff: null }),
    async createJudge(judge) {
      const current = fresh()
      const made = await request(() => call('judges.create', judge))
      if (!made) return null
      const list = await request(() => call('judges.list', {}))
      if (!list || !current()) return null
      patch({ list })
      return Math.max(
        0,
        list.findIndex((j) => j.id === made.id),
      )
    },
    saveJudgeSplits: async (input) => (await request(() => call('judges.splits', input))) !== null,
    leaveJudges() {
      set({ judges: { ...EMPTY, generation: get().judges.generation + 1 } })
      get().leaveRuns()
    },
  }
}
