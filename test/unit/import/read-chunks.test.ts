import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readRecords } from '../../../electron/core/import/readers/index'
import { CHUNK_BYTES } from '../../../electron/core/import/readers/stream'
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
})
