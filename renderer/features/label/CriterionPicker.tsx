import type { CriterionInfo } from '../../../shared/domain'
import { CriterionEditor } from './CriterionEditor'
import { CriterionForm } from './CriterionForm'

/** The session's criterion: the list to choose from, its definition, and the form that adds or edits one. */
export function CriterionPicker({
  criteria,
  criterion,
  setCriterionId,
  editing,
  setEditing,
}: {
  /** The trace-level criteria (a session labels whole traces or one step of them). */
  criteria: CriterionInfo[]
  criterion: CriterionInfo | undefined
  setCriterionId: (id: number) => void
  /** The criterion form: null closed, 'new' to add one, 'edit' for the chosen criterion. */
  editing: 'new' | 'edit' | null
  setEditing: (editing: 'new' | 'edit' | null) => void
}) {
  return (
    <>
      <label>
        Criterion
        <select value={criterion?.id ?? ''} onChange={(e) => setCriterionId(Number(e.target.value))}>
          {criteria.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} (v{c.version}, {c.labeled} labeled{c.stale ? `, ${c.stale} need re-review` : ''})
            </option>
          ))}
        </select>
      </label>
      {editing !== null ? (
        <CriterionForm
          key={editing === 'new' ? 'new' : criterion?.id}
          criterion={editing === 'edit' ? (criterion ?? null) : null}
          onClose={() => setEditing(null)}
          onSaved={(c) => {
            setCriterionId(c.id)
            setEditing(null)
          }}
        />
      ) : (
        criterion && (
          <CriterionEditor criterion={criterion} onEdit={() => setEditing('edit')} onNew={() => setEditing('new')} />
        )
      )}
      {criteria.length === 0 && editing === null && (
        <p className="muted">
          No criterion yet: <kbd>c</kbd> adds one.
        </p>
      )}
    </>
  )
}
