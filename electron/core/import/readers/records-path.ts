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
export function nestedArrays(document: Record<string, unknown>): string[] {
  const found: string[] = []
  for (const [outer, value] of Object.entries(document)) {
    if (!isRecordObject(value)) continue
    for (const [inner, list] of Object.entries(value))
      if (Array.isArray(list) && list.length > 0 && list.every(isRecordObject)) found.push(`${outer}.${inner}`)
  }
  return found
}
