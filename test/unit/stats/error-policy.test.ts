import { describe, expect, it } from 'vitest'
import { calibrationWarnings } from '../../../shared/stats/advice'
import { applyErrorPolicy } from '../../../shared/stats/error-policy'
import { estimate, INTERVAL_METHODS } from '../../../shared/stats/estimate'

const counts = { tp: 31, fn: 0, tn: 9, fp: 2, k: 2056, m: 2396 }
const errors = { pass: 3, fail: 1, unlabeled: 4 }

describe('the error-verdict policy', () => {
  it('counts an error as Fail (FN, TN; m not k), as Pass (TP, FP; k and m), or leaves it out', () => {
    expect(applyErrorPolicy(counts, errors, 'exclude')).toBe(counts)
    expect(applyErrorPolicy(counts, errors, 'fail')).toEqual({ tp: 31, fn: 3, tn: 10, fp: 2, k: 2056, m: 2400 })
    expect(applyErrorPolicy(counts, errors, 'pass')).toEqual({ tp: 34, fn: 0, tn: 9, fp: 3, k: 2060, m: 2400 })
    expect(() => applyErrorPolicy(counts, { ...errors, fail: 1.5 }, 'fail')).toThrow(
      /human-fail items must be a non-negative integer/,
    )
  })

  it('leaves every result of estimate bit-identical when there are no error verdicts, whatever the policy', () => {
    const plain = { tp: 90, fn: 10, tn: 80, fp: 20, k: 700, m: 1000 }
    for (const method of INTERVAL_METHODS) {
      const before = estimate({ counts: plain, method, iterations: 2000, seed: 4 })
      for (const errorPolicy of ['exclude', 'fail', 'pass'] as const) {
        const after = estimate({
          counts: plain,
          method,
          iterations: 2000,
          seed: 4,
          errorPolicy,
          errors: { pass: 0, fail: 0, unlabeled: 0 },
        })
        expect({ ...after, errorPolicy: 'exclude' }, `${method} ${errorPolicy}`).toEqual(before)
      }
    }
    expect(estimate({ counts: plain })).toMatchObject({
      theta: 0.7142857142857141,
      errorPolicy: 'exclude',
      errors: { pass: 0, fail: 0, unlabeled: 0 },
    })
  })

  it('applies the policy inside estimate and records it; refuses an unknown policy', () => {
    const e = estimate({ counts, errors, errorPolicy: 'fail' })
    expect(e).toMatchObject({
      errorPolicy: 'fail',
      errors,
      counts: { fn: 3, tn: 10, m: 2400, n: 46, pos: 34, neg: 12 },
    })
    expect(e.theta.toFixed(4)).toBe('0.9261')
    expect(() => estimate({ counts, errors, errorPolicy: 'zero' as never })).toThrow(
      /unknown error policy "zero"; use one of exclude, fail, pass/,
    )
  })

  it('never words a perfect rate as "no errors" while error verdicts exist', () => {
    const base = {
      theta: 0.8,
      thetaUnclipped: 0.8,
      clipped: false,
      pObs: 0.8,
      youdenJ: 0.8,
      method: 'lang-reiczigel',
      lower: 0.7,
      upper: 0.9,
      iterations: null,
      nDropped: null,
      resampleUnlabeled: true,
    }
    const counts = { tp: 31, fn: 0, tn: 9, fp: 2, k: 80, m: 100 }
    const perfect = (e: Partial<Parameters<typeof calibrationWarnings>[0]>) =>
      calibrationWarnings({ ...base, tpr: 1, tnr: 9 / 11, counts, ...e }).find((w) => w.code === 'perfect_scores')
        ?.message
    // No error verdicts: the old claim, limited to the class that is perfect.
    expect(perfect({})).toMatch(/^The judge made no errors on the human-Pass test items \(TPR = 1 on 31 Pass items\)/)
    expect(perfect({ tnr: 1, counts: { ...counts, fp: 0, tn: 11 } })).toMatch(
      /^The judge made no errors on the test set \(TPR = 1 on 31 Pass items, TNR = 1 on 11 Fail items\)/,
    )
    const withErrors = perfect({ errors: { pass: 3, fail: 1, unlabeled: 0 }, errorPolicy: 'exclude' })!
    expect(withErrors).not.toMatch(/no errors/i)
    expect(withErrors).toContain(
      'TPR = 1 on the 31 Pass items with a verdict; 3 Pass items got an error verdict and are left out',
    )
    expect(perfect({ errors: { pass: 1, fail: 0, unlabeled: 0 }, errorPolicy: 'exclude' })).toContain(
      '1 Pass item got an error verdict and is left out',
    )
    // Errors only on the other class: TPR = 1 is still said with care.
    expect(perfect({ errors: { pass: 0, fail: 2, unlabeled: 0 } })).not.toMatch(/no errors/i)
  })
})
