/**
 * `assay estimate --method stratified | ppi | compare`: θ̂ agrees with the independent reference
 * (`../shared/spec/ref_estimator.py`, its `stratified` and `ppi` functions) to 1e-12 on 200 random cases each,
 * and bad input gives a located error with exit code 1. The reference part skips when ../shared/spec or python3
 * is absent, and is required when ASSAY_REQUIRE_SHARED_DATA=1.
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../electron/cli/command'
import { estimateCommand } from '../../electron/cli/estimate'
import { estimate } from '../../shared/stats/estimate'
import { createRng, type Rng } from '../../shared/stats/rng'
import { hasShared, sharedSpec, tempDir } from '../helpers/paths'

type Json = Record<string, unknown>

/** Runs `assay estimate` in-process with `stdin`, capturing what it prints. */
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
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Json }
}

function python3Available(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' })
    return true
  } catch {
    if (process.env.ASSAY_REQUIRE_SHARED_DATA === '1')
      throw new Error('python3 with numpy is required for the reference cross-check (ASSAY_REQUIRE_SHARED_DATA=1)')
    return false
  }
}

const int = (rng: Rng, lo: number, hi: number): number => lo + rng.nextInt(hi - lo + 1)

/** 200 random audits: 1–3 strata, tiny to large, censuses and single labels included. */
function strataCases(): Json[] {
  const rng = createRng(181)
  return Array.from({ length: 200 }, (_, i) => {
    const strata = Array.from({ length: int(rng, 1, 3) }, (_, h) => {
      const N = i % 10 === 0 ? int(rng, 1, 6) : int(rng, 1, i % 3 === 0 ? 200_000 : 3000)
      const n = i % 7 === 0 ? N : int(rng, 1, Math.min(N, 400))
      return { name: `stratum ${h}`, N, n, humanPass: int(rng, 0, n) }
    })
    return { strata }
  })
}

/** 200 random PPI count sets: λ inside (0, 1), clipped at 0 and 1, f constant, tiny and huge m. */
function ppiCases(): Json[] {
  const rng = createRng(182)
  return Array.from({ length: 200 }, (_, i) => {
    const n = int(rng, 2, i % 4 === 0 ? 12 : 500)
    const cells = [rng.nextFloat(), rng.nextFloat() * 0.3, rng.nextFloat() * 0.3, rng.nextFloat()]
    if (i % 9 === 0) cells[0] = cells[2] = 0 // the judge never passes a labeled item: f constant
    const total = cells.reduce((a, b) => a + b, 0)
    const counts = [0, 0, 0, 0]
    for (let j = 0; j < n; j++) {
      let u = rng.nextFloat() * total
      let c = 0
      while (c < 3 && u >= cells[c]) u -= cells[c++]
      counts[c]++
    }
    const m = i % 5 === 0 ? int(rng, 1, 20) : int(rng, 1, 1_000_000)
    const k = i % 9 === 0 && i % 2 === 0 ? 0 : int(rng, 0, m)
    return { tp: counts[0], fn: counts[1], fp: counts[2], tn: counts[3], k, m }
  })
}

/** One python process over every case (starting numpy per case would take ~0.3 s each). */
function reference(kind: 'stratified' | 'ppi', cases: Json[]): Json[] {
  const driver = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(sharedSpec)})`,
    'import ref_estimator as ref',
    'out = []',
    'for case in json.load(sys.stdin):',
    '    try:',
    `        out.append(ref.${kind}(case))`,
    '    except ref.EstimatorError as e:',
    '        out.append({"error": e.code})',
    'print(json.dumps(out))',
  ].join('\n')
  const stdout = execFileSync('python3', ['-c', driver], { input: JSON.stringify(cases), encoding: 'utf8' })
  return JSON.parse(stdout) as Json[]
}

describe.skipIf(!hasShared('spec') || !python3Available())('assay estimate agrees with ref_estimator.py', () => {
  for (const kind of ['stratified', 'ppi'] as const) {
    it(`--method ${kind}: θ̂ equal to 1e-12 on 200 random cases, a sound interval around it`, async () => {
      const cases = kind === 'stratified' ? strataCases() : ppiCases()
      const ref = reference(kind, cases)
      let compared = 0
      for (const [i, c] of cases.entries()) {
        const r = await cli(['--method', kind, '--json'], JSON.stringify(c))
        const expected = ref[i]
        if ('error' in expected) {
          expect(r.json().error, JSON.stringify(c)).toBe(expected.error)
          continue
        }
        expect(r.code, r.stdout).toBe(0)
        const o = r.json()
        expect(Math.abs((o.theta as number) - (expected.theta as number)), JSON.stringify(c)).toBeLessThanOrEqual(1e-12)
        if (kind === 'ppi')
          expect(Math.abs((o.lambda as number) - (expected.lambda as number))).toBeLessThanOrEqual(1e-12)
        const lower = o.lower as number
        const upper = o.upper as number
        expect(lower).toBeGreaterThanOrEqual(0)
        expect(upper).toBeLessThanOrEqual(1)
        expect(lower).toBeLessThanOrEqual(upper)
        if (kind === 'stratified') expect(lower <= (o.theta as number) && (o.theta as number) <= upper).toBe(true)
        expect(o.method).toBe(kind)
        expect(typeof o.interval).toBe('string')
        expect(o.confidence).toBe(0.95)
        compared++
      }
      expect(compared).toBeGreaterThan(180)
    }, 60_000)
  }
})

const ISSUE_STRATA = {
  strata: [
    { name: 'judge pass', N: 798, n: 40, humanPass: 37 },
    { name: 'judge fail', N: 402, n: 30, humanPass: 5 },
  ],
}
const COURSE = { tp: 31, fn: 0, fp: 2, tn: 9, k: 2056, m: 2400 }

describe('assay estimate --method stratified | ppi | compare', () => {
  const tmp = tempDir()
  afterAll(() => tmp.cleanup())
  beforeAll(() => {
    writeFileSync(tmp.file('strata.json'), JSON.stringify(ISSUE_STRATA))
  })

  it('reads the issue’s strata file and prints the audit in words and as JSON', async () => {
    const text = await cli(['--method', 'stratified', 'strata.json'], '', tmp.dir)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('0.671')
    expect(text.stdout).toContain('judge fail')
    expect(text.stdout).toContain('70 drawn from 1200')
    const json = await cli(['--method', 'stratified', '--json', '--confidence', '0.9', 'strata.json'], '', tmp.dir)
    const o = json.json()
    expect(o.theta).toBeCloseTo(0.6709583333333333, 15)
    expect(o.confidence).toBe(0.9)
    expect(o.labels).toBe(70)
    expect((o.strata as unknown[]).length).toBe(2)
  })

  it('prints PPI++ with λ and its assumption, from counts JSON and from CSV', async () => {
    const text = await cli(['--method', 'ppi'], JSON.stringify(COURSE))
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('λ')
    expect(text.stdout).toContain('random sample')
    const o = (await cli(['--method', 'ppi', '--json'], JSON.stringify(COURSE))).json()
    expect(o.theta).toBeCloseTo(0.8090476190476191, 14)
    expect(o.lambda).toBe(1)
    expect(o.assumption).toMatch(/random sample/)
    const csv = [
      'human,judge',
      'pass,pass',
      'pass,pass',
      'fail,fail',
      'fail,pass',
      'pass,fail',
      ',pass',
      ',fail',
      ',pass',
    ]
    const fromCsv = (await cli(['--method', 'ppi', '--json'], `${csv.join('\n')}\n`)).json()
    expect(fromCsv.labels).toBe(5)
    expect(fromCsv.production).toBe(3)
  })

  it('compares Rogan–Gladen, PPI++ and the audit side by side with labels and width ratios', async () => {
    const input = JSON.stringify({ ...COURSE, ...ISSUE_STRATA })
    const r = await cli(['--method', 'compare', '--json'], input)
    expect(r.code).toBe(0)
    const rows = r.json().rows as Array<Json>
    expect(rows.map((x) => x.method)).toEqual(['rogan-gladen', 'ppi', 'stratified'])
    const rg = estimate({ counts: COURSE })
    expect(rows[0].theta).toBe(rg.theta)
    expect(rows[0].widthRatio).toBe(1)
    expect(rows.map((x) => x.labels)).toEqual([42, 42, 70])
    const audit = rows[2]
    expect(audit.widthRatio).toBeCloseTo(
      ((audit.upper as number) - (audit.lower as number)) / (rg.upper - rg.lower),
      12,
    )
    const text = await cli(['--method', 'compare'], input)
    expect(text.stdout).toContain('Rogan–Gladen')
    expect(text.stdout).toContain('the audit')
    // Without "strata" there is no audit row.
    expect(
      ((await cli(['--method', 'compare', '--json'], JSON.stringify(COURSE))).json().rows as unknown[]).length,
    ).toBe(2)
  })

  it('locates bad input, exits 1, and answers JSON errors with --json', async () => {
    const bad = { strata: [ISSUE_STRATA.strata[0], { name: 'judge fail', N: 'many', n: 3, humanPass: 1 }] }
    writeFileSync(tmp.file('bad.json'), JSON.stringify(bad))
    const r = await cli(['--method', 'stratified', 'bad.json'], '', tmp.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('bad.json: strata[1].N must be a non-negative integer')
    const j = await cli(['--method', 'stratified', '--json', 'bad.json'], '', tmp.dir)
    expect(j.code).toBe(1)
    expect(j.json()).toMatchObject({ error: 'bad_stratum' })
    const over = await cli(
      ['--method', 'stratified', '--json'],
      JSON.stringify({ strata: [{ name: 'a', N: 3, n: 4, humanPass: 1 }] }),
    )
    expect(over.json().message).toContain('strata[0].n (4) must be at most N (3)')
    const empty = await cli(
      ['--method', 'stratified', '--json'],
      JSON.stringify({ strata: [{ name: 'a', N: 3, n: 0, humanPass: 0 }] }),
    )
    expect(empty.json().error).toBe('empty_stratum')
    expect((await cli(['--method', 'stratified', '--json'], '{"strata": []}')).json().error).toBe('no_strata')
    expect((await cli(['--method', 'stratified', '--json'], '{"cells": 1}')).json().error).toBe('no_strata')
    const option = await cli(['--method', 'stratified', '--json'], JSON.stringify({ ...ISSUE_STRATA, confidence: 0.9 }))
    expect(option.json().message).toContain('pass it on the command line')
    const seed = await cli(['--method', 'ppi', '--seed', '3', '--json'], JSON.stringify(COURSE))
    expect(seed.json()).toMatchObject({ error: 'bad_option' })
    const few = await cli(['--method', 'ppi', '--json'], JSON.stringify({ tp: 1, fn: 0, fp: 0, tn: 0, k: 1, m: 3 }))
    expect(few.json().error).toBe('too_few')
    expect(few.json().message).toContain('<stdin>: ')
    const unknown = await cli(['--method', 'audit', '--json'], JSON.stringify(COURSE))
    expect(unknown.json().message).toContain('stratified')
  })

  it('documents the new methods in the usage text', async () => {
    const r = await cli(['--help'])
    for (const word of ['stratified', 'ppi', 'compare', '"humanPass"']) expect(r.stdout).toContain(word)
  })
})
