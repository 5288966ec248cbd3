/**
 * A set of strings that keeps only two 32-bit hashes of each (8 bytes a slot, at most half the
 * slots used): a million ids take 16 MB, where a `Set<string>` of them takes about 60 MB and keeps
 * every id string alive in the old generation. It answers "maybe seen" or "certainly new": two
 * different ids share both hashes about once in 2^63 pairs, and a caller treats "maybe" as a
 * reason to check exactly, never as a verdict.
 */
export class IdSet {
  private high = new Int32Array(1 << 12)
  /** The second hash, forced odd so that 0 marks an empty slot. */
  private low = new Int32Array(1 << 12)
  private size = 0

  /** Adds `id`; true when it may have been added before (both hashes already there). */
  addMaybeSeen(id: string): boolean {
    let h1 = 0x811c9dc5
    let h2 = 0x9747b28c
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 + c, 0x5bd1e995)
      h2 ^= h2 >>> 15
    }
    return this.insert(mix(h1 ^ id.length), mix(h2) | 1)
  }

  private insert(high: number, low: number): boolean {
    const mask = this.high.length - 1
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const l = this.low[slot]
      if (l === 0) break
      if (l === low && this.high[slot] === high) return true
    }
    if (++this.size * 2 > this.high.length) this.grow()
    this.place(high, low)
    return false
  }

  private place(high: number, low: number): void {
    const mask = this.high.length - 1
    let slot = high & mask
    while (this.low[slot] !== 0) slot = (slot + 1) & mask
    this.high[slot] = high
    this.low[slot] = low
  }

  private grow(): void {
    const { high, low } = this
    this.high = new Int32Array(high.length * 2)
    this.low = new Int32Array(low.length * 2)
    for (let i = 0; i < low.length; i++) if (low[i] !== 0) this.place(high[i], low[i])
  }
}

/** Murmur3's finaliser: every input bit moves about half the output bits. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
