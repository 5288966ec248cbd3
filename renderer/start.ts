import { boot } from './boot'

// main.tsx imports this module before any other: the first requests leave as soon as the app's
// script has been parsed, before the rest of its modules (React, the screens) are evaluated.
boot()
