import { useMemo, useState } from 'react'
import type { NoteView } from '../../../shared/domain'

/** A note's identity: its trace, criterion and annotator (a trace may carry several annotators' notes). */
export const noteKey = (n: Pick<NoteView, 'itemId' | 'criterion' | 'annotator'>): string =>
  `${n.itemId}\u0000${n.criterion}\u0000${n.annotator}`

/** The note list's filters: criterion, label, dataset and one metadata field's value. */
export interface NoteFacet {
  criterion: string
  verdict: string
  dataset: string
  key: string
  value: string
}
const NO_FACET: NoteFacet = { criterion: '', verdict: '', dataset: '', key: '', value: '' }

/** Traces a bar or cell of the counts narrowed the list to. */
export interface Narrowed {
  title: string
  ids: Set<number>
}

/** The Analyze list's view of the notes: search, filters, narrowing, the cursor and the selection. */
export function useNoteList(notes: NoteView[]) {
  const [cursor, setCursor] = useState(0)
  // Selected notes, by note: a trace with two annotators' notes is selected once whichever is picked.
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [query, setQuery] = useState('')
  const [facet, setFacet] = useState(NO_FACET)
  const [only, setOnly] = useState<Narrowed | null>(null)
  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase()
    return notes.filter(
      (n) =>
        (!only || only.ids.has(n.itemId)) &&
        (!facet.criterion || n.criterion === facet.criterion) &&
        (!facet.verdict || n.verdict === facet.verdict) &&
        (!facet.dataset || n.dataset === facet.dataset) &&
        (!facet.key || (n.metadata[facet.key] ?? '') === facet.value) &&
        (!needle || n.note.toLowerCase().includes(needle) || n.externalId.toLowerCase().includes(needle)),
    )
  }, [notes, only, query, facet])
  const at = Math.min(cursor, Math.max(0, visible.length - 1))
  const selectedTraces = useMemo(
    () => [...new Set(notes.filter((n) => selected.has(noteKey(n))).map((n) => n.itemId))],
    [notes, selected],
  )
  return {
    visible,
    at,
    current: visible.at(at),
    setCursor,
    selected,
    setSelected,
    selectedTraces,
    query,
    /** A new search starts the list from the top. */
    search: (text: string) => {
      setQuery(text)
      setCursor(0)
    },
    facet,
    /** A new filter starts the list from the top. */
    pickFacet: (change: Partial<NoteFacet>) => {
      setFacet({ ...facet, ...change })
      setCursor(0)
    },
    only,
    setOnly,
    /** Whether a search or filter hides notes. */
    filtering: query.trim() !== '' || Object.values(facet).some((v) => v !== ''),
  }
}

/** What `useNoteList` gives the components of the Analyze screen. */
export type NoteList = ReturnType<typeof useNoteList>
