import { memo, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { SessionItem } from '../../../shared/domain'
import { sessionCounts } from '../../../shared/session'
import { TraceView } from '../../components/trace/TraceView'
import { VerdictBadge } from '../../components/VerdictBadge'
import { keysOf, useKeyAction, type ActionId } from '../../keyboard'
import { useStore, type Store } from '../../store'
import { LiveMatrix } from './LiveMatrix'

const MemoTrace = memo(TraceView)

/** Items per minute over the last acknowledged saves. */
function rate(acks: readonly number[]): number | null {
  const recent = acks.slice(-20)
  if (recent.length < 2) return null
  return (recent.length - 1) / ((recent.at(-1)! - recent[0]) / 60_000)
}

const keyLabel = (id: ActionId) => keysOf(id)[0].replace('Arrow', '').replace('Mod+enter', 'Ctrl+Enter')

/**
 * One item per screen (DESIGN §3, Label): the trace, the verdict keys, the note, tags and the
 * first failing step; progress, pace and the judge's live agreement. Every action has a key.
 */
export function LabelingView() {
  const s = useStore(
    useShallow((st) => ({
      session: st.session!,
      position: st.position,
      details: st.details,
      saving: st.saving,
      drafts: st.drafts,
      acks: st.acks,
      tagMode: st.tagMode,
      stepFocus: st.stepFocus,
      lastWrite: st.lastWrite,
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
    })),
  )
  const note = useRef<HTMLTextAreaElement>(null)
  const { session, position } = s
  const item = session.items[position]
  const detail = s.details.get(item.id)
  const labeled = item.label?.verdict === 'pass' || item.label?.verdict === 'fail'
  const showJudge = !session.settings.blind || labeled
  const draft = s.drafts.get(item.id)
  const noteText = draft ?? item.label?.note ?? ''
  const counts = sessionCounts(session.items)
  const perMinute = rate(s.acks)
  const isPipeline = (detail?.steps.length ?? 0) > 0
  const ffs = item.label?.firstFailingStep ?? null
  // A step-level session points at its step until the reviewer moves with [ and ].
  const unitStep =
    session.settings.step && detail ? detail.steps.findIndex((st) => st.name === session.settings.step) : -1
  const stepFocus = s.stepFocus ?? (unitStep >= 0 ? unitStep : null)

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
    const items = useStore.getState().session!.items
    const next = items.findIndex((i, n) => n > position && i.label === null)
    actions.go(next >= 0 ? next : items.findIndex((i) => i.label === null || i.label.verdict === 'defer'))
  })
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
        <span className={s.saving.size > 0 ? 'save-state saving' : 'save-state'} data-testid="save-state">
          {s.saving.size > 0 ? 'Saving…' : 'All labels saved'}
        </span>
        {session.settings.blind && (
          <span className="badge blind" title="The judge's verdict stays hidden until you have labeled the item">
            blind
          </span>
        )}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="label-announce">
        {announcement(session.items.length, position, item, s.saving.size > 0, s.lastWrite)}
      </p>
      <div className="label-body">
        <div className="label-trace">
          {detail ? (
            <MemoTrace item={detail} showAssessments={false} stepFocus={stepFocus} firstFailingStep={ffs} />
          ) : (
            <p className="muted">Loading {item.externalId}…</p>
          )}
        </div>
        <aside className="label-panel" aria-label="Your verdict">
          <section className="verdict-keys">
            <div className="current" data-testid="current-label">
              {s.saving.has(item.id) ? (
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
              <button className="pass" onClick={() => void actions.label('pass')}>
                <kbd>{keyLabel('label.pass')}</kbd> Pass
              </button>
              <button className="fail" onClick={() => void actions.label('fail')}>
                <kbd>{keyLabel('label.fail')}</kbd> Fail
              </button>
              <button onClick={() => void actions.label('defer')}>
                <kbd>{keyLabel('label.defer')}</kbd> Defer
              </button>
              <button onClick={() => void actions.undo()} title="Undo the last label (u, Backspace or Ctrl/⌘+Z)">
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
              onChange={(e) => actions.setDraft(item.id, e.target.value)}
            />
            <p className="hint">
              Note only the <em>first</em> failure you see, as you observed it. <kbd>Ctrl+Enter</kbd> saves the note
              with the verdict ({item.label?.verdict === 'pass' ? 'Pass' : 'Fail'}) and goes on; <kbd>Esc</kbd> leaves
              the box.
              {draft !== undefined && draft !== (item.label?.note ?? '') && (
                <strong className="warning"> Note not saved yet.</strong>
              )}
            </p>
          </section>
          {isPipeline && detail && (
            <section>
              <h3>First failing step</h3>
              <p>
                {ffs === null ? (
                  <span className="muted">none marked</span>
                ) : (
                  <strong className="verdict-fail">
                    {detail.steps.find((st) => st.index === ffs)?.name ?? `step ${ffs}`}
                  </strong>
                )}
                {' · '}
                <kbd>[</kbd>
                <kbd>]</kbd> choose a step{stepFocus !== null && <>: {detail.steps[stepFocus]?.name}</>}, <kbd>f</kbd>{' '}
                mark it
              </p>
            </section>
          )}
          {session.modes.length > 0 && (
            <section className={s.tagMode ? 'tags picking' : 'tags'}>
              <h3>
                Failure modes <kbd>t</kbd> then a number{s.tagMode && <strong> — pick a number (Esc cancels)</strong>}
              </h3>
              <ol>
                {session.modes.slice(0, 9).map((m, n) => (
                  <li key={m.id}>
                    <label className="inline">
                      <input
                        type="checkbox"
                        checked={item.tags.includes(m.id)}
                        onChange={() => void actions.toggleTag(n)}
                      />{' '}
                      <kbd>{n + 1}</kbd> {m.name}
                    </label>
                  </li>
                ))}
              </ol>
            </section>
          )}
          {session.settings.order === 'adjudicate' && detail && (
            <section data-testid="annotators">
              <h3>Annotators (your label decides)</h3>
              <ul className="annotators">
                {detail.labels
                  .filter((l) => l.criterion === session.criterion.name)
                  .map((l) => (
                    <li key={l.annotator}>
                      <VerdictBadge verdict={l.verdict} /> <strong>{l.annotator}</strong>{' '}
                      {l.note && <span className="critique">{l.note}</span>}
                    </li>
                  ))}
              </ul>
            </section>
          )}
          <JudgePanel
            item={item}
            show={showJudge}
            blind={session.settings.blind}
            critique={detail?.verdicts.find((v) => v.criterion === session.criterion.name)?.critique}
          />
          <section>
            <h3>Judge vs you, this session</h3>
            {session.settings.blind ? (
              <p className="muted">Hidden in blind mode; shown at the end of the session.</p>
            ) : (
              <LiveMatrix items={session.items} />
            )}
          </section>
          <section className="saturation" data-testid="saturation">
            <h3>Saturation</h3>
            <p>
              {session.saturation.reviewed} traces reviewed · {session.saturation.newModes} new failure mode
              {session.saturation.newModes === 1 ? '' : 's'} in the last {session.saturation.window} ·{' '}
              {session.saturation.saturated ? (
                <strong className="verdict-pass">saturated</strong>
              ) : (
                <span className="muted">
                  not saturated yet (about 100 reviewed with nothing new in the last {session.saturation.window})
                </span>
              )}
            </p>
          </section>
        </aside>
      </div>
    </div>
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

function JudgePanel({
  item,
  show,
  blind,
  critique,
}: {
  item: SessionItem
  show: boolean
  blind: boolean
  critique: string | undefined
}) {
  return (
    <section data-testid="judge-verdict">
      <h3>Judge</h3>
      {item.judge === null ? (
        <p className="muted">No judge verdict for this criterion.</p>
      ) : item.judge === 'hidden' ? (
        <p className="muted">
          A test-split item: the judge's verdict shows once this judge's test results are shown (Calibrate, <kbd>t</kbd>
          ).
        </p>
      ) : show ? (
        <p>
          <VerdictBadge verdict={item.judge} /> {critique && <span className="critique">{critique}</span>}
        </p>
      ) : (
        <p className="muted">Hidden until you label this item{blind ? ' (blind mode)' : ''}.</p>
      )}
    </section>
  )
}
