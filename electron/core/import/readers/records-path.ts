/**
 * Records one level down in a JSON document (`{"results": {"results": [...]}}`, promptfoo's
 * shape): the path is named `outer.inner`, so the user sees which array became the items.
 */
import { isRecordObject } from './json-syntax'

/**
 * The array at a records path: a top-level key, or `outer.inner` for an array one object down
 * (promptfoo's `results.results`). A top-level key that is itself dotted is found first.
 */
export function recordsAt(document: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(document, path)) return document[path]
  const dot = path.indexOf('.')
  if (dot < 0) return undefined
  const outer = document[path.slice(0, dot)]
  return isRecordObject(outer) ? outer[path.slice(dot + 1)] : undefined
}

/** Arrays of objects one level down (`outer.inner`), for a document whose top level holds no array. */
function nestedArrays(document: Record<string, unknown>): string[] {
  const found: string[] = []
  for (const [outer, value] of Object.entries(document)) {
    if (!isRecordObject(value)) continue
    for (const [inner, list] of Object.entries(value))
      if (Array.isArray(list) && list.length > 0 && list.every(isRecordObject)) found.push(`${outer}.${inner}`)
  }
  return found
}

/** The keys that name a records array, in order of preference. */
const RECORDS_KEYS = ['data', 'records', 'rows', 'items', 'traces', 'spans', 'results', 'examples']

/**
 * The keys of a top-level object that may hold its records: the arrays with a conventional name
 * (`data`, `records`, …), else every array; with no array at the top level, the arrays one level
 * down (`results.results`), chosen the same way.
 */
export function recordArrays(document: Record<string, unknown>): string[] {
  const topLevel = Object.keys(document).filter((k) => Array.isArray(document[k]))
  const arrays = topLevel.length > 0 ? topLevel : nestedArrays(document)
  const tail = (k: string) => k.slice(k.lastIndexOf('.') + 1)
  const named = RECORDS_KEYS.flatMap((n) => arrays.filter((k) => tail(k) === n))
  return named.length > 0 ? named : arrays
}
