/**
 * Model profiles (per user, outside any project) and their API keys: listing, saving, testing a
 * connection, and the lookups the judges and the taxonomy's suggestions make.
 */
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { ModelSnapshot, type ModelProfile } from '../../../shared/judges'
import { clientFor, fileKeyStore, keyFor, type KeySources, type KeyStore } from '../judge/keys'
import { openaiClient } from '../judge/llm'
import type { Part, ServiceDeps } from './types'

export interface ProfileAccess {
  keys: KeyStore
  /** Keys come from the user's settings and environment only (never from a project's judge versions). */
  keySources(): KeySources
  /** The saved profile with this id, or the refusal that says to add it. */
  profile(id: string): ModelProfile
}

export function profileAccess(deps: ServiceDeps): ProfileAccess {
  const keys = deps.keys ?? fileKeyStore(join(deps.settings.dir, 'keys'))
  const env = deps.env ?? process.env
  return {
    keys,
    keySources: () => ({ store: keys, env, profiles: deps.settings.profiles() }),
    profile(id) {
      const found = deps.settings.profiles().find((p) => p.id === id)
      if (!found) throw new AppError('not_found', `There is no model profile "${id}": add it in Settings.`)
      return found
    },
  }
}

export function profileHandlers(deps: ServiceDeps, access: ProfileAccess): Part<'profiles'> {
  const { keys } = access
  const hasKey = (p: ModelProfile): boolean => {
    try {
      return keyFor(p, access.keySources()) !== null
    } catch {
      return false // a key file others can read: "Test connection" says why
    }
  }
  return {
    'profiles.list': () => ({
      profiles: deps.settings.profiles().map((p) => ({ ...p, hasKey: hasKey(p) })),
      keysWhere: keys.where,
    }),
    'profiles.save': ({ profile: p, apiKey }) => {
      deps.settings.saveProfile(p)
      if (apiKey !== undefined) keys.set(p.id, apiKey && apiKey.trim() ? apiKey : null)
      return null
    },
    'profiles.delete': ({ id }) => {
      deps.settings.deleteProfile(id)
      keys.set(id, null)
      return null
    },
    'profiles.test': async ({ profile: p, apiKey }) => {
      // The profile as typed, unsaved: a typed key goes to the URL typed beside it (the user chose
      // it); otherwise keyFor's rule holds — a saved key only for its own profile's saved base URL.
      const snapshot = ModelSnapshot.parse(p)
      const typed = apiKey?.trim()
      try {
        const client = typed ? openaiClient(snapshot.baseUrl, typed) : clientFor(snapshot, access.keySources())
        const models = await client.models({ timeoutMs: Math.min(p.timeoutMs, 15_000) })
        return { ok: true, models, message: connected(p, models) }
      } catch (error) {
        return { ok: false, models: [], message: error instanceof Error ? error.message : String(error) }
      }
    },
  }
}

/** What "Test connection" says when the endpoint answered: whether it lists the profile's model. */
function connected(p: ModelProfile, models: string[]): string {
  if (models.includes(p.model)) return `Connected to ${p.baseUrl}; model "${p.model}" is there.`
  const listed = models.length ? ` (it lists ${models.slice(0, 8).join(', ')}${models.length > 8 ? '…' : ''})` : ''
  return `Connected to ${p.baseUrl}, but it does not list "${p.model}"${listed}: check the model id.`
}
