/**
 * API keys (DESIGN §3, Settings): never in the project file, an export, a report or a log. The
 * Electron shell keeps them encrypted with `safeStorage` (electron/secrets.ts); `assay serve` and
 * the CLI read a key file that only the user can read, or the profile's environment variable
 * (OPENAI_API_KEY by default). A local endpoint needs no key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { ModelSnapshot } from '../../../shared/judges'
import { openaiClient, type LlmClient } from './llm'

export interface KeyStore {
  /** Where keys live, said to the user ("encrypted with the system keychain", "~/.config/assay/keys"). */
  where: string
  get(profileId: string): string | null
  set(profileId: string, key: string | null): void
}

/** Key files `DIR/<profile id>`, mode 0600; a file others can read is refused, with the fix. */
export function fileKeyStore(dir: string): KeyStore {
  const file = (id: string) => join(dir, id)
  return {
    where: `in key files in ${dir} (mode 600)`,
    get(id) {
      const path = file(id)
      if (!existsSync(path)) return null
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
        throw new AppError('forbidden', `The key file ${path} can be read by other users: run \`chmod 600 ${path}\`, then try again.`)
      return readFileSync(path, 'utf8').trim() || null
    },
    set(id, key) {
      if (key === null) return void rmSync(file(id), { force: true })
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeFileSync(file(id), `${key.trim()}\n`, { mode: 0o600 })
      chmodSync(file(id), 0o600)
    },
  }
}

const LOCAL = /^https?:\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/i

/** The key for a profile: the store's, else its environment variable; none needed for a local endpoint. */
export function keyFor(model: Pick<ModelSnapshot, 'id' | 'name' | 'baseUrl' | 'apiKeyEnv'>, store: KeyStore, env: NodeJS.ProcessEnv): string | null {
  const stored = model.id ? store.get(model.id) : null
  if (stored) return stored
  const variable = model.apiKeyEnv || 'OPENAI_API_KEY'
  return env[variable]?.trim() || null
}

/** The client for a version's model, or a clear error when a remote endpoint has no key. */
export function clientFor(model: ModelSnapshot, store: KeyStore, env: NodeJS.ProcessEnv): LlmClient {
  const key = keyFor(model, store, env)
  if (!key && !LOCAL.test(model.baseUrl))
    throw new AppError(
      'invalid_input',
      `No API key for model profile "${model.name || model.id}" (${model.baseUrl}): set one in Settings, or set ${model.apiKeyEnv || 'OPENAI_API_KEY'} in the environment of \`assay\`.`,
    )
  return openaiClient(model.baseUrl, key ?? 'no-key-needed')
}
