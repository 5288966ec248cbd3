import type { Output } from '../../../shared/contract'
import type { RunScope } from '../../../shared/judges'
import { formatCount } from '../../format'

/** How many items each run scope holds. */
export type Counts = Output<'judges.scopes'>
const n = (count: number | undefined) => (count === undefined ? '…' : formatCount(count))

/**
 * Each scope says what it counts: a split's labeled items, the items without a label in every
 * dataset (what the production estimate uses), every item; a dataset's items are a choice of
 * their own (they run as a selection of that dataset).
 */
export const SCOPES: { id: RunScope; label: (c: Counts | null, selected: number) => string }[] = [
  { id: 'dev', label: (c) => `dev split: ${n(c?.dev)} labeled items (iterate here)` },
  { id: 'train', label: (c) => `train split: ${n(c?.train)} labeled items (the few-shot pool)` },
  { id: 'test', label: (c) => `test split: ${n(c?.test)} labeled items (final, locked)` },
  {
    id: 'unlabeled',
    label: (c) => `items without a label: ${n(c?.unlabeled)}, all datasets (the production estimate's)`,
  },
  { id: 'all', label: (c) => `every item: ${n(c?.all)}, all datasets` },
  { id: 'selection', label: (_c, selected) => `the Data table selection: ${formatCount(selected)} items` },
]
/** The prefix of a scope choice that is a dataset (run as a selection of its items). */
export const DATASET = 'dataset:'

/** A cost in dollars, with more decimals below a cent. */
export const money = (usd: number): string => (usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`)
