import { useRef, useState } from 'react'
import type { JudgeSummary } from '../../../shared/judges'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import { selectJudgeList } from '../../store/slices/judges'
import { NewJudgeForm, type NewJudge } from './NewJudgeForm'

/** The project's judges to choose from (`j`/`k`), and the form that makes a new one (`n`). */
export function JudgeList({
  index,
  judge,
  onPick,
}: {
  index: number
  judge: JudgeSummary | undefined
  onPick: (index: number) => void
}) {
  const judges = useStore(selectJudgeList)
  const criteria = useStore((s) => s.judges.criteria)
  const createJudge = useStore((s) => s.createJudge)
  const [creating, setCreating] = useState<NewJudge | null>(null)
  const newName = useRef<HTMLInputElement>(null)

  const create = async () => {
    if (!creating) return
    const made = await createJudge(creating)
    if (!made) return
    setCreating(null)
    if (made.index !== null) onPick(made.index)
  }
  const startCreating = async () => {
    // n pressed as the screen opens, before its lists have arrived, waits for them instead of doing nothing.
    if (criteria.length === 0) await useStore.getState().loadJudgeLists()
    const { criteria: all, list, profiles: known } = useStore.getState().judges
    const c = all.find((x) => !list.some((j) => j.criterionId === x.id)) ?? all.at(0)
    if (!c) return
    setCreating({ criterionId: c.id, name: `${c.name} judge`, profileId: known[0]?.id ?? '' })
    setTimeout(() => newName.current?.focus(), 0)
  }
  useKeyAction('judges.next', () => onPick(Math.min(judges.length - 1, index + 1)), judges.length > 0)
  useKeyAction('judges.prev', () => onPick(Math.max(0, index - 1)), judges.length > 0)
  useKeyAction('judges.new', () => void startCreating())

  return (
    <aside className="judge-list">
      <h2>Judges</h2>
      {judges.length === 0 && (
        <p className="muted">No judge yet. A judge checks one failure mode with a binary Pass/Fail.</p>
      )}
      <ol>
        {judges.map((j, i) => (
          <li key={j.id}>
            <button className={j.id === judge?.id ? 'judge current' : 'judge'} onClick={() => onPick(i)}>
              <strong>{j.name}</strong>
              <span className="muted">
                {j.criterion} · v{j.latest ?? '–'}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {creating ? (
        <NewJudgeForm
          creating={creating}
          onChange={setCreating}
          onCreate={() => void create()}
          onCancel={() => setCreating(null)}
          nameRef={newName}
        />
      ) : (
        <button onClick={() => void startCreating()}>
          New judge <kbd>n</kbd>
        </button>
      )}
    </aside>
  )
}
