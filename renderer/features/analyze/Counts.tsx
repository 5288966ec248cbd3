import { Pareto } from '../../../shared/charts/Pareto'
import type { Taxonomy } from '../../../shared/domain'
import { useStore } from '../../store'
import { selectOverall, selectPivot } from '../../store/slices/analyze'
import { CrossTables } from './CrossTables'
import { SuggestPanel } from './SuggestPanel'

/**
 * The counts beside the notes: Overall, the numbered failure modes with their examples, the LLM
 * suggestions, the Pareto chart and the cross tables. Every bar and cell narrows the notes.
 */
export function Counts({
  taxonomy,
  numbered,
  onNarrow,
}: {
  taxonomy: Taxonomy
  numbered: Taxonomy['modes']
  onNarrow: (title: string, ids: readonly number[]) => void
}) {
  const overall = useStore(selectOverall)
  const pivot = useStore(selectPivot)
  const setPivot = useStore((s) => s.setAnalyzePivot)
  const metadataKeys = useStore((s) => s.facets?.metadataKeys ?? NO_KEYS)
  return (
    <>
      {overall && (
        <p className="overall-criterion" data-testid="analyze-overall">
          <kbd>0</kbd> <strong>{overall.name}</strong>{' '}
          <span className="muted">
            v{overall.version} · {overall.labeled} labeled
          </span>
          <span className="muted definition">{overall.definition || 'No definition yet (e, then 0).'}</span>
        </p>
      )}
      <h2>Failure modes</h2>
      <ol className="modes">
        {numbered.map((m, k) => (
          <li key={m.id}>
            <kbd>{k + 1}</kbd> <strong>{m.name}</strong>{' '}
            <span className="muted">
              v{m.version} · {m.count} traces
            </span>
            <div className="muted definition">{m.definition || 'No definition yet (e, then its number).'}</div>
            {m.examples.length > 0 && (
              <div className="definition examples">
                {m.examples.map((e) => (
                  <span
                    key={`${e.kind}-${e.itemId}`}
                    className={`example ${e.kind}`}
                    title={e.kind === 'fail' ? 'example: the failure is present' : 'example: the failure is absent'}
                  >
                    {e.kind === 'fail' ? '✗' : '✓'} {e.externalId}
                  </span>
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
      <p className="hint">
        Numbers put the current note's trace in a mode (again: take it out) · <kbd>x</kbd> select · <kbd>c</kbd> new
        mode · <kbd>e</kbd>+number edit, merge, delete (<kbd>e</kbd> <kbd>0</kbd> defines Overall) · <kbd>r</kbd>+number
        re-code every reviewed trace for that mode · <kbd>f</kbd>/<kbd>p</kbd>+number pin the trace as an example of the
        mode present/absent.
      </p>
      <SuggestPanel />
      <h2>How often (Pareto)</h2>
      <Pareto
        taxonomy={taxonomy}
        onPick={(id) => {
          const mode = taxonomy.modes.find((m) => m.id === id)
          if (mode) onNarrow(mode.name, mode.itemIds)
        }}
      />
      <CrossTables
        taxonomy={taxonomy}
        pivot={pivot}
        metadataKeys={metadataKeys}
        onPivot={setPivot}
        onNarrow={onNarrow}
      />
    </>
  )
}

const NO_KEYS: string[] = []
