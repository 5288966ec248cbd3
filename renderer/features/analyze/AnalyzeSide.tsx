import type { Taxonomy } from '../../../shared/domain'
import { TraceView } from '../../components/trace/TraceView'
import { useStore } from '../../store'
import { selectAnalyzeTrace, selectOverall } from '../../store/slices/analyze'
import { CriterionForm } from '../label/CriterionForm'
import { Counts } from './Counts'
import { ModeForm, type ModeFormState } from './ModeForm'

/** The side of the Analyze screen: the counts, or the form or trace that replaces them for a while. */
export function AnalyzeSide({
  taxonomy,
  numbered,
  form,
  onFormClose,
  onFormDone,
  editOverall,
  onOverallClose,
  onNarrow,
}: {
  taxonomy: Taxonomy
  numbered: Taxonomy['modes']
  form: ModeFormState | null
  onFormClose: () => void
  onFormDone: () => Promise<void>
  editOverall: boolean
  onOverallClose: () => void
  onNarrow: (title: string, ids: readonly number[]) => void
}) {
  const overall = useStore(selectOverall)
  const trace = useStore(selectAnalyzeTrace)
  const loadAnalyze = useStore((s) => s.loadAnalyze)
  return (
    <section className="analyze-side">
      {editOverall && overall ? (
        <CriterionForm
          criterion={overall}
          onClose={onOverallClose}
          onSaved={() => {
            onOverallClose()
            void loadAnalyze()
          }}
        />
      ) : form ? (
        <ModeForm state={form} modes={numbered} onClose={onFormClose} onDone={onFormDone} />
      ) : trace ? (
        <div className="analyze-trace">
          <p className="muted">
            <kbd>Esc</kbd> back to the counts
          </p>
          <TraceView item={trace} />
        </div>
      ) : (
        <Counts taxonomy={taxonomy} numbered={numbered} onNarrow={onNarrow} />
      )}
    </section>
  )
}
