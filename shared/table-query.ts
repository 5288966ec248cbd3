import type { ItemFilter, ItemSort } from './domain'

// Kept apart from domain.ts (which needs zod) so the renderer can use them without bundling zod.

/** The items table with nothing filtered. */
export const DEFAULT_FILTER: ItemFilter = { label: 'any', judge: 'any', dataset: null, metadata: null }
/** The items table in import order. */
export const DEFAULT_SORT: ItemSort = { by: 'id', desc: false }
