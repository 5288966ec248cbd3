import type { RefObject } from 'react'
import type { SessionItem, SessionView } from '../../../shared/domain'
import { VerdictBadge } from '../../components/VerdictBadge'
import { keysOf, type ActionId } from '../../keyboard'
import { useStore } from '../../store'

const keyLabel = (id: ActionId) => keysOf(id)[0].replace('Arrow', '').replace('Mod+enter', 'Ctrl+Enter')

/** The item's label as saved, the verdict buttons, and the note. */
export function VerdictPanel({
  session,
  item,
  note,
}: {
  session: SessionView
  item: SessionItem
  note: RefObject<HTMLTextAreaElement | null>
}) {
  const saving = useStore((st) => st.saving)
  const draft = useStore((st) => st.drafts.get(item.id))
  const { label, undo, setDraft } = useStore.getState()
  const noteText = draft ?? item.label?.note ?? ''
  return (
    <>
      <section className="verdict-keys">
        <div className="current" data-testid="current-label">
          {saving.has(item.id) ? (
            <span className="muted">saving…</span>
          ) : item.label ? (
            <>
              <VerdictBadge verdict={item.label.verdict} /> <span className="muted">saved</span>
              {item.label.version < session.criterion.version && (
                <span className="warning"> made under v{item.label.version}: re-review</span>
              )}
            </>
          ) : (
            <span className="muted">{item.others.length > 0 ? 'not labeled by you' : 'not labeled'}</span>
          )}
        </div>
        {item.others.length > 0 && session.settings.order !== 'adjudicate' && <OtherLabels others={item.others} />}
        <div className="buttons">
          <button className="pass" onClick={() => void label('pass')}>
            <kbd>{keyLabel('label.pass')}</kbd> Pass
          </button>
          <button className="fail" onClick={() => void label('fail')}>
            <kbd>{keyLabel('label.fail')}</kbd> Fail
          </button>
          <button onClick={() => void label('defer')}>
            <kbd>{keyLabel('label.defer')}</kbd> Defer
          </button>
          <button onClick={() => void undo()} title="Undo the last label (u, Backspace or Ctrl/⌘+Z)">
            <kbd>u</kbd> Undo <kbd>Ctrl/⌘+Z</kbd>
          </button>
        </div>
      </section>
      <section>
        <label className="note-label" htmlFor="label-note">
          Note <kbd>n</kbd>
        </label>
        <textarea
          id="label-note"
          ref={note}
          rows={4}
          value={noteText}
          placeholder="The first thing that went wrong, as an observation (e.g. “suggested a recipe with shellfish after the user said they are allergic”)."
          onChange={(e) => setDraft(item.id, e.target.value)}
        />
        <p className="hint">
          Note only the <em>first</em> failure you see, as you observed it. <kbd>Ctrl+Enter</kbd> saves the note with
          the verdict ({item.label?.verdict === 'pass' ? 'Pass' : 'Fail'}) and goes on; <kbd>Esc</kbd> leaves the box.
          {draft !== undefined && draft !== (item.label?.note ?? '') && (
            <strong className="warning"> Note not saved yet.</strong>
          )}
        </p>
      </section>
    </>
  )
}

/** Other annotators' labels on the item: the queue is per annotator, so say what they decided. */
function OtherLabels({ others }: { others: SessionItem['others'] }) {
  return (
    <ul className="annotators others" data-testid="other-labels">
      {others.map((o) => (
        <li key={o.annotator}>
          <span className={`verdict-${o.verdict}`}>{o.verdict === 'defer' ? 'deferred' : `labeled ${o.verdict}`}</span>{' '}
          by <strong>{o.annotator}</strong>
          {o.note && <span className="critique">: {o.note}</span>}
        </li>
      ))}
    </ul>
  )
}
