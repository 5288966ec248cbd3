import { useEffect, useState } from 'react'
import type { Output } from '../../../shared/contract'
import { call, errorText } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

type Suggestion = Output<'taxonomy.suggest'>['suggestions'][number]

/**
 * Axial coding with an LLM's help: the notes of failing traces go to a model profile, which
 * proposes failure modes; each proposal shows its traces' notes and becomes a mode only when
 * the user creates it (the course treats LLM groupings as suggestions to confirm).
 */
export function SuggestPanel({ onCreated }: { onCreated: () => Promise<void> }) {
  const showError = useStore((s) => s.showError)
  const setScreen = useStore((s) => s.setScreen)
  const [profiles, setProfiles] = useState<{ id: string; name: string }[]>([])
  const [profileId, setProfileId] = useState('')
  const [busy, setBusy] = useState(false)
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null)

  useEffect(() => {
    call('profiles.list', {}).then(
      (p) => {
        setProfiles(p.profiles)
        setProfileId((id) => id || p.profiles[0]?.id || '')
      },
      () => undefined,
    )
  }, [])
  const suggest = async () => {
    if (!profileId || busy) return
    setBusy(true)
    try {
      setSuggestions((await call('taxonomy.suggest', { profileId })).suggestions)
    } catch (error) {
      showError(errorText(error))
    } finally {
      setBusy(false)
    }
  }
  const create = async (s: Suggestion) => {
    try {
      await call('modes.create', { name: s.name, definition: s.definition, itemIds: s.itemIds })
      setSuggestions((list) => list?.filter((x) => x !== s) ?? null)
      await onCreated()
    } catch (error) {
      showError(errorText(error))
    }
  }
  useKeyAction('analyze.suggest', () => void suggest(), profileId !== '')

  return (
    <details className="suggest" open={suggestions !== null}>
      <summary>Suggest failure modes with an LLM</summary>
      {profiles.length === 0 ? (
        <p className="hint">
          Needs a model profile: add one in{' '}
          <button className="link" onClick={() => setScreen('settings')}>
            Settings
          </button>
          .
        </p>
      ) : (
        <p className="row-fields">
          <select
            aria-label="Model profile for suggestions"
            value={profileId}
            onChange={(e) => setProfileId(e.target.value)}
          >
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button onClick={() => void suggest()} disabled={busy}>
            {busy ? (
              'Asking…'
            ) : (
              <>
                Suggest from the notes <kbd>s</kbd>
              </>
            )}
          </button>
        </p>
      )}
      <p className="hint">
        The notes of failing traces are sent to that endpoint; nothing changes until you create a mode.
      </p>
      {suggestions?.length === 0 && <p className="muted">The model proposed no group that names a note.</p>}
      <ol className="suggestions" data-testid="suggestions">
        {suggestions?.map((s) => (
          <li key={s.name}>
            <strong>{s.name}</strong> <span className="muted">{s.itemIds.length} traces</span>{' '}
            <button onClick={() => void create(s)}>Create this mode</button>
            <div className="muted definition">{s.definition}</div>
            <ul className="definition">
              {s.notes.slice(0, 3).map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </details>
  )
}
