import type { Taxonomy } from '../../../shared/domain'
import { pct } from './format'
import { Transitions } from './Transitions'

/** Co-occurrence, the metadata pivot and the pipeline transition matrix; cells narrow the notes to their traces. */
export function CrossTables({
  taxonomy,
  pivot,
  metadataKeys,
  onPivot,
  onNarrow,
}: {
  taxonomy: Taxonomy
  pivot: string | null
  metadataKeys: string[]
  onPivot: (key: string | null) => void
  onNarrow: (title: string, ids: readonly number[]) => void
}) {
  const { modes, cooccurrence, transitions, pivot: pivoted } = taxonomy
  const both = (i: number, j: number) => modes[i].itemIds.filter((id) => modes[j].itemIds.includes(id))
  return (
    <>
      {modes.length > 1 && (
        <>
          <h2>Together (traces with both)</h2>
          <table className="cross" data-testid="cooccurrence">
            <thead>
              <tr>
                <th />
                <ModeColumns modes={modes} />
              </tr>
            </thead>
            <tbody>
              {modes.map((m, i) => (
                <tr key={m.id}>
                  <th scope="row">
                    {i + 1}. {m.name}
                  </th>
                  {modes.map((n, j) => (
                    <td
                      key={n.id}
                      className={cooccurrence[i][j] > 0 ? 'clickable' : ''}
                      onClick={() => cooccurrence[i][j] > 0 && onNarrow(`${m.name} and ${n.name}`, both(i, j))}
                    >
                      {cooccurrence[i][j]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>
        By metadata{' '}
        <select
          aria-label="Pivot by a metadata field"
          value={pivot ?? ''}
          onChange={(e) => onPivot(e.target.value || null)}
        >
          <option value="">choose a field…</option>
          {metadataKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </h2>
      {pivoted && (
        <table className="cross" data-testid="pivot">
          <thead>
            <tr>
              <th scope="col">{pivoted.key}</th>
              <th scope="col">reviewed</th>
              <ModeColumns modes={modes} />
            </tr>
          </thead>
          <tbody>
            {pivoted.values.map((v) => (
              <tr key={v.value}>
                <th scope="row">{v.value}</th>
                <td>{v.reviewed}</td>
                {v.counts.map((c, j) => (
                  <td
                    key={modes[j].id}
                    className={c > 0 ? 'clickable' : ''}
                    title={v.reviewed ? `${pct(c / v.reviewed)} of ${v.reviewed}` : ''}
                    onClick={() =>
                      c > 0 && onNarrow(`${modes[j].name} where ${pivoted.key} = ${v.value}`, v.itemIds[j])
                    }
                  >
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {transitions.steps.length > 0 && transitions.cells.length === 0 && (
        <p className="hint">
          Pipelines: mark the first failing step while labeling (<kbd>[</kbd> <kbd>]</kbd> then <kbd>f</kbd>) to see
          where they break (last successful step × first failing step).
        </p>
      )}
      {transitions.cells.length > 0 && <Transitions transitions={transitions} onNarrow={onNarrow} />}
    </>
  )
}

/** One column per mode, headed by its rank (the full name on hover). */
function ModeColumns({ modes }: { modes: Taxonomy['modes'] }) {
  return modes.map((m, j) => (
    <th key={m.id} scope="col" title={m.name}>
      {j + 1}
    </th>
  ))
}
