import { useState, type SyntheticEvent } from 'react'
import type { Taxonomy } from '../../../shared/domain'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { ModeSelect } from './ModeSelect'

type Mode = Taxonomy['modes'][number]
export type ModeFormState = { kind: 'create'; itemIds: number[] } | { kind: 'edit'; mode: Mode }

/**
 * Creating a failure mode from notes (optionally taking their traces out of another mode: a
 * split), or editing one: rename, a new definition (a new version), merge into another, delete.
 * A form: Tab moves, Ctrl/⌘+Enter saves, Esc closes.
 */
export function ModeForm({
  state,
  modes,
  onClose,
  onDone,
}: {
  state: ModeFormState
  modes: Mode[]
  onClose: () => void
  onDone: () => Promise<void>
}) {
  const createMode = useStore((s) => s.createMode)
  const editMode = useStore((s) => s.editMode)
  const mergeMode = useStore((s) => s.mergeMode)
  const deleteMode = useStore((s) => s.deleteMode)
  const editing = state.kind === 'edit' ? state.mode : null
  const [name, setName] = useState(editing?.name ?? '')
  const [definition, setDefinition] = useState(editing?.definition ?? '')
  const [other, setOther] = useState<number | ''>('')
  const [confirmDelete, setConfirmDelete] = useState(false)

  const act = async (work: Promise<boolean>) => {
    if (await work) await onDone()
  }
  const save = (event?: SyntheticEvent) => {
    event?.preventDefault()
    if (!name.trim()) {
      useStore.getState().showError('A failure mode needs a name.')
      return
    }
    if (editing) void act(editMode(editing, name, definition))
    else if (state.kind === 'create')
      void act(createMode({ name, definition, itemIds: state.itemIds, from: other === '' ? null : other }))
  }
  useKeyAction('mode.save', () => save())
  useKeyAction('mode.close', onClose)

  return (
    <form className="mode-form" onSubmit={save} aria-label={editing ? `Edit ${editing.name}` : 'New failure mode'}>
      <h2>
        {editing
          ? `Edit “${editing.name}”`
          : `New failure mode from ${state.kind === 'create' ? state.itemIds.length : 0} trace(s)`}
      </h2>
      <label>
        Name
        <input
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Ignores dietary constraint"
        />
      </label>
      <label>
        One-sentence definition{' '}
        {editing && (
          <span className="muted">
            (a change makes v{editing.version + 1}; labels under v{editing.version} will need a re-review)
          </span>
        )}
        <textarea
          rows={3}
          value={definition}
          onChange={(e) => setDefinition(e.target.value)}
          placeholder="The answer includes an ingredient the user said they cannot eat."
        />
      </label>
      {!editing && (
        <label>
          Split: take these traces out of
          <ModeSelect value={other} onChange={setOther} modes={modes} none="no mode (just add this one)" />
        </label>
      )}
      <div className="row-fields">
        <button type="submit" className="primary">
          <kbd>Ctrl+Enter</kbd> Save
        </button>
        <button type="button" onClick={onClose}>
          <kbd>Esc</kbd> Cancel
        </button>
      </div>
      {editing && (
        <fieldset>
          <legend>Merge or delete</legend>
          <label>
            Merge into (every trace with “{editing.name}” gets that mode; this one is deleted)
            <ModeSelect
              value={other}
              onChange={setOther}
              modes={modes.filter((m) => m.id !== editing.id)}
              none="choose a mode…"
            />
          </label>
          <div className="row-fields">
            <button
              type="button"
              disabled={other === ''}
              onClick={() => other !== '' && void act(mergeMode(editing.id, other))}
            >
              Merge
            </button>
            <label className="inline">
              <input type="checkbox" checked={confirmDelete} onChange={(e) => setConfirmDelete(e.target.checked)} />{' '}
              delete this mode (its labels stay in the history)
            </label>
            <button type="button" disabled={!confirmDelete} onClick={() => void act(deleteMode(editing.id))}>
              Delete
            </button>
          </div>
        </fieldset>
      )}
    </form>
  )
}
