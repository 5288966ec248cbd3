import type { ListedProfile } from '../../store/slices/settings'
import { PRESETS, type Draft } from './profile-draft'

/** The profile form's fields: endpoint, name, URL, model, parameters, prices, timeout, structured outputs, key. */
export function ProfileFields({
  draft,
  set,
  current,
}: {
  draft: Draft
  set: (change: Partial<Draft>) => void
  /** The saved profile being edited, if any (says whether a key is set). */
  current: ListedProfile | undefined
}) {
  // Choosing an endpoint fills in its usual base URL and model (keeping what was typed where it has none).
  const choosePreset = (provider: string) => {
    const p = PRESETS.find((x) => x.provider === provider)
    if (!p) return
    set({
      provider,
      baseUrl: p.baseUrl || draft.baseUrl,
      model: p.model || draft.model,
      structuredOutputs: p.structured,
    })
  }
  return (
    <>
      <label>
        Endpoint
        <select value={draft.provider} onChange={(e) => choosePreset(e.target.value)}>
          {PRESETS.map((p) => (
            <option key={p.provider} value={p.provider}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="GPT-4.1 mini" required />
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
    </>
  )
}
