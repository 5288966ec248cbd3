/**
 * What the wizard and `assay import` work out before an import: whether the file's rows name
 * items the project has already (then they join them), and which label columns a verdicts file
 * only carries along (offered, not imported: the run file of a labeled set repeats its labels).
 */
import type { ImportReport, Mapping } from '../../../shared/import'
import type { Db } from '../db/open'
import { countKnownIds } from '../db/repos/imports'
import { mapRecord } from './mapping/apply'
import { mapSpanRecords } from './mapping/prepare'
import type { SourceRecord } from './types'

/** How many of these records name an item of the project already, by the ids the mapping gives them. */
export function sampleMatches(db: Db, sample: SourceRecord[], mapping: Mapping): { rows: number; matched: number } {
  const records = mapping.spans ? mapSpanRecords(sample, mapping).records : sample
  const ids = records.flatMap((r) => {
    const mapped = mapRecord(r, mapping)
    return mapped.ok ? [mapped.item.externalId] : []
  })
  return { rows: records.length, matched: knownIds(db, mapping, ids) }
}

/** How many of these ids are items of the project; none when the ids are generated (`row-<line>` never joins). */
export function knownIds(db: Db, mapping: Mapping, ids: string[]): number {
  if ((mapping.id === null && mapping.spans === null) || ids.length === 0) return 0
  return countKnownIds(db, ids)
}

/**
 * A file that carries judge verdicts and joins items of the project (a judge's run over a labeled
 * set) usually repeats the set's human labels too: importing them again would add a second,
 * anonymous copy of every label. Such label columns are taken out of the mapping and offered
 * instead, unless `keep` says the user chose them.
 */
export function offerLabels(
  mapping: Mapping,
  joins: boolean,
  keep: (label: Mapping['labels'][number]) => boolean = () => false,
): { mapping: Mapping; offered: ImportReport['offered'] } {
  if (!joins || mapping.verdicts.length === 0) return { mapping, offered: [] }
  const offered = mapping.labels.flatMap((l) => (l.field !== null && !keep(l) ? [{ label: l, field: l.field }] : []))
  if (offered.length === 0) return { mapping, offered: [] }
  const out = new Set(offered.map((o) => o.label))
  return {
    mapping: {
      ...mapping,
      labels: mapping.labels.filter((l) => !out.has(l)),
      ignore: [
        ...(mapping.ignore ?? []),
        ...offered.flatMap(({ label, field }) => [field, ...(label.note ? [label.note] : [])]),
      ],
    },
    offered: offered.map(({ label: l, field }) => ({
      field,
      criterion: l.criterion,
      why: `this file carries judge verdicts for items the project has already; its human labels in "${field}" are most likely those items' labels again, so they are not imported (to import them too, map them: --map label:${l.criterion}=${l.field})`,
    })),
  }
}
