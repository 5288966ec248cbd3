import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { splitRank } from '../../../electron/core/judge/splits'
import { createRng } from '../../../shared/stats/rng'

describe('the split rank', () => {
  it('is the first 32 bits of sha256(seed, criterion, id), for ids of every length and script', () => {
    const rng = createRng(7)
    const alphabet = ['a', 'Z', '7', '-', ' ', '"', 'é', '漢', '🙂', '\u0000', '\ud800', '\udfff']
    const ids = ['', 't-0', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(1000)]
    for (let i = 0; i < 2000; i++)
      ids.push(Array.from({ length: rng.nextInt(150) }, () => alphabet[rng.nextInt(alphabet.length)]).join(''))
    for (const id of ids) {
      const seed = rng.nextInt(2 ** 31)
      const criterion = rng.nextInt(1000)
      const reference = createHash('sha256').update(`${seed}\u0000${criterion}\u0000${id}`).digest().readUInt32BE(0)
      expect(splitRank(seed, criterion, id)).toBe(reference)
    }
  })
})
