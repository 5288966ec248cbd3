import { useShallow } from 'zustand/react/shallow'
import type { SessionView } from '../../../shared/domain'
import { sessionCounts } from '../../../shared/session'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { LiveMatrix } from './LiveMatrix'

/** The end of a session: the counts, the judge's matrix (revealed now if the session was blind), what is left. */
export function SessionSummary({ session }: { session: SessionView }) {
  const { go, leaveSession, undo, saving } = useStore(
    useShallow((s) => ({
      go: s.go,
      leaveSession: s.leaveSession,
      undo: s.undo,
      saving: s.saving,
    })),
  )
  const counts = sessionCounts(session.items)
  const firstOpen = session.items.findIndex((i) => !i.label || i.label.verdict === 'defer')
  useKeyAction('label.prev', () => go(session.items.length - 1))
  useKeyAction('label.first', () => go(0))
  useKeyAction('label.nextOpen', () => firstOpen >= 0 && go(firstOpen))
  useKeyAction('label.undo', () => void undo())
  useKeyAction('label.setup', () => leaveSession())
  useKeyAction('label.escape', () => leaveSession())
  return (
    <div className="summary" data-testid="session-summary">
      <h1>End of session {session.id}</h1>
      <p>
        {session.criterion.name}: <strong>{counts.pass}</strong> pass, <strong>{counts.fail}</strong> fail,{' '}
        <strong>{counts.defer}</strong> deferred, <strong>{counts.open}</strong> not labeled, of {session.items.length}.
        {saving.size > 0 ? ' Saving…' : ' Every label is saved.'}
      </p>
      {firstOpen >= 0 && (
        <p>
          <kbd>End</kbd> goes to the first item still deferred or unlabeled.
        </p>
      )}
      <h2>The judge against your labels</h2>
      {session.settings.order === 'audit' && (
        <p className="muted" data-testid="audit-summary-note">
          These items were drawn by the judge&apos;s verdict (a production audit), so the rates below are not the
          judge&apos;s TPR and TNR: the audit&apos;s estimate is on Calibrate (<kbd>Alt+6</kbd>).
        </p>
      )}
      <LiveMatrix items={session.items} />
      <p className="muted">
        <kbd>←</kbd> back to the last item · <kbd>Home</kbd> first item · <kbd>u</kbd> undo · <kbd>s</kbd> new session
      </p>
    </div>
  )
}
