import { useState, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CriterionInfo } from '../../../shared/domain'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

/**
 * A new criterion, or a criterion's name and definition (a new definition is a new version:
 * labels keep the one they were made under and older ones are flagged for re-review). The
 * session setup and the Analyze screen open it; Tab moves, Ctrl/⌘+Enter saves, Esc closes.
 * `Overall` keeps its name (imports, exports and reports refer to it), so only its definition
 * is editable here. It is not a <form>: the session setup that holds it is one, and a nested
 * form would submit the outer one (or nothing, under the page's `form-action 'none'`).
 */
export function CriterionForm({
  criterion,
  onClose,
  onSaved,
}: {
  criterion: CriterionInfo | null
  onClose: () => void
  onSaved: (c: CriterionInfo) => void
}) {
  const { createCriterion, renameCriterion, updateCriterion, showError } = useStore(
    useShallow((s) => ({
      createCriterion: s.createCriterion,
      renameCriterion: s.renameCriterion,
      updateCriterion: s.updateCriterion,
      showError: s.showError,
    })),
  )
  const [name, setName] = useState(criterion?.name ?? '')
  const [definition, setDefinition] = useState(criterion?.definition ?? '')
  const [saving, setSaving] = useState(false)
  const fixedName = criterion !== null && (criterion.kind === 'overall' || criterion.step !== null)
  const defined = definition.trim()

  const save = async () => {
    if (saving) return
    if (!name.trim()) {
      showError('A criterion needs a name, e.g. "Follows dietary constraints".')
      return
    }
    setSaving(true)
    try {
      if (!criterion) {
        const made = await createCriterion(name, defined)
        if (made) onSaved(made)
        return
      }
      let ok = true
      if (!fixedName && name.trim() !== criterion.name) ok = await renameCriterion(criterion.id, name)
      if (ok && defined && defined !== criterion.definition) ok = await updateCriterion(criterion.id, defined)
      const now = useStore.getState().criteria.find((c) => c.id === criterion.id)
      if (ok && now) onSaved(now)
    } finally {
      setSaving(false)
    }
  }
  useKeyAction('criterion.save', () => void save())
  useKeyAction('criterion.close', onClose)
  // Enter in the name saves, as in any form (and never starts the session the setup would).
  const enterSaves = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    void save()
  }

  return (
    <div
      role="form"
      className="criterion-definition editing"
      aria-label={criterion ? `Edit criterion ${criterion.name}` : 'New criterion'}
    >
      <strong>{criterion ? `Edit “${criterion.name}”` : 'New criterion'}</strong>
      {!criterion && (
        <span className="hint">
          One pass/fail question about a trace. It is also a failure mode on the Analyze screen (a fail means the
          failure is present), and a judge can be built for it.
        </span>
      )}
      <label>
        Name
        {fixedName && (
          <span className="muted">
            {' '}
            (
            {criterion.kind === 'overall'
              ? 'Overall keeps its name: imports, exports and reports refer to it'
              : 'named after its criterion and step'}
            )
          </span>
        )}
        <input
          autoFocus={!fixedName}
          value={name}
          disabled={fixedName}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={enterSaves}
          placeholder="e.g. Follows dietary constraints"
          aria-label="Criterion name"
        />
      </label>
      <label>
        {criterion
          ? `Definition (a change is saved as v${criterion.version + 1}; labels made under v${criterion.version} will need a re-review)`
          : 'Definition (one sentence: when does a trace pass?)'}
        <textarea
          autoFocus={fixedName}
          value={definition}
          onChange={(e) => setDefinition(e.target.value)}
          rows={3}
          aria-label="Criterion definition"
          placeholder="The answer respects every dietary restriction the user stated."
        />
      </label>
      <div className="row-fields">
        <button type="button" className="primary" disabled={saving} onClick={() => void save()}>
          <kbd>Ctrl+Enter</kbd> {criterion ? 'Save' : 'Add criterion'}
        </button>
        <button type="button" onClick={onClose}>
          <kbd>Esc</kbd> Cancel
        </button>
      </div>
    </div>
  )
}
