// The app, started by main.tsx once the first requests have left (a chunk of its own: see there).
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { installKeyboard } from './keyboard'
import { useStore } from './store'
import { applyTheme } from './theme'

installKeyboard()
applyTheme('system')
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element to render into')
// The first requests left already (main.tsx); init takes their answers. The first render waits
// for them (init never throws: a failure is the error banner): it shows the project's screen at
// once, instead of the Start screen for an instant and then, after its layout, the Data screen.
void useStore
  .getState()
  .init()
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  )
