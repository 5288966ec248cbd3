import { useEffect, useState } from 'react'

/**
 * A number that takes effect when the user is done typing (Enter or leaving the field), so a
 * half-typed B or confidence neither computes nor stores an estimate; out of range snaps back.
 */
export function NumberField({
  label,
  value,
  min,
  max,
  step,
  onCommit,
}: {
  label: string
  value: number
  min: number
  max?: number
  step: number
  onCommit: (value: number) => void
}) {
  const [text, setText] = useState(String(value))
  useEffect(() => setText(String(value)), [value])
  const commit = () => {
    const n = Number(text)
    if (text.trim() !== '' && Number.isFinite(n) && n >= min && (max === undefined || n <= max)) {
      if (n !== value) onCommit(n)
    } else setText(String(value))
  }
  return (
    <label>
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        onChange={(ev) => setText(ev.target.value)}
        onBlur={commit}
        onKeyDown={(ev) => ev.key === 'Enter' && commit()}
      />
    </label>
  )
}
