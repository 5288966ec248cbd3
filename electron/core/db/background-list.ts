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

/** The rejection of a listing that a newer one replaced before it ended (its worker was stopped). */
export class ListingReplaced extends Error {
  constructor() {
    super('A newer listing replaced this one.')
  }
}

/**
 * An `IdLister` that runs each query in a worker thread on the project file (`filename` as the app
 * opened it: a path, or a `file:` URI for an immutable read-only file). One at a time: a new
 * query stops the one still running (the user typed on; on two cores, a listing nobody waits for
 * would only slow the one they do), which rejects with `ListingReplaced`. It rejects with
 * another error when the worker cannot run or the query fails; the caller then lists on its thread.
 */
export function backgroundLister(filename: string, mmapBytes: number, nativeBinding?: string): IdLister {
  const module = require.resolve('better-sqlite3')
  let running: { worker: Worker; reject: (error: Error) => void } | null = null
  return (sql, params) =>
    new Promise((resolve, reject) => {
      if (running) {
        running.reject(new ListingReplaced())
        void running.worker.terminate()
      }
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { filename, nativeBinding, module, mmapBytes, sql, params },
      })
      const self = { worker, reject }
      running = self
      const done = () => {
        if (running === self) running = null
      }
      worker.once('message', (ids: Int32Array) => {
        done()
        resolve(ids)
      })
      worker.once('error', (error) => {
        done()
        reject(error)
      })
      worker.once('exit', (code) => {
        done()
        reject(new Error(`the listing worker stopped (exit code ${code})`))
      })
    })
}
