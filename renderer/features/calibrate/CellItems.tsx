import { errorPolicyEffect, type ErrorPolicy } from '../../../shared/stats'
import type { OpenCell } from '../../store/slices/calibrate'

/** The items of one matrix cell, the judge's critique beside the human note, to read or label again. */
export function CellItems({
  cell,
  errors,
  onFix,
  onClose,
}: {
  cell: OpenCell
  errors: ErrorPolicy
  onFix: () => void
  onClose: () => void
}) {
  return (
    <section className="cell-items" data-testid="cell-items">
      <h3>
        {cell.split}: human {cell.human}, judge {cell.judge} — {cell.items.length} item
        {cell.items.length === 1 ? '' : 's'}{' '}
        {cell.items.length > 0 && (
          <button onClick={onFix}>
            Label these again <kbd>l</kbd>
          </button>
        )}{' '}
        <button onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </h3>
      <table>
        <thead>
          <tr>
            <th>item</th>
            <th>human note</th>
            <th>judge critique</th>
          </tr>
        </thead>
        <tbody>
          {cell.items.map((i) => (
            <tr key={i.itemId}>
              <td className="mono">
                {i.externalId}
                {i.error && (
                  <span
                    className="warning small"
                    title={`The judge's verdict was an error, ${errorPolicyEffect(errors)} by the error policy`}
                  >
                    {' '}
                    error verdict
                  </span>
                )}
              </td>
              <td>{i.note || <span className="muted">(no note)</span>}</td>
              <td>{i.critique || <span className="muted">(no critique)</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
