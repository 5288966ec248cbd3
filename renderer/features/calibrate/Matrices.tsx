import type { ErrorPolicy } from '../../../shared/stats'
import type { CalibrationView, Targets } from '../../../shared/calibrate'
import { useStore } from '../../store'
import { selectCalibrateCell } from '../../store/slices/calibrate'
import { CellItems } from './CellItems'
import { MatrixTable, type Cell } from './MatrixTable'

/**
 * The confusion matrices per split (train apart: it is the few-shot pool), the test lock, and
 * the open cell's items.
 */
export function Matrices({
  view,
  targets,
  params,
  onCell,
  onReveal,
  onFix,
}: {
  view: CalibrationView
  targets: Targets
  params: { confidence: number; errors: ErrorPolicy }
  onCell: (split: 'train' | 'dev' | 'test', cell: Cell) => void
  onReveal: () => void
  onFix: () => void
}) {
  const readOnly = useStore((s) => s.project?.readOnly ?? null) !== null
  const cell = useStore(selectCalibrateCell)
  const closeCell = useStore((s) => s.closeCalibrateCell)
  return (
    <section className="matrices">
      <div className="matrix-row">
        {view.matrices
          .filter((m) => m.split !== 'train')
          .map((m) => (
            <MatrixTable
              key={m.split}
              m={m}
              targets={targets}
              confidence={params.confidence}
              onCell={(c) => onCell(m.split, c)}
            />
          ))}
        {!view.testRevealed && (
          <section className="matrix-block locked" data-testid="test-locked">
            <h3>test split</h3>
            <p>
              Hidden: the test set is for one final measurement. {view.testEvaluations} test evaluation
              {view.testEvaluations === 1 ? '' : 's'} of this version so far.
            </p>
            <button onClick={() => onReveal()}>
              Show test results <kbd>t</kbd>
            </button>
            <p className="hint">
              {readOnly
                ? 'This project is read-only, so viewing cannot be recorded here (no judge can be changed in it either); in a writable copy it is recorded.'
                : 'Viewing is recorded; changing the judge afterwards warns that test numbers become optimistic.'}
            </p>
          </section>
        )}
      </div>
      {view.matrices
        .filter((m) => m.split === 'train')
        .map((m) => (
          <details key="train" className="train-matrix">
            <summary>train split (the few-shot pool: optimistic, shown apart)</summary>
            <MatrixTable m={m} targets={targets} confidence={params.confidence} onCell={(c) => onCell('train', c)} />
          </details>
        ))}
      {cell && <CellItems cell={cell} errors={params.errors} onFix={onFix} onClose={closeCell} />}
    </section>
  )
}
