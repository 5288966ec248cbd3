import { useState } from 'react'
import type { JudgeDetail } from '../../../shared/judges'
import { useStore } from '../../store'

/**
 * A criterion's split shares and seed (requirement 23: default 15/45/40, user range 10–20 /
 * 40–45 / 40–45). Items already in a split keep it; new labels follow the new shares.
 */
export function SplitSettings({
  criterionId,
  ratios,
  onSaved,
}: {
  criterionId: number
  ratios: JudgeDetail['splits']['ratios']
  onSaved: () => void
}) {
  const saveJudgeSplits = useStore((s) => s.saveJudgeSplits)
  const [form, setForm] = useState({
    train: String(Math.round(ratios.train * 100)),
    dev: String(Math.round(ratios.dev * 100)),
    test: String(Math.round(ratios.test * 100)),
    seed: String(ratios.seed),
  })
  const save = async () => {
    const saved = await saveJudgeSplits({
      criterionId,
      ratios: {
        train: Number(form.train) / 100,
        dev: Number(form.dev) / 100,
        test: Number(form.test) / 100,
        seed: Number(form.seed),
      },
    })
    if (saved) onSaved()
  }
  const outside =
    Number(form.train) < 10 ||
    Number(form.train) > 20 ||
    Number(form.dev) < 40 ||
    Number(form.dev) > 45 ||
    Number(form.test) < 40 ||
    Number(form.test) > 45
  return (
    <details className="split-settings">
      <summary>change shares</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        {(['train', 'dev', 'test'] as const).map((k) => (
          <label key={k}>
            {k} %
            <input
              type="number"
              min={0}
              max={100}
              value={form[k]}
              onChange={(e) => setForm({ ...form, [k]: e.target.value })}
            />
          </label>
        ))}
        <label>
          seed
          <input type="number" min={0} value={form.seed} onChange={(e) => setForm({ ...form, seed: e.target.value })} />
        </label>
        <button type="submit">Save</button>
        <p className="hint">
          Items already in a split keep it (no reshuffle); new labels follow these shares.
          {outside ? ' The course suggests 10–20 / 40–45 / 40–45.' : ''}
        </p>
      </form>
    </details>
  )
}
