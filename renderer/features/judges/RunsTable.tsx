import type { RefObject } from 'react'
import type { RunView } from '../../../shared/judges'
import { formatCount } from '../../format'
import { money } from './run-format'

/** The running run's progress (with cancel), and the version's runs with resume and retry. */
export function RunsTable({
  merged,
  active,
  progress,
  onResume,
  onCancel,
}: {
  merged: RunView[]
  active: RunView | undefined
  progress: RefObject<HTMLDivElement | null>
  onResume: (runId: number, retryErrors: boolean) => void
  onCancel: (runId: number) => void
}) {
  return (
    <>
      {active && (
        <div className="run-progress" data-testid="run-progress" ref={progress}>
          <progress value={active.done} max={active.total} />
          <span>
            {active.done} / {active.total} · {active.pass} pass · {active.fail} fail · {active.errors} error ·{' '}
            {active.cached} cached
            {active.mode === 'batch' &&
              active.done < active.total &&
              ' · waiting for the batch (checked every 30 s; cancel stops the waiting, Resume collects the answers)'}
          </span>
          <button onClick={() => onCancel(active.id)}>
            Cancel <kbd>x</kbd>
          </button>
        </div>
      )}
      {merged.length > 0 && (
        <table className="runs" data-testid="runs">
          <thead>
            <tr>
              <th>run</th>
              <th>version</th>
              <th>scope</th>
              <th>status</th>
              <th>done</th>
              <th>pass</th>
              <th>fail</th>
              <th title="Error verdicts (UNKNOWN/ERROR answers, failed calls) among this run's items, as this run left them">
                error
              </th>
              <th>cached</th>
              <th>tokens in/out</th>
              <th>cost</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {merged.slice(0, 20).map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>v{r.version}</td>
                <td>
                  {r.scope}
                  {r.mode === 'batch' ? ' · batch' : ''}
                </td>
                <td className={`status-${r.status}`} title={r.error ?? ''}>
                  {r.status}
                </td>
                <td>
                  {r.done}/{r.total}
                </td>
                <td>{r.pass}</td>
                <td>{r.fail}</td>
                <td>{r.errors}</td>
                <td>{r.cached}</td>
                <td>
                  {formatCount(r.tokensIn)} / {formatCount(r.tokensOut)}
                </td>
                <td>{money(r.costUsd)}</td>
                <td>
                  {(r.status === 'interrupted' || r.status === 'cancelled' || r.status === 'failed') && !active && (
                    <button onClick={() => onResume(r.id, false)}>
                      Resume <kbd>r</kbd>
                    </button>
                  )}
                  {r.status === 'done' && r.errors > 0 && !active && (
                    <button onClick={() => onResume(r.id, true)}>Retry errors</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
