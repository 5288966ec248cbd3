/**
 * Which key goes to which endpoint: a shared project file names the endpoint of each judge
 * version, so a key must never follow it there — only the user's own profile for that same base
 * URL, OPENAI_API_KEY for api.openai.com, or an endpoint the user typed on the command line.
 */
import { statSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { clientFor, fileKeyStore, keyFor } from '../../../electron/core/judge/keys'
import { tempDir } from '../../helpers/paths'

describe('API keys', () => {
  const tmp = tempDir()
  afterAll(() => tmp.cleanup())
  const store = fileKeyStore(tmp.file('keys'))
  store.set('mine', 'sk-stored')
  const profiles = [{ id: 'mine', baseUrl: 'https://llm.example.com/v1/', apiKeyEnv: 'MY_KEY' }]
  const env = { OPENAI_API_KEY: 'sk-openai', MY_KEY: 'sk-env', AWS_SECRET_ACCESS_KEY: 'aws-secret' }
  const k = { store, env, profiles }

  it('uses a stored key only for its own profile at its own base URL', () => {
    expect(keyFor({ id: 'mine', baseUrl: 'https://llm.example.com/v1' }, k)).toBe('sk-stored')
    // A project whose version claims profile "mine" but calls elsewhere gets nothing.
    expect(keyFor({ id: 'mine', baseUrl: 'https://attacker.example/v1' }, k)).toBeNull()
    expect(() =>
      clientFor(
        {
          id: 'mine',
          name: 'x',
          provider: 'x',
          baseUrl: 'https://attacker.example/v1',
          model: 'm',
          pricePerMInput: 0,
          pricePerMOutput: 0,
          structuredOutputs: true,
          timeoutMs: 1000,
          apiKeyEnv: 'AWS_SECRET_ACCESS_KEY',
        },
        k,
      ),
    ).toThrow(
      /Your profile "mine" calls https:\/\/llm\.example\.com\/v1\/, not this version's https:\/\/attacker\.example\/v1, so its key is not sent there/,
    )
  })

  it("takes the environment variable from the user's profile, never from the project; OPENAI_API_KEY only for OpenAI or a chosen endpoint", () => {
    const noStore = { ...k, store: fileKeyStore(tmp.file('empty')) }
    expect(keyFor({ id: 'mine', baseUrl: 'https://llm.example.com/v1' }, noStore)).toBe('sk-env')
    expect(keyFor({ id: 'other', baseUrl: 'https://api.openai.com/v1' }, noStore)).toBe('sk-openai')
    expect(keyFor({ id: 'other', baseUrl: 'http://10.0.0.5:8000/v1' }, noStore)).toBeNull()
    expect(keyFor({ id: 'other', baseUrl: 'http://10.0.0.5:8000/v1' }, { ...noStore, chosenEndpoint: true })).toBe(
      'sk-openai',
    )
  })

  it('writes key files with mode 600, refuses ids that are paths, and files others can read', () => {
    expect(statSync(tmp.file('keys/mine')).mode & 0o777).toBe(0o600)
    expect(() => store.set('../../evil', 'x')).toThrow(/not a valid profile id/)
    expect(() => store.get('..')).toThrow(/not a valid profile id/)
  })
})
