import { useStore } from '../../store'
import type { ListedProfile } from '../../store/slices/settings'

/** The saved model profiles, each to edit or delete, and where their keys are kept. */
export function ProfileList({
  editing,
  onEdit,
  onNew,
  onDelete,
}: {
  editing: string | null
  onEdit: (profile: ListedProfile) => void
  onNew: () => void
  onDelete: (id: string) => void
}) {
  const profiles = useStore((s) => s.profiles)
  const keysWhere = useStore((s) => s.keysWhere)
  return (
    <section className="profiles">
      <h1>Model profiles</h1>
      <p className="muted">
        Judges run against these endpoints. A judge version records the profile as it was (never its key). API keys are
        stored {keysWhere}; OPENAI_API_KEY in the environment works too.
      </p>
      {profiles.length === 0 ? (
        <p>No profile yet: fill in the form to add one.</p>
      ) : (
        <ul className="profile-list">
          {profiles.map((p) => (
            <li key={p.id} className={p.id === editing ? 'current' : ''}>
              <button className="link" onClick={() => onEdit(p)}>
                {p.name}
              </button>{' '}
              <span className="muted mono">
                {p.model} · {p.baseUrl}
              </span>{' '}
              {p.hasKey ? <span className="badge key">key set</span> : <span className="badge nokey">no key</span>}{' '}
              <button onClick={() => onDelete(p.id)} aria-label={`Delete ${p.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <button onClick={onNew}>New profile</button>
    </section>
  )
}
