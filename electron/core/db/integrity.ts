import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const require = createRequire(import.meta.url)

// Runs in a worker thread with its own read-only connection, so a large project opens at once
// and the check (which reads every page: ~0.4 s for 185 MB) never blocks a keypress.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
let db
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
  parentPort.postMessage(db.pragma('quick_check(5)').map((r) => r.quick_check).filter((r) => r !== 'ok'))
} catch (error) {
  parentPort.postMessage([String(error && error.message)])
} finally {
  if (db) db.close()
}
`

/**
 * SQLite's `quick_check` on a project file, off the main thread, optionally after a delay (on two
 * cores the check would otherwise compete with drawing the first page). Resolves to the problems
 * found (empty when the file is sound).
 */
export function quickCheckInBackground(path: string, nativeBinding?: string, delayMs = 0): Promise<string[]> {
  return new Promise((resolve) => {
    const start = () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, nativeBinding, module: require.resolve('better-sqlite3') } })
      worker.once('message', (problems: string[]) => resolve(problems))
      worker.once('error', (error) => resolve([`the integrity check could not run: ${error.message}`]))
      worker.once('exit', (code) => code !== 0 && resolve([`the integrity check stopped with code ${code}`]))
    }
    if (delayMs > 0) setTimeout(start, delayMs).unref()
    else start()
  })
}
