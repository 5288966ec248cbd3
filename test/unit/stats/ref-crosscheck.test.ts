/**
 * `assay estimate --json` against the independent numpy reference (`ref_estimator.py`) on data
 * sets drawn at random here: tiny and huge n, clipping at 0 and 1, and the refusal cases.
 * Point values must agree exactly, analytic intervals to 1e-9, the exact enumeration to 1e-12,
 * bootstrap intervals within Monte-Carlo tolerance. Needs python3 with numpy: if either is
 * missing the test fails with a message saying so (it never skips).
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../../electron/cli/command'
import { estimateCommand } from '../../../electron/cli/estimate'
import { hasShared } from '../../helpers/paths'
import { binomial } from '../../../shared/stats/binomial'
import { countsToArrays } from '../../../shared/stats/bootstrap'
import { createRng } from '../../../shared/stats/rng'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const specDir = path.resolve(repoRoot, '../shared/spec')

type Json = Record<string, unknown>

interface Dataset {
  name: string
  arrays: { test_labels: number[]; test_preds: number[]; unlabeled_preds: number[] }
  n: number
}

/** A data set from counts, as judgy's arrays (items shuffled so order cannot matter). */
function dataset(
  name: string,
  c: { tp: number; fn: number; tn: number; fp: number; k: number; m: number },
  seed: number,
): Dataset {
  const rng = createRng(seed)
  const { labels, preds } = countsToArrays(c)
  const order = [...labels.keys()]
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const unl = Array.from({ length: c.m }, (_, i) => (i < c.k ? 1 : 0))
  return {
    name,
    n: labels.length,
    arrays: { test_labels: order.map((i) => labels[i]), test_preds: order.map((i) => preds[i]), unlabeled_preds: unl },
  }
}

/** Random judges and test sets, plus hand-made corner cases. */
function datasets(): Dataset[] {
  const rng = createRng(20251127)
  const out: Dataset[] = []
  const random = (name: string, posMax: number, mMax: number) => {
    const pos = 1 + rng.nextInt(posMax)
    const neg = 1 + rng.nextInt(posMax)
    const tpr = 0.55 + 0.45 * rng.nextFloat()
    const tnr = 0.55 + 0.45 * rng.nextFloat()
    const theta = rng.nextFloat()
    const m = 1 + rng.nextInt(mMax)
    const tp = binomial(rng, pos, tpr)
    const tn = binomial(rng, neg, tnr)
    const k = binomial(rng, m, theta * tpr + (1 - theta) * (1 - tnr))
    out.push(dataset(name, { tp, fn: pos - tp, tn, fp: neg - tn, k, m }, out.length))
  }
  for (let i = 0; i < 4; i++) random(`tiny-${i}`, 8, 40)
  for (let i = 0; i < 5; i++) random(`medium-${i}`, 120, 5000)
  random('large', 3000, 200_000)
  out.push(dataset('huge n', { tp: 95_123, fn: 4_877, tn: 88_001, fp: 11_999, k: 650_321, m: 1_000_000 }, 1))
  out.push(dataset('clipped at 0', { tp: 45, fn: 5, tn: 40, fp: 10, k: 120, m: 1000 }, 2))
  out.push(dataset('clipped at 1', { tp: 40, fn: 10, tn: 48, fp: 2, k: 950, m: 1000 }, 3))
  out.push(dataset('perfect judge', { tp: 30, fn: 0, tn: 25, fp: 0, k: 61, m: 150 }, 4))
  out.push(dataset('J = 0 refused', { tp: 3, fn: 2, tn: 2, fp: 3, k: 5, m: 9 }, 5))
  out.push(dataset('no Fail items refused', { tp: 7, fn: 2, tn: 0, fp: 0, k: 5, m: 9 }, 6))
  return out
}

/**
 * One python process runs every reference call (starting numpy per call would take ~0.3 s each).
 * Each data set is sent once; the driver memoises ref_estimator's own 0/1 conversion per array,
 * which is pure, so the huge data set is converted once instead of once per call.
 */
function runReference(sets: Dataset[], jobs: Array<{ d: number; options: Json }>): Json[] {
  const driver = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(specDir)})`,
    'import ref_estimator as ref',
    'payload = json.load(sys.stdin)',
    'convert, memo = ref._as_binary, {}',
    'def as_binary(values, name):',
    '    key = (id(values), name)',
    '    if key not in memo:',
    '        memo[key] = convert(values, name)',
    '    return memo[key]',
    'ref._as_binary = as_binary',
    'out = []',
    'for job in payload["jobs"]:',
    '    try:',
    '        out.append(ref.estimate(dict(payload["sets"][job["d"]], **job["options"])))',
    '    except ref.EstimatorError as e:',
    '        out.append({"error": e.code, "message": e.message})',
    'print(json.dumps(out))',
  ].join('\n')
  const input = JSON.stringify({ sets: sets.map((d) => d.arrays), jobs })
  const stdout = execFileSync('python3', ['-c', driver], { input, maxBuffer: 1 << 28, encoding: 'utf8' })
  return JSON.parse(stdout) as Json[]
}

async function ours(args: string[], d: Dataset): Promise<Json> {
  let stdout = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: () => {},
    readStdin: () => Promise.resolve(stdinOf(d)),
    cwd: repoRoot,
    env: {},
  }
  await estimateCommand.run(['--json', ...args], io)
  return JSON.parse(stdout) as Json
}

const stdinCache = new Map<Dataset, string>()
function stdinOf(d: Dataset): string {
  let s = stdinCache.get(d)
  if (s === undefined) stdinCache.set(d, (s = JSON.stringify(d.arrays)))
  return s
}

function spread(xs: number[]): { xs: number[]; mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  return { xs, mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) }
}

interface Variant {
  ours: string[]
  ref: Json
  kind: 'bootstrap' | 'analytic' | 'exact'
  /** Checked on every other data set only, to keep the python side fast. */
  some?: boolean
}

const VARIANTS: Variant[] = [
  { ours: ['--method', 'judgy'], ref: { method: 'bootstrap' }, kind: 'bootstrap' },
  { ours: ['--method', 'bootstrap'], ref: { method: 'bootstrap', resample_unlabeled: true }, kind: 'bootstrap' },
  {
    ours: ['--method', 'bootstrap', '--stratified'],
    ref: { method: 'bootstrap', resample_unlabeled: true, stratified: true },
    kind: 'bootstrap',
    some: true,
  },
  { ours: ['--method', 'bca'], ref: { method: 'bca', resample_unlabeled: true }, kind: 'bootstrap' },
  { ours: ['--method', 'bca', '--fixed-unlabeled'], ref: { method: 'bca' }, kind: 'bootstrap', some: true },
  { ours: ['--method', 'lang-reiczigel'], ref: { method: 'lang_reiczigel' }, kind: 'analytic' },
  { ours: ['--method', 'wald'], ref: { method: 'wald' }, kind: 'analytic' },
  { ours: ['--method', 'exact'], ref: { method: 'exact' }, kind: 'exact' },
  { ours: ['--method', 'exact', '--stratified'], ref: { method: 'exact', stratified: true }, kind: 'exact' },
]
const OUR_SEEDS = [1, 2, 3, 4, 5]
const REF_B = 50_000
const REF_SEEDS = [99, 100, 101]

describe.skipIf(!hasShared('spec'))('assay estimate --json agrees with ref_estimator.py', () => {
  const data = datasets()
  const jobs: Array<{ d: Dataset; v: Variant }> = []
  data.forEach((d, i) => {
    for (const v of VARIANTS)
      if ((v.kind !== 'exact' || d.n <= 200) && (v.some !== true || i % 2 === 0)) jobs.push({ d, v })
  })
  /** Reference results per job: one per seed in REF_SEEDS for bootstrap variants, else one. */
  let refOut: Json[][] = []

  beforeAll(() => {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'pipe' })
    } catch (e) {
      throw new Error(
        `python3 with numpy is required for the reference cross-check (tried "python3 -c 'import numpy'"): ${e instanceof Error ? e.message : String(e)}. Install python3 and numpy.`,
        { cause: e },
      )
    }
    const calls: Array<{ job: number; d: number; options: Json }> = []
    jobs.forEach(({ d, v }, job) => {
      for (const seed of v.kind === 'bootstrap' ? REF_SEEDS : [REF_SEEDS[0]]) {
        calls.push({ job, d: data.indexOf(d), options: { iterations: REF_B, seed, ...v.ref } })
      }
    })
    const results = runReference(data, calls)
    refOut = jobs.map(() => [])
    calls.forEach((c, i) => refOut[c.job].push(results[i]))
  }, 120_000)

  it('covers tiny and huge n, clipping at both bounds and refusals', () => {
    expect(Math.min(...data.map((d) => d.n))).toBeLessThan(10)
    expect(Math.max(...data.map((d) => d.n))).toBeGreaterThan(100_000)
    const thetas = refOut.map((r) => r[0].theta_unclipped).filter((x): x is number => typeof x === 'number')
    expect(Math.min(...thetas)).toBeLessThan(0)
    expect(Math.max(...thetas)).toBeGreaterThan(1)
    expect(refOut.some((r) => r[0].error === 'judge_not_better_than_chance')).toBe(true)
    expect(refOut.some((r) => r[0].error === 'single_class_test')).toBe(true)
  })

  it('matches on every data set and method', async () => {
    let compared = 0
    for (const [i, { d, v }] of jobs.entries()) {
      const refs = refOut[i]
      const ref = refs[0]
      const label = `${d.name} ${v.ours.join(' ')}`
      const first = await ours([...v.ours, '--seed', String(OUR_SEEDS[0])], d)
      if ('error' in ref) {
        expect(first.error, label).toBe(ref.error)
        continue
      }
      expect(first.error, `${label}: ${String(first.message)}`).toBeUndefined()
      // Point values: exactly equal.
      expect(first.theta, label).toBe(ref.theta)
      expect(first.thetaUnclipped, label).toBe(ref.theta_unclipped)
      expect(first.tpr, label).toBe(ref.tpr)
      expect(first.tnr, label).toBe(ref.tnr)
      expect(first.pObs, label).toBe(ref.p_obs)
      const rc = ref.counts as Json
      expect(first.counts, label).toEqual({ tp: rc.tp, fn: rc.fn, tn: rc.tn, fp: rc.fp, n: rc.n, k: rc.k, m: rc.m })
      const refLo = ref.lower as number
      const refHi = ref.upper as number
      if (v.kind === 'analytic') {
        expect(Math.abs((first.lower as number) - refLo), label).toBeLessThanOrEqual(1e-9)
        expect(Math.abs((first.upper as number) - refHi), label).toBeLessThanOrEqual(1e-9)
      } else if (v.kind === 'exact') {
        expect(Math.abs((first.lower as number) - refLo), label).toBeLessThanOrEqual(1e-12)
        expect(Math.abs((first.upper as number) - refHi), label).toBeLessThanOrEqual(1e-12)
        expect(Math.abs((first.pValid as number) - (ref.p_valid as number)), label).toBeLessThanOrEqual(1e-12)
      } else {
        // Monte-Carlo tolerance: our mean over 5 seeds (B = 20 000) against the reference's mean over 3
        // seeds (B = 50 000); the spread of each side measures its noise, and where the draws sit on a
        // lattice (small n, perfect judge) that spread includes jumps between neighbouring atoms.
        const runs = [
          first,
          ...(await Promise.all(OUR_SEEDS.slice(1).map((s) => ours([...v.ours, '--seed', String(s)], d)))),
        ]
        for (const side of ['lower', 'upper'] as const) {
          const a = spread(runs.map((r) => r[side] as number))
          const b = spread(refs.map((r) => r[side] as number))
          const tol = Math.max(0.004, 6 * a.sd, 6 * b.sd)
          expect(
            Math.abs(a.mean - b.mean),
            `${label} ${side}: ours ${a.xs.join(', ')} vs ref ${b.xs.join(', ')}`,
          ).toBeLessThanOrEqual(tol)
        }
        const share = (first.nDropped as number) / 20000
        const refShare = (ref.n_dropped as number) / REF_B
        expect(Math.abs(share - refShare), `${label} dropped share`).toBeLessThan(0.01)
      }
      compared++
    }
    expect(compared).toBeGreaterThanOrEqual(90)
  }, 120_000)
})
