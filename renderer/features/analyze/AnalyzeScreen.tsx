import { useEffect, useMemo, useRef, useState } from 'react'
import { taxonomyMarkdown } from '../../../shared/taxonomy-report'
import { useStore } from '../../store'
import { selectNotes, selectTaxonomy } from '../../store/slices/analyze'
import { AnalyzeBar, type Pending } from './AnalyzeBar'
import { AnalyzeSide } from './AnalyzeSide'
import { useAnalyzeKeys } from './keys'
import type { ModeFormState } from './ModeForm'
import { useNoteList } from './note-list'
import { NotesBoard } from './NotesBoard'

/**
 * Analyze (DESIGN §3): every note in one list, failure modes built from them with the keyboard
 * (numbers assign, `c` creates, `e` edits, `r` re-codes), and the counts — a Pareto chart with
 * Wilson intervals, co-occurrences, a metadata pivot and the pipeline transition matrix. Every
 * bar and cell narrows the list to its traces.
 */
export function AnalyzeScreen() {
  const notes = useStore(selectNotes)
  const taxonomy = useStore(selectTaxonomy)
  const loadAnalyze = useStore((s) => s.loadAnalyze)
  const leaveAnalyze = useStore((s) => s.leaveAnalyze)
  const closeTrace = useStore((s) => s.closeAnalyzeTrace)
  const list = useNoteList(notes)
  const [pending, setPending] = useState<Pending | null>(null)
  const [form, setForm] = useState<ModeFormState | null>(null)
  // Overall is not a failure mode: `e` then `0` edits its definition in the criterion form.
  const [editOverall, setEditOverall] = useState(false)
  const [copied, setCopied] = useState(false)
  const search = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void loadAnalyze()
    return leaveAnalyze
  }, [loadAnalyze, leaveAnalyze])

  // Number keys follow creation order, so a mode keeps its number while the counts change.
  const numbered = useMemo(() => [...(taxonomy?.modes ?? [])].sort((a, b) => a.id - b.id).slice(0, 9), [taxonomy])
  const copy = () => {
    if (!taxonomy) return
    const project = useStore.getState().project?.name ?? 'project'
    void navigator.clipboard.writeText(taxonomyMarkdown(taxonomy, notes, project)).then(
      () => setCopied(true),
      () =>
        useStore
          .getState()
          .showError('The clipboard is not available here: use `assay taxonomy PROJECT --format md` instead.'),
    )
  }
  useAnalyzeKeys({
    list,
    numbered,
    browsing: form === null && !editOverall,
    pending,
    setPending,
    setForm,
    setEditOverall,
    search,
    copy,
  })
  const narrow = (title: string, ids: readonly number[]) => {
    list.setOnly({ title, ids: new Set(ids) })
    list.setCursor(0)
    closeTrace()
  }

  if (!taxonomy) return <p className="muted analyze-loading">Loading the notes…</p>
  return (
    <div className="analyze">
      <AnalyzeBar
        notes={notes}
        taxonomy={taxonomy}
        search={search}
        query={list.query}
        onSearch={list.search}
        copied={copied}
        copy={copy}
        pending={pending}
      />
      <div className="analyze-body">
        <NotesBoard notes={notes} list={list} numbered={numbered} />
        <AnalyzeSide
          taxonomy={taxonomy}
          numbered={numbered}
          form={form}
          onFormClose={() => setForm(null)}
          onFormDone={async () => {
            setForm(null)
            list.setSelected(new Set())
            await loadAnalyze()
          }}
          editOverall={editOverall}
          onOverallClose={() => setEditOverall(false)}
          onNarrow={narrow}
        />
      </div>
    </div>
  )
}
