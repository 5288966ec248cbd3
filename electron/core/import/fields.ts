/**
 * Reading one field out of a source record. Exports name the same thing in three ways: a flat
 * column whose name contains dots (Phoenix: `attributes.input.value`), nested JSON (OTel:
 * `attributes` → `gen_ai.prompt`, a key that itself contains dots), and OTLP's attribute list
 * (`attributes: [{ key, value: { stringValue } }]`). `getField` accepts all three for one path, so
 * a mapping written once works on each.
 */

/** A string cell that holds JSON (`{...}` / `[...]`) parsed; anything else returned unchanged. */
export function parseJsonCell(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const t = value.trim()
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return value
  try {
    return JSON.parse(t) as unknown
  } catch {
    // Markdown such as "[link](url)" or a truncated cell: it is text, not JSON.
    return value
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** OTLP JSON wraps every attribute value in an AnyValue (`{stringValue}`, `{intValue}`, …). */
export function unwrapAnyValue(value: unknown): unknown {
  if (!isPlainObject(value)) return value
  const keys = Object.keys(value)
  if (keys.length !== 1) return value
  const v = value[keys[0]]
  switch (keys[0]) {
    case 'stringValue':
    case 'boolValue':
    case 'bytesValue':
      return v
    case 'intValue':
    case 'doubleValue':
      return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v
    case 'arrayValue':
      return isPlainObject(v) && Array.isArray(v.values) ? v.values.map(unwrapAnyValue) : []
    case 'kvlistValue':
      return isPlainObject(v) && Array.isArray(v.values) ? (attributeListToObject(v.values) ?? {}) : {}
    default:
      return value
  }
}

/** `[{key, value}]` (OTLP attributes) → `{key: value}`; null when the array is not of that shape. */
export function attributeListToObject(list: unknown[]): Record<string, unknown> | null {
  if (list.length === 0) return null
  const out: Record<string, unknown> = {}
  for (const entry of list) {
    if (!isPlainObject(entry) || typeof entry.key !== 'string' || !('value' in entry)) return null
    out[entry.key] = unwrapAnyValue(entry.value)
  }
  return out
}

/**
 * The value as something to walk into: an object as is, a JSON string of an object parsed (a CSV
 * cell), an OTLP attribute list as an object, an array by index. Null when it cannot be walked.
 */
export function asContainer(value: unknown): Record<string, unknown> | null {
  if (isPlainObject(value)) return value
  if (typeof value === 'string') {
    const parsed = parseJsonCell(value)
    return parsed === value ? null : asContainer(parsed)
  }
  if (Array.isArray(value)) {
    const attrs = attributeListToObject(value)
    if (attrs) return attrs
    return Object.fromEntries(value.map((v, i) => [String(i), v]))
  }
  return null
}

/**
 * The value at `path`: the exact key first, else the nested path, trying the longest key at
 * each level (`attributes.gen_ai.prompt` → `attributes` → `gen_ai.prompt`). Undefined when absent.
 */
export function getField(fields: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(fields, path)) return fields[path]
  return walk(fields, path.split('.'), 0)
}

function walk(obj: Record<string, unknown>, segs: string[], depth: number): unknown {
  if (depth > 32) return undefined
  for (let n = segs.length; n >= 1; n--) {
    const key = segs.slice(0, n).join('.')
    if (!Object.hasOwn(obj, key)) continue
    const value = obj[key]
    if (n === segs.length) return value
    const inner = asContainer(value)
    if (!inner) continue
    const found = walk(inner, segs.slice(n), depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Dotted keys with numeric segments turned back into nested arrays: OpenInference flattens
 * `llm.input_messages` into `llm.input_messages.0.message.role`, OpenLLMetry `gen_ai.prompt`
 * into `gen_ai.prompt.0.content`. Returns the list under `prefix`, or undefined when there is none.
 */
export function collectIndexed(obj: Record<string, unknown>, prefix: string): unknown[] | undefined {
  const head = `${prefix}.`
  const rows = new Map<number, Record<string, unknown>>()
  for (const [key, value] of Object.entries(obj)) {
    if (!key.startsWith(head)) continue
    const rest = key.slice(head.length)
    const dot = rest.indexOf('.')
    const indexText = dot === -1 ? rest : rest.slice(0, dot)
    if (!/^\d+$/.test(indexText)) continue
    const index = Number(indexText)
    const row = rows.get(index) ?? {}
    rows.set(index, row)
    if (dot === -1) row[''] = value
    else row[rest.slice(dot + 1)] = value
  }
  if (rows.size === 0) return undefined
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, row]) => (Object.keys(row).length === 1 && '' in row ? row[''] : unflatten(row)))
}

/** `{'message.role': 'user', 'message.tool_calls.0.tool_call.id': 'x'}` → nested objects and arrays. */
export function unflatten(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const groups = new Map<string, Record<string, unknown>>()
  for (const [key, value] of Object.entries(row)) {
    const dot = key.indexOf('.')
    if (dot === -1) {
      out[key] = value
      continue
    }
    const head = key.slice(0, dot)
    const group = groups.get(head) ?? {}
    groups.set(head, group)
    group[key.slice(dot + 1)] = value
  }
  for (const [head, group] of groups) {
    if (head in out) continue // a leaf and a branch with one name: keep the leaf
    const keys = Object.keys(group)
    const numeric = keys.every((k) => /^\d+($|\.)/.test(k))
    out[head] = numeric
      ? collectIndexed(Object.fromEntries(keys.map((k) => [`_.${k}`, group[k]])), '_')
      : unflatten(group)
  }
  return out
}

/**
 * How deep a value may nest (objects and arrays within each other). Real traces stay under 20
 * levels; a hostile file can nest thousands, and JSON.stringify, structuredClone and the trace
 * view all recurse: past this bound a row is refused with its line instead of overflowing the stack.
 */
export const MAX_NESTING = 100

/** A value nested deeper than `MAX_NESTING`: the row that holds it is refused, with its line. */
export class NestingError extends Error {
  constructor() {
    super(
      `a value is nested more than ${MAX_NESTING} levels deep (objects or arrays within each other); Assay does not import such values. Flatten that field, or leave it out of the mapping.`,
    )
  }
}

/** Throws `NestingError` when `value` nests deeper than `MAX_NESTING`; iterative, so any depth is safe to check. */
export function assertShallow(value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  const stack: [object, number][] = [[value, 1]]
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top
    if (depth > MAX_NESTING) throw new NestingError()
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v)
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
}

/** Any cell as display text: strings as is, JSON values compact (after `assertShallow`), nothing as ''. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  assertShallow(value)
  return JSON.stringify(value)
}

/** Absent, null, or a string of only whitespace. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}
