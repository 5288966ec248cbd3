import { sql as initial } from './0001-initial'
import { sql as currentLabels } from './0002-current-labels'
import { sql as sessions } from './0003-sessions'
import { sql as judges } from './0004-judges'
import { sql as targets } from './0005-targets'
import { sql as splitOrigin } from './0006-split-origin'
import { sql as overall } from './0007-overall'
import { sql as labelStates } from './0008-label-states'
import { sql as audits } from './0009-audits'
import { sql as collectedSpans } from './0010-collected-spans'
import { sql as searchIndex } from './0011-search-index'

/**
 * Schema migrations in order; migration i brings `PRAGMA user_version` from i to i + 1. Append
 * only: a released migration is never edited, a change is a new one (and a new test).
 */
export const migrations: readonly { name: string; sql: string }[] = [
  { name: '0001-initial', sql: initial },
  { name: '0002-current-labels', sql: currentLabels },
  { name: '0003-sessions', sql: sessions },
  { name: '0004-judges', sql: judges },
  { name: '0005-targets', sql: targets },
  { name: '0006-split-origin', sql: splitOrigin },
  { name: '0007-overall', sql: overall },
  { name: '0008-label-states', sql: labelStates },
  { name: '0009-audits', sql: audits },
  { name: '0010-collected-spans', sql: collectedSpans },
  { name: '0011-search-index', sql: searchIndex },
]

export const LATEST_VERSION = migrations.length
