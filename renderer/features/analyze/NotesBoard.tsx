import type { NoteView, Taxonomy } from '../../../shared/domain'
import { VerdictBadge } from '../../components/VerdictBadge'
import { noteKey, type NoteList } from './note-list'
import { NoteFilters } from './NoteFilters'

const SHOWN = 500

/**
 * Every note in one list, with its filters: what is narrowed to (a bar or cell of the counts),
 * what is selected, and each note's trace, label and failure modes.
 */
export function NotesBoard({
  notes,
  list,
  numbered,
}: {
  notes: NoteView[]
  list: NoteList
  numbered: Taxonomy['modes']
}) {
  const { only, setOnly, filtering, selected, selectedTraces, visible, at, setCursor } = list
  // The narrowed traces' counts come from every note of the project; what the search and filters
  // leave of them is said apart, so a search never makes a mode's traces look note-less.
  const withNotes = only ? new Set(notes.filter((n) => only.ids.has(n.itemId)).map((n) => n.itemId)).size : 0
  const tracesShown = new Set(visible.map((n) => n.itemId)).size
  return (
    <section className="notes-board" aria-label="Notes">
      <NoteFilters notes={notes} list={list} />
      {only && (
        <p className="narrowed" data-testid="narrowed">
          {only.title}: {only.ids.size} traces, {withNotes} with notes
          {filtering ? `; ${tracesShown} of them shown by the search and filters` : ''}{' '}
          <button className="link" onClick={() => setOnly(null)}>
            show all (Esc)
          </button>
        </p>
      )}
      {selected.size > 0 && (
        <p className="narrowed">
          {selected.size} note{selected.size === 1 ? '' : 's'} selected ({selectedTraces.length} trace
          {selectedTraces.length === 1 ? '' : 's'}) · <kbd>c</kbd> makes them a new failure mode
        </p>
      )}
      {visible.length === 0 && (
        <p className="muted">
          {notes.length === 0
            ? 'No notes yet: write them while labeling (n on the Label screen), or import a notes column.'
            : 'No note matches.'}
        </p>
      )}
      <ol className="notes">
        {visible.slice(0, SHOWN).map((n, i) => (
          <li
            key={`${n.itemId}-${n.criterion}-${n.annotator}`}
            className={`${i === at ? 'note current' : 'note'}${selected.has(noteKey(n)) ? ' picked' : ''}`}
            data-item={n.externalId}
            onClick={() => setCursor(i)}
          >
            <div className="note-head">
              <code>{n.externalId}</code> <VerdictBadge verdict={n.verdict} />{' '}
              <span className="muted">
                {n.criterion} · {n.annotator}
              </span>
              <span className="chips">
                {numbered.map((m, k) =>
                  n.modes.includes(m.id) ? (
                    <span key={m.id} className="chip" title={m.name}>
                      {k + 1} {m.name}
                    </span>
                  ) : null,
                )}
              </span>
            </div>
            <p>{n.note}</p>
          </li>
        ))}
      </ol>
      {visible.length > SHOWN && (
        <p className="muted">
          Showing the first {SHOWN} of {visible.length}: search to narrow.
        </p>
      )}
    </section>
  )
}
