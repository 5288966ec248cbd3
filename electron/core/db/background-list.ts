import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const require = createRequire(import.meta.url)

// Runs one query of ids in a worker thread with its own read-only connection, so listing a large
// answer (a judge filter or a search over a million items: a second or more) never holds up the
// process that answers keypresses and saves labels. `ulower` is the search's lowercase (see
// item-query.ts), registered as itemsRepo registers it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.filename, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
try {
  db.pragma('mmap_size = ' + workerData.mmapBytes)
  db.function('ulower', { deterministic: true }, (text) => (typeof text === 'string' ? text.toLowerCase() : text))
  const ids = Int32Array.from(db.prepare(workerData.sql).pluck().all(workerData.params))
  parentPort.postMessage(ids, [ids.buffer])
} finally {
  db.close()
}
`

/** Lists the ids an SQL query selects (one integer column), in its order. */
export type IdLister = (sql: string, params: Record<string, unknown>) => Promise<Int32Array>

/**
 * An `IdLister` that runs each query in a worker thread on the project file (`filename` as the app
 * opened it: a path, or a `file:` URI for an immutable read-only file). It rejects when the worker
 * cannot run or the query fails; the caller then lists on its own thread.
 */
export function backgroundLister(filename: string, mmapBytes: number, nativeBinding?: string): IdLister {
  const module = require.resolve('better-sqlite3')
  return (sql, params) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { filename, nativeBinding, module, mmapBytes, sql, params },
      })
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the listing worker stopped (exit code ${code})`)))
    })
}
