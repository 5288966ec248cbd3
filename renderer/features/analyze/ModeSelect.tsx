import type { Taxonomy } from '../../../shared/domain'

type Mode = Taxonomy['modes'][number]

/** A choice of failure mode, or none. */
export function ModeSelect({
  value,
  onChange,
  modes,
  none,
}: {
  value: number | ''
  onChange: (v: number | '') => void
  modes: Mode[]
  none: string
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}>
      <option value="">{none}</option>
      {modes.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </select>
  )
}
