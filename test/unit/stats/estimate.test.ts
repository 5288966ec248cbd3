import { describe, expect, it } from 'vitest'
import { bcaInterval } from '../../../shared/stats/bca'
import { isStatsError, type StatsErrorCode } from '../../../shared/stats/errors'
import {
  DEFAULT_METHOD,
  DEFAULT_SEED,
  estimate,
  INTERVAL_METHODS,
  MAX_ITERATIONS,
  type EstimateInput,
} from '../../../shared/stats/estimate'
import { judgeBeatsChance } from '../../../shared/stats/rogan-gladen'

const A = { tp: 90, fn: 10, tn: 80, fp: 20, k: 700, m: 1000 }

function code(input: EstimateInput): StatsErrorCode | 'ok' {
  try {
    estimate(input)
    return 'ok'
  } catch (e) {
    if (isStatsError(e)) return e.code
    throw e
  }
}

describe('estimate', () => {
  it('defaults: the default method, seed 0, PRNG named, confidence 0.95', () => {
    const r = estimate({ counts: A })
    expect(r).toMatchObject({
      method: DEFAULT_METHOD,
      seed: DEFAULT_SEED,
      prng: 'xoshiro128**',
      confidence: 0.95,
      iterations: null,
      nValid: null,
    })
    expect(r.theta).toBe(0.7142857142857141)
    expect(r.youdenJ).toBeCloseTo(0.7, 15)
    expect(r.counts).toEqual({ ...A, n: 200, pos: 100, neg: 100 })
    expect(r.se).toBeGreaterThan(0)
  })

  it('every method names itself and gives an interval around θ̂', () => {
    for (const method of INTERVAL_METHODS) {
      const r = estimate({ counts: A, method, iterations: 4000 })
      expect(r.method).toBe(method)
      expect(r.lower).toBeLessThan(r.theta)
      expect(r.upper).toBeGreaterThan(r.theta)
      expect(r.seed).toBe(0)
      expect(r.prng).toBe('xoshiro128**')
    }
  })

  it('the resampling design is explicit in the result', () => {
    expect(estimate({ counts: A, method: 'judgy', iterations: 100 })).toMatchObject({
      stratified: false,
      resampleUnlabeled: false,
    })
    expect(estimate({ counts: A, method: 'bootstrap', iterations: 100 })).toMatchObject({
      stratified: false,
      resampleUnlabeled: true,
    })
    expect(
      estimate({ counts: A, method: 'bca', iterations: 100, stratified: true, resampleUnlabeled: false }),
    ).toMatchObject({ stratified: true, resampleUnlabeled: false })
    expect(estimate({ counts: A, method: 'exact', stratified: true })).toMatchObject({
      stratified: true,
      resampleUnlabeled: false,
    })
    expect(estimate({ counts: A, method: 'lang-reiczigel' })).toMatchObject({
      stratified: true,
      resampleUnlabeled: true,
    })
  })

  it('is reproducible from its seed, and the seed matters', () => {
    const a = estimate({ counts: A, method: 'bootstrap', seed: 12 })
    const b = estimate({ counts: A, method: 'bootstrap', seed: 12 })
    const c = estimate({ counts: A, method: 'bootstrap', seed: 13 })
    expect(b).toEqual(a)
    expect([c.lower, c.upper]).not.toEqual([a.lower, a.upper])
  })

  it('counts every bootstrap draw as kept or dropped and returns sorted draws on request', () => {
    const r = estimate({ counts: { tp: 13, fn: 7, tn: 12, fp: 8, k: 100, m: 200 }, method: 'judgy', keepDraws: true })
    expect(r.nValid! + r.nDropped!).toBe(20_000)
    expect(r.nDropped! / 20_000).toBeGreaterThan(0.04) // fixture b3: judgy drops about 6%
    expect(r.draws!.length).toBe(r.nValid)
    expect(r.draws!.every((x, i, xs) => i === 0 || xs[i - 1] <= x)).toBe(true)
    expect(r.warnings.map((w) => w.code)).toContain('many_dropped')
    const strat = estimate({ counts: A, method: 'bootstrap', stratified: true })
    expect(strat.nDropped).toBe(0)
  })

  it('BCa reuses exactly the bootstrap draws of the same seed (the coverage simulation relies on it)', () => {
    for (const counts of [A, { tp: 18, fn: 2, tn: 17, fp: 3, k: 400, m: 500 }]) {
      const boot = estimate({ counts, method: 'bootstrap', seed: 5, iterations: 3000, keepDraws: true })
      const bca = estimate({ counts, method: 'bca', seed: 5, iterations: 3000 })
      const again = bcaInterval(boot.draws!, boot.theta, 0.95, counts, true)
      expect([again.lower, again.upper]).toEqual([bca.lower, bca.upper])
    }
  })

  it('refuses bad options with their codes', () => {
    const cases: Array<[Partial<EstimateInput>, StatsErrorCode]> = [
      [{ confidence: 0 }, 'bad_confidence'],
      [{ confidence: 1 }, 'bad_confidence'],
      [{ confidence: Number.NaN }, 'bad_confidence'],
      [{ iterations: 0 }, 'bad_iterations'],
      [{ iterations: 2.5 }, 'bad_iterations'],
      [{ iterations: MAX_ITERATIONS + 1 }, 'bad_iterations'],
      [{ method: 'percentile' as never }, 'bad_method'],
      [{ seed: -1 }, 'bad_seed'],
      [{ seed: 0.5 }, 'bad_seed'],
      [{ method: 'judgy', resampleUnlabeled: true }, 'bad_option'],
      [{ method: 'judgy', stratified: true }, 'bad_option'],
      [{ method: 'exact', resampleUnlabeled: true }, 'bad_option'],
      [{ method: 'lang-reiczigel', resampleUnlabeled: false }, 'bad_option'],
      [{ method: 'exact', counts: { tp: 200, fn: 1, tn: 100, fp: 1, k: 1, m: 2 } }, 'too_large_for_exact'],
    ]
    for (const [patch, want] of cases) expect(code({ counts: A, ...patch }), JSON.stringify(patch)).toBe(want)
  })

  it('refuses bad counts in judgy’s order, with messages that say what to do', () => {
    expect(code({ counts: { ...A, tp: -1 } })).toBe('bad_counts')
    expect(code({ counts: { ...A, k: 1001 } })).toBe('bad_counts')
    expect(code({ counts: { ...A, fp: 1.5 } })).toBe('bad_counts')
    expect(code({ counts: { tp: 0, fn: 0, tn: 0, fp: 0, k: 1, m: 1 } })).toBe('empty_test')
    expect(code({ counts: { ...A, k: 0, m: 0 } })).toBe('empty_unlabeled')
    expect(code({ counts: { ...A, tn: 0, fp: 0 } })).toBe('single_class_test')
    try {
      estimate({ counts: { ...A, tn: 0, fp: 0 } })
    } catch (e) {
      expect((e as Error).message).toContain('Label some Fail items')
    }
    try {
      estimate({ counts: { tp: 4, fn: 6, tn: 5, fp: 5, k: 50, m: 100 } })
    } catch (e) {
      expect((e as Error).message).toContain('TPR + TNR = 0.900 <= 1')
    }
  })

  it('decides J ≤ 0 exactly as judgy’s float test for every P, N ≤ 40', () => {
    let disagreements = 0
    for (let pos = 1; pos <= 40; pos++)
      for (let neg = 1; neg <= 40; neg++)
        for (let tp = 0; tp <= pos; tp++)
          for (let tn = 0; tn <= neg; tn++)
            if (judgeBeatsChance(tp, pos, tn, neg) !== tp / pos + tn / neg - 1 > 0) disagreements++
    expect(disagreements).toBe(0)
    expect(judgeBeatsChance(3_000_000_001, 6_000_000_000, 3_000_000_000, 6_000_000_000)).toBe(true)
    expect(judgeBeatsChance(3_000_000_000, 6_000_000_000, 3_000_000_000, 6_000_000_000)).toBe(false)
  })
})

describe('warnings (statistics.md §6)', () => {
  const codes = (input: EstimateInput) => estimate(input).warnings.map((w) => w.code)

  it('a healthy calibration with the default method has none', () => {
    expect(codes({ counts: { tp: 95, fn: 5, tn: 90, fp: 10, k: 600, m: 1000 } })).toEqual([])
  })

  it('small classes, small test set, weak judge, uninformative interval', () => {
    const c = codes({ counts: { tp: 13, fn: 7, tn: 12, fp: 8, k: 100, m: 200 }, method: 'judgy' }) // fixture b3
    for (const want of [
      'small_test',
      'weak_judge',
      'uninformative_interval',
      'many_dropped',
      'unlabeled_fixed',
    ] as const) {
      expect(c).toContain(want)
    }
    const w = estimate({ counts: { tp: 95, fn: 5, tn: 9, fp: 1, k: 600, m: 1000 } }).warnings.find(
      (x) => x.code === 'small_class',
    )!
    expect(w.message).toContain('Only 10 human-Fail items')
    expect(w.message).toContain('10 more Fail')
  })

  it('perfect scores, clipping and extreme prevalence', () => {
    expect(codes({ counts: { tp: 10, fn: 0, tn: 10, fp: 0, k: 37, m: 100 }, method: 'judgy' })).toEqual(
      expect.arrayContaining(['perfect_scores', 'unlabeled_fixed']),
    )
    expect(codes({ counts: { tp: 90, fn: 10, tn: 80, fp: 20, k: 150, m: 1000 } })).toContain('clipped')
    expect(codes({ counts: { tp: 95, fn: 5, tn: 95, fp: 5, k: 925, m: 1000 }, method: 'bootstrap' })).toContain(
      'prevalence_extreme',
    )
  })
})
