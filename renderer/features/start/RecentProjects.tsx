import { useStore } from '../../store'

/** The recent projects, numbered for the keys 1–9; a missing file stays listed, greyed out. */
export function RecentProjects({ onOpen }: { onOpen: (index: number) => void }) {
  const recent = useStore((s) => s.recent)
  const busy = useStore((s) => s.busy)
  const demoPath = useStore((s) => s.demoPath)
  return (
    <section className="start-recent">
      <h2>Recent projects</h2>
      {recent.length === 0 ? (
        <p className="muted">None yet. Projects you open appear here.</p>
      ) : (
        <ol>
          {recent.map((r, i) => (
            <li key={r.path}>
              <button
                className="recent"
                disabled={!r.exists || busy}
                onClick={() => onOpen(i)}
                title={r.exists ? r.path : `${r.path} no longer exists`}
              >
                {i < 9 && <kbd>{i + 1}</kbd>}
                <span className="recent-name">{r.name}</span>
                {r.path === demoPath && <span className="badge synthetic">Assay's demo</span>}
                <span className="muted recent-path">{r.exists ? r.path : `missing: ${r.path}`}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
