import { useState } from 'react'
import type { CriterionInfo } from '../../../shared/domain'
import { useStore } from '../../store'

/**
 * A criterion's definition, editable. Saving makes a new version (methodology requirement 21):
 * labels keep the version they were made under, and older ones are flagged for re-review.
 */
export function CriterionEditor({ criterion }: { criterion: CriterionInfo }) {
  const updateCriterion = useStore((s) => s.updateCriterion)
  const [editing, setEditing] = useState<string | null>(null)
  if (editing === null) {
    return (
      <div className="criterion-definition">
        <p>
          <strong>Definition (v{criterion.version}):</strong> {criterion.definition || <span className="muted">none yet</span>}{' '}
          <button type="button" className="link" onClick={() => setEditing(criterion.definition)}>
            edit
          </button>
        </p>
        {criterion.stale > 0 && (
          <p className="warning">
            {criterion.stale} label{criterion.stale === 1 ? ' was' : 's were'} made under an older definition and need a re-review (order “Needs re-review first”).
          </p>
        )}
      </div>
    )
  }
  return (
    <div className="criterion-definition editing">
      <label>
        New definition (saved as v{criterion.version + 1}; labels made under v{criterion.version} will need a re-review)
        <textarea value={editing} onChange={(e) => setEditing(e.target.value)} rows={3} autoFocus />
      </label>
      <div className="row-fields">
        <button type="button" onClick={() => void updateCriterion(criterion.id, editing).then((ok) => ok && setEditing(null))} disabled={!editing.trim() || editing.trim() === criterion.definition}>
          Save as v{criterion.version + 1}
        </button>
        <button type="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </div>
    </div>
  )
}
