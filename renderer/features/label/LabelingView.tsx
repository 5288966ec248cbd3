import { memo, useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { SessionView } from '../../../shared/domain'
import { TraceView } from '../../components/trace/TraceView'
import { warmTrace } from '../../components/trace/warm'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { ItemExtras } from './ItemExtras'
import { LabelBar } from './LabelBar'
import { VerdictPanel } from './VerdictPanel'

const MemoTrace = memo(TraceView)

/**
 * One item per screen (DESIGN §3, Label): the trace, the verdict keys, the note, tags and the
 * first failing step; progress, pace and the judge's live agreement. Every action has a key.
 */
export function LabelingView({ session }: { session: SessionView }) {
  const s = useStore(
    useShallow((st) => ({
      position: st.position,
      details: st.details,
      unloaded: st.unloaded,
      tagMode: st.tagMode,
      stepFocus: st.stepFocus,
    })),
  )
  const actions = useStore(
    useShallow((st) => ({
      go: st.go,
      label: st.label,
      undo: st.undo,
      toggleTag: st.toggleTag,
      setDraft: st.setDraft,
      setTagMode: st.setTagMode,
      moveStep: st.moveStep,
      leaveSession: st.leaveSession,
      retryItem: st.retryItem,
    })),
  )
  const note = useRef<HTMLTextAreaElement>(null)
  const { position } = s
  const item = session.items[position]
  const detail = s.details.get(item.id)
  const whyUnloaded = detail ? undefined : s.unloaded.get(item.id)
  const isPipeline = (detail?.steps.length ?? 0) > 0
  const ffs = item.label?.firstFailingStep ?? null
  // A step-level session points at its step until the reviewer moves with [ and ].
  const unitStep =
    session.settings.step && detail ? detail.steps.findIndex((st) => st.name === session.settings.step) : -1
  const stepFocus = s.stepFocus ?? (unitStep >= 0 ? unitStep : null)

  // While the reviewer reads this item, the next ones' Markdown is tokenized, when the page is idle.
  useEffect(() => {
    const ahead = [1, 2].flatMap((k) => {
      const next = session.items.at(position + k)
      const loaded = next ? s.details.get(next.id) : undefined
      return loaded ? [loaded] : []
    })
    if (ahead.length === 0) return
    const timer = setTimeout(() => {
      for (const next of ahead) warmTrace(next)
    }, 0)
    return () => clearTimeout(timer)
  }, [session.items, position, s.details])

  const saveNote = () => {
    note.current?.blur()
    void actions.label(item.label?.verdict === 'pass' ? 'pass' : 'fail')
  }
  useKeyAction('label.pass', () => void actions.label('pass'), !s.tagMode)
  useKeyAction('label.fail', () => void actions.label('fail'), !s.tagMode)
  useKeyAction('label.defer', () => void actions.label('defer'))
  useKeyAction('label.undo', () => void actions.undo())
  useKeyAction('label.next', () => actions.go(position + 1))
  useKeyAction('label.prev', () => actions.go(position - 1))
  useKeyAction('label.first', () => actions.go(0))
  useKeyAction('label.nextOpen', () => {
    const items = useStore.getState().session?.items ?? []
    const next = items.findIndex((i, n) => n > position && i.label === null)
    actions.go(next >= 0 ? next : items.findIndex((i) => i.label === null || i.label.verdict === 'defer'))
  })
  useKeyAction('label.retry', () => actions.retryItem(), whyUnloaded !== undefined)
  useKeyAction('label.note', () => note.current?.focus())
  useKeyAction('label.saveNote', saveNote)
  useKeyAction('label.stepNext', () => actions.moveStep(1), isPipeline)
  useKeyAction('label.stepPrev', () => actions.moveStep(-1), isPipeline)
  useKeyAction(
    'label.firstFailing',
    () => {
      const step = detail?.steps[stepFocus ?? -1]
      if (step) void actions.label('fail', { firstFailingStep: step.index, advance: false })
    },
    isPipeline && stepFocus !== null,
  )
  useKeyAction('label.tag', () => actions.setTagMode(true), session.modes.length > 0)
  useKeyAction('label.tagPick', (_e, key) => void actions.toggleTag(Number(key) - 1), s.tagMode)
  useKeyAction('label.setup', () => actions.leaveSession())
  useKeyAction('label.escape', () => (s.tagMode ? actions.setTagMode(false) : actions.leaveSession()))

  return (
    <div className="labeling">
      <LabelBar session={session} position={position} item={item} />
      <div className="label-body">
        <div className="label-trace">
          {detail ? (
            <MemoTrace item={detail} showAssessments={false} stepFocus={stepFocus} firstFailingStep={ffs} />
          ) : whyUnloaded !== undefined ? (
            <div className="error-box" role="alert" data-testid="item-unloaded">
              <p>
                Could not load {item.externalId}: {whyUnloaded}
              </p>
              <button onClick={actions.retryItem}>
                <kbd>r</kbd> Try again
              </button>
            </div>
          ) : (
            <p className="muted">Loading {item.externalId}…</p>
          )}
        </div>
        <aside className="label-panel" aria-label="Your verdict">
          <VerdictPanel session={session} item={item} note={note} />
          <ItemExtras session={session} item={item} detail={detail} stepFocus={stepFocus} />
        </aside>
      </div>
    </div>
  )
}
