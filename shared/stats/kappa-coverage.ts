/**
 * Coverage simulation for Cohen's κ intervals: how often each candidate interval contains the true
 * κ when two annotators' labels are drawn from a known 2×2 table. It is the evidence behind
 * `KAPPA_INTERVAL_METHOD` (agreement.ts); test/unit/stats/kappa-coverage.test.ts runs it. The
 * candidates besides the chosen one live here only to be compared with it.
 */
import { agreement, kappaInterval, KAPPA_INTERVAL_METHOD } from './agreement'
import { multinomial } from './binomial'
import type { ConfusionCounts } from './confusion'
import { zForConfidence } from './normal'
import { percentileInterval } from './quantile'
import { createRng } from './rng'

export const KAPPA_METHODS = [KAPPA_INTERVAL_METHOD, 'wald', 'bootstrap', 'goodness-of-fit'] as const
export type KappaMethod = (typeof KAPPA_METHODS)[number]

type Interval = { lower: number; upper: number } | null

/** Two annotators with Pass rates `passA`, `passB` and true agreement `kappa`, on `n` items. */
export interface KappaScenario {
  name: string
  n: number
  passA: number
  passB: number
  kappa: number
}

/** The cell probabilities (both pass, A pass/B fail, A fail/B pass, both fail) with those margins and that κ. */
export function kappaCells(s: Pick<KappaScenario, 'passA' | 'passB' | 'kappa'>): [number, number, number, number] {
  const chance = s.passA * s.passB + (1 - s.passA) * (1 - s.passB)
  const agree = chance + s.kappa * (1 - chance)
  const both = (agree + s.passA + s.passB - 1) / 2
  const cells: [number, number, number, number] = [both, s.passA - both, s.passB - both, agree - both]
  if (cells.some((p) => p < -1e-12))
    throw new RangeError(`κ = ${s.kappa} is impossible with Pass rates ${s.passA} and ${s.passB}`)
  return cells.map((p) => Math.max(0, p)) as [number, number, number, number]
}

/** κ̂ alone (`agreement` also computes the interval, too slow for every bootstrap draw). */
function kappaOf(c: ConfusionCounts): number | null {
  const n = c.tp + c.fn + c.fp + c.tn
  const a = (c.tp + c.fn) / n
  const b = (c.tp + c.fp) / n
  const chance = a * b + (1 - a) * (1 - b)
  return n === 0 || chance >= 1 ? null : ((c.tp + c.tn) / n - chance) / (1 - chance)
}

/** κ̂ ± z·SE with the Fleiss–Cohen–Everitt SE: what Assay showed before; [1, 1] at κ̂ = 1. */
export function kappaWaldInterval(c: ConfusionCounts, confidence = 0.95): Interval {
  const a = agreement(c, confidence)
  if (a.kappa === null || a.se === null) return null
  const z = zForConfidence(confidence)
  return { lower: Math.max(-1, a.kappa - z * a.se), upper: Math.min(1, a.kappa + z * a.se) }
}

/**
 * Percentile bootstrap of κ over the four-cell multinomial (statistics.md §5.4); resamples with κ undefined are
 * dropped.
 */
export function kappaBootstrapInterval(
  c: ConfusionCounts,
  o: { iterations: number; seed: number; confidence?: number },
): Interval {
  const n = c.tp + c.fn + c.fp + c.tn
  if (n === 0) return null
  const rng = createRng(o.seed)
  const draws: number[] = []
  for (let b = 0; b < o.iterations; b++) {
    // n items drawn with replacement, each landing in a cell with the cell's share of the items.
    const r = { tp: 0, fn: 0, fp: 0, tn: 0 }
    for (let i = 0; i < n; i++) {
      const j = rng.nextInt(n)
      if (j < c.tp) r.tp++
      else if (j < c.tp + c.fn) r.fn++
      else if (j < c.tp + c.fn + c.fp) r.fp++
      else r.tn++
    }
    const k = kappaOf(r)
    if (k !== null) draws.push(k)
  }
  return draws.length === 0 ? null : percentileInterval(Float64Array.from(draws), o.confidence ?? 0.95)
}

/**
 * Donner & Eliasziw (1992), Stat Med 11:1511–1519: the goodness-of-fit (score-type) interval
 * under the common-correlation model (both annotators share the Pass rate π, estimated from all
 * 2n labels): every κ whose 3-category Pearson χ² (both pass, discordant, both fail) stays within
 * the χ²₁ critical value.
 */
export function kappaGoodnessOfFitInterval(c: ConfusionCounts, confidence = 0.95): Interval {
  const n = c.tp + c.fn + c.fp + c.tn
  const pi = n === 0 ? 0 : (2 * c.tp + c.fn + c.fp) / (2 * n)
  if (pi <= 0 || pi >= 1) return null
  const q = pi * (1 - pi)
  const observed = [c.tp, c.fn + c.fp, c.tn]
  const chi2 = (k: number): number => {
    const expected = [pi * pi + q * k, 2 * q * (1 - k), (1 - pi) * (1 - pi) + q * k].map((p) => n * p)
    let sum = 0
    for (let i = 0; i < 3; i++) {
      if (expected[i] <= 0) {
        if (observed[i] > 0) return Infinity
        continue
      }
      sum += (observed[i] - expected[i]) ** 2 / expected[i]
    }
    return sum
  }
  const critical = zForConfidence(confidence) ** 2
  const lowest = Math.max(-pi / (1 - pi), -(1 - pi) / pi)
  const centre = Math.min(1, Math.max(lowest, 1 - (c.fn + c.fp) / (2 * n * q)))
  // χ² falls to 0 at the centre and rises on each side: bisect for the crossing.
  const crossing = (inside: number, outside: number): number => {
    if (chi2(outside) <= critical) return outside
    let a = inside
    let b = outside
    for (let i = 0; i < 60; i++) {
      const mid = (a + b) / 2
      if (chi2(mid) <= critical) a = mid
      else b = mid
    }
    return (a + b) / 2
  }
  return { lower: crossing(centre, lowest), upper: crossing(centre, 1) }
}

export interface KappaCoverageOptions {
  replicates: number
  seed: number
  /** B for the bootstrap. */
  iterations: number
  confidence?: number
  methods: readonly KappaMethod[]
}

/** One method in one scenario, over the replicates where κ̂ is defined (the UI shows no κ otherwise). */
export interface KappaCoverageCell {
  scenario: string
  method: KappaMethod
  /** Replicates with κ̂ defined: the denominator of `coverage`. */
  replicates: number
  coverage: number
  meanWidth: number
  /** Replicates where the method gave no interval although κ̂ was defined: counted as misses. */
  refused: number
}

function intervalOf(method: KappaMethod, c: ConfusionCounts, o: KappaCoverageOptions, seed: number): Interval {
  switch (method) {
    case KAPPA_INTERVAL_METHOD:
      return kappaInterval(c, o.confidence)
    case 'wald':
      return kappaWaldInterval(c, o.confidence)
    case 'bootstrap':
      return kappaBootstrapInterval(c, { iterations: o.iterations, seed, confidence: o.confidence })
    case 'goodness-of-fit':
      return kappaGoodnessOfFitInterval(c, o.confidence)
  }
}

/**
 * Draws `replicates` tables of n items from the scenario and checks each method's interval
 * against the true κ. An interval depends only on the table, so each distinct table is computed
 * once (small n repeats tables often).
 */
export function simulateKappaCoverage(s: KappaScenario, o: KappaCoverageOptions): KappaCoverageCell[] {
  const rng = createRng(o.seed)
  const probs = kappaCells(s)
  const seen = new Map<string, Interval[]>()
  const tally = o.methods.map(() => ({ covered: 0, width: 0, widths: 0, refused: 0 }))
  let defined = 0
  for (let r = 0; r < o.replicates; r++) {
    const [tp, fn, fp, tn] = multinomial(rng, s.n, probs)
    const c = { tp: tp, fn: fn, fp: fp, tn: tn }
    if (kappaOf(c) === null) continue
    defined++
    const key = `${c.tp},${c.fn},${c.fp},${c.tn}`
    let intervals = seen.get(key)
    if (!intervals) {
      intervals = o.methods.map((m) => intervalOf(m, c, o, o.seed + seen.size))
      seen.set(key, intervals)
    }
    intervals.forEach((iv, i) => {
      const t = tally[i]
      if (iv === null) {
        t.refused++
        return
      }
      if (iv.lower <= s.kappa + 1e-12 && s.kappa <= iv.upper + 1e-12) t.covered++
      t.width += iv.upper - iv.lower
      t.widths++
    })
  }
  return o.methods.map((method, i) => {
    const t = tally[i]
    return {
      scenario: s.name,
      method,
      replicates: defined,
      coverage: defined === 0 ? Number.NaN : t.covered / defined,
      meanWidth: t.widths === 0 ? Number.NaN : t.width / t.widths,
      refused: t.refused,
    }
  })
}

/** Scenarios: small to moderate n, balanced, skewed and unequal Pass rates, κ from moderate to almost 1. */
export function kappaScenarios(
  ns: readonly number[] = [9, 20, 50, 200],
  kappas: readonly number[] = [0.4, 0.6, 0.8, 0.9, 0.95, 0.98],
): KappaScenario[] {
  const margins: [number, number][] = [
    [0.5, 0.5],
    [0.8, 0.8],
    [0.7, 0.6],
  ]
  return ns.flatMap((n) =>
    margins.flatMap(([passA, passB]) =>
      kappas.flatMap((kappa) => {
        try {
          kappaCells({ passA, passB, kappa })
        } catch {
          return [] // unequal Pass rates cap κ below 1
        }
        return [{ name: `n=${n} pass ${passA}/${passB} κ=${kappa}`, n, passA, passB, kappa }]
      }),
    ),
  )
}
