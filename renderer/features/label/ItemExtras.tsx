import type { ItemDetail, SessionItem, SessionView } from '../../../shared/domain'
import { VerdictBadge } from '../../components/VerdictBadge'
import { useStore } from '../../store'
import { LiveMatrix } from './LiveMatrix'

/** Beside the verdict: the first failing step, the failure-mode tags, the other annotators, the judge, saturation. */
export function ItemExtras({
  session,
  item,
  detail,
  stepFocus,
}: {
  session: SessionView
  item: SessionItem
  detail: ItemDetail | undefined
  stepFocus: number | null
}) {
  const tagMode = useStore((st) => st.tagMode)
  const toggleTag = useStore((st) => st.toggleTag)
  const isPipeline = (detail?.steps.length ?? 0) > 0
  const ffs = item.label?.firstFailingStep ?? null
  const labeled = item.label?.verdict === 'pass' || item.label?.verdict === 'fail'
  const showJudge = !session.settings.blind || labeled
  return (
    <>
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
            <kbd>]</kbd> choose a step{stepFocus !== null && <>: {detail.steps[stepFocus]?.name}</>}, <kbd>f</kbd> mark
            it
          </p>
        </section>
      )}
      {session.modes.length > 0 && (
        <section className={tagMode ? 'tags picking' : 'tags'}>
          <h3>
            Failure modes <kbd>t</kbd> then a number{tagMode && <strong> — pick a number (Esc cancels)</strong>}
          </h3>
          <ol>
            {session.modes.slice(0, 9).map((m, n) => (
              <li key={m.id}>
                <label className="inline">
                  <input type="checkbox" checked={item.tags.includes(m.id)} onChange={() => void toggleTag(n)} />{' '}
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
    </>
  )
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
