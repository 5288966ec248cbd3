import { describe, expect, it } from 'vitest'
import { estimate } from '../../../shared/stats/estimate'
import { ALL_MODES, estimateModes, type ModeData } from '../../../shared/stats/multi-mode'
import { createRng } from '../../../shared/stats/rng'

/** Two correlated failure modes on the same 200 test and 2000 production items. */
function twoModes(): ModeData[] {
  const rng = createRng(17)
  const n = 200
  const m = 2000
  const mk = () => ({ testHuman: [] as number[], testJudge: [] as number[], unlabeled: [] as number[] })
  const a = mk()
  const b = mk()
  const judge = (truth: number, tpr: number, tnr: number) =>
    truth === 1 ? +(rng.nextFloat() < tpr) : +(rng.nextFloat() >= tnr)
  for (let i = 0; i < n + m; i++) {
    const hard = rng.nextFloat() < 0.3 // hard items tend to fail both modes
    const ta = +(rng.nextFloat() < (hard ? 0.5 : 0.9))
    const tb = +(rng.nextFloat() < (hard ? 0.4 : 0.95))
    if (i < n) {
      a.testHuman.push(ta)
      a.testJudge.push(judge(ta, 0.9, 0.85))
      b.testHuman.push(tb)
      b.testJudge.push(judge(tb, 0.92, 0.8))
    } else {
      a.unlabeled.push(judge(ta, 0.9, 0.85))
      b.unlabeled.push(judge(tb, 0.92, 0.8))
    }
  }
  return [
    { name: 'tone', ...a },
    { name: 'facts', ...b },
  ]
}

describe('several failure modes', () => {
  const modes = twoModes()
  const result = estimateModes({ modes, iterations: 4000, seed: 3 })

  it('corrects each mode with its own rates (same point values as estimate)', () => {
    for (const mode of modes) {
      const r = result.modes.find((x) => x.name === mode.name)!
      expect(r.ok).toBe(true)
      if (!r.ok) continue
      const h = mode.testHuman as number[]
      const j = mode.testJudge as number[]
      const u = mode.unlabeled as number[]
      const counts = {
        tp: h.filter((x, i) => x === 1 && j[i] === 1).length,
        fn: h.filter((x, i) => x === 1 && j[i] === 0).length,
        tn: h.filter((x, i) => x === 0 && j[i] === 0).length,
        fp: h.filter((x, i) => x === 0 && j[i] === 1).length,
        k: u.filter((x) => x === 1).length,
        m: u.length,
      }
      expect(r.counts).toEqual(counts)
      expect(r.point.theta).toBe(estimate({ counts }).theta)
    }
  })

  it('treats "passes all modes" as its own judge, not the product of the rates', () => {
    const all = result.modes.find((x) => x.name === ALL_MODES)!
    expect(all.ok).toBe(true)
    if (!all.ok) return
    const [a, b] = modes
    const humanAll = a.testHuman.length
    let tp = 0
    for (let i = 0; i < humanAll; i++)
      if (a.testHuman[i] === 1 && b.testHuman[i] === 1 && a.testJudge[i] === 1 && b.testJudge[i] === 1) tp++
    expect(all.counts.tp).toBe(tp)
    const [ra, rb] = result.modes
    if (!ra.ok || !rb.ok) throw new Error('modes failed')
    // The modes are positively correlated, so the product understates "passes all".
    expect(all.point.theta).toBeGreaterThan(ra.point.theta * rb.point.theta + 0.02)
  })

  it('simultaneous (Bonferroni) intervals contain the marginal ones', () => {
    expect(result.perIntervalConfidence).toBeCloseTo(1 - 0.05 / 3, 12)
    for (const r of result.modes) {
      if (!r.ok) throw new Error(r.error.message)
      expect(r.simultaneousLower).toBeLessThanOrEqual(r.lower)
      expect(r.simultaneousUpper).toBeGreaterThanOrEqual(r.upper)
      expect(r.lower).toBeLessThanOrEqual(r.point.theta)
      expect(r.upper).toBeGreaterThanOrEqual(r.point.theta)
    }
  })

  it('resamples the same items for every mode: identical modes get identical intervals', () => {
    const r = estimateModes({
      modes: [modes[0], { ...modes[0], name: 'copy' }],
      iterations: 2000,
      seed: 1,
      includeAllPass: false,
    })
    const [x, y] = r.modes
    if (!x.ok || !y.ok) throw new Error('failed')
    expect([y.lower, y.upper, y.nDropped]).toEqual([x.lower, x.upper, x.nDropped])
  })

  it('reports a mode that cannot be corrected without failing the others', () => {
    const bad: ModeData = {
      name: 'never passes',
      testHuman: Array.from(modes[0].testHuman, () => 0),
      testJudge: modes[0].testJudge,
      unlabeled: modes[0].unlabeled,
    }
    const r = estimateModes({ modes: [modes[0], bad], iterations: 500 })
    expect(r.modes.map((x) => (x.ok ? 'ok' : x.error.code))).toEqual(['ok', 'single_class_test', 'single_class_test'])
    expect(() => estimateModes({ modes: [modes[0], { ...modes[1], unlabeled: [1] }] })).toThrow(
      /same 200 test and 2000 production items/,
    )
  })
})
