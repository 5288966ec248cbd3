/**
 * Where JSON goes wrong. `JSON.parse` is the fast path; only when it fails do we walk the text
 * ourselves to find the offending character, because V8 omits the position for some errors
 * ("Unexpected token 'x', ... is not valid JSON") and a user needs a line and a column.
 */

const OBJECT = 1
const ARRAY = 2
const VALUE = 0
const KEY = 1
const AFTER = 2
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const HEX4 = /[0-9a-fA-F]{4}/y

/** Offset of the first character at which `text` stops being valid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  const n = text.length
  const stack: number[] = []
  let i = 0
  let mode = VALUE
  const skipSpace = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return
    }
  }
  /** At an opening quote: moves past the string, or returns false with `i` on the fault. */
  const string = (): boolean => {
    i++
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 34) {
        i++
        return true
      }
      if (c < 32) return false
      if (c === 92) {
        const e = text.charCodeAt(i + 1)
        if (e === 117) {
          HEX4.lastIndex = i + 2
          if (!HEX4.test(text)) {
            i += 2
            return false
          }
          i += 6
        } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
          i += 2
        } else {
          i++
          return false
        }
      } else i++
    }
    return false
  }
  for (;;) {
    skipSpace()
    if (mode === KEY) {
      if (text.charCodeAt(i) !== 34 || !string()) return i
      skipSpace()
      if (text.charCodeAt(i) !== 58) return i
      i++
      mode = VALUE
      continue
    }
    if (mode === VALUE) {
      if (i >= n) return n
      const c = text.charCodeAt(i)
      if (c === 123 || c === 91) {
        i++
        skipSpace()
        if (text.charCodeAt(i) === (c === 123 ? 125 : 93)) {
          i++
          mode = AFTER
        } else {
          stack.push(c === 123 ? OBJECT : ARRAY)
          mode = c === 123 ? KEY : VALUE
        }
        continue
      }
      if (c === 34) {
        if (!string()) return i
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        NUMBER.lastIndex = i
        if (!NUMBER.test(text)) return i + 1
        i = NUMBER.lastIndex
      } else if (text.startsWith('true', i)) i += 4
      else if (text.startsWith('false', i)) i += 5
      else if (text.startsWith('null', i)) i += 4
      else return i
      mode = AFTER
      continue
    }
    const top = stack.at(-1)
    if (top === undefined) return i < n ? i : -1
    const c = text.charCodeAt(i)
    if (c === 44) {
      i++
      mode = top === OBJECT ? KEY : VALUE
    } else if ((top === OBJECT && c === 125) || (top === ARRAY && c === 93)) {
      stack.pop()
      i++
    } else return i
  }
}

/** V8's reason without its position and without the echo of the input (which can be 10 MB). */
export function jsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/ in JSON at position \d+[\s\S]*$/, '')
    .replace(/^Unexpected end of JSON input$/, 'the JSON ends too early (a bracket, brace or quote is not closed)')
}

/** 1-based line and column of `offset`, counting from a start that is itself at (line, column). */
export function lineColumnAt(text: string, offset: number, line = 1, column = 1): { line: number; column: number } {
  const end = Math.min(offset, text.length)
  let lastBreak = -1
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++
    lastBreak = i
  }
  return lastBreak === -1 ? { line, column: column + end } : { line, column: end - lastBreak }
}

/** Where and why `text` failed `JSON.parse`. */
export function locateJsonError(text: string, error: unknown): { offset: number; reason: string } {
  let offset = jsonErrorOffset(text)
  if (offset < 0) {
    const m = /at position (\d+)/.exec(error instanceof Error ? error.message : '')
    offset = m ? Number(m[1]) : 0
  }
  return { offset, reason: jsonReason(error) }
}

/** "an array", "a number", "null": for messages saying what a value is instead of an object. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** A JSON object (not an array, not null): what a record must be. */
export function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Sets a field even when its name is `__proto__` (a plain assignment would change the prototype). */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}
