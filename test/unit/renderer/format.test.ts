import { describe, expect, it } from 'vitest'
import { formatCount } from '../../../renderer/format'

describe('formatCount', () => {
  it('groups the digits of a whole number by three with commas, as the English text around it', () => {
    expect([0, 7, 999, 1000, 12_345, 100_000, 1_234_567, 1_000_000_000].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '12,345',
      '100,000',
      '1,234,567',
      '1,000,000,000',
    ])
  })

  it('keeps the sign of a negative number and drops a fraction, as counts never have one', () => {
    expect([-1, -1234, -0.5, 12.9].map(formatCount)).toEqual(['-1', '-1,234', '0', '12'])
  })
})
