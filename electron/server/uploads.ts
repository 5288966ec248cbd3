import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Envelope } from '../../shared/errors'

/**
 * Files dropped on the page under `assay serve`. A browser never learns where a dropped file
 * lives, and the server may be another machine, so the page uploads the file's bytes (POST
 * /upload?name=NAME, with the token) and the import wizard reads that copy. The copy keeps the
 * file's own name (the dataset is named after it) in a private temporary folder, and every
 * copy is removed when the server stops. Streamed to disk: a file of any size costs no memory.
 */
export function createUploads() {
  const folders: string[] = []
  return {
    async receive(req: IncomingMessage, name: string): Promise<Envelope<{ path: string }>> {
      const safe = basename(name.replace(/\\/g, '/')).replace(/[\0/]/g, '').trim()
      if (!safe || safe === '.' || safe === '..')
        return {
          ok: false,
          error: { kind: 'invalid_input', message: 'The upload has no file name: drop the file again.' },
        }
      const folder = mkdtempSync(join(tmpdir(), 'assay-upload-'))
      folders.push(folder)
      const path = join(folder, safe)
      try {
        await pipeline(req, createWriteStream(path, { mode: 0o600 }))
        return { ok: true, value: { path } }
      } catch (error) {
        rmSync(folder, { recursive: true, force: true })
        return {
          ok: false,
          error: {
            kind: 'io',
            message: `The upload of ${safe} stopped before its end (${error instanceof Error ? error.message : String(error)}): drop the file again.`,
          },
        }
      }
    },
    /** Removes every uploaded copy. */
    clear(): void {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
    },
  }
}
