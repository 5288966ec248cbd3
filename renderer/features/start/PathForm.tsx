import { useState, type SyntheticEvent } from 'react'
import { useStore } from '../../store'

/** Where the shell has no file dialog (`assay serve`), the user types the project's path. */
export function PathForm({ mode, onDone }: { mode: 'open' | 'create'; onDone: () => void }) {
  const openProject = useStore((s) => s.openProject)
  const [path, setPath] = useState('')
  const submit = (event: SyntheticEvent) => {
    event.preventDefault()
    if (!path.trim()) return
    // On failure the form stays, so the path can be corrected; the banner says what was wrong.
    void openProject(mode === 'open' ? 'project.open' : 'project.create', { path: path.trim() }).then((opened) => {
      if (opened) onDone()
    })
  }
  return (
    <form className="path-form" onSubmit={submit}>
      <label>
        {mode === 'open' ? 'Path of the project file to open' : 'Path of the new project file'} (on the machine running
        Assay)
        <input
          autoFocus
          value={path}
          placeholder={mode === 'open' ? '/home/me/evals/recipes.assay' : '/home/me/evals/new-project.assay'}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onDone()}
        />
      </label>
      <button type="submit">{mode === 'open' ? 'Open' : 'Create'}</button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  )
}
