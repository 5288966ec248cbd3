import type { RefObject } from 'react'
import { useStore } from '../../store'

/** A judge about to be made: for which criterion, its name, and the model profile it calls. */
export interface NewJudge {
  criterionId: number
  name: string
  profileId: string
}

/** The form that makes a judge (version 1 starts from the criterion's definition). */
export function NewJudgeForm({
  creating,
  onChange,
  onCreate,
  onCancel,
  nameRef,
}: {
  creating: NewJudge
  onChange: (creating: NewJudge) => void
  onCreate: () => void
  onCancel: () => void
  nameRef: RefObject<HTMLInputElement | null>
}) {
  const criteria = useStore((s) => s.judges.criteria)
  const profiles = useStore((s) => s.judges.profiles)
  return (
    <form
      className="new-judge"
      onSubmit={(e) => {
        e.preventDefault()
        onCreate()
      }}
    >
      <label>
        Criterion
        <select
          value={creating.criterionId}
          onChange={(e) => onChange({ ...creating, criterionId: Number(e.target.value) })}
        >
          {criteria.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.labeled} labeled)
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input ref={nameRef} value={creating.name} onChange={(e) => onChange({ ...creating, name: e.target.value })} />
      </label>
      <label>
        Model profile
        <select value={creating.profileId} onChange={(e) => onChange({ ...creating, profileId: e.target.value })}>
          {profiles.length === 0 && <option value="">none yet</option>}
          {profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {profiles.length === 0 && (
        <p className="hint">
          Add a model profile in{' '}
          <button type="button" className="link" onClick={() => useStore.getState().setScreen('settings')}>
            Settings
          </button>{' '}
          first.
        </p>
      )}
      <div className="setup-actions">
        <button className="primary" type="submit" disabled={!creating.profileId}>
          Create
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
