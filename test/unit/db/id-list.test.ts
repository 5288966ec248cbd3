import { describe, expect, it } from 'vitest'
import { heldIds, joinedIds, rangeIds } from '../../../electron/core/db/repos/id-list'
import { createRng } from '../../../shared/stats/rng'

/** The plain definition: every id of the range not left out, in order. */
function expected(first: number, last: number, without: number[], desc: boolean): number[] {
  const out = new Set(without)
  const ids: number[] = []
  for (let id = first; id <= last; id++) if (!out.has(id)) ids.push(id)
  return desc ? ids.reverse() : ids
}

describe('id lists worked out from a range of ids', () => {
  it('equal the listed ids at every page and position, in either order, whatever is left out', () => {
    const rng = createRng(21)
    for (let round = 0; round < 300; round++) {
      const first = 1 + rng.nextInt(50)
      const last = first - 1 + rng.nextInt(80)
      const without: number[] = []
      // Left out: none, a few, runs of neighbours, the ends, or nearly everything.
      const share = [0, 0.05, 0.5, 0.95][round % 4]
      for (let id = first; id <= last; id++) {
        if (rng.nextFloat() < share || (round % 5 === 0 && id === last)) without.push(id)
      }
      const desc = round % 2 === 1
      const list = rangeIds(first, last, Int32Array.from(without), desc)
      const ids = expected(first, last, without, desc)
      expect(list.length).toBe(ids.length)
      expect(list.toArray()).toEqual(ids)
      for (let offset = 0; offset <= ids.length + 2; offset++)
        for (const limit of [1, 3, 10]) expect(list.slice(offset, limit)).toEqual(ids.slice(offset, offset + limit))
      for (let id = first - 2; id <= last + 2; id++) expect(list.indexOf(id)).toBe(ids.indexOf(id))
      expect(list.indexOf(first + 0.5)).toBe(-1)
    }
  })

  it('join two lists: pages that straddle them and positions in the second', () => {
    const a = heldIds(Int32Array.from([9, 4, 7]))
    const b = rangeIds(1, 10, Int32Array.from([4, 7, 9]), false)
    const joined = joinedIds(a, b)
    const ids = [9, 4, 7, 1, 2, 3, 5, 6, 8, 10]
    expect(joined.length).toBe(10)
    expect(joined.toArray()).toEqual(ids)
    for (let offset = 0; offset <= 11; offset++)
      for (const limit of [1, 2, 4, 20]) expect(joined.slice(offset, limit)).toEqual(ids.slice(offset, offset + limit))
    for (let id = 0; id <= 11; id++) expect(joined.indexOf(id)).toBe(ids.indexOf(id))
  })
})
