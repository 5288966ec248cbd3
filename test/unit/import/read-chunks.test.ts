import { writeFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readRecords } from '../../../electron/core/import/readers/index'
import { JsonlParser } from '../../../electron/core/import/readers/jsonl'
import { CHUNK_BYTES, readFileBatches } from '../../../electron/core/import/readers/stream'
import type { ReadResult } from '../../../electron/core/import/types'
import { tempDir } from '../../helpers/paths'

// The file reader reads every chunk into one buffer: a character cut by a chunk's end must be
// carried as a copy, or the next read would overwrite it.
describe('reading a file chunk by chunk', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir('assay-chunks-')
  })
  afterEach(() => tmp.cleanup())

  it('reads characters of 2, 3 and 4 bytes cut by every chunk boundary exactly', async () => {
    const rows: string[] = []
    // Rows of each length in turn, so that boundaries fall at every offset inside a character.
    for (let i = 0; rows.join('').length < 4 * CHUNK_BYTES; i++)
      rows.push(`${JSON.stringify({ id: i, text: `${'a'.repeat(i % 7)}${'é漢🙂'.repeat(1 + (i % 5))}` })}\n`)
    const path = tmp.file('multibyte.jsonl')
    writeFileSync(path, rows.join(''))
    const results: ReadResult[] = []
    for await (const result of readRecords(path, { format: 'jsonl' })) results.push(result)
    expect(results.every((r) => 'record' in r)).toBe(true)
    expect(results.map((r) => ('record' in r ? r.record.fields : null))).toEqual(
      rows.map((r) => JSON.parse(r) as unknown),
    )
  })

  it('reads the next chunk while the rows of this one are taken, and ends that read when stopped', async () => {
    const path = tmp.file('rows.jsonl')
    const row = `${JSON.stringify({ id: 'x', text: 'y'.repeat(200) })}\n`
    writeFileSync(path, row.repeat(Math.ceil((4 * CHUNK_BYTES) / row.length)))
    // Every file handle's reads, and when they end (read is a method of their prototype).
    const log: string[] = []
    const handle = await open(path, 'r')
    const prototype = Object.getPrototypeOf(handle) as FileHandle
    await handle.close()
    const read = Reflect.get(prototype, 'read') as (...args: unknown[]) => Promise<unknown>
    const spy = vi.spyOn(prototype, 'read').mockImplementation(function (this: FileHandle, ...args: unknown[]) {
      log.push('read')
      const reading = read.apply(this, args)
      void reading.then(() => log.push('read done'))
      return reading as ReturnType<FileHandle['read']>
    })
    try {
      const batches = readFileBatches(path, { format: 'jsonl' }, new JsonlParser())
      expect((await batches.next()).done).toBe(false)
      // The first chunk's rows are here, and the second chunk is on its way already.
      expect(log).toEqual(['read', 'read done', 'read'])
      // Stopped here (a fatal row, an abort): the read under way ends before the reader does.
      await batches.return(undefined)
      log.push('stopped')
      expect(log).toEqual(['read', 'read done', 'read', 'read done', 'stopped'])
    } finally {
      spy.mockRestore()
    }
  })

  it('a read ahead that fails while the import is elsewhere fails the next step, not the process', async () => {
    const path = tmp.file('rows.jsonl')
    writeFileSync(path, `${JSON.stringify({ id: 'x', text: 'y'.repeat(200) })}\n`.repeat(1000))
    const handle = await open(path, 'r')
    const prototype = Object.getPrototypeOf(handle) as FileHandle
    await handle.close()
    const read = Reflect.get(prototype, 'read') as (...args: unknown[]) => Promise<unknown>
    let reads = 0
    // Not a spy: a spy keeps the promises it returns, handling their rejections itself.
    Reflect.set(prototype, 'read', function (this: FileHandle, ...args: unknown[]) {
      reads++
      return reads === 2 ? Promise.reject(new Error('EIO: i/o error, read')) : read.apply(this, args)
    })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const batches = readFileBatches(path, { format: 'jsonl' }, new JsonlParser())
      expect((await batches.next()).done).toBe(false)
      // The import is busy elsewhere for a few turns of the event loop while the read fails.
      await new Promise((resolve) => setTimeout(resolve, 20))
      await expect(batches.next()).rejects.toThrow('EIO')
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      Reflect.set(prototype, 'read', read)
    }
  })
})
