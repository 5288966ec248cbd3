import { describe, expect, it } from 'vitest'
import { splitRank } from '../../../electron/core/judge/splits'
import { importSplitRank, sha256First32 } from '../../../electron/core/import/split-rank'
import { createRng } from '../../../shared/stats/rng'

describe("the import's split rank", () => {
  it('is splitRank: the same 32 bits for ids of every length and script', () => {
    const rng = createRng(7)
    const alphabet = ['a', 'Z', '7', '-', ' ', '"', 'é', '漢', '🙂', '\u0000', '\ud800', '\udfff']
    const ids = ['', 't-0', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(119), 'x'.repeat(1000)]
    for (let i = 0; i < 2000; i++)
      ids.push(Array.from({ length: rng.nextInt(150) }, () => alphabet[rng.nextInt(alphabet.length)]).join(''))
    for (const id of ids) {
      const seed = rng.nextInt(2 ** 31)
      const criterion = rng.nextInt(1000)
      expect(importSplitRank(seed, criterion, id)).toBe(splitRank(seed, criterion, id))
    }
  })

  it('is SHA-256 (FIPS 180-4 test vectors)', () => {
    expect(sha256First32('abc')).toBe(0xba7816bf)
    expect(sha256First32('')).toBe(0xe3b0c442)
    expect(sha256First32('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(0x248d6a61)
  })
})
