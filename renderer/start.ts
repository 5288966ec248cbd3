import { boot } from './boot'

// main.tsx imports this module before any other, so this runs as soon as the app's script has been
// parsed, before the rest of its modules (React, the screens) are evaluated and its first render:
// the first open's requests leave now, and the core answers them meanwhile.
boot()
// The Data screen formats its counts for the user's locale; the first such call loads the locale's
// data (30–70 ms in Chromium): done here, while the requests are on their way.
;(0).toLocaleString()
