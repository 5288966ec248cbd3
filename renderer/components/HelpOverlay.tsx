import { useEffect, useRef } from 'react'
import { isActive, keymap, keysOf } from '../keyboard'

const label = (key: string) => (key === ' ' ? 'Space' : key.replace('Arrow', '').replace('Mod+', 'Ctrl/⌘+'))

/** The `?` overlay, rendered from the keymap registry so it can never disagree with the keys. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  // The keys of the screen in front come first; the rest follow, dimmed.
  const all = [...new Set(keymap.map((b) => b.scope))]
  const live = (scope: string) => keymap.some((b) => b.scope === scope && b.scope !== 'Everywhere' && isActive(b.id))
  const scopes = [...all.filter(live), ...all.filter((s) => !live(s))]
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => closeRef.current?.focus(), [])
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Keyboard shortcuts"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <div className="overlay-panel">
        <div className="overlay-head">
          <h2>Keyboard shortcuts</h2>
          <button ref={closeRef} onClick={onClose}>
            Close (Esc)
          </button>
        </div>
        <div className="help-grid">
          {scopes.map((scope) => (
            <section key={scope}>
              <h3>{scope}</h3>
              <table>
                <tbody>
                  {keymap
                    .filter((b) => b.scope === scope)
                    .map((b) => (
                      <tr key={b.id} className={isActive(b.id) ? '' : 'inactive'}>
                        <td className="keys">
                          {keysOf(b.id).map((k) => (
                            <kbd key={k}>{label(k)}</kbd>
                          ))}
                        </td>
                        <td>{b.description}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
        <p className="hint">Shortcuts are off while you type in a field; Esc leaves the field.</p>
      </div>
    </div>
  )
}
