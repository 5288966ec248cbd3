/** What the Parquet reader makes of values JSON has no type for (the fixtures cover the common ones). */
import { describe, expect, it } from 'vitest'
import { isoTime, Seen, toPlain } from '../../../electron/core/import/readers/parquet'

describe('toPlain', () => {
  it('turns values JSON cannot hold into what a JSON file would have, and says so once per column', () => {
    const notes: string[] = []
    const seen = new Seen((note) => notes.push(note))
    const value = {
      nan: Number.NaN,
      inf: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      big: [2n ** 53n + 1n, -(2n ** 60n), 42n],
      bytes: new Uint8Array([0, 255, 16]),
      when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
      nested: { missing: undefined, list: [undefined, -0, 'x', true] },
    }
    expect(toPlain(value, 'c', seen)).toEqual({
      nan: null,
      inf: ['Infinity', '-Infinity'],
      big: ['9007199254740993', '-1152921504606846976', 42],
      bytes: 'AP8Q',
      when: '2026-01-02T03:04:05.006Z',
      nested: { missing: null, list: [null, 0, 'x', true] },
    })
    expect(Object.is(toPlain(-0, 'c', seen), 0)).toBe(true)
    toPlain(Number.NaN, 'c', seen)
    toPlain(Number.NaN, 'd', seen)
    expect(notes).toEqual([
      'NaN (a missing float in pandas) read as empty (column "c")',
      'Integers beyond 2^53 kept as text, digit for digit (column "c")',
      'Binary values read as base64 text (column "c")',
      'NaN (a missing float in pandas) read as empty (column "d")',
    ])
  })

  it('writes timestamps in UTC with every fraction digit they have, before 1970 too', () => {
    expect(isoTime(1_700_000_000_123_456n, 1000n)).toBe('2023-11-14T22:13:20.123456Z')
    expect(isoTime(1_700_000_000_123_000n, 1000n)).toBe('2023-11-14T22:13:20.123Z')
    expect(isoTime(1_700_000_000_000_000_100n, 1000000n)).toBe('2023-11-14T22:13:20.0000001Z')
    expect(isoTime(-1n, 1000n)).toBe('1969-12-31T23:59:59.999999Z')
  })
})
