import type { CriterionInfo } from '../../../shared/domain'

/**
 * The chosen criterion's definition, with the keys that change it: `e` renames it or writes a
 * new definition (a new version, methodology requirement 21: labels keep the version they were
 * made under, and older ones are flagged for re-review), `c` adds a criterion. The session
 * setup owns the keys and opens `CriterionForm`.
 */
export function CriterionEditor({
  criterion,
  onEdit,
  onNew,
}: {
  criterion: CriterionInfo
  onEdit: () => void
  onNew: () => void
}) {
  return (
    <div className="criterion-definition" data-testid="criterion-definition">
      <p>
        <strong>Definition (v{criterion.version}):</strong>{' '}
        {criterion.definition || <span className="muted">none yet: press e to write one</span>}{' '}
      </p>
      <p className="row-fields">
        <button type="button" onClick={onEdit}>
          <kbd>e</kbd> {criterion.kind === 'overall' ? 'Edit the definition' : 'Rename or edit the definition'}
        </button>
        <button type="button" onClick={onNew}>
          <kbd>c</kbd> New criterion
        </button>
      </p>
      {criterion.stale > 0 && (
        <p className="warning">
          {criterion.stale} label{criterion.stale === 1 ? ' was' : 's were'} made under an older definition and need a
          re-review (order “Needs re-review first”).
        </p>
      )}
    </div>
  )
}
