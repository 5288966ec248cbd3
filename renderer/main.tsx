import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { installKeyboard } from './keyboard'
import '../shared/charts/charts.css'
import '../shared/report/report.css'
import './styles.css'

installKeyboard()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
