import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { estimateCommand } from '../../../electron/cli/estimate'
import type { CliIo } from '../../../electron/cli/command'
import { estimate } from '../../../shared/stats/estimate'

/** Runs `assay estimate` in-process and captures what it prints. */
async function cli(args: string[], stdin = '', cwd = process.cwd()) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(stdin),
    cwd,
    env: {},
  }
  const code = await estimateCommand.run(args, io)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> }
}

const judgyA = {
  test_labels: [...Array(100).fill(1), ...Array(100).fill(0)],
  test_preds: [...Array(90).fill(1), ...Array(10).fill(0), ...Array(80).fill(0), ...Array(20).fill(1)],
  unlabeled_preds: [...Array(700).fill(1), ...Array(300).fill(0)],
}

describe('assay estimate', () => {
  it('prints one JSON object with every documented field, point values exact', async () => {
    const r = await cli(['--json', '--method', 'judgy', '--seed', '7'], JSON.stringify(judgyA))
    expect(r.code).toBe(0)
    const o = r.json()
    for (const key of [
      'theta',
      'thetaUnclipped',
      'lower',
      'upper',
      'tpr',
      'tnr',
      'pObs',
      'method',
      'iterations',
      'seed',
      'prng',
      'confidence',
      'nValid',
      'nDropped',
      'counts',
      'warnings',
    ]) {
      expect(o, key).toHaveProperty(key)
    }
    expect(o.theta).toBe(0.7142857142857141)
    expect(o).toMatchObject({
      method: 'judgy',
      iterations: 20000,
      seed: 7,
      prng: 'xoshiro128**',
      confidence: 0.95,
      nValid: 20000,
      nDropped: 0,
    })
    expect(o.counts).toEqual({ tp: 90, fn: 10, tn: 80, fp: 20, n: 200, k: 700, m: 1000 })
    expect(Math.abs((o.lower as number) - 0.64866)).toBeLessThan(0.005)
  })

  it('uses the documented defaults and always reports the seed', async () => {
    const o = (await cli(['--json'], JSON.stringify(judgyA))).json()
    expect(o).toMatchObject({
      method: 'lang-reiczigel',
      seed: 0,
      prng: 'xoshiro128**',
      confidence: 0.95,
      iterations: null,
    })
    const text = await cli([], JSON.stringify(judgyA))
    expect(text.stdout).toContain('seed 0')
    expect(text.stdout).toContain('method lang-reiczigel')
  })

  it('is reproducible for a seed and differs across seeds', async () => {
    const input = JSON.stringify({ tp: 45, fn: 5, tn: 40, fp: 10, k: 70, m: 100 })
    const a = (await cli(['--json', '--method', 'bootstrap', '--seed', '3'], input)).json()
    const b = (await cli(['--json', '--method', 'bootstrap', '--seed', '3'], input)).json()
    const c = (await cli(['--json', '--method', 'bootstrap', '--seed', '4'], input)).json()
    expect(a).toEqual(b)
    expect([a.lower, a.upper]).not.toEqual([c.lower, c.upper])
  })

  it('reads counts, a file argument, --input FILE and --input -', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-estimate-'))
    writeFileSync(path.join(dir, 'counts.json'), JSON.stringify({ tp: 90, fn: 10, tn: 80, fp: 20, k: 700, m: 1000 }))
    const viaArg = (await cli(['counts.json', '--json'], '', dir)).json()
    const viaFlag = (await cli(['--input', path.join(dir, 'counts.json'), '--json'])).json()
    const viaStdin = (await cli(['--input', '-', '--json'], JSON.stringify(judgyA))).json()
    expect(viaArg.theta).toBe(0.7142857142857141)
    expect(viaFlag).toEqual(viaArg)
    expect(viaStdin).toEqual(viaArg)
  })

  it('reads a CSV: header human,judge in any order, empty human = production verdict, BOM, CRLF, quotes, mixed spellings', async () => {
    const csv =
      '\ufeffid,judge,human\r\n1,PASS,pass\r\n2,"fail",True\r\n3,0,FAIL\r\n"4, quoted",1,0\r\n5,pass,\r\n6,false,\r\n\r\n' +
      '7,1,""\r\n"8\nspans two lines",true,1\r\n9, Fail ,false\n'
    const o = (await cli(['--json'], csv)).json()
    expect(o.counts).toEqual({ tp: 2, fn: 1, tn: 2, fp: 1, n: 6, k: 2, m: 3 })
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-estimate-'))
    writeFileSync(path.join(dir, 'lines.csv'), 'id,human,judge\n"a\nb",pass,pass\nx,pass,perhaps\n')
    expect((await cli(['lines.csv', '--json'], '', dir)).json().message).toBe(
      'lines.csv:4: column judge: "perhaps" is not pass/fail, 1/0 or true/false, or an error verdict (UNKNOWN, ERROR)',
    )
  })

  it('gives CSV errors that name the file, line and column', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-estimate-'))
    writeFileSync(path.join(dir, 'bad.csv'), 'human,judge\npass,pass\nmaybe,fail\n')
    const r = await cli(['bad.csv', '--json'], '', dir)
    expect(r.code).toBe(1)
    expect(r.json()).toEqual({
      error: 'bad_input',
      message: 'bad.csv:3: column human: "maybe" is not pass/fail, 1/0 or true/false',
    })
    // A cell named like an object's own property is a cell like any other.
    writeFileSync(path.join(dir, 'proto.csv'), 'human,judge\npass,pass\nconstructor,fail\n')
    expect((await cli(['proto.csv', '--json'], '', dir)).json().message).toBe(
      'proto.csv:3: column human: "constructor" is not pass/fail, 1/0 or true/false',
    )
    writeFileSync(path.join(dir, 'nojudge.csv'), 'id,human,judge\n1,pass,pass\n2,,\n')
    expect((await cli(['nojudge.csv', '--json'], '', dir)).json().message).toBe(
      "nojudge.csv:3: columns human and judge are both empty; give the judge's verdict (UNKNOWN if it gave no answer: an error verdict) or delete the row",
    )
    writeFileSync(path.join(dir, 'header.csv'), 'label,verdict\npass,pass\n')
    expect((await cli(['header.csv', '--json'], '', dir)).json().message).toContain(
      'header.csv:1: the header must name the columns human and judge',
    )
    writeFileSync(path.join(dir, 'ragged.csv'), 'human,judge\npass,pass,extra\n')
    expect((await cli(['ragged.csv', '--json'], '', dir)).json().message).toBe(
      'ragged.csv:2: expected 2 fields like the header, found 3',
    )
  })

  it('gives JSON-input errors that name the field', async () => {
    const bad = async (input: unknown) => (await cli(['--json'], JSON.stringify(input))).json()
    expect(await bad({ ...judgyA, test_labels: [0.9, ...judgyA.test_labels.slice(1)] })).toEqual({
      error: 'non_binary',
      message: '<stdin>: test_labels must contain only 0 and 1 values (1 = Pass, 0 = Fail); test_labels[0] is 0.9',
    })
    expect(await bad({ tp: 1, fn: 1, tn: 1, fp: 1, k: 1 })).toMatchObject({
      error: 'bad_input',
      message: expect.stringContaining('missing field "m"'),
    })
    expect(await bad({ tp: -1, fn: 1, tn: 1, fp: 1, k: 1, m: 2 })).toMatchObject({
      error: 'bad_input',
      message: expect.stringContaining('field "tp" must be a non-negative integer, got -1'),
    })
    expect(await bad({ ...judgyA, iterations: 5 })).toMatchObject({
      error: 'bad_input',
      message: expect.stringContaining('field "iterations" is an option: pass it on the command line (--iterations)'),
    })
    // The course's judgy_test_data.json carries a description and no unlabeled verdicts.
    expect(await bad({ description: 'test set', test_labels: [1, 0], test_preds: [1, 0] })).toMatchObject({
      error: 'bad_input',
      message: expect.stringContaining('missing field "unlabeled_preds" (the judge\'s 0/1 verdicts'),
    })
    const notJson = await cli(['--json'], '{"tp": 1,\n "fn": }')
    expect(notJson.json()).toMatchObject({ error: 'bad_input', message: expect.stringContaining('not valid JSON') })
    expect((await cli(['missing.json', '--json'])).json()).toEqual({
      error: 'bad_input',
      message: 'cannot read missing.json: no such file',
    })
  })

  it('reports the spec error codes (§3.1) as JSON with exit code 1', async () => {
    const cases: Array<[string[], unknown, string]> = [
      [['--confidence', '1.5'], judgyA, 'bad_confidence'],
      [['--confidence', 'high'], judgyA, 'bad_confidence'],
      [['--iterations', '0', '--method', 'judgy'], judgyA, 'bad_iterations'],
      [[], { ...judgyA, test_preds: [1] }, 'length_mismatch'],
      [[], { test_labels: [], test_preds: [], unlabeled_preds: [1] }, 'empty_test'],
      [[], { ...judgyA, unlabeled_preds: [] }, 'empty_unlabeled'],
      [[], { test_labels: [1, 1], test_preds: [1, 0], unlabeled_preds: [1] }, 'single_class_test'],
      [[], { tp: 6, fn: 4, tn: 4, fp: 6, k: 50, m: 100 }, 'judge_not_better_than_chance'],
      [['--method', 'nope'], judgyA, 'bad_method'],
      [['--seed', '-3'], judgyA, 'bad_arguments'],
      [['--method', 'exact'], { tp: 400, fn: 100, tn: 400, fp: 100, k: 5, m: 10 }, 'too_large_for_exact'],
      [['--method', 'judgy', '--stratified'], judgyA, 'bad_option'],
    ]
    // n = 2: a single resample lacks a class with probability 1/2; take the first seed where it does.
    const tiny = { tp: 1, fn: 0, tn: 1, fp: 0, k: 1, m: 2 }
    const seed = [...Array(64).keys()].find((s) => {
      try {
        estimate({ counts: tiny, method: 'judgy', iterations: 1, seed: s })
        return false
      } catch {
        return true
      }
    })
    cases.push([['--method', 'judgy', '--iterations', '1', '--seed', String(seed)], tiny, 'no_valid_bootstrap'])
    for (const [args, input, code] of cases) {
      const r = await cli(['--json', ...args], JSON.stringify(input))
      expect(r.code, code).toBe(1)
      expect(r.json().error, JSON.stringify(args)).toBe(code)
      expect(typeof r.json().message).toBe('string')
    }
  })

  it('without --json prints a readable summary, and errors on stderr with a non-zero exit code', async () => {
    const ok = await cli(['--method', 'judgy'], JSON.stringify({ tp: 90, fn: 10, tn: 80, fp: 20, k: 150, m: 1000 }))
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(
      /Corrected pass rate {2}0\.000 \(unclipped -0\.071\) {3}95% CI \[0\.000, 0\.0\d\d\] {3}method judgy/,
    )
    expect(ok.stdout).toContain('B = 20000 (20000 kept, 0 dropped), seed 0, xoshiro128**')
    expect(ok.stdout).toContain('warning [clipped]')
    const bad = await cli([], JSON.stringify({ tp: 6, fn: 4, tn: 4, fp: 6, k: 50, m: 100 }))
    expect(bad.code).not.toBe(0)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('TPR + TNR = 1.000 <= 1')
    const usage = await cli(['--bogus'])
    expect(usage.code).toBe(1)
    expect(usage.stderr).toContain('--help')
  })

  it('reads UNKNOWN judge cells as error verdicts: left out by default and counted by class, Fail or Pass with --errors', async () => {
    // The course's HW3 test predictions: TP 31, FP 2, TN 9, UNKNOWN on 3 human-Pass and 1 human-Fail items; 2 056 of 2
    // 400 production verdicts pass.
    const rows = [
      'human,judge',
      ...Array(31).fill('PASS,PASS'),
      ...Array(2).fill('FAIL,PASS'),
      ...Array(9).fill('FAIL,FAIL'),
      'PASS,UNKNOWN',
      'PASS,error',
      'PASS,',
      'FAIL,Unknown',
      ...Array(2056).fill(',PASS'),
      ...Array(344).fill(',FAIL'),
      ',,',
    ]
    const csv = `${rows.join('\n')}\n`
    const exclude = await cli([], csv)
    expect(exclude.code).toBe(0)
    expect(exclude.stdout).toContain('Corrected pass rate  0.825')
    expect(exclude.stdout).toContain(
      "Error verdicts       4 left out (3 on human Pass, 1 on human Fail, 0 in production); --errors fail counts them as Fail (the course's convention), --errors pass as Pass",
    )
    expect(exclude.stdout).not.toMatch(/no errors/i)
    expect(exclude.stdout).toContain(
      'TPR = 1 on the 31 Pass items with a verdict; 3 Pass items got an error verdict and are left out',
    )
    const fail = (await cli(['--json', '--errors', 'fail'], csv)).json()
    expect((fail.theta as number).toFixed(4)).toBe('0.9261')
    expect(fail).toMatchObject({
      errorPolicy: 'fail',
      errors: { pass: 3, fail: 1, unlabeled: 0 },
      counts: { tp: 31, fn: 3, tn: 10, fp: 2, n: 46, k: 2056, m: 2400 },
    })
    const pass = (await cli(['--json', '--errors', 'pass'], csv)).json()
    expect(pass.counts).toEqual({ tp: 34, fn: 0, tn: 9, fp: 3, n: 46, k: 2056, m: 2400 })
    // The same from counts JSON with the error verdicts beside the counts; production errors follow the policy too.
    const counts = { tp: 31, fn: 0, tn: 9, fp: 2, k: 2056, m: 2400, errors_pass: 3, errors_fail: 1 }
    expect((await cli(['--json', '--errors', 'fail'], JSON.stringify(counts))).json().theta).toBe(fail.theta)
    const prod = (
      await cli(['--json', '--errors', 'fail'], JSON.stringify({ ...counts, m: 2396, errors_unlabeled: 4 }))
    ).json()
    expect(prod.counts).toMatchObject({ k: 2056, m: 2400 })
    expect(
      (await cli(['--json', '--errors', 'pass'], JSON.stringify({ ...counts, m: 2396, errors_unlabeled: 4 }))).json()
        .counts,
    ).toMatchObject({ k: 2060, m: 2400 })
    // Without error verdicts the policy changes nothing.
    const plain = { tp: 90, fn: 10, tn: 80, fp: 20, k: 700, m: 1000 }
    expect((await cli(['--json', '--errors', 'fail'], JSON.stringify(plain))).json().theta).toBe(0.7142857142857141)
  })

  it('says what to do when left-out error verdicts empty a class, and refuses a bad --errors or error fields beside judgy arrays', async () => {
    const r = await cli(['--json'], 'human,judge\npass,pass\npass,fail\nfail,UNKNOWN\n,pass\n')
    expect(r.json()).toMatchObject({
      error: 'single_class_test',
      message: expect.stringContaining(
        'Error verdicts were left out (0 on human-Pass test items, 1 on human-Fail test items, 0 in production): to count them as Fail, as the AI-evals course does, use the error policy "fail" (assay estimate --errors fail).',
      ),
    })
    expect((await cli(['--json', '--errors', 'maybe'], JSON.stringify(judgyA))).json()).toEqual({
      error: 'bad_option',
      message: '--errors must be one of exclude, fail, pass, got "maybe"',
    })
    expect((await cli(['--json'], JSON.stringify({ ...judgyA, errors_pass: 2 }))).json().message).toContain(
      'field "errors_pass" goes with counts JSON',
    )
    expect(
      (await cli(['--json'], JSON.stringify({ tp: 1, fn: 1, tn: 1, fp: 1, k: 1, m: 2, errors_fail: -1 }))).json()
        .message,
    ).toContain('field "errors_fail" must be a non-negative integer, got -1')
    expect((await cli(['--json'], JSON.stringify({ ...judgyA, errors: 'fail' }))).json().message).toContain(
      'field "errors" is an option: pass it on the command line (--errors)',
    )
  })

  it('--help prints usage, including the CSV format', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: assay estimate')
    expect(r.stdout).toContain('empty human cell')
    expect(r.stdout).toContain('--errors P')
    expect(r.stdout).toContain('errors_pass')
    expect(r.stdout).toBe(`${estimateCommand.usage}\n`)
  })
})
