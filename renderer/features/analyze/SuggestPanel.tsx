import { useEffect, useState } from 'react'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

/**
 * Axial coding with an LLM's help: the notes of failing traces go to a model profile, which
 * proposes failure modes; each proposal shows its traces' notes and becomes a mode only when
 * the user creates it (the course treats LLM groupings as suggestions to confirm).
 */
export function SuggestPanel() {
  const profiles = useStore((s) => s.analyze.profiles)
  const suggestions = useStore((s) => s.analyze.suggestions)
  const busy = useStore((s) => s.analyze.suggesting)
  const loadProfiles = useStore((s) => s.loadSuggestProfiles)
  const suggestModes = useStore((s) => s.suggestModes)
  const create = useStore((s) => s.createSuggested)
  const leave = useStore((s) => s.leaveSuggest)
  const [picked, setPicked] = useState('')
  // The first profile until the user picks one.
  const profileId = picked || profiles[0]?.id || ''

  useEffect(() => {
    void loadProfiles()
    return leave
  }, [loadProfiles, leave])
  const suggest = () => suggestModes(profileId)
  useKeyAction('analyze.suggest', () => void suggest(), profileId !== '')

  return (
    <details className="suggest" open={suggestions !== null}>
      <summary>Suggest failure modes with an LLM</summary>
      {profiles.length === 0 ? (
        <p className="hint">
          Needs a model profile: add one in{' '}
          <button className="link" onClick={() => useStore.getState().setScreen('settings')}>
            Settings
          </button>
          .
        </p>
      ) : (
        <p className="row-fields">
          <select
            aria-label="Model profile for suggestions"
            value={profileId}
            onChange={(e) => setPicked(e.target.value)}
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
