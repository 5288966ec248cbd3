/**
 * The error-verdict policy on a project like the AI-evals course's HW3 test predictions, built
 * through the real import pipeline: 46 test items (TP 31, FN 0, FP 2, TN 9, and 4 UNKNOWN
 * verdicts — 3 on human Pass, 1 on human Fail) and 2 400 production verdicts, 2 056 of them pass.
 * The course counts UNKNOWN as Fail and reports θ̂ 0.9261; Assay's default leaves errors out
 * (0.8248) and says so. Figures cross-checked with `python3 /work/shared/spec/ref_estimator.py`
 * (method lang_reiczigel; θ̂ 0.8248148148148146 / 0.9260526315789472 / 0.8088888888888889).
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { estimateCommand } from '../../electron/cli/estimate'
import { calibrate, calibrationChoices, cellItems } from '../../electron/core/calibrate'
import { openProject } from '../../electron/core/db/open'
import { runImport } from '../../electron/core/import/run'
import { openContext, type ProjectContext } from '../../electron/core/context'
import { buildReport } from '../../electron/core/report/build'
import { judgyArrays } from '../../electron/core/report/judgy'
import { reportMarkdown } from '../../electron/core/report/render'
import { CalibrateRequest } from '../../shared/calibrate'
import { EMPTY_MAPPING, type Mapping } from '../../shared/import'
import { countsFromArrays, estimate } from '../../shared/stats'
import { repoRoot, tempDir } from '../helpers/paths'

/** The course's test predictions and production verdicts as one CSV: production rows have no label and no split. */
function hw3Csv(): string {
  const rows: string[] = ['id,query,response,label,verdict,split']
  const add = (n: number, prefix: string, label: string, verdict: string, split: string) => {
    for (let i = 0; i < n; i++)
      rows.push(`${prefix}-${i},question ${prefix} ${i},answer ${prefix} ${i},${label},${verdict},${split}`)
  }
  add(31, 'tp', 'PASS', 'PASS', 'test')
  add(2, 'fp', 'FAIL', 'PASS', 'test')
  add(9, 'tn', 'FAIL', 'FAIL', 'test')
  add(3, 'unk-pass', 'PASS', 'UNKNOWN', 'test')
  add(1, 'unk-fail', 'FAIL', 'UNKNOWN', 'test')
  add(2056, 'prod-pass', '', 'PASS', '')
  add(344, 'prod-fail', '', 'FAIL', '')
  return `${rows.join('\n')}\n`
}

const MAPPING: Mapping = {
  ...EMPTY_MAPPING,
  id: 'id',
  input: 'query',
  output: 'response',
  labels: [{ field: 'label', criterion: 'Overall', note: null, annotator: 'course' }],
  verdicts: [{ field: 'verdict', judge: 'hw3 judge', criterion: 'Overall', critique: null }],
  splits: [{ field: 'split', criterion: 'Overall' }],
}

/** Runs the built `assay` bin (needs `npm run build`). */
function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Runs `assay estimate` in-process on a stdin text. */
async function cli(args: string[], stdin: string) {
  let stdout = ''
  let stderr = ''
  const code = await estimateCommand.run(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(stdin),
    cwd: process.cwd(),
    env: {},
  })
  return { code, stdout, stderr }
}

describe('the error-verdict policy on the course HW3 predictions', () => {
  const tmp = tempDir()
  const path = tmp.file('hw3.assay')
  let d: ProjectContext
  let versionId: number
  beforeAll(async () => {
    openProject(path, { mode: 'create' }).db.close()
    const file = tmp.file('hw3.csv')
    writeFileSync(file, hw3Csv())
    const report = await runImport(path, {
      file,
      format: 'csv',
      mapping: MAPPING,
      onError: 'abort',
      duplicates: 'abort',
    })
    expect(report).toMatchObject({ committed: true, imported: 2446 })
    d = openContext(path, { clock: () => new Date('2026-03-01T00:00:00Z') })
    versionId = calibrationChoices(d)[0].versionId
  })
  afterAll(() => {
    d.db.close()
    tmp.cleanup()
  })
  const view = (extra: Partial<CalibrateRequest> = {}) =>
    calibrate(d, CalibrateRequest.parse({ versionId, revealTest: true, ...extra }))
  const testMatrix = (v: ReturnType<typeof view>) => v.matrices.find((m) => m.split === 'test')!
  const storedResult = () =>
    JSON.parse(
      d.db.prepare('SELECT result_json FROM estimates ORDER BY id DESC LIMIT 1').pluck().get() as string,
    ) as Record<string, unknown>

  it('by default leaves the 4 error verdicts out of the matrix and counts them beside it by human class', () => {
    const v = view()
    expect(v.errorPolicy).toBe('exclude')
    expect(testMatrix(v)).toMatchObject({
      tp: 31,
      fn: 0,
      fp: 2,
      tn: 9,
      errors: 4,
      errorsPass: 3,
      errorsFail: 1,
      errorPolicy: 'exclude',
    })
    expect(v.production).toEqual({ m: 2400, k: 2056, errors: 0 })
    expect(v.estimate!.theta).toBeCloseTo(0.8248148148148146, 12)
    expect(v.estimate!.theta.toFixed(4)).toBe('0.8248')
    expect(v.estimate).toMatchObject({
      errorPolicy: 'exclude',
      errors: { pass: 3, fail: 1, unlabeled: 0 },
      counts: { tp: 31, fn: 0, tn: 9, fp: 2, k: 2056, m: 2400 },
    })
    expect(storedResult()).toMatchObject({ errorPolicy: 'exclude', errors: { pass: 3, fail: 1, unlabeled: 0 } })
  })

  it('never claims the judge made no errors while 3 Pass items got an error verdict', () => {
    const warnings = view().estimate!.warnings
    const text = warnings.map((w) => w.message).join('\n')
    expect(text).not.toMatch(/no errors/i)
    const perfect = warnings.find((w) => w.code === 'perfect_scores')!
    expect(perfect.message).toContain(
      'TPR = 1 on the 31 Pass items with a verdict; 3 Pass items got an error verdict and are left out',
    )
    expect(perfect.message).toContain('error policy "fail"')
    expect(warnings.find((w) => w.code === 'error_verdicts')!.message).toBe(
      '4 error verdicts (3 on human-Pass test items, 1 on human-Fail test items, 0 in production) are left out of TPR, TNR and p_obs (error policy "exclude"). If the judge fails to answer on hard items, the rates are optimistic: the error policy "fail" counts an error as a Fail verdict (the AI-evals course\'s convention), "pass" as a Pass verdict.',
    )
  })

  it("under 'fail' reproduces the course's figure: 31/3/2/10 and θ̂ 0.9261, stored with the policy", () => {
    const v = view({ errors: 'fail' })
    expect(v.errorPolicy).toBe('fail')
    expect(testMatrix(v)).toMatchObject({
      tp: 31,
      fn: 3,
      fp: 2,
      tn: 10,
      errors: 4,
      errorsPass: 3,
      errorsFail: 1,
      errorPolicy: 'fail',
    })
    expect(testMatrix(v).tpr).toMatchObject({ successes: 31, trials: 34 })
    expect(v.estimate!.theta).toBeCloseTo(0.9260526315789472, 12)
    expect(v.estimate!.theta.toFixed(4)).toBe('0.9261')
    expect(v.estimate).toMatchObject({
      errorPolicy: 'fail',
      counts: { tp: 31, fn: 3, tn: 10, fp: 2, k: 2056, m: 2400 },
    })
    expect(storedResult()).toMatchObject({
      errorPolicy: 'fail',
      errors: { pass: 3, fail: 1, unlabeled: 0 },
      counts: { fn: 3, tn: 10 },
    })
    const warnings = v.estimate!.warnings.map((w) => w.message).join('\n')
    expect(warnings).not.toMatch(/no errors/i)
    expect(warnings).toContain('are counted as Fail verdicts (error policy "fail"')
    // The cell lists what it counts: the 3 error verdicts are among the false fails.
    const falseFails = cellItems(d, { versionId, split: 'test', human: 'pass', judge: 'fail', errors: 'fail' })
    expect(falseFails.map((c) => [c.externalId, c.error])).toEqual([
      ['unk-pass-0', true],
      ['unk-pass-1', true],
      ['unk-pass-2', true],
    ])
    expect(cellItems(d, { versionId, split: 'test', human: 'pass', judge: 'fail' })).toEqual([])
  })

  it("under 'pass' counts them as Pass: 34/0/3/9", () => {
    const v = view({ errors: 'pass' })
    expect(testMatrix(v)).toMatchObject({ tp: 34, fn: 0, fp: 3, tn: 9, errorPolicy: 'pass' })
    expect(v.estimate!.theta).toBeCloseTo(0.8088888888888889, 12)
    expect(storedResult()).toMatchObject({ errorPolicy: 'pass' })
    // TPR = 1 here includes 3 error verdicts: said so, and no "no errors" claim.
    const perfect = v.estimate!.warnings.find((w) => w.code === 'perfect_scores')!.message
    expect(perfect).toContain('TPR = 1 on 34 Pass items, 3 of them error verdicts counted as Pass')
    expect(perfect).not.toMatch(/no errors/i)
  })

  it('names the policy in the report, and its command reproduces the figure', async () => {
    const data = buildReport(d, { projectPath: path, appVersion: 'test', errors: 'fail' })
    const j = data.judges[0]
    expect(j.errorPolicy).toBe('fail')
    expect(j.matrices.find((m) => m.split === 'test')).toMatchObject({ tp: 31, fn: 3, fp: 2, tn: 10 })
    const md = reportMarkdown(data)
    expect(md).toContain('error policy `fail`')
    expect(md).toContain(
      'errors: 3 on human Pass, 1 on human Fail — counted as Fail (in the judge: fail column); error policy fail',
    )
    expect(md).toContain(
      'error policy fail: 4 error verdicts counted as Fail — 3 on human-Pass test items, 1 on human-Fail test items, 0 in production',
    )
    expect(j.interpretation[0]).toContain(
      'On 46 held-out test items, 4 error verdicts (3 on human passes, 1 on human failures) counted as Fail (error policy "fail")',
    )
    expect(j.command).toBe(
      `echo '{"tp":31,"fn":0,"tn":9,"fp":2,"k":2056,"m":2400,"errors_pass":3,"errors_fail":1,"errors_unlabeled":0}' | assay estimate --input - --method lang-reiczigel --seed 0 --confidence 0.95 --errors fail --json`,
    )
    const [, stdin, args] = /^echo '(.*)' \| assay estimate (.*)$/.exec(j.command!)!
    const out = await cli(args.split(' '), stdin)
    expect(out.code).toBe(0)
    const o = JSON.parse(out.stdout) as { theta: number; lower: number; upper: number; errorPolicy: string }
    expect(o).toMatchObject({
      theta: j.estimate!.theta,
      lower: j.estimate!.lower,
      upper: j.estimate!.upper,
      errorPolicy: 'fail',
    })
    // The default report names its policy too, and its command reproduces 0.8248.
    const byDefault = buildReport(d, { projectPath: path, appVersion: 'test' }).judges[0]
    expect(byDefault.errorPolicy).toBe('exclude')
    expect(byDefault.command).toContain('--errors exclude')
    expect(byDefault.interpretation[0]).toContain(
      'On the 42 held-out test items the judge gave a verdict on (4 error verdicts (3 on human passes, 1 on human failures) left out: error policy "exclude")',
    )
  })

  it("exports judgy's arrays that reproduce the app's judgy estimate under each policy", () => {
    for (const policy of ['exclude', 'fail', 'pass'] as const) {
      const { arrays, errors } = judgyArrays(d, 'hw3 judge', policy)
      expect(errors).toEqual({ pass: 3, fail: 1, unlabeled: 0 })
      expect(arrays.test_labels.length).toBe(policy === 'exclude' ? 42 : 46)
      expect(arrays.unlabeled_preds.length).toBe(2400)
      const fromArrays = estimate({
        counts: countsFromArrays(arrays.test_labels, arrays.test_preds, arrays.unlabeled_preds),
        method: 'judgy',
        seed: 5,
      })
      const app = view({ errors: policy, method: 'judgy', seed: 5 }).estimate!
      expect({ theta: fromArrays.theta, lower: fromArrays.lower, upper: fromArrays.upper }, policy).toEqual({
        theta: app.theta,
        lower: app.lower,
        upper: app.upper,
      })
    }
  })

  it('through the built CLI: assay report --errors names the policy, assay export --judgy --errors says what it did with the errors', () => {
    const report = assay('report', path, '--format', 'md', '--errors', 'fail')
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toContain(
      'Error verdicts of the judge: count as Fail (course convention) — error policy `fail`.',
    )
    expect(report.stdout).toContain('**0.926**')
    expect(assay('report', path, '--errors', 'zero').stderr).toContain(
      '--errors must be one of exclude, fail, pass, got "zero".',
    )
    const left = assay('export', path, '--judgy', '--judge', 'hw3 judge')
    expect(left.code, left.stderr).toBe(0)
    expect((JSON.parse(left.stdout) as { test_labels: number[] }).test_labels).toHaveLength(42)
    expect(left.stderr).toBe(
      "Left out 4 error verdicts (3 on human-Pass test items, 1 on human-Fail test items, 0 in production): judgy takes 0/1 only. --errors fail writes them as 0 (the course's convention), --errors pass as 1.\n",
    )
    const arrays = tmp.file('arrays.json')
    expect(assay('export', path, '--judgy', '--judge', 'hw3 judge', '--errors', 'fail', '--out', arrays).code).toBe(0)
    const judgy = JSON.parse(assay('estimate', arrays, '--method', 'judgy', '--json').stdout) as { theta: number }
    expect(judgy.theta.toFixed(4)).toBe('0.9261')
  })
})
