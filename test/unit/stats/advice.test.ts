import { describe, expect, it } from 'vitest'
import { labelingAdvice, leeAllocation } from '../../../shared/stats/advice'
import { langReiczigelInterval } from '../../../shared/stats/lang-reiczigel'

describe('label-budget advice', () => {
  it("Lee et al.'s allocation m₁ = M/(1 + (1/p − 1)·√κ)", () => {
    // README example of Lee et al.: p = 0.4, q0 (Sp) = 0.7, q1 (Se) = 0.9, m = 200.
    const a = leeAllocation(200, 0.4, 0.9, 0.7)
    expect(a.pass).toBeCloseTo(200 / (1 + 1.5 * Math.sqrt(3)), 12)
    expect(a.pass + a.fail).toBeCloseTo(200, 12)
    // Degenerate pilots stay finite.
    expect(Number.isFinite(leeAllocation(100, 0, 0.9, 0.9).pass)).toBe(true)
  })

  it('advises the class whose rate limits the interval', () => {
    // Most production items pass (θ ≈ 0.9) and TPR is the weak rate: label Pass items.
    const passSide = labelingAdvice({ tp: 40, fn: 10, tn: 48, fp: 2, k: 730, m: 1000 }, 0.1)
    expect(passSide.nextClass).toBe('pass')
    // Most fail (θ ≈ 0.1) and TNR is the weak rate: label Fail items.
    const failSide = labelingAdvice({ tp: 48, fn: 2, tn: 40, fp: 10, k: 270, m: 1000 }, 0.1)
    expect(failSide.nextClass).toBe('fail')
    expect(failSide.reachable).toBe(true)
    expect(failSide.additionalFail).toBeGreaterThan(failSide.additionalPass)
    expect(passSide.additionalPass).toBeGreaterThan(passSide.additionalFail)
  })

  it('the advised number of labels roughly reaches the target width', () => {
    const counts = { tp: 45, fn: 5, tn: 40, fp: 10, k: 1400, m: 2000 }
    const target = 0.1
    const advice = labelingAdvice(counts, target)
    expect(advice.reachable).toBe(true)
    expect(advice.projectedWidthNow).toBeGreaterThan(target)
    // Add the advised labels with the same error rates and recompute the Lang–Reiczigel interval.
    const grow = (extraPass: number, extraFail: number) => {
      const pos = 50 + extraPass
      const neg = 50 + extraFail
      const tp = Math.round(0.9 * pos)
      const tn = Math.round(0.8 * neg)
      const ci = langReiczigelInterval({ tp, fn: pos - tp, tn, fp: neg - tn, k: 1400, m: 2000 }, 0.95)
      return ci.upper - ci.lower
    }
    expect(grow(advice.additionalPass, advice.additionalFail)).toBeLessThan(target * 1.1)
    expect(grow(Math.round(advice.additionalPass / 2), Math.round(advice.additionalFail / 2))).toBeGreaterThan(target)
    expect(advice.message).toMatch(/Label about \d+ more test items \(\d+ Pass, \d+ Fail\)/)
  })

  it('says when more test labels cannot help because production is too small', () => {
    const a = labelingAdvice({ tp: 45, fn: 5, tn: 40, fp: 10, k: 35, m: 50 }, 0.05)
    expect(a.reachable).toBe(false)
    expect(a.message).toMatch(/judge at least \d+ production items/)
    const done = labelingAdvice({ tp: 950, fn: 50, tn: 900, fp: 100, k: 70_000, m: 100_000 }, 0.2)
    expect(done).toMatchObject({ reachable: true, additionalPass: 0, additionalFail: 0 })
  })
})
