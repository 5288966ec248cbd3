import type { Taxonomy } from '../../../shared/domain'
import { ORDER_SOURCE } from '../../../shared/taxonomy-report'
import { pct } from './format'

/**
 * The transition failure matrix (methodology §6.2): last successful state × first failing state,
 * with each row's total, each state's first failures, and a pipeline step's pass rate; the state
 * order and where it comes from above it. Cells and totals narrow the notes to their traces.
 */
export function Transitions({
  transitions,
  onNarrow,
}: {
  transitions: Taxonomy['transitions']
  onNarrow: (title: string, ids: readonly number[]) => void
}) {
  const states = transitions.states.map((s) => s.state)
  const cellOf = (from: string, to: string) =>
    transitions.cells.find((c) => c.lastSuccess === from && c.firstFailure === to)
  const ids = (pick: (c: Taxonomy['transitions']['cells'][number]) => boolean) =>
    transitions.cells.filter(pick).flatMap((c) => c.itemIds)
  const rate = new Map(transitions.steps.map((s) => [s.step, s]))
  return (
    <>
      <h2>Where traces fail: last successful state → first failing state</h2>
      <p className="muted" data-testid="state-order">
        {transitions.failed} failing traces · state order ({ORDER_SOURCE[transitions.orderSource]}):{' '}
        {states.join(' → ')}
      </p>
      {transitions.unfixed.length > 0 && (
        <p className="hint" data-testid="state-order-unfixed">
          The data does not order{' '}
          {transitions.unfixed
            .slice(0, 5)
            .map(([a, b]) => `${a} and ${b}`)
            .join('; ')}
          {transitions.unfixed.length > 5 ? '; …' : ''}: the one seen first is put first. Give the order when you import
          (“State order”, or <code>--state-order</code>).
        </p>
      )}
      <div className="cross-scroll">
        <table className="cross" data-testid="transitions">
          <thead>
            <tr>
              <th scope="col">last success ↓ / first failure →</th>
              {states.map((s) => (
                <th key={s} scope="col">
                  {s}
                </th>
              ))}
              <th scope="col">total</th>
            </tr>
          </thead>
          <tbody>
            {['(start)', ...states].map((from) => {
              const total = ids((c) => c.lastSuccess === from)
              return (
                <tr key={from}>
                  <th scope="row">{from}</th>
                  {states.map((to) => {
                    const cell = cellOf(from, to)
                    return (
                      <td
                        key={to}
                        className={cell ? 'clickable' : ''}
                        onClick={() => cell && onNarrow(`Failed at ${to} after ${from}`, cell.itemIds)}
                      >
                        {cell?.count ?? ''}
                      </td>
                    )
                  })}
                  <td
                    className={total.length > 0 ? 'clickable' : ''}
                    onClick={() => total.length > 0 && onNarrow(`Last success: ${from}`, total)}
                  >
                    {total.length || ''}
                  </td>
                </tr>
              )
            })}
            <tr data-testid="first-failures">
              <th scope="row">first failures</th>
              {transitions.states.map((s) => (
                <td
                  key={s.state}
                  className={s.firstFailures > 0 ? 'clickable' : ''}
                  onClick={() =>
                    s.firstFailures > 0 &&
                    onNarrow(
                      `First failure: ${s.state}`,
                      ids((c) => c.firstFailure === s.state),
                    )
                  }
                >
                  {s.firstFailures}
                </td>
              ))}
              <td>{transitions.failed}</td>
            </tr>
            {transitions.steps.length > 0 && (
              <tr>
                <th scope="row">pass rate of the step</th>
                {states.map((state) => {
                  const s = rate.get(state)
                  return (
                    <td
                      key={state}
                      title={
                        s
                          ? `${s.passed} of ${s.reached} traces that reached it; 95% CI ${pct(s.rate.lower)}–${pct(s.rate.upper)}`
                          : 'not a pipeline step'
                      }
                    >
                      {s && (
                        <>
                          {pct(s.rate.estimate)} <span className="muted">of {s.reached}</span>
                        </>
                      )}
                    </td>
                  )
                })}
                <td />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <p className="hint">
        From the first failing step marked while labeling (<kbd>[</kbd> <kbd>]</kbd> then <kbd>f</kbd>) or the states
        imported with the traces.
        {transitions.unmarked > 0 &&
          ` ${transitions.unmarked} failing trace${transitions.unmarked === 1 ? ' has' : 's have'} no first failing step or state: not counted here.`}
        {transitions.backwards > 0 &&
          ` ${transitions.backwards} trace${transitions.backwards === 1 ? "'s" : "s'"} last success comes after the first failure in this order: check the order.`}
      </p>
    </>
  )
}
