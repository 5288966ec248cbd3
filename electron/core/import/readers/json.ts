/**
 * `.json` files. A top-level array streams: we scan it for element boundaries (tracking strings,
 * escapes and brackets) and `JSON.parse` one element at a time, so a multi-GB array never sits in
 * memory. An object holding a records array, and pandas' column-oriented `to_json()`, need the
 * whole document; those are parsed at once, up to `MAX_WHOLE_JSON_BYTES`.
 */
import { stat } from 'node:fs/promises'
import type { ReadOptions, ReadResult, RecordError } from '../types'
import { describeKind, isRecordObject, lineColumnAt, locateJsonError, setField } from './json-syntax'
import { recordArrays, recordsAt } from './records-path'
import { parseChunks, readFileBatches, type ChunkParser } from './stream'

const LF = 10
const QUOTE = 34
const BACKSLASH = 92
const BEFORE = 0
const EXPECT = 1
const ELEMENT = 2
const DONE = 3
const FAILED = 4

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

function shown(c: number): string {
  return JSON.stringify(String.fromCharCode(c))
}

/** A top-level JSON array → one record per element, found without parsing the whole array. */
export class JsonArrayParser implements ChunkParser {
  line = 1
  private lineStart = 0
  private base = 0
  private state = BEFORE
  private inString = false
  private escapePending = false
  private closers: number[] = []
  private pieces: string[] = []
  private position = 0
  private afterComma = false
  private elementLine = 1
  private elementColumn = 1
  private out: ReadResult[] = []

  push(s: string): ReadResult[] {
    const n = s.length
    const base = this.base
    let i = 0
    let start = this.state === ELEMENT ? 0 : -1
    // Hot state lives in locals; `sync()` writes it back before anything reads it from `this`.
    let line = this.line
    let lineStart = this.lineStart
    let inString = this.inString
    const sync = (): void => {
      this.line = line
      this.lineStart = lineStart
      this.inString = inString
    }
    if (this.escapePending && n > 0) {
      this.escapePending = false
      if (s.charCodeAt(0) === LF) {
        line++
        lineStart = base + 1
      }
      i = 1
    }
    for (; i < n && this.state !== FAILED; i++) {
      if (inString) {
        // Inside a string only a quote, a backslash or a line break matters.
        for (; i < n; i++) {
          const c = s.charCodeAt(i)
          if (c === QUOTE) {
            inString = false
            break
          }
          if (c === BACKSLASH) {
            if (i + 1 === n) this.escapePending = true
            else i++
          }
          if (s.charCodeAt(i) === LF) {
            line++
            lineStart = base + i + 1
          }
        }
        continue
      }
      const c = s.charCodeAt(i)
      if (c === LF) {
        line++
        lineStart = base + i + 1
        continue
      }
      const state = this.state
      if (state === ELEMENT) {
        if (c === QUOTE) inString = true
        else if (c === 123) this.closers.push(125)
        else if (c === 91) this.closers.push(93)
        else if (c === 125 || c === 93 || c === 44) {
          const closers = this.closers
          if (closers.length > 0) {
            if (c === 44) continue
            if (closers[closers.length - 1] === c) closers.pop()
            else {
              sync()
              this.syntax(i, `expected ${shown(closers[closers.length - 1])} but found ${shown(c)}`)
            }
          } else if (c === 125) {
            sync()
            this.syntax(i, `unexpected "}"`)
          } else {
            sync()
            this.element(start >= 0 ? s.slice(start, i) : '')
            this.afterComma = c === 44
            if (this.state !== FAILED) this.state = c === 44 ? EXPECT : DONE
          }
        }
      } else if (isSpace(c)) {
        continue
      } else if (state === BEFORE) {
        sync()
        if (c === 91) this.state = EXPECT
        else
          this.syntax(
            i,
            c === 123
              ? 'the file holds one JSON object, not an array: choose "JSON object with a records array" or "pandas columns" instead'
              : `expected "[" to open an array, found ${shown(c)}`,
          )
      } else if (state === EXPECT) {
        if (c === 93 && !this.afterComma && this.position === 0) this.state = DONE
        else if (c === 93 || c === 44) {
          sync()
          this.syntax(i, `expected a value before ${shown(c)}`)
        } else {
          this.state = ELEMENT
          start = i
          this.elementLine = line
          this.elementColumn = base + i - lineStart + 1
          if (c === QUOTE) inString = true
          else if (c === 123) this.closers.push(125)
          else if (c === 91) this.closers.push(93)
        }
      } else if (state === DONE) {
        sync()
        this.syntax(i, `unexpected ${shown(c)} after the closing "]" of the array`)
      }
    }
    sync()
    if (this.state === ELEMENT && start >= 0) this.pieces.push(s.slice(start))
    this.base += n
    return this.drain()
  }

  finish(): ReadResult[] {
    const state = this.state
    if (state === BEFORE) this.fatal(this.line, 'the file holds no JSON: it is empty or only whitespace.')
    else if (state === EXPECT || state === ELEMENT) {
      this.fatal(
        this.line,
        `the file ends before the array is closed with "]" (after ${this.position} complete element${this.position === 1 ? '' : 's'}${this.inString ? ', inside a string' : ''}). It may have been cut off; export it again.`,
      )
    }
    return this.drain()
  }

  private drain(): ReadResult[] {
    const out = this.out
    this.out = []
    return out
  }

  private fatal(line: number, message: string): void {
    this.out.push({ error: { line, message, fatal: true } })
    this.state = FAILED
  }

  private syntax(i: number, what: string): void {
    this.fatal(this.line, `invalid JSON at line ${this.line}, column ${this.base + i - this.lineStart + 1}: ${what}.`)
  }

  private element(tail: string): void {
    let text = tail
    if (this.pieces.length > 0) {
      this.pieces.push(tail)
      text = this.pieces.join('')
      this.pieces = []
    }
    const position = ++this.position
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      const { offset, reason } = locateJsonError(text, error)
      const at = lineColumnAt(text, offset, this.elementLine, this.elementColumn)
      this.fatal(
        at.line,
        `invalid JSON at line ${at.line}, column ${at.column} (in element ${position} of the array): ${reason}.`,
      )
      return
    }
    if (isRecordObject(value)) this.out.push({ record: { line: position, fields: value } })
    else
      this.out.push({
        error: {
          line: position,
          message: `element ${position} of the array (line ${this.elementLine}) is ${describeKind(value)}, not an object; every element must be an object like {"id": 1, ...}.`,
        },
      })
  }
}

/**
 * Which key of a top-level object holds the records: a conventional name, else the only array;
 * with no array at the top level, the array of objects one level down (`results.results`),
 * named the same way. Guessing between several arrays could import the wrong one, so that is an
 * error naming them.
 */
export function pickRecordsKey(
  document: Record<string, unknown>,
  wanted?: string,
): { key: string } | { error: string } {
  if (wanted !== undefined) {
    return Array.isArray(recordsAt(document, wanted))
      ? { key: wanted }
      : { error: `the key "${wanted}" does not hold an array (keys: ${listKeys(Object.keys(document))}).` }
  }
  const candidates = recordArrays(document)
  if (candidates.length === 1) return { key: candidates[0] }
  if (candidates.length > 1) {
    return {
      error: `the object holds several arrays (${listKeys(candidates)}) and it is not clear which one holds the records. Choose one (the import wizard lists them; assay import takes --records KEY), or save the records you want as a JSON array or JSON Lines.`,
    }
  }
  return {
    error: `the object holds no array of records (keys: ${listKeys(Object.keys(document))}). It looks like a summary, not a table; to import records, save them as a JSON array or JSON Lines.`,
  }
}

function listKeys(keys: string[]): string {
  const shownKeys = keys.slice(0, 8).map((k) => `"${k}"`)
  return keys.length > 8 ? `${shownKeys.join(', ')}, … (${keys.length} keys)` : shownKeys.join(', ') || 'none'
}

/** True for pandas index labels ("0", "17", "-3"), which order numerically. */
function isIndexLabel(key: string): boolean {
  return /^-?\d+$/.test(key)
}

/** pandas `DataFrame.to_json()` (`{col: {"0": v, …}}`) → one record per index label, in index order. */
export function columnsToRecords(document: Record<string, unknown>): ReadResult[] {
  const columns = Object.keys(document)
  if (columns.length === 0)
    return [{ error: { line: 1, fatal: true, message: 'the object has no columns: there is nothing to import.' } }]
  const labels = new Set<string>()
  for (const column of columns) {
    const values = document[column]
    if (!isRecordObject(values)) {
      return [
        {
          error: {
            line: 1,
            fatal: true,
            message: `column "${column}" holds ${describeKind(values)}, not {"0": value, "1": value, …}, so this is not pandas column-oriented JSON. Try "JSON object with a records array" instead.`,
          },
        },
      ]
    }
    for (const label of Object.keys(values)) labels.add(label)
  }
  const all = [...labels]
  const ordered = [
    ...all.filter(isIndexLabel).sort((a, b) => Number(a) - Number(b)),
    ...all.filter((l) => !isIndexLabel(l)),
  ]
  return ordered.map((label, index) => {
    const fields: Record<string, unknown> = {}
    for (const column of columns) {
      const values = document[column] as Record<string, unknown>
      if (Object.hasOwn(values, label)) setField(fields, column, values[label])
    }
    return { record: { line: index + 1, fields } }
  })
}

/** Elements of a records array → records, or an error per element that is not an object. */
function elementsToRecords(elements: unknown[]): ReadResult[] {
  return elements.map((value, index): ReadResult => {
    if (isRecordObject(value)) return { record: { line: index + 1, fields: value } }
    return {
      error: {
        line: index + 1,
        message: `element ${index + 1} of the records array is ${describeKind(value)}, not an object.`,
      },
    }
  })
}

/** A whole JSON document (json-records or json-columns), parsed once it has all arrived. */
export class WholeJsonParser implements ChunkParser {
  private parts: string[] = []

  constructor(
    private readonly format: 'json-records' | 'json-columns',
    private readonly options: Pick<ReadOptions, 'recordsKey' | 'onNote'> = {},
  ) {}

  get line(): number {
    let line = 1
    for (const part of this.parts) for (let i = part.indexOf('\n'); i !== -1; i = part.indexOf('\n', i + 1)) line++
    return line
  }

  push(text: string): ReadResult[] {
    this.parts.push(text)
    return []
  }

  finish(): ReadResult[] {
    const text = this.parts.join('')
    this.parts = []
    if (text.trim().length === 0) return [fatal(1, 'the file holds no JSON: it is empty or only whitespace.')]
    let document: unknown
    try {
      document = JSON.parse(text)
    } catch (error) {
      const { offset, reason } = locateJsonError(text, error)
      const at = lineColumnAt(text, offset)
      return [fatal(at.line, `invalid JSON at line ${at.line}, column ${at.column}: ${reason}.`)]
    }
    if (Array.isArray(document)) return elementsToRecords(document)
    if (!isRecordObject(document))
      return [fatal(1, `the file holds ${describeKind(document)}, not an object or an array of records.`)]
    if (this.format === 'json-columns') return columnsToRecords(document)
    const picked = pickRecordsKey(document, this.options.recordsKey)
    if ('error' in picked) return [fatal(1, picked.error)]
    this.options.onNote?.(`Records read from the "${picked.key}" array`)
    return elementsToRecords(recordsAt(document, picked.key) as unknown[])
  }
}

function fatal(line: number, message: string): ReadResult {
  const error: RecordError = { line, message, fatal: true }
  return { error }
}

/** Largest .json file parsed whole: V8 strings stop near 512 MB, and memory is a few times that. */
export const MAX_WHOLE_JSON_BYTES = 512 * 1024 * 1024

/** Parses a top-level JSON array from any chunking of its text (for tests and fuzzing). */
export function parseJsonArrayChunks(chunks: Iterable<string>): Generator<ReadResult> {
  return parseChunks(new JsonArrayParser(), chunks)
}

/** Parses a whole JSON document from text chunks (for tests and fuzzing). */
export function parseWholeJsonChunks(
  chunks: Iterable<string>,
  format: 'json-records' | 'json-columns',
  options?: Pick<ReadOptions, 'recordsKey' | 'onNote'>,
): Generator<ReadResult> {
  return parseChunks(new WholeJsonParser(format, options), chunks)
}

/** Streams the records of a `.json` file of any of the three shapes, a chunk's worth at a time. */
export async function* readJson(
  path: string,
  options: ReadOptions,
  maxWholeBytes = MAX_WHOLE_JSON_BYTES,
): AsyncGenerator<ReadResult[]> {
  if (options.format === 'json-array') {
    yield* readFileBatches(path, options, new JsonArrayParser())
    return
  }
  const format = options.format === 'json-columns' ? 'json-columns' : 'json-records'
  const { size } = await stat(path)
  if (size > maxWholeBytes) {
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`
    const how =
      format === 'json-columns'
        ? 'with pandas, `pd.read_json("file.json").to_json("file.jsonl", orient="records", lines=True)`'
        : "with jq, `jq -c '.KEY[]' file.json > file.jsonl` (KEY being the array of records)"
    yield [
      fatal(
        1,
        `this JSON file is ${mb(size)}; a file of this shape must be read whole, which Assay does only up to ${mb(maxWholeBytes)}. Convert it to JSON Lines (one record per line), which streams at any size: ${how}.`,
      ),
    ]
    return
  }
  yield* readFileBatches(path, options, new WholeJsonParser(format, options))
}
