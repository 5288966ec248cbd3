/**
 * A "perfect score" looks at TPR and TNR together (issue 16: an always-Pass judge, TNR 0 %, was
 * told "A perfect score: check for leakage"). Rendered as the Calibrate matrix and the Judges
 * version table render it.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { scoreCheck, type Matrix } from '../../../shared/calibrate'
import type { JudgeDetail, SplitMetrics } from '../../../shared/judges'
import { judgeRates } from '../../../shared/stats/rates'
import { MatrixTable } from '../../../renderer/features/calibrate/MatrixTable'
import { VersionTable } from '../../../renderer/features/judges/VersionTable'

type Cells = { tp: number; fn: number; tn: number; fp: number }
const matrix = (c: Cells, errors = { pass: 0, fail: 0 }): Matrix => ({
  split: 'dev',
  ...c,
  errors: errors.pass + errors.fail,
  errorsPass: errors.pass,
  errorsFail: errors.fail,
  errorPolicy: 'exclude',
  missing: 0,
  ...judgeRates(c),
})
const calibrateText = (c: Cells, errors?: { pass: number; fail: number }) =>
  renderToStaticMarkup(
    createElement(MatrixTable, {
      m: matrix(c, errors),
      onCell: () => {},
      targets: { target: 0.9, minimum: 0.8 },
      confidence: 0.95,
    }),
  )

function judgesText(c: Cells): string {
  const split = (name: SplitMetrics['split'], cells: Cells): SplitMetrics => ({
    split: name,
    ...cells,
    errors: 0,
    errorsPass: 0,
    errorsFail: 0,
    missing: 0,
    judgedPass: cells.tp + cells.fp,
    judgedFail: cells.tn + cells.fn,
  })
  const detail: JudgeDetail = {
    judge: { id: 1, name: 'J', criterionId: 1, criterion: 'Overall', versions: 1, latest: 1 },
    versions: [
      {
        id: 7,
        version: 1,
        prompt: '',
        model: {},
        params: {},
        fewshotIds: [],
        testEvaluations: 0,
        testViewedAt: null,
        createdAt: '2026-03-01T00:00:00Z',
        external: true,
      },
    ],
    runs: [],
    metrics: [
      {
        versionId: 7,
        splits: [
          split('train', { tp: 0, fn: 0, tn: 0, fp: 0 }),
          split('dev', c),
          split('unlabeled', { tp: 0, fn: 0, tn: 0, fp: 0 }),
        ],
        testRevealed: false,
        lockedTestErrors: 0,
      },
    ],
    splits: {
      ratios: { train: 0.15, dev: 0.45, test: 0.4, seed: 1 },
      counts: { train: { pass: 0, fail: 0 }, dev: { pass: 0, fail: 0 }, test: { pass: 0, fail: 0 } },
    },
    fewshot: [],
    definition: '',
  }
  return renderToStaticMarkup(
    createElement(VersionTable, { detail, shown: null, onShow: () => {}, onRevealTest: () => {} }),
  )
}

describe('the score check beside a matrix', () => {
  const alwaysPass = { tp: 30, fn: 0, tn: 0, fp: 20 }

  it('an always-Pass judge (TNR 0 %) is not a perfect score: it is told it does not tell Pass from Fail', () => {
    for (const html of [calibrateText(alwaysPass), judgesText(alwaysPass)]) {
      expect(html).not.toMatch(/perfect|leakage|100%: check/i)
    }
    expect(calibrateText(alwaysPass)).toContain(
      'The judge passed every item (TPR 100 %, TNR 0 %): it does not tell Pass from Fail.',
    )
    expect(judgesText(alwaysPass)).toContain('passes everything')
    expect(calibrateText({ tp: 0, fn: 30, tn: 20, fp: 0 })).toContain(
      'The judge failed every item (TPR 0 %, TNR 100 %)',
    )
  })

  it('only TPR and TNR both at 100 % are a perfect score', () => {
    expect(calibrateText({ tp: 30, fn: 0, tn: 20, fp: 0 })).toContain(
      'A perfect score (TPR and TNR 100 %): check for leakage or too-easy items.',
    )
    expect(judgesText({ tp: 30, fn: 0, tn: 20, fp: 0 })).toContain('100%: check')
    // One perfect rate beside a good other one is neither perfect nor a warning.
    for (const html of [calibrateText({ tp: 30, fn: 0, tn: 17, fp: 3 }), judgesText({ tp: 30, fn: 0, tn: 17, fp: 3 })])
      expect(html).not.toMatch(/perfect|100%: check|chance|everything/)
  })

  it('a split the version never ran on says so instead of an all-zero matrix', () => {
    const html = renderToStaticMarkup(
      createElement(MatrixTable, {
        m: { ...matrix({ tp: 0, fn: 0, tn: 0, fp: 0 }), split: 'train', missing: 4 },
        onCell: () => {},
        targets: { target: 0.9, minimum: 0.8 },
        confidence: 0.95,
      }),
    )
    expect(html).toContain('train split: not run by this version (4 labeled items without a verdict).')
    expect(html).not.toMatch(/<table|n=0/)
  })

  it('never calls a score perfect without saying error verdicts were left out', () => {
    expect(calibrateText({ tp: 30, fn: 0, tn: 20, fp: 0 }, { pass: 2, fail: 1 })).toContain(
      'A perfect score on the items with a verdict: 3 items got an error verdict and are left out',
    )
    expect(scoreCheck({ tpr: 0.4, tnr: 0.5, errorsPass: 0, errorsFail: 0, errorPolicy: 'exclude' })?.text).toBe(
      'No better than chance: TPR 40 % + TNR 50 % ≤ 100 %. The judge does not tell Pass from Fail.',
    )
    expect(scoreCheck({ tpr: null, tnr: 1, errorsPass: 0, errorsFail: 0, errorPolicy: 'exclude' })).toBeNull()
  })
})
