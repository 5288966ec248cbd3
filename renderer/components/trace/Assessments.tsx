import type { ItemDetail } from '../../../shared/domain'
import { VerdictBadge } from '../VerdictBadge'
import './trace.css'

/** Human labels and judge verdicts already recorded for this item. */
export function Assessments({ item }: { item: ItemDetail }) {
  if (item.labels.length === 0 && item.verdicts.length === 0) return <p className="muted">Not labeled yet.</p>
  return (
    <table className="assessments">
      <tbody>
        {item.labels.map((l) => (
          <tr key={`l-${l.criterion}-${l.annotator}`}>
            <th>{l.criterion}</th>
            <td>
              <VerdictBadge verdict={l.verdict} /> human ({l.annotator})
              {l.split && <span className="muted"> · {l.split} split</span>}
            </td>
            <td className="note">{l.note}</td>
          </tr>
        ))}
        {item.verdicts.map((v) => (
          <tr key={`v-${v.runId}`}>
            <th>{v.criterion}</th>
            <td>
              <VerdictBadge verdict={v.verdict} /> {v.judge} v{v.version} <span className="muted">· {v.scope} run</span>
            </td>
            <td className="note">{v.critique}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
