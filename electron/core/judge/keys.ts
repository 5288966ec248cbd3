/**
 * API keys (DESIGN §3, Settings): never in the project file, an export, a report or a log. The
 * Electron shell keeps them encrypted with `safeStorage` (electron/secrets.ts); `assay serve` and
 * the CLI read a key file that only the user can read, or the profile's environment variable
 * (OPENAI_API_KEY by default). A local endpoint needs no key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { ModelProfile, ModelSnapshot } from '../../../shared/judges'
import { openaiClient, type LlmClient } from './llm'

export interface KeyStore {
  /** Where keys live, said to the user ("encrypted with the system keychain", "~/.config/assay/keys"). */
  where: string
  get(profileId: string): string | null
  set(profileId: string, key: string | null): void
}

/** A profile id as a file name: no path separators, no leading dot (the contract checks it too). */
export function safeId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
    throw new AppError(
      'invalid_input',
      `"${id}" is not a valid profile id: use letters, digits, dot, dash and underscore, starting with a letter or digit.`,
    )
  return id
}

/** Key files `DIR/<profile id>`, mode 0600; a file others can read is refused, with the fix. */
export function fileKeyStore(dir: string): KeyStore {
  const file = (id: string) => join(dir, safeId(id))
  return {
    where: `in key files in ${dir} (mode 600)`,
    get(id) {
      const path = file(id)
      if (!existsSync(path)) return null
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
        throw new AppError(
          'forbidden',
          `The key file ${path} can be read by other users: run \`chmod 600 ${path}\`, then try again.`,
        )
      return readFileSync(path, 'utf8').trim() || null
    },
    set(id, key) {
      if (key === null) {
        rmSync(file(id), { force: true })
        return
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeFileSync(file(id), `${key.trim()}\n`, { mode: 0o600 })
      chmodSync(file(id), 0o600)
    },
  }
}

const LOCAL = /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i
const OPENAI = /^https:\/\/api\.openai\.com(\/|$)/i
const normal = (url: string) => url.trim().replace(/\/+$/, '').toLowerCase()

/** Where a key may come from: the user's own settings and environment, never the project file. */
export interface KeySources {
  store: KeyStore
  env: NodeJS.ProcessEnv
  /** The user's model profiles (Settings): a stored key is used only for its own profile's endpoint. */
  profiles: readonly Pick<ModelProfile, 'id' | 'baseUrl' | 'apiKeyEnv'>[]
  /** The user named this endpoint themselves (e.g. `--base-url` on the command line): OPENAI_API_KEY may go to it. */
  chosenEndpoint?: boolean
}

/**
 * The key for a judge version's endpoint. A project file is shared and its versions say which
 * endpoint to call, so the key never follows the project: a stored key (or the profile's
 * environment variable, OPENAI_API_KEY by default) is used only when the user's own profile with
 * that id calls that same base URL; otherwise OPENAI_API_KEY goes only to api.openai.com or to an
 * endpoint the user named on the command line.
 */
export function keyFor(model: Pick<ModelSnapshot, 'id' | 'baseUrl'>, k: KeySources): string | null {
  const profile = k.profiles.find((p) => p.id === model.id && normal(p.baseUrl) === normal(model.baseUrl))
  if (profile) {
    const stored = k.store.get(profile.id)
    if (stored) return stored
    const own = k.env[profile.apiKeyEnv || 'OPENAI_API_KEY']?.trim()
    if (own) return own
  }
  return OPENAI.test(model.baseUrl) || k.chosenEndpoint ? k.env.OPENAI_API_KEY?.trim() || null : null
}

/** The client for a version's model, or a clear error when a remote endpoint has no key. */
export function clientFor(model: ModelSnapshot, k: KeySources): LlmClient {
  const key = keyFor(model, k)
  if (!key && !LOCAL.test(model.baseUrl)) {
    const mine = k.profiles.find((p) => p.id === model.id)
    const why =
      mine && normal(mine.baseUrl) !== normal(model.baseUrl)
        ? ` Your profile "${model.id}" calls ${mine.baseUrl}, not this version's ${model.baseUrl}, so its key is not sent there.`
        : ''
    throw new AppError(
      'invalid_input',
      `No API key for ${model.baseUrl} (model "${model.model}").${why} Save a model profile with this base URL and a key in Settings (or $ASSAY_HOME/keys/<profile id>), then save the judge with that profile${OPENAI.test(model.baseUrl) ? ', or set OPENAI_API_KEY' : ''}.`,
    )
  }
  return openaiClient(model.baseUrl, key)
}
