import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { installKeyboard } from './keyboard'
import { applyTheme } from './theme'
import '../shared/charts/charts.css'
import '../shared/report/report.css'
import './styles.css'

installKeyboard()
applyTheme('system')
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element to render into')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
