import { useCallback, useEffect, useState } from 'react'
import type { Output } from '../../../shared/contract'
import type { ModelProfile } from '../../../shared/judges'
import { call } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

type Listed = Output<'profiles.list'>['profiles'][number]

/** Endpoints people use; choosing one fills in its usual base URL. */
const PRESETS = [
  {
    provider: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4.1-mini-2025-04-14',
    structured: true,
  },
  { provider: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1:8b', structured: true },
  { provider: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', model: '', structured: true },
  { provider: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', model: '', structured: true },
  {
    provider: 'llamacpp',
    label: 'llama.cpp server',
    baseUrl: 'http://localhost:8080/v1',
    model: '',
    structured: false,
  },
  { provider: 'other', label: 'Other OpenAI-compatible', baseUrl: '', model: '', structured: false },
] as const

const blank = (): Draft => ({
  id: '',
  name: '',
  provider: 'openai',
  baseUrl: PRESETS[0].baseUrl,
  model: PRESETS[0].model,
  params: '{"temperature": 0}',
  pricePerMInput: '0',
  pricePerMOutput: '0',
  structuredOutputs: true,
  timeoutMs: '60000',
  apiKeyEnv: '',
  apiKey: '',
})
type Draft = {
  id: string
  name: string
  provider: string
  baseUrl: string
  model: string
  params: string
  pricePerMInput: string
  pricePerMOutput: string
  structuredOutputs: boolean
  timeoutMs: string
  apiKeyEnv: string
  apiKey: string
}

const draftOf = (p: ModelProfile): Draft => ({
  ...p,
  params: JSON.stringify(p.params),
  pricePerMInput: String(p.pricePerMInput),
  pricePerMOutput: String(p.pricePerMOutput),
  timeoutMs: String(p.timeoutMs),
  apiKey: '',
})

/**
 * Settings (DESIGN §3.8): model profiles for judges — OpenAI or any OpenAI-compatible endpoint —
 * with their parameters and prices, an API key kept outside every project, and "Test connection".
 */
export function SettingsScreen() {
  const showError = useStore((s) => s.showError)
  const [profiles, setProfiles] = useState<Listed[]>([])
  const [keysWhere, setKeysWhere] = useState('')
  const [draft, setDraft] = useState<Draft>(blank)
  // The form as last loaded or saved: a test of anything else says it is not saved yet.
  const [savedForm, setSavedForm] = useState<string | null>(null)
  const load = (next: Draft, saved: boolean) => {
    setDraft(next)
    setSavedForm(saved ? JSON.stringify(next) : null)
  }
  const [editing, setEditing] = useState<string | null>(null)
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null)

  const reload = useCallback(async () => {
    try {
      const listed = await call('profiles.list', {})
      setProfiles(listed.profiles)
      setKeysWhere(listed.keysWhere)
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error))
    }
  }, [showError])
  useEffect(() => void reload(), [reload])

  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }))
  const usePreset = (provider: string) => {
    const p = PRESETS.find((x) => x.provider === provider)!
    set({
      provider,
      baseUrl: p.baseUrl || draft.baseUrl,
      model: p.model || draft.model,
      structuredOutputs: p.structured,
    })
  }

  /** The form as a profile (and the key typed, if any); null, with the reason shown, when it is not one yet. */
  const typed = (): { profile: ModelProfile; apiKey: string } | null => {
    let params: unknown
    try {
      params = JSON.parse(draft.params || '{}')
    } catch {
      setStatus({ ok: false, message: 'Parameters must be a JSON object, e.g. {"temperature": 0, "max_tokens": 400}.' })
      return null
    }
    const id =
      draft.id.trim() ||
      draft.name
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
    const { apiKey, ...rest } = {
      ...draft,
      id,
      params,
      pricePerMInput: Number(draft.pricePerMInput),
      pricePerMOutput: Number(draft.pricePerMOutput),
      timeoutMs: Number(draft.timeoutMs),
    }
    return { profile: rest as ModelProfile, apiKey }
  }

  const save = async (): Promise<boolean> => {
    const form = typed()
    if (!form) return false
    const { profile, apiKey } = form
    const id = profile.id
    try {
      await call('profiles.save', { profile, ...(apiKey ? { apiKey } : {}) })
      setEditing(id)
      load({ ...draft, id, apiKey: '' }, true)
      setStatus({ ok: true, message: `Saved "${profile.name}".` })
      await reload()
      return true
    } catch (error) {
      setStatus({ ok: false, message: error instanceof Error ? error.message : String(error) })
      return false
    }
  }
  // Tests the form as typed; saving is its own action (Ctrl+S), so a test never changes a saved profile.
  const test = async () => {
    const form = typed()
    if (!form) return
    setStatus({ ok: true, message: 'Testing the connection…' })
    try {
      const result = await call('profiles.test', {
        profile: form.profile,
        ...(form.apiKey ? { apiKey: form.apiKey } : {}),
      })
      const unsaved = JSON.stringify(draft) !== savedForm
      setStatus({
        ...result,
        message: unsaved ? `${result.message} Not saved yet: Ctrl+S saves the profile.` : result.message,
      })
    } catch (error) {
      setStatus({ ok: false, message: error instanceof Error ? error.message : String(error) })
    }
  }
  const remove = async (id: string) => {
    await call('profiles.delete', { id }).catch((error: unknown) => showError(String(error)))
    if (editing === id) {
      setEditing(null)
      load(blank(), false)
    }
    await reload()
  }
  useKeyAction('settings.save', () => void save())
  useKeyAction('settings.test', () => void test())

  const current = profiles.find((p) => p.id === editing)
  return (
    <div className="settings">
      <section className="profiles">
        <h1>Model profiles</h1>
        <p className="muted">
          Judges run against these endpoints. A judge version records the profile as it was (never its key). API keys
          are stored {keysWhere}; OPENAI_API_KEY in the environment works too.
        </p>
        {profiles.length === 0 ? (
          <p>No profile yet: fill in the form to add one.</p>
        ) : (
          <ul className="profile-list">
            {profiles.map((p) => (
              <li key={p.id} className={p.id === editing ? 'current' : ''}>
                <button
                  className="link"
                  onClick={() => {
                    setEditing(p.id)
                    load(draftOf(p), true)
                    setStatus(null)
                  }}
                >
                  {p.name}
                </button>{' '}
                <span className="muted mono">
                  {p.model} · {p.baseUrl}
                </span>{' '}
                {p.hasKey ? <span className="badge key">key set</span> : <span className="badge nokey">no key</span>}{' '}
                <button onClick={() => void remove(p.id)} aria-label={`Delete ${p.name}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <button
          onClick={() => {
            setEditing(null)
            load(blank(), false)
            setStatus(null)
          }}
        >
          New profile
        </button>
      </section>
      <form
        className="profile-form"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h2>{editing ? `Edit "${current?.name ?? editing}"` : 'New profile'}</h2>
        <label>
          Endpoint
          <select value={draft.provider} onChange={(e) => usePreset(e.target.value)}>
            {PRESETS.map((p) => (
              <option key={p.provider} value={p.provider}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            placeholder="GPT-4.1 mini"
            required
          />
        </label>
        <label>
          Base URL
          <input
            value={draft.baseUrl}
            onChange={(e) => set({ baseUrl: e.target.value })}
            placeholder="https://api.openai.com/v1"
            required
          />
        </label>
        <label>
          Model id (pin an exact version)
          <input value={draft.model} onChange={(e) => set({ model: e.target.value })} required />
        </label>
        <label>
          Parameters (JSON)
          <input className="mono" value={draft.params} onChange={(e) => set({ params: e.target.value })} />
        </label>
        <div className="row-fields">
          <label>
            $ per 1M input tokens
            <input
              type="number"
              min="0"
              step="any"
              value={draft.pricePerMInput}
              onChange={(e) => set({ pricePerMInput: e.target.value })}
            />
          </label>
          <label>
            $ per 1M output tokens
            <input
              type="number"
              min="0"
              step="any"
              value={draft.pricePerMOutput}
              onChange={(e) => set({ pricePerMOutput: e.target.value })}
            />
          </label>
          <label>
            Timeout (ms)
            <input
              type="number"
              min="1000"
              value={draft.timeoutMs}
              onChange={(e) => set({ timeoutMs: e.target.value })}
            />
          </label>
        </div>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.structuredOutputs}
            onChange={(e) => set({ structuredOutputs: e.target.checked })}
          />
          <span>
            Structured outputs (<code>json_schema</code>); off: the answer is parsed strictly
          </span>
        </label>
        <label>
          API key{' '}
          {current?.hasKey ? (
            <span className="muted">(one is set; type a new one to replace it)</span>
          ) : (
            <span className="muted">(not needed for a local server)</span>
          )}
          <input
            type="password"
            autoComplete="off"
            value={draft.apiKey}
            onChange={(e) => set({ apiKey: e.target.value })}
            placeholder={current?.hasKey ? '••••••••' : 'sk-…'}
          />
        </label>
        <label>
          Or read the key from this environment variable
          <input
            value={draft.apiKeyEnv}
            onChange={(e) => set({ apiKeyEnv: e.target.value })}
            placeholder="OPENAI_API_KEY"
          />
        </label>
        <div className="setup-actions">
          <button type="submit" className="primary">
            Save <kbd>Ctrl+S</kbd>
          </button>
          <button type="button" onClick={() => void test()}>
            Test connection <kbd>Ctrl+Enter</kbd>
          </button>
          <span className="hint">Testing uses the form as typed and saves nothing.</span>
        </div>
        {status && (
          <p role="status" className={status.ok ? 'ok' : 'import-problem'} data-testid="profile-status">
            {status.message}
          </p>
        )}
      </form>
    </div>
  )
}
