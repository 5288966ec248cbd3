import type { StateCreator } from 'zustand'
import type { Input } from '../../../shared/contract'
import type { UserSettings } from '../../../shared/domain'
import { attempt, call, errorText, request } from '../../api'
import { setPreset } from '../../keyboard'
import type { Store } from '../index'
import type { LabelSlice, UnlabeledQuery } from './label'

type SetState = Parameters<StateCreator<Store, [], [], LabelSlice>>[0]
type Get = () => Store

/** Criteria: each change is followed by the list again (labeled counts and versions move with it). */
function criterionActions(set: SetState, get: Get) {
  const relist = async () => set({ criteria: await call('criteria.list', {}) })
  return {
    async updateCriterion(id: number, definition: string) {
      const done = await attempt(async () => {
        await call('criteria.update', { id, definition })
        await relist()
        return true
      })
      return done ?? false
    },
    async createCriterion(name: string, definition: string) {
      const made = await attempt(async () => {
        const created = await call('criteria.create', { name, definition })
        await relist()
        return created
      })
      return made ?? null
    },
    async renameCriterion(id: number, name: string) {
      const done = await attempt(async () => {
        await call('criteria.rename', { id, name })
        await relist()
        return true
      })
      return done ?? false
    },
    loadAgreement(criterionId: number) {
      set({ agreementOf: criterionId })
      // A table that cannot be had is an empty one: no banner for it.
      void call('criteria.agreement', { id: criterionId }).then(
        (rows) => get().agreementOf === criterionId && set({ agreement: rows }),
        () => get().agreementOf === criterionId && set({ agreement: [] }),
      )
    },
  }
}

/** The session setup: the annotator, the counts of the order picker, and starting a session. */
export function labelSetupActions(set: SetState, get: Get) {
  return {
    ...criterionActions(set, get),
    async loadLabeling() {
      const loaded = await attempt(() =>
        Promise.all([call('settings.get', {}), call('criteria.list', {}), call('sessions.latest', {})]),
      )
      if (!loaded) return
      const [user, criteria, latest] = loaded
      setPreset(user.keymap)
      set({ user, criteria, latest })
    },
    async loadUser() {
      const user = await attempt(() => call('settings.get', {}))
      if (user) set({ user })
    },
    async setUser(change: Partial<UserSettings>) {
      await attempt(async () => {
        const user = await call('settings.set', change)
        setPreset(user.keymap)
        set({ user })
        if (change.annotator) set({ latest: await call('sessions.latest', {}) })
        return true
      })
    },
    loadUnlabeled(query: UnlabeledQuery | null) {
      const generation = get().unlabeledGeneration + 1
      set({ unlabeledGeneration: generation })
      if (!query) {
        set({ unlabeled: null })
        return
      }
      const live = () => get().unlabeledGeneration === generation
      void call('sessions.counts', { criterionId: query.criterionId, step: query.step, ...query.items }).then(
        (counts) => live() && set({ unlabeled: counts }),
        (error: unknown) => live() && get().showError(errorText(error)),
      )
    },
    leaveSetup() {
      set({ unlabeled: null, agreement: null, agreementOf: null, unlabeledGeneration: get().unlabeledGeneration + 1 })
    },
    async startSession(settings: Input<'sessions.create'>) {
      const session = await request('sessions.create', settings)
      if (!session) return false
      get().openSession(session)
      return true
    },
  }
}
