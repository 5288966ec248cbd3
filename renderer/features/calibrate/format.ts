import type { ErrorPolicy, IntervalMethod } from '../../../shared/stats'

/** The calibration's parameters the user picks on the Calibrate screen (sent with every fetch). */
export interface CalibrateParams {
  method: IntervalMethod
  iterations: number
  seed: number
  confidence: number
  sliceBy: string | null
  targetWidth: number
  errors: ErrorPolicy
}

/** Each interval method's name on screen, with why one would pick it. */
export const METHOD_NAMES: Record<string, string> = {
  'lang-reiczigel': 'Lang–Reiczigel (best coverage)',
  judgy: 'judgy (course-compatible bootstrap)',
  bootstrap: 'bootstrap, production resampled too',
  bca: 'BCa bootstrap',
  exact: 'exact (judgy at B = ∞)',
  wald: 'Wald (for comparison only)',
}

/** A rate or estimate with three decimals; a dash where there is none. */
export const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3))
