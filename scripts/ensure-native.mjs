// Before `npm test`: make sure node_modules' better-sqlite3 loads in *this* Node. It can be
// missing or built for another ABI after an interrupted install or a manual Electron rebuild;
// then rebuild it for Node (about a minute). The Electron copy lives apart, in .electron-native/.
import { execSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
try {
  const Database = require('better-sqlite3')
  new Database(':memory:').close()
} catch (error) {
  console.warn(
    `better-sqlite3 does not load in Node ${process.version} (${error.message.split('\n')[0]}); rebuilding it…`,
  )
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' })
}
