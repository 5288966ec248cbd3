import { describe, expect, it } from 'vitest'
import { createRng, PRNG_NAME } from '../../../shared/stats/rng'

describe('createRng (xoshiro128**)', () => {
  it('reproduces xoshiro128** from a splitmix32-expanded seed (checked against a Python transcription)', () => {
    const r = createRng(0)
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([3809008728, 1133695204, 53579671])
    const s = createRng(42)
    expect([s.nextU32(), s.nextU32(), s.nextU32()]).toEqual([2837322924, 544945897, 479756282])
    expect(PRNG_NAME).toBe('xoshiro128**')
  })

  it('folds seeds above 2^32 in instead of truncating them', () => {
    expect(createRng(2 ** 32 + 5).nextU32()).toBe(628514800)
    expect(createRng(2 ** 32 + 5).nextU32()).not.toBe(createRng(5).nextU32())
  })

  it('gives floats in [0, 1) and unbiased integers in [0, n)', () => {
    const r = createRng(7)
    const counts = new Array<number>(6).fill(0)
    let min = 1
    let max = 0
    for (let i = 0; i < 60_000; i++) {
      const u = r.nextFloat()
      min = Math.min(min, u)
      max = Math.max(max, u)
      counts[r.nextInt(6)]++
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    // Each count is Binomial(60000, 1/6): sd ≈ 91; allow 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(460)
    expect(() => r.nextInt(0)).toThrow(RangeError)
    expect(() => createRng(Number.NaN)).toThrow(RangeError)
  })
})
