import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const require = createRequire(import.meta.url)

// Runs in a worker thread with its own read-only connection, so a large project opens at once
// and the check (which reads every page: ~0.25 s for 185 MB) never blocks a keypress. A worker
// that cannot load the SQLite module, or cannot open the file the way the app did (a read-only
// folder, say), says so apart from problems found in the file: only damage counts as a problem.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const damage = (error) => /^SQLITE_(CORRUPT|NOTADB)/.test(String(error && error.code))
let Database
try {
  Database = require(workerData.module)
} catch (error) {
  parentPort.postMessage({ unavailable: String(error && error.message) })
}
if (Database) {
  let db
  try {
    db = new Database(workerData.path, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
    parentPort.postMessage({ problems: db.pragma('quick_check(5)').map((r) => r.quick_check).filter((r) => r !== 'ok') })
  } catch (error) {
    parentPort.postMessage(damage(error) ? { problems: [String(error.message)] } : { unavailable: String(error && error.message) })
  } finally {
    if (db) db.close()
  }
}
`

/**
 * SQLite's `quick_check` on a project file (`path` as the app opened it: a path, or a `file:` URI
 * for an immutable read-only file), off the main thread, optionally after a delay (on two
 * cores the check would otherwise compete with drawing the first page). Resolves to the problems
 * found (empty when the file is sound). Where no worker can run the check (a packaging quirk, say),
 * `fallback` runs it on the caller's thread instead: the check is never silently skipped.
 */
export function quickCheckInBackground(
  path: string,
  fallback: () => string[],
  options: { nativeBinding?: string; delayMs?: number; after?: Promise<unknown> } = {},
): Promise<string[]> {
  return new Promise((resolve) => {
    const inProcess = () => {
      try {
        resolve(fallback())
      } catch (error) {
        resolve([error instanceof Error ? error.message : String(error)])
      }
    }
    const start = () => {
      let worker: Worker
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { path, nativeBinding: options.nativeBinding, module: require.resolve('better-sqlite3') },
        })
      } catch {
        inProcess()
        return
      }
      worker.once('message', (answer: { problems?: string[]; unavailable?: string }) =>
        answer.problems ? resolve(answer.problems) : inProcess(),
      )
      worker.once('error', inProcess)
      worker.once('exit', (code) => code !== 0 && inProcess())
    }
    const begin = () => (options.delayMs ? void setTimeout(start, options.delayMs).unref() : start())
    if (options.after) void options.after.then(begin, begin)
    else begin()
  })
}
