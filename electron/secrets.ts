import { safeStorage } from 'electron'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../shared/errors'
import { safeId, type KeyStore } from './core/judge/keys'

/**
 * The Electron shell's key store: each profile's API key encrypted with `safeStorage` (the OS
 * keychain: Keychain, DPAPI, libsecret/kwallet) in `DIR/<profile id>.key`, mode 0600.
 */
export function safeKeyStore(dir: string): KeyStore {
  const file = (id: string) => join(dir, `${safeId(id)}.key`)
  return {
    where: 'encrypted with the system keychain (Electron safeStorage)',
    get(id) {
      if (!existsSync(file(id))) return null
      try {
        return safeStorage.decryptString(readFileSync(file(id)))
      } catch {
        throw new AppError(
          'io',
          `The saved API key of model profile "${id}" cannot be decrypted (the system keychain changed?): enter the key again in Settings.`,
        )
      }
    },
    set(id, key) {
      if (key === null) {
        rmSync(file(id), { force: true })
        return
      }
      if (!safeStorage.isEncryptionAvailable())
        throw new AppError(
          'unsupported',
          'This system has no keychain Electron can use to encrypt the key: set OPENAI_API_KEY in the environment instead.',
        )
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeFileSync(file(id), safeStorage.encryptString(key.trim()), { mode: 0o600 })
    },
  }
}
