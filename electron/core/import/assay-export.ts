import { DEFAULT_VALUES, EMPTY_MAPPING, type Mapping } from '../../../shared/import'

const BASE = ['id', 'dataset', 'kind', 'input', 'output', 'messages', 'steps', 'metadata']
const JUDGE = /^(.+)\.judge:(.+)@v(\d+)$/

/**
 * The mapping of a file written by `assay export` (see core/export.ts), so that an export imports
 * back as it was: labels with their notes, annotators and times per criterion, the split, and every
 * judge version's verdicts with critiques (each into the judge version it names). Null for any
 * other file.
 */
export function assayExportMapping(columns: string[]): Mapping | null {
  if (!BASE.every((c) => columns.includes(c))) return null
  const criteria = columns.filter((c) => c.endsWith('.label')).map((c) => c.slice(0, -'.label'.length))
  const verdicts: Mapping['verdicts'] = []
  for (const column of columns) {
    const match = JUDGE.exec(column)
    if (!match) continue
    const [, criterion, judge, version] = match
    // The version it came from: the same one when the export comes back to its project, made anew in another.
    verdicts.push({
      field: column,
      judge,
      criterion,
      critique: columns.includes(`${column}.critique`) ? `${column}.critique` : null,
      version: Number(version),
    })
  }
  return {
    ...EMPTY_MAPPING,
    assayExport: true,
    id: 'id',
    input: 'input',
    output: 'output',
    messages: 'messages',
    steps: 'steps',
    keepUnmapped: true,
    metadata: [],
    labels: criteria.map((criterion) => {
      const column = (suffix: string) => (columns.includes(`${criterion}.${suffix}`) ? `${criterion}.${suffix}` : null)
      return {
        field: `${criterion}.label`,
        criterion,
        note: column('note'),
        annotator: 'imported',
        annotatorField: column('annotator'),
        timeField: column('labeled_at'),
      }
    }),
    verdicts,
    splits: criteria
      .filter((c) => columns.includes(`${c}.split`))
      .map((criterion) => ({ field: `${criterion}.split`, criterion })),
    values: structuredClone(DEFAULT_VALUES),
  }
}
