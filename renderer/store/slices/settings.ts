import type { StateCreator } from 'zustand'
import type { Output } from '../../../shared/contract'
import type { ModelProfile } from '../../../shared/judges'
import { call, errorText, request } from '../../api'
import type { Store } from '../index'

/** A model profile as listed (with whether a key is stored for it). */
export type ListedProfile = Output<'profiles.list'>['profiles'][number]

/** The outcome of saving or testing a profile, for the form's status line. */
export interface ProfileStatus {
  ok: boolean
  message: string
}

/** The Settings screen: the model profiles and where their keys are kept. */
export interface SettingsSlice {
  profiles: ListedProfile[]
  /** Where API keys are stored (said beside the list). */
  keysWhere: string
  loadProfiles: () => Promise<void>
  /** Saves a profile (and its key, if typed); the list reloads. Errors come back as a status. */
  saveProfile: (profile: ModelProfile, apiKey: string) => Promise<ProfileStatus>
  /** Tests a profile as typed (saving nothing); `answered` says whether the core ran the test at all. */
  testProfile: (profile: ModelProfile, apiKey: string) => Promise<ProfileStatus & { answered: boolean }>
  deleteProfile: (id: string) => Promise<void>
}

/** The settings slice. */
export const createSettingsSlice: StateCreator<Store, [], [], SettingsSlice> = (set, get) => ({
  profiles: [],
  keysWhere: '',
  async loadProfiles() {
    const listed = await request('profiles.list', {})
    if (listed) set({ profiles: listed.profiles, keysWhere: listed.keysWhere })
  },
  async saveProfile(profile, apiKey) {
    try {
      await call('profiles.save', { profile, ...(apiKey ? { apiKey } : {}) })
    } catch (error) {
      return { ok: false, message: errorText(error) }
    }
    void get().loadProfiles()
    return { ok: true, message: `Saved "${profile.name}".` }
  },
  async testProfile(profile, apiKey) {
    try {
      const result = await call('profiles.test', { profile, ...(apiKey ? { apiKey } : {}) })
      return { ok: result.ok, message: result.message, answered: true }
    } catch (error) {
      return { ok: false, message: errorText(error), answered: false }
    }
  },
  async deleteProfile(id) {
    // The banner shows the error as String() gives it (with its "Error:" prefix), as it always has.
    await call('profiles.delete', { id }).catch((error: unknown) => get().showError(String(error)))
  },
})
