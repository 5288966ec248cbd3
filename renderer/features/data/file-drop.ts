import { useEffect, useState } from 'react'
import { attempt, fileOnServer } from '../../api'
import { useStore } from '../../store'

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false

/** What the window says about a file dropped on it that it will not take, or null to take it. */
export function dropRefusal(
  name: string,
  state: { shell: 'electron' | 'serve' | null; project: unknown; importing: boolean },
): string | null {
  if (/\.assay$/i.test(name)) {
    // A copy would take the labels made in it, not the file the user dropped: refuse rather than surprise.
    return state.shell === 'serve'
      ? `The browser does not tell Assay where ${name} is, and your labels must go to that file, not to a copy: open it by its path instead (Start screen, o).`
      : null
  }
  if (!state.project)
    return `Open or create a project first (Start screen), then drop ${name} again: an import adds its traces to a project.`
  if (state.importing) return `The import wizard is open: finish or close it (Esc), then drop ${name} again.`
  return null
}

/**
 * Files dropped on the window: a trace file opens the import wizard with it, a `.assay` file
 * opens that project. Electron knows the dropped file's path; under `assay serve` the file is
 * uploaded and the wizard imports the uploaded copy (a project is not: see `dropRefusal`).
 * Returns whether a file is being dragged over the window, for the drop hint.
 */
export function useFileDrop(): boolean {
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    let depth = 0 // dragenter/dragleave fire for every child element crossed
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return
      depth++
      setDragging(true)
    }
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault() // without it the browser opens the file in place of the app
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      depth = 0
      setDragging(false)
      const files = [...(event.dataTransfer?.files ?? [])]
      if (files.length === 0) return
      void take(files[0], files.length)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return dragging
}

async function take(file: File, count: number): Promise<void> {
  const state = useStore.getState()
  const refusal = count > 1 ? `Drop one file at a time (${count} were dropped).` : dropRefusal(file.name, state)
  if (refusal) {
    state.showError(refusal)
    return
  }
  state.showError(null)
  const path = await attempt(() => fileOnServer(file))
  if (path === undefined) return
  if (/\.assay$/i.test(file.name)) await state.openProject('project.open', { path })
  else useStore.getState().importFile(path)
}
