import { useMemo } from 'react'
import type { NoteView } from '../../../shared/domain'
import type { NoteList } from './note-list'

/** The note list's filters (criterion, label, dataset, a metadata field's value) and how many notes they keep. */
export function NoteFilters({ notes, list }: { notes: NoteView[]; list: NoteList }) {
  const { facet, pickFacet, visible } = list
  const choices = useMemo(
    () => ({
      criterion: [...new Set(notes.map((n) => n.criterion))].sort(),
      dataset: [...new Set(notes.map((n) => n.dataset))].sort(),
      keys: [...new Set(notes.flatMap((n) => Object.keys(n.metadata)))].sort(),
      values: [...new Set(notes.map((n) => n.metadata[facet.key] ?? ''))].sort(),
    }),
    [notes, facet.key],
  )
  return (
    <div className="note-filters">
      <select
        aria-label="Notes of criterion"
        value={facet.criterion}
        onChange={(e) => pickFacet({ criterion: e.target.value })}
      >
        <option value="">every criterion</option>
        {choices.criterion.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <select
        aria-label="Notes with label"
        value={facet.verdict}
        onChange={(e) => pickFacet({ verdict: e.target.value })}
      >
        <option value="">any label</option>
        <option value="fail">fail</option>
        <option value="pass">pass</option>
        <option value="defer">deferred</option>
      </select>
      <select
        aria-label="Notes in dataset"
        value={facet.dataset}
        onChange={(e) => pickFacet({ dataset: e.target.value })}
      >
        <option value="">every dataset</option>
        {choices.dataset.map((d) => (
          <option key={d}>{d}</option>
        ))}
      </select>
      <select
        aria-label="Notes by a metadata field"
        value={facet.key}
        onChange={(e) =>
          pickFacet({
            key: e.target.value,
            value: [...new Set(notes.map((n) => n.metadata[e.target.value] ?? ''))].sort()[0] ?? '',
          })
        }
      >
        <option value="">any metadata</option>
        {choices.keys.map((k) => (
          <option key={k}>{k}</option>
        ))}
      </select>
      {facet.key && (
        <select
          aria-label={`Value of ${facet.key}`}
          value={facet.value}
          onChange={(e) => pickFacet({ value: e.target.value })}
        >
          {choices.values.map((v) => (
            <option key={v} value={v}>
              {v || '(none)'}
            </option>
          ))}
        </select>
      )}
      <span className="muted" data-testid="notes-shown">
        {visible.length === notes.length
          ? `all ${notes.length} notes shown`
          : `${visible.length} of ${notes.length} notes shown`}
      </span>
    </div>
  )
}
