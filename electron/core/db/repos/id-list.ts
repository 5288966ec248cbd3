/**
 * The ordered ids of a table query, as paging reads them: how many, one page, the position of an
 * id. Either every id held in an array, or — when the items' ids have no gaps, as after imports —
 * a range of ids less a few (the labeled ones, say), worked out page by page: a million-item table
 * then answers "unlabeled", a sort by label, a far page or a row's position without listing a
 * million ids.
 */
export interface IdList {
  readonly length: number
  /** The ids at positions `offset` up to `offset + limit` (fewer at the end). */
  slice(offset: number, limit: number): number[]
  /** The position of `id`, or -1 when the list does not hold it. */
  indexOf(id: number): number
  toArray(): number[]
}

/** Every id, held. */
export function heldIds(ids: Int32Array): IdList {
  return {
    length: ids.length,
    slice: (offset, limit) => Array.from(ids.subarray(offset, offset + limit)),
    indexOf: (id) => ids.indexOf(id),
    toArray: () => Array.from(ids),
  }
}

/** The first index of `sorted` whose value is at least `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let [lo, hi] = [0, sorted.length]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The ids `first` to `last` less `without` (ascending, each inside the range), in either order.
 * A page costs a binary search in `without` plus its own length.
 */
export function rangeIds(first: number, last: number, without: Int32Array, desc: boolean): IdList {
  const length = Math.max(0, last - first + 1 - without.length)
  // The id at ascending position p is first + p + j, j being the ids left out below it: the first
  // j with without[j] - j > first + p (without[j] - j never decreases, so a binary search finds it).
  const idAt = (p: number): number => {
    let [lo, hi] = [0, without.length]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (without[mid] - mid > first + p) hi = mid
      else lo = mid + 1
    }
    return first + p + lo
  }
  const ascending = (from: number, count: number): number[] => {
    const ids: number[] = []
    let id = idAt(from)
    let j = lowerBound(without, id)
    while (ids.length < count) {
      if (j < without.length && without[j] === id) j++
      else ids.push(id)
      id++
    }
    return ids
  }
  const list: IdList = {
    length,
    slice(offset, limit) {
      const [start, end] = [Math.max(0, offset), Math.min(length, offset + limit)]
      if (end <= start) return []
      return desc ? ascending(length - end, end - start).reverse() : ascending(start, end - start)
    },
    indexOf(id) {
      if (!Number.isInteger(id) || id < first || id > last) return -1
      const j = lowerBound(without, id)
      if (without[j] === id) return -1
      const position = id - first - j
      return desc ? length - 1 - position : position
    },
    toArray: () => list.slice(0, length),
  }
  return list
}

/** `a` then `b`. */
export function joinedIds(a: IdList, b: IdList): IdList {
  const length = a.length + b.length
  return {
    length,
    slice(offset, limit) {
      const head = a.slice(offset, limit)
      return head.length === limit ? head : [...head, ...b.slice(Math.max(0, offset - a.length), limit - head.length)]
    },
    indexOf(id) {
      const inA = a.indexOf(id)
      if (inA >= 0) return inA
      const inB = b.indexOf(id)
      return inB >= 0 ? a.length + inB : -1
    },
    toArray: () => [...a.toArray(), ...b.toArray()],
  }
}
