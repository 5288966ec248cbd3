/**
 * The import's SQL: the writes of one import, prepared once on the import's own connection.
 * Criteria, judges and runs are created on first use and cached, and rows go in 100 to a
 * statement, so a 200 000-row file costs a few thousand statements and nothing else.
 */
import type { Db } from '../../open'
import { bulkLoad } from './bulk'
import { datasetWriter, joinedItemWriter, joinedRows, newItemWriter } from './items'
import { criterionCache, labelWriter, splitWriter } from './labels'
import { verdictWriter, versionPlanner } from './verdicts'

export { ROWS_PER_INSERT } from './batch'
export { countKnownIds, type ExistingItem } from './items'
export { storedLabel, type LabeledItem } from './labels'
export type { VersionTarget } from './verdicts'

/** The writes of one import (see the module's comment): items, labels, splits, verdicts and the dataset. */
export function importWriter(db: Db, at: string) {
  const criterion = criterionCache(db, at)
  // Labels, splits and verdicts wait in their writers until a statement's worth has come;
  // `labeled()`, `judgedIn()` and `finish()` write what waits before reading the tables back.
  const flushRows = (): void => {
    labels.flush()
    splits.flush()
    verdicts.flush()
  }
  const labels = labelWriter(db, at, criterion)
  const splits = splitWriter(db, at, criterion, flushRows)
  const versions = versionPlanner(db, at, criterion)
  const verdicts = verdictWriter(db, at, versions.make, flushRows)
  const bulk = bulkLoad(db)
  return {
    ...newItemWriter(db, at, bulk),
    ...joinedItemWriter(db),
    ...joinedRows(db),
    ...datasetWriter(db, at),
    /** The criterion's id and current definition version, created (empty) on first use. */
    criterion,
    currentLabel: labels.currentLabel,
    label: labels.label,
    hasVerdict: labels.hasVerdict,
    split: splits.split,
    placeSplit: splits.placeSplit,
    moveSplit: splits.moveSplit,
    labeled: splits.labeled,
    testViewed: splits.testViewed,
    version: versions.version,
    verdictIn: verdicts.verdictIn,
    judgedIn: verdicts.judgedIn,
    fewShotItems: verdicts.fewShotItems,
    verdict: verdicts.verdict,
    /** Writes the rows still waiting. */
    flush: flushRows,
    /**
     * Into a project with no items: drops the unique index on ids for this transaction (see
     * bulk.ts); `finish()` makes it again.
     */
    startBulk: bulk.start,
    /** Writes the rows still waiting, makes a dropped index again, and counts every run this import created. */
    finish(): void {
      flushRows()
      bulk.end()
      verdicts.finishRuns()
    },
  }
}

/** What `importWriter` gives the import run and its splits. */
export type ImportWriter = ReturnType<typeof importWriter>
