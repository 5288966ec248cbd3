/**
 * Several failure modes at once (statistics.md §5.3): one binary judge per mode, each corrected
 * with its own TPR and TNR, with intervals that hold simultaneously. Every bootstrap iteration
 * resamples the *same* test items (and the same production items) for all modes, so the
 * correlation between modes is kept; simultaneous intervals use Bonferroni (α/J). "Passes all
 * modes" is not the product of the per-mode rates: it is treated as its own judge, the AND of the
 * judge verdicts against the AND of the human labels.
 */
import { multinomial } from './binomial'
import type { BinaryValue, CalibrationCounts } from './confusion'
import { isStatsError, StatsError, type StatsErrorCode } from './errors'
import { MAX_ITERATIONS } from './estimate'
import { quantileType7 } from './quantile'
import { createRng, PRNG_NAME } from './rng'
import { resampleTheta, roganGladen, type PointEstimate } from './rogan-gladen'

/** One failure mode's verdicts; item i is the same trace in every mode. */
export interface ModeData {
  name: string
  testHuman: ArrayLike<BinaryValue>
  testJudge: ArrayLike<BinaryValue>
  unlabeled: ArrayLike<BinaryValue>
}

export interface MultiModeInput {
  modes: ModeData[]
  iterations?: number
  confidence?: number
  seed?: number
  /** Add the "passes all modes" judge, named `ALL_MODES`. Default true. */
  includeAllPass?: boolean
  /** Also resample the production verdicts (jointly across modes). Default true. */
  resampleUnlabeled?: boolean
}

/** Per-mode result: point values, a marginal and a simultaneous (Bonferroni) percentile interval. */
export type ModeEstimate =
  | {
      name: string
      ok: true
      counts: CalibrationCounts
      point: PointEstimate
      lower: number
      upper: number
      simultaneousLower: number
      simultaneousUpper: number
      nValid: number
      nDropped: number
    }
  | { name: string; ok: false; error: { code: StatsErrorCode; message: string } }

export interface MultiModeResult {
  modes: ModeEstimate[]
  confidence: number
  /** Each simultaneous interval uses level 1 − α/J, J = number of modes that could be estimated. */
  perIntervalConfidence: number
  iterations: number
  seed: number
  prng: string
  method: 'joint-bootstrap-bonferroni'
}

/** Name of the "passes all modes" pseudo-judge. */
export const ALL_MODES = 'all modes'
const MAX_MODES = 14

/** Estimates every mode (and "passes all") from one shared set of resamples. */
export function estimateModes(input: MultiModeInput): MultiModeResult {
  const { confidence, iterations, seed } = checkOptions(input)
  const bits = toBits(input.modes)
  if (input.includeAllPass ?? true) bits.push(andMode(bits))
  const J = bits.length
  const n = bits[0].human.length
  const m = bits[0].unlabeled.length

  // Compress items into patterns of bits across modes; a resample is a multinomial over patterns.
  const testPatterns = patternCounts(n, (i) =>
    bits.reduce((key, b, j) => key | (b.human[i] << (2 * j)) | (b.judge[i] << (2 * j + 1)), 0),
  )
  const unlPatterns = patternCounts(m, (i) => bits.reduce((key, b, j) => key | (b.unlabeled[i] << j), 0))

  const estimates: Prepared[] = bits.map((b, j) => {
    const counts = countsOf(testPatterns.keys, testPatterns.counts, unlPatterns.keys, unlPatterns.counts, j, m)
    try {
      return { name: b.name, ok: true, counts, point: roganGladen(counts) }
    } catch (e) {
      if (!isStatsError(e)) throw e
      return { name: b.name, ok: false, error: { code: e.code, message: e.message } }
    }
  })

  const rng = createRng(seed)
  const testProbs = Array.from(testPatterns.counts, (c) => c / n)
  const unlProbs = Array.from(unlPatterns.counts, (c) => c / m)
  const draws = bits.map(() => new Float64Array(iterations))
  const valid = new Int32Array(J)
  for (let b = 0; b < iterations; b++) {
    const tc = multinomial(rng, n, testProbs)
    const uc = (input.resampleUnlabeled ?? true) ? multinomial(rng, m, unlProbs) : unlPatterns.counts
    for (let j = 0; j < J; j++) {
      if (!estimates[j].ok) continue
      const c = countsOf(testPatterns.keys, tc, unlPatterns.keys, uc, j, m)
      const theta = resampleTheta(c.tp, c.tp + c.fn, c.tn, c.tn + c.fp, c.k, m)
      if (theta === theta) draws[j][valid[j]++] = theta
    }
  }
  const usable = estimates.filter((e) => e.ok).length
  const alpha = 1 - confidence
  const alphaJ = alpha / Math.max(1, usable)
  const modes = estimates.map((e, j): ModeEstimate => {
    if (!e.ok) return e
    const sorted = draws[j].slice(0, valid[j]).sort()
    if (sorted.length === 0) {
      return {
        name: e.name,
        ok: false,
        error: {
          code: 'no_valid_bootstrap',
          message: `no valid bootstrap samples for mode ${e.name}; label more test items`,
        },
      }
    }
    return {
      ...e,
      lower: quantileType7(sorted, alpha / 2),
      upper: quantileType7(sorted, 1 - alpha / 2),
      simultaneousLower: quantileType7(sorted, alphaJ / 2),
      simultaneousUpper: quantileType7(sorted, 1 - alphaJ / 2),
      nValid: valid[j],
      nDropped: iterations - valid[j],
    }
  })
  return {
    modes,
    confidence,
    perIntervalConfidence: 1 - alphaJ,
    iterations,
    seed,
    prng: PRNG_NAME,
    method: 'joint-bootstrap-bonferroni',
  }
}

/** The level, B and seed with their defaults, checked in this order (the first bad one is named). */
function checkOptions(input: MultiModeInput): { confidence: number; iterations: number; seed: number } {
  const confidence = input.confidence ?? 0.95
  const iterations = input.iterations ?? 20_000
  const seed = input.seed ?? 0
  if (!(confidence > 0 && confidence < 1))
    throw new StatsError('bad_confidence', `confidence must be between 0 and 1, got ${confidence}`)
  if (!(Number.isInteger(iterations) && iterations > 0 && iterations <= MAX_ITERATIONS)) {
    throw new StatsError(
      'bad_iterations',
      `iterations must be an integer from 1 to ${MAX_ITERATIONS}, got ${iterations}`,
    )
  }
  if (!(Number.isSafeInteger(seed) && seed >= 0))
    throw new StatsError('bad_seed', `seed must be a non-negative integer, got ${seed}`)
  return { confidence, iterations, seed }
}

type Prepared =
  | { name: string; ok: true; counts: CalibrationCounts; point: PointEstimate }
  | { name: string; ok: false; error: { code: StatsErrorCode; message: string } }

interface ModeBits {
  name: string
  human: Uint8Array
  judge: Uint8Array
  unlabeled: Uint8Array
}

function toBits(modes: ModeData[]): ModeBits[] {
  if (modes.length === 0) throw new StatsError('bad_option', 'give at least one failure mode')
  if (modes.length > MAX_MODES)
    throw new StatsError(
      'bad_option',
      `at most ${MAX_MODES} failure modes can be estimated jointly, got ${modes.length}`,
    )
  const n = modes[0].testHuman.length
  const m = modes[0].unlabeled.length
  if (n === 0) throw new StatsError('empty_test', 'test set cannot be empty: label some test items first')
  if (m === 0)
    throw new StatsError(
      'empty_unlabeled',
      'unlabeled verdicts cannot be empty: run the judges on production items first',
    )
  return modes.map((mode) => {
    if (mode.testHuman.length !== n || mode.testJudge.length !== n || mode.unlabeled.length !== m) {
      throw new StatsError(
        'length_mismatch',
        `mode ${mode.name}: every mode needs verdicts on the same ${n} test and ${m} production items ` +
          `(got ${mode.testHuman.length} human, ${mode.testJudge.length} judge, ${mode.unlabeled.length} production)`,
      )
    }
    const bit = (arr: ArrayLike<BinaryValue>, what: string): Uint8Array =>
      Uint8Array.from({ length: arr.length }, (_, i) => {
        const v = arr[i]
        if (v === 1 || v === true) return 1
        if (v === 0 || v === false) return 0
        throw new StatsError(
          'non_binary',
          `mode ${mode.name}: ${what}[${i}] is ${JSON.stringify(v)}; use 1 = Pass, 0 = Fail`,
        )
      })
    return {
      name: mode.name,
      human: bit(mode.testHuman, 'testHuman'),
      judge: bit(mode.testJudge, 'testJudge'),
      unlabeled: bit(mode.unlabeled, 'unlabeled'),
    }
  })
}

function andMode(bits: ModeBits[]): ModeBits {
  const and = (pick: (b: ModeBits) => Uint8Array): Uint8Array =>
    Uint8Array.from(pick(bits[0]), (_, i) => (bits.every((b) => pick(b)[i] === 1) ? 1 : 0))
  return { name: ALL_MODES, human: and((b) => b.human), judge: and((b) => b.judge), unlabeled: and((b) => b.unlabeled) }
}

function patternCounts(size: number, keyOf: (i: number) => number): { keys: Int32Array; counts: Int32Array } {
  const map = new Map<number, number>()
  for (let i = 0; i < size; i++) {
    const key = keyOf(i)
    map.set(key, (map.get(key) ?? 0) + 1)
  }
  return { keys: Int32Array.from(map.keys()), counts: Int32Array.from(map.values()) }
}

function countsOf(
  tKeys: Int32Array,
  tCounts: Int32Array,
  uKeys: Int32Array,
  uCounts: Int32Array,
  j: number,
  m: number,
): CalibrationCounts {
  const c = { tp: 0, fn: 0, tn: 0, fp: 0, k: 0, m }
  for (let i = 0; i < tKeys.length; i++) {
    const h = (tKeys[i] >> (2 * j)) & 1
    const p = (tKeys[i] >> (2 * j + 1)) & 1
    if (h === 1) {
      if (p === 1) c.tp += tCounts[i]
      else c.fn += tCounts[i]
    } else if (p === 0) c.tn += tCounts[i]
    else c.fp += tCounts[i]
  }
  for (let i = 0; i < uKeys.length; i++) if ((uKeys[i] >> j) & 1) c.k += uCounts[i]
  return c
}
