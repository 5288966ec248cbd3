import type { SessionItem, SessionView } from '../../../shared/domain'
import { sessionCounts } from '../../../shared/session'
import { useStore, type Store } from '../../store'

/** Items per minute over the last acknowledged saves. */
function rate(acks: readonly number[]): number | null {
  const recent = acks.slice(-20)
  const last = recent.at(-1)
  if (recent.length < 2 || last === undefined) return null
  return (recent.length - 1) / ((last - recent[0]) / 60_000)
}

/** The session's bar: criterion, position, counts, pace, whether every label is saved; and the live region. */
export function LabelBar({ session, position, item }: { session: SessionView; position: number; item: SessionItem }) {
  const acks = useStore((st) => st.acks)
  const saving = useStore((st) => st.saving)
  const lastWrite = useStore((st) => st.lastWrite)
  const counts = sessionCounts(session.items)
  const perMinute = rate(acks)
  return (
    <>
      <div className="label-bar">
        <strong>{session.criterion.name}</strong>
        <span className="muted">v{session.criterion.version}</span>
        <span className="progress" data-testid="label-progress">
          Item {position + 1} of {session.items.length}
        </span>
        <span className="counts" data-testid="label-counts">
          <span className="verdict-pass">{counts.pass} pass</span> ·{' '}
          <span className="verdict-fail">{counts.fail} fail</span> ·{' '}
          <span className="verdict-defer">{counts.defer} deferred</span>
        </span>
        <span className="muted" data-testid="label-left">
          {counts.open} unlabeled
        </span>
        <span className="muted">{perMinute === null ? '— items/min' : `${perMinute.toFixed(1)} items/min`}</span>
        <span className={saving.size > 0 ? 'save-state saving' : 'save-state'} data-testid="save-state">
          {saving.size > 0 ? 'Saving…' : 'All labels saved'}
        </span>
        {session.settings.blind && (
          <span className="badge blind" title="The judge's verdict stays hidden until you have labeled the item">
            blind
          </span>
        )}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="label-announce">
        {announcement(session.items.length, position, item, saving.size > 0, lastWrite)}
      </p>
    </>
  )
}

const SAID: Record<NonNullable<Store['lastWrite']>['what'], (id: string) => string> = {
  pass: (id) => `Saved Pass for ${id}`,
  fail: (id) => `Saved Fail for ${id}`,
  defer: (id) => `Deferred ${id}`,
  undo: (id) => `Undid the label of ${id}`,
}

/**
 * What the polite live region says: the item now shown, then whether labels are saved. A screen
 * reader speaks it whenever it changes, without moving the focus.
 */
function announcement(
  total: number,
  position: number,
  item: SessionItem,
  saving: boolean,
  last: Store['lastWrite'],
): string {
  const shown = `Item ${position + 1} of ${total}: ${item.externalId}, ${item.label ? (item.label.verdict === 'defer' ? 'deferred' : `labeled ${item.label.verdict}`) : 'not labeled'}.`
  const saved = saving ? 'Saving…' : last ? `${SAID[last.what](last.externalId)}; all labels saved.` : ''
  return `${shown} ${saved}`.trim()
}
