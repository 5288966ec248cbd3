import { boot } from './boot'

// main.tsx imports this module before any other, so this runs as soon as the app's script has been
// parsed, before the rest of its modules (React, the screens) are evaluated and its first render:
// the first open's requests leave now, and the core answers them meanwhile.
boot()
