import './start'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { installKeyboard } from './keyboard'
import { useStore } from './store'
import { applyTheme } from './theme'
import '../shared/charts/charts.css'
import '../shared/report/report.css'
import './styles.css'

// The first requests left already (start.ts); init takes their answers, before React renders anything.
void useStore.getState().init()
installKeyboard()
applyTheme('system')
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element to render into')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
