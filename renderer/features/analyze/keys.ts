import type { RefObject } from 'react'
import type { Taxonomy } from '../../../shared/domain'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { selectAnalyzeTrace, selectOverall, selectTaxonomy } from '../../store/slices/analyze'
import type { Pending } from './AnalyzeBar'
import type { ModeFormState } from './ModeForm'
import { noteKey, type NoteList } from './note-list'

type Mode = Taxonomy['modes'][number]

/** The mode a number key names (1 is the first), if there is one. */
const modeOf = (numbered: Mode[], key: string): Mode | undefined => numbered.find((_, i) => i === Number(key) - 1)

/** What the Analyze screen's keys act on. */
export interface AnalyzeKeys {
  list: NoteList
  numbered: Taxonomy['modes']
  /** No form is open: the list and the counts take keys. */
  browsing: boolean
  pending: Pending | null
  setPending: (pending: Pending | null) => void
  setForm: (form: ModeFormState) => void
  setEditOverall: (open: boolean) => void
  search: RefObject<HTMLInputElement | null>
  copy: () => void
}

/** The Analyze screen's keymap (DESIGN §3): moving, selecting, assigning and editing modes, opening traces. */
export function useAnalyzeKeys(keys: AnalyzeKeys): void {
  useListKeys(keys)
  useModeKeys(keys)
  useViewKeys(keys)
}

/** Moving through the notes, putting the current note's trace in a mode, selecting, creating a mode. */
function useListKeys({ list, numbered, browsing, pending, setForm }: AnalyzeKeys): void {
  const assignMode = useStore((s) => s.assignMode)
  const { at, visible, current, selected, selectedTraces, setCursor, setSelected } = list
  useKeyAction('analyze.next', () => setCursor(Math.min(at + 1, visible.length - 1)), browsing)
  useKeyAction('analyze.prev', () => setCursor(Math.max(at - 1, 0)), browsing)
  useKeyAction(
    'analyze.assign',
    (_e, key) => {
      const mode = modeOf(numbered, key)
      if (current && mode) void assignMode(current.itemId, mode.id, !current.modes.includes(mode.id))
    },
    browsing && pending === null,
  )
  useKeyAction(
    'analyze.select',
    () => {
      if (!current) return
      const next = new Set(selected)
      if (!next.delete(noteKey(current))) next.add(noteKey(current))
      setSelected(next)
    },
    browsing,
  )
  useKeyAction(
    'analyze.create',
    () => setForm({ kind: 'create', itemIds: selected.size > 0 ? selectedTraces : current ? [current.itemId] : [] }),
    browsing,
  )
}

/** A key that waits for a mode's number (edit, re-code, pin an example), and the number that follows. */
function useModeKeys({ list, numbered, browsing, pending, setPending, setForm, setEditOverall }: AnalyzeKeys): void {
  const overall = useStore(selectOverall)
  const taxonomy = useStore(selectTaxonomy)
  const pinExample = useStore((s) => s.pinExample)
  const { current } = list
  const modes = numbered.length > 0
  useKeyAction('analyze.edit', () => setPending('edit'), browsing && (modes || overall !== null))
  useKeyAction('analyze.recode', () => setPending('recode'), browsing && modes)
  useKeyAction('analyze.failExample', () => setPending('fail'), browsing && modes && current !== undefined)
  useKeyAction('analyze.passExample', () => setPending('pass'), browsing && modes && current !== undefined)
  useKeyAction(
    'analyze.pick',
    (_e, key) => {
      const mode = modeOf(numbered, key)
      const what = pending
      setPending(null)
      if (key === '0' && what === 'edit' && overall) {
        setEditOverall(true)
        return
      }
      if (!mode || !taxonomy) return
      if (what === 'edit') setForm({ kind: 'edit', mode })
      else if ((what === 'pass' || what === 'fail') && current) {
        const pinned = mode.examples.some((e) => e.itemId === current.itemId && e.kind === what)
        void pinExample(mode.id, current.itemId, what, !pinned)
      } else
        void useStore.getState().startSession({
          criterionId: mode.id,
          order: 'unlabeled',
          ids: taxonomy.reviewedIds,
          size: Math.max(1, taxonomy.reviewedIds.length),
          seed: 1,
          blind: true,
        })
    },
    pending !== null,
  )
}

/** Opening the current note's trace, the search, going back a step, copying the taxonomy. */
function useViewKeys({ list, browsing, pending, setPending, search, copy }: AnalyzeKeys): void {
  const trace = useStore(selectAnalyzeTrace)
  const openTrace = useStore((s) => s.openAnalyzeTrace)
  const closeTrace = useStore((s) => s.closeAnalyzeTrace)
  const { current, only, setOnly, setSelected } = list
  useKeyAction('analyze.open', () => current && void openTrace(current.itemId), browsing)
  useKeyAction('analyze.search', () => search.current?.focus(), browsing)
  useKeyAction(
    'analyze.back',
    () => {
      if (pending) setPending(null)
      else if (trace) closeTrace()
      else if (only) setOnly(null)
      else setSelected(new Set())
    },
    browsing,
  )
  useKeyAction('analyze.copy', copy, browsing)
}
