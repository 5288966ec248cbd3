import { useState } from 'react'
import type { Theme } from '../../../shared/domain'
import { useStore } from '../../store'

const CHOICES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/**
 * The theme picker: follow the system (the default) or force light or dark. Saved with the other per-user
 * settings and applied at once (renderer/theme.ts); reports stay light whatever is chosen.
 */
export function ThemeField() {
  const theme = useStore((s) => s.user?.theme ?? 'system')
  const setUser = useStore((s) => s.setUser)
  // The choice shows at once; once saved, the store's (the saved, or on an error the old) value shows again.
  const [pending, setPending] = useState<Theme | null>(null)
  const pick = (value: Theme) => {
    setPending(value)
    void setUser({ theme: value }).finally(() => setPending(null))
  }
  return (
    <fieldset className="theme-field" data-testid="theme-field">
      <legend>Theme</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="inline">
          <input
            type="radio"
            name="theme"
            value={c.value}
            checked={(pending ?? theme) === c.value}
            onChange={() => pick(c.value)}
          />
          {c.label}
        </label>
      ))}
      <span className="hint">Reports stay light, for print.</span>
    </fieldset>
  )
}
