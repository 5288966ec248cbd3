import { useState, type FormEvent } from 'react'
import type { Taxonomy } from '../../../shared/domain'
import { call } from '../../api'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'

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
  const showError = useStore((s) => s.showError)
  const editing = state.kind === 'edit' ? state.mode : null
  const [name, setName] = useState(editing?.name ?? '')
  const [definition, setDefinition] = useState(editing?.definition ?? '')
  const [other, setOther] = useState<number | ''>('')
  const [confirmDelete, setConfirmDelete] = useState(false)

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work()
      await onDone()
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error))
    }
  }
  const save = (event?: FormEvent) => {
    event?.preventDefault()
    if (!name.trim()) {
      showError('A failure mode needs a name.')
      return
    }
    void act(async () => {
      if (!editing) {
        const from = other === '' ? null : other
        const ids = (state as { itemIds: number[] }).itemIds
        const { id } = await call('modes.create', { name, definition, itemIds: from === null ? ids : [] })
        if (from !== null && ids.length > 0) await call('modes.move', { itemIds: ids, from, to: id })
        return
      }
      if (name.trim() !== editing.name) await call('modes.rename', { id: editing.id, name })
      if (definition.trim() && definition.trim() !== editing.definition)
        await call('criteria.update', { id: editing.id, definition })
    })
  }
  useKeyAction('mode.save', () => save())
  useKeyAction('mode.close', onClose)

  return (
    <form className="mode-form" onSubmit={save} aria-label={editing ? `Edit ${editing.name}` : 'New failure mode'}>
      <h2>
        {editing
          ? `Edit “${editing.name}”`
          : `New failure mode from ${(state as { itemIds: number[] }).itemIds.length} trace(s)`}
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
              onClick={() => other !== '' && void act(() => call('modes.merge', { from: editing.id, into: other }))}
            >
              Merge
            </button>
            <label className="inline">
              <input type="checkbox" checked={confirmDelete} onChange={(e) => setConfirmDelete(e.target.checked)} />{' '}
              delete this mode (its labels stay in the history)
            </label>
            <button
              type="button"
              disabled={!confirmDelete}
              onClick={() => void act(() => call('modes.delete', { id: editing.id }))}
            >
              Delete
            </button>
          </div>
        </fieldset>
      )}
    </form>
  )
}

function ModeSelect({
  value,
  onChange,
  modes,
  none,
}: {
  value: number | ''
  onChange: (v: number | '') => void
  modes: Mode[]
  none: string
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}>
      <option value="">{none}</option>
      {modes.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </select>
  )
}
