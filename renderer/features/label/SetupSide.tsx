import { useStore } from '../../store'
import { AgreementTable } from './AgreementTable'

/** Beside the setup: the annotator's name and keymap, and the agreement on the chosen criterion. */
export function SetupSide({ criterionId }: { criterionId: number | null }) {
  const user = useStore((s) => s.user)
  const setUser = useStore((s) => s.setUser)
  return (
    <aside className="setup-side">
      <section>
        <h2>You</h2>
        <label>
          Annotator name (every label records it)
          <input
            key={user?.annotator}
            defaultValue={user?.annotator ?? ''}
            aria-label="Annotator name"
            onBlur={(e) =>
              e.target.value.trim() &&
              e.target.value.trim() !== user?.annotator &&
              void setUser({ annotator: e.target.value.trim() })
            }
          />
        </label>
        <label>
          Keymap
          <select
            value={user?.keymap ?? 'default'}
            onChange={(e) => void setUser({ keymap: e.target.value as 'default' | 'prodigy' })}
          >
            <option value="default">Default: 1 pass, 2 fail, d defer</option>
            <option value="prodigy">Prodigy: a accept, x reject, Space defer</option>
          </select>
        </label>
      </section>
      {criterionId !== null && <AgreementTable criterionId={criterionId} />}
    </aside>
  )
}
