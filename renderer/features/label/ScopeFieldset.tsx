import { formatCount } from '../../format'
import { useStore } from '../../store'

/** Which items a session draws from: all, the Data table's search and filter, or the selection. */
export type Scope = 'all' | 'table' | 'selection'

/** The session's items: all of them, the Data table's search and filter, or the selection (with their counts). */
export function ScopeFieldset({
  scope,
  setScope,
  tableFiltered,
}: {
  scope: Scope
  setScope: (scope: Scope) => void
  tableFiltered: boolean
}) {
  const total = useStore((s) => s.total)
  const counting = useStore((s) => s.counting)
  const selected = useStore((s) => s.selected)
  return (
    <fieldset className="scope">
      <legend>Items</legend>
      <label className="inline">
        <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> All items in the
        project
      </label>
      <label className="inline">
        <input
          type="radio"
          name="scope"
          checked={scope === 'table'}
          onChange={() => setScope('table')}
          disabled={!tableFiltered}
        />{' '}
        The Data table's search and filter
        {tableFiltered ? ` (${counting ? 'counting…' : `${formatCount(total)} items`})` : ' (none set)'}
      </label>
      <label className="inline">
        <input
          type="radio"
          name="scope"
          checked={scope === 'selection'}
          onChange={() => setScope('selection')}
          disabled={selected.size === 0}
        />{' '}
        The selection
        {` (${formatCount(selected.size)} items)`}
      </label>
    </fieldset>
  )
}
