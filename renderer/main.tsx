import { boot } from './boot'
import '../shared/charts/charts.css'
import '../shared/report/report.css'
import './styles.css'

// The page's entry is this small module; the app (React, the Data screen: 350 KB) is a chunk of its
// own, so the first open's requests leave before the browser has compiled and run it: the core
// answers them meanwhile, instead of after. The app's code is asked for first, so that it does not
// wait behind them (`assay serve` answers one request at a time).
const app = import('./app-main')
boot()
void app
// The Data screen formats its counts for the user's locale; the first such call loads the locale's
// data (30–70 ms in Chromium): done here, while the app's code is on its way, not in the first render.
;(0).toLocaleString()
