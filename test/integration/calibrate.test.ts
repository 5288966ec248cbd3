/**
 * Calibration of a judge version over real project files: the test lock, the estimate equal to
 * the statistics core on the same counts (and stored once per distinct result), the refusal when
 * TPR + TNR ≤ 1, cells, slices without calibration data, and the comparison rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { calibrate, cellItems } from '../../electron/core/calibrate'
import { CalibrateRequest } from '../../shared/calibrate'
import { estimate } from '../../shared/stats'
import { judgeProject, type FixtureItem } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'

/** 40 test items (24 pass, 16 fail) and 100 unlabeled items from two channels; test items are all "web". */
function fixture(): FixtureItem[] {
  const test = Array.from({ length: 40 }, (_, i) => ({
    id: `t-${i}`,
    input: `test question ${i}`,
    label: i < 24 ? 'pass' : 'fail',
    note: `note ${i}`,
    split: 'test' as const,
  }))
  const prod = Array.from({ length: 100 }, (_, i) => ({ id: `p-${i}`, input: `production question ${i}` }))
  return [...test, ...prod]
}

describe('calibrate', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  /** A judge version whose verdicts are given per item id: recorded like imported verdicts. */
  function withVerdicts(
    d: ReturnType<typeof judgeProject>,
    name: string,
    verdictOf: (id: string) => 'pass' | 'fail' | 'error',
    criterionId = d.criterionId,
  ) {
    const at = '2026-03-01T00:00:00Z'
    const judgeId = d.repos.judges.addJudge(criterionId, name, at)
    const versionId = d.repos.judges.addVersion(
      { judgeId, version: 1, prompt: 'imported', model: { provider: 'imported' }, params: {}, fewshotIds: [] },
      at,
    )
    const ids = [...d.ids.values()]
    const runId = d.repos.judges.addRun(
      { judgeVersionId: versionId, scope: 'imported', status: 'done', itemIds: ids },
      at,
      at,
    )
    for (const [ext, itemId] of d.ids)
      d.repos.judges.addVerdict(
        {
          runId,
          itemId,
          verdict: verdictOf(ext),
          critique: `critique of ${ext}`,
          raw: '',
          latencyMs: null,
          tokensIn: null,
          tokensOut: null,
          cached: false,
        },
        at,
      )
    d.db
      .prepare(
        "UPDATE items SET metadata_json = json_object('channel', CASE WHEN external_id LIKE 'p-%' AND CAST(substr(external_id, 3) AS INTEGER) % 2 = 1 THEN 'ios' ELSE 'web' END)",
      )
      .run()
    return versionId
  }

  it('keeps test hidden until revealed, then equals the statistics core on the same counts and stores the estimate once', () => {
    const d = judgeProject(tmp.file('p.assay'), fixture())
    // Test: 22 of 24 passes judged pass, 13 of 16 fails judged fail; one error. Production: 60 of 100 pass, 2 errors.
    const versionId = withVerdicts(d, 'J', (id) => {
      const i = Number(id.slice(2))
      if (id.startsWith('t-'))
        return i === 39 ? 'error' : i < 24 ? (i < 22 ? 'pass' : 'fail') : i < 36 ? 'fail' : 'pass'
      return i < 2 ? 'error' : i < 62 ? 'pass' : 'fail'
    })
    const req = (extra: Partial<CalibrateRequest> = {}) => CalibrateRequest.parse({ versionId, ...extra })
    const hidden = calibrate(d, req())
    expect(hidden).toMatchObject({ testRevealed: false, estimate: null })
    expect(hidden.refusal).toMatch(/hidden \(the test lock\)/)
    expect(hidden.matrices.map((m) => m.split)).toEqual(['train', 'dev'])
    expect(() => cellItems(d, { versionId, split: 'test', human: 'pass', judge: 'fail' })).toThrow(/hidden/)

    const shown = calibrate(d, req({ revealTest: true }))
    const test = shown.matrices.find((m) => m.split === 'test')!
    expect(test).toMatchObject({ tp: 22, fn: 2, tn: 12, fp: 3, errors: 1 })
    expect(shown.production).toEqual({ m: 98, k: 60, errors: 2 })
    const core = estimate({ counts: { tp: 22, fn: 2, tn: 12, fp: 3, k: 60, m: 98 } })
    expect(shown.estimate).toMatchObject({
      method: 'lang-reiczigel',
      theta: core.theta,
      lower: core.lower,
      upper: core.upper,
      pObs: core.pObs,
    })
    expect(shown.advice?.nextClass).toMatch(/pass|fail/)
    expect(
      cellItems(d, { versionId, split: 'test', human: 'pass', judge: 'fail' }).map((c) => [
        c.externalId,
        c.note,
        c.critique,
      ]),
    ).toEqual([
      ['t-22', 'note 22', 'critique of t-22'],
      ['t-23', 'note 23', 'critique of t-23'],
    ])
    const stored = () => d.db.prepare('SELECT count(*) FROM estimates').pluck().get()
    expect(stored()).toBe(1)
    calibrate(d, req()) // the same again (test stays revealed): no new row
    expect(stored()).toBe(1)
    const judgy = calibrate(d, req({ method: 'judgy', seed: 7 }))
    expect(judgy.estimate).toMatchObject({ method: 'judgy', iterations: 20_000, seed: 7, nDropped: 0 })
    expect(judgy.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(20_000)
    expect(stored()).toBe(2)
    expect(
      JSON.parse(d.db.prepare('SELECT result_json FROM estimates ORDER BY id DESC').pluck().get() as string),
    ).toMatchObject({ method: 'judgy', seed: 7, prng: 'xoshiro128**' })

    // Slices: ios has production verdicts but no test items of its own.
    const sliced = calibrate(d, req({ sliceBy: 'channel' }))
    const ios = sliced.slices.rows.find((r) => r.value === 'ios')!
    expect(ios).toMatchObject({ m: 49, testItems: 0 }) // p-1 is an error verdict, left out
    expect(ios.warning).toMatch(/No test items have channel = ios/)
    expect(sliced.slices.rows.find((r) => r.value === 'web')).toMatchObject({ m: 49, testItems: 40, warning: null })

    // The error policy: the test error (t-39, a human fail) and the 2 production errors (p-0, p-1) count as Fail or
    // Pass.
    const fail = calibrate(d, req({ errors: 'fail', sliceBy: 'channel' }))
    expect(fail.matrices.find((m) => m.split === 'test')).toMatchObject({
      tp: 22,
      fn: 2,
      tn: 13,
      fp: 3,
      errors: 1,
      errorsPass: 0,
      errorsFail: 1,
      errorPolicy: 'fail',
    })
    expect(fail.production).toEqual({ m: 100, k: 60, errors: 2 })
    expect(fail.estimate).toMatchObject({
      errorPolicy: 'fail',
      counts: { tp: 22, fn: 2, tn: 13, fp: 3, k: 60, m: 100 },
      estimateInput: {
        tp: 22,
        fn: 2,
        tn: 12,
        fp: 3,
        k: 60,
        m: 98,
        errors_pass: 0,
        errors_fail: 1,
        errors_unlabeled: 2,
      },
    })
    expect(fail.estimate!.theta).toBe(estimate({ counts: { tp: 22, fn: 2, tn: 13, fp: 3, k: 60, m: 100 } }).theta)
    expect(fail.slices.rows.map((r) => [r.value, r.m, r.k])).toEqual([
      ['ios', 50, 30],
      ['web', 50, 30],
    ])
    expect(fail.compare[0]).toMatchObject({ testN: 40, tnr: 13 / 16 })
    const pass = calibrate(d, req({ errors: 'pass' }))
    expect(pass.matrices.find((m) => m.split === 'test')).toMatchObject({ tp: 22, fn: 2, tn: 12, fp: 4 })
    expect(pass.production).toEqual({ m: 100, k: 62, errors: 2 })
    expect(
      cellItems(d, { versionId, split: 'test', human: 'fail', judge: 'pass', errors: 'pass' })
        .filter((c) => c.error)
        .map((c) => c.externalId),
    ).toEqual(['t-39'])
  })

  it('refuses the correction when TPR + TNR ≤ 1, and compares every judge', () => {
    const d = judgeProject(tmp.file('p.assay'), fixture())
    const good = withVerdicts(d, 'Good', (id) =>
      id.startsWith('t-') ? (Number(id.slice(2)) < 24 ? 'pass' : 'fail') : 'pass',
    )
    const coin = withVerdicts(d, 'Coin', (id) => (Number(id.slice(2)) % 2 === 0 ? 'pass' : 'fail'))
    calibrate(d, CalibrateRequest.parse({ versionId: good, revealTest: true }))
    const bad = calibrate(d, CalibrateRequest.parse({ versionId: coin, revealTest: true }))
    expect(bad.estimate).toBeNull()
    expect(bad.refusal).toMatch(/TPR \+ TNR/)
    expect(bad.compare.map((r) => [r.label, r.theta === null ? r.note : 'estimated'])).toEqual([
      ['Coin v1', expect.stringMatching(/TPR \+ TNR/)],
      ['Good v1', 'estimated'],
    ])
  })

  it('estimates all failure modes together, with "passes all" as its own judge', () => {
    const d = judgeProject(tmp.file('p.assay'), fixture())
    const at = '2026-03-01T00:00:00Z'
    const tone = d.repos.project.addCriterion('Tone', 'failure_mode', 'The tone fits the user.', at)
    for (const [ext, itemId] of d.ids) {
      if (!ext.startsWith('t-')) continue
      d.repos.labels.add(
        {
          itemId,
          criterionId: tone,
          criterionVersion: 1,
          verdict: Number(ext.slice(2)) % 4 === 0 ? 'fail' : 'pass',
          note: '',
          annotator: 'ann',
          firstFailingStep: null,
        },
        at,
      )
      d.repos.labels.assignSplit(tone, itemId, 'test', 1, at)
    }
    const overall = withVerdicts(d, 'Overall judge', (id) =>
      id.startsWith('t-')
        ? Number(id.slice(2)) < 24
          ? 'pass'
          : 'fail'
        : Number(id.slice(2)) % 5 === 0
          ? 'fail'
          : 'pass',
    )
    const toneJudge = withVerdicts(d, 'Tone judge', (id) => (Number(id.slice(2)) % 4 === 0 ? 'fail' : 'pass'), tone)
    expect(calibrate(d, CalibrateRequest.parse({ versionId: overall, revealTest: true })).allModes.reason).toMatch(
      /at least two criteria/,
    )
    const both = calibrate(d, CalibrateRequest.parse({ versionId: toneJudge, revealTest: true, iterations: 2000 }))
    expect(both.allModes).toMatchObject({ testItems: 40, productionItems: 100, reason: null })
    expect(both.allModes.rows.map((r) => r.name)).toEqual(['Overall', 'Tone', 'passes all'])
    const all = both.allModes.rows[2]
    // Perfect judges on test: θ̂ of "passes all" is the share of production items every judge passes.
    expect(all.theta).toBeCloseTo(0.6, 10) // p-i passes Overall unless i % 5 = 0, Tone unless i % 4 = 0: 60 of 100
    expect(all.simultaneousLower!).toBeLessThanOrEqual(all.lower!)
  })
})
