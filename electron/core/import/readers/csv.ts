/**
 * Streaming RFC 4180 CSV. A char-code state machine walks each chunk once and slices fields out of
 * it (no per-character concatenation), so 200-byte rows read at several hundred thousand a second
 * and a field may span any number of chunks. Rows become records keyed by the header.
 *
 * Leniency, and where it stops: quotes inside a value that does not start with a quote are kept as
 * they are when they come in pairs (` "No errors"`, as Excel and Python read it); an odd one is an
 * error, since it usually means a quoted value was cut by a delimiter or line break.
 */
import type { Delimiter, ReadOptions, ReadResult, RecordError } from '../types'
import { setField } from './json-syntax'
import { parseChunks, readFileBatches, type ChunkParser } from './stream'

const QUOTE = 34
const LF = 10
const CR = 13
const START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_SEEN = 3

/** A fault inside one row; the row is reported, and reading goes on at the next one. */
export interface RowProblem {
  kind: 'stray-quote' | 'after-quote'
  field: number
}

/** Receives each row: its fields, the physical line it starts on, and its first problem if any. */
export type RowSink = (fields: string[], line: number, problem: RowProblem | null) => void

/**
 * Splits CSV text into rows of raw string fields, across arbitrary chunk boundaries. It knows
 * nothing about headers; `CsvParser` and delimiter detection both build on it.
 */
export class CsvTokenizer {
  /** Physical line (1-based; CRLF, LF and lone CR each end one) of the next character. */
  line = 1
  private state = START
  private row: string[] = []
  private rowLine = 1
  private partial = ''
  private quotedValue = ''
  private afterQuote = false
  private quotes = 0
  private quoteLine = 1
  private problem: RowProblem | null = null
  private prevLast = 0
  private readonly delim: number

  constructor(
    delimiter: Delimiter,
    private readonly sink: RowSink,
  ) {
    this.delim = delimiter.charCodeAt(0)
  }

  push(s: string): void {
    const n = s.length
    const d = this.delim
    let line = this.line
    let state = this.state
    let i = 0
    let seg = 0
    // Cached positions of the next LF / CR at or after i (n when none), so each is searched once.
    let nextLF = -1
    let nextCR = -1
    while (i < n) {
      if (state === START) {
        const c = s.charCodeAt(i)
        if (c === LF || c === CR) {
          i++
          // The LF of a CRLF: the CR already ended the row and counted the line.
          if (c === LF && (i > 1 ? s.charCodeAt(i - 2) : this.prevLast) === CR) continue
          line++
          if (this.row.length > 0) {
            this.row.push('')
            this.emit()
          }
          continue
        }
        if (this.row.length === 0) this.rowLine = line
        if (c === d) {
          this.row.push('')
          i++
        } else if (c === QUOTE) {
          state = QUOTED
          this.quoteLine = line
          this.partial = ''
          seg = ++i
        } else {
          state = UNQUOTED
          this.quotes = 0
          this.partial = ''
          seg = i
        }
      } else if (state === UNQUOTED) {
        let q = 0
        for (; i < n; i++) {
          const c = s.charCodeAt(i)
          if (c === d || c === LF || c === CR) break
          if (c === QUOTE) q++
        }
        this.quotes += q
        if (i === n) break
        this.endUnquoted(this.partial + s.slice(seg, i))
        state = START
        if (s.charCodeAt(i++) !== d) {
          line++
          this.emit()
        }
      } else if (state === QUOTED) {
        // Jump to the closing quote natively, and count the line breaks before it from one to the
        // next (a CRLF counts once).
        const close = s.indexOf('"', i)
        const end = close === -1 ? n : close
        if (nextLF < i) nextLF = indexOrEnd(s, '\n', i)
        if (nextCR < i) nextCR = indexOrEnd(s, '\r', i)
        for (; nextCR < end; nextCR = indexOrEnd(s, '\r', nextCR + 1)) line++
        for (; nextLF < end; nextLF = indexOrEnd(s, '\n', nextLF + 1))
          if ((nextLF > 0 ? s.charCodeAt(nextLF - 1) : this.prevLast) !== CR) line++
        i = end
        if (i === n) break
        if (i + 1 < n && s.charCodeAt(i + 1) === QUOTE) {
          // A doubled quote: keep one and stay inside the value (one concatenation, not two).
          this.partial += s.slice(seg, i + 1)
          seg = i += 2
          continue
        }
        this.partial += s.slice(seg, i)
        i++
        state = QUOTE_SEEN
      } else {
        const c = s.charCodeAt(i)
        if (c === QUOTE) {
          this.partial += '"'
          seg = ++i
          state = QUOTED
        } else if (c === d || c === LF || c === CR) {
          this.row.push(this.partial)
          this.partial = ''
          state = START
          i++
          if (c !== d) {
            line++
            this.emit()
          }
        } else {
          // Text after a closing quote: spaces are dropped, anything else is a problem.
          this.quotedValue = this.partial
          this.partial = ''
          this.afterQuote = true
          this.quotes = 0
          seg = i
          state = UNQUOTED
        }
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.partial += s.slice(seg, n)
    if (n > 0) this.prevLast = s.charCodeAt(n - 1)
    this.line = line
    this.state = state
  }

  /** Flushes the last row; returns where an unterminated quoted value opened, if one did. */
  end(): { line: number; field: number } | null {
    const state = this.state
    this.state = START
    if (state === QUOTED) return { line: this.quoteLine, field: this.row.length }
    if (state === UNQUOTED) {
      const value = this.partial
      this.endUnquoted(value)
      this.emit()
    } else if (state === QUOTE_SEEN) {
      this.row.push(this.partial)
      this.emit()
    } else if (this.row.length > 0) {
      this.row.push('')
      this.emit()
    }
    this.partial = ''
    return null
  }

  private endUnquoted(value: string): void {
    if (this.afterQuote) {
      this.afterQuote = false
      if (/^[ \t]*$/.test(value)) value = this.quotedValue
      else {
        this.problem ??= { kind: 'after-quote', field: this.row.length }
        value = this.quotedValue + value
      }
      this.quotedValue = ''
    } else if (this.quotes % 2 === 1) {
      this.problem ??= { kind: 'stray-quote', field: this.row.length }
    }
    this.partial = ''
    this.row.push(value)
  }

  private emit(): void {
    const row = this.row
    const problem = this.problem
    this.row = []
    this.problem = null
    this.sink(row, this.rowLine, problem)
  }
}

function indexOrEnd(s: string, c: string, from: number): number {
  const at = s.indexOf(c, from)
  return at === -1 ? s.length : at
}

/** Names for blank and repeated header cells, and the notes that say what was renamed. */
export function normalizeHeader(cells: string[]): { names: string[]; notes: string[] } {
  const notes: string[] = []
  const taken = new Set(cells.filter((c) => c !== ''))
  const named = cells.map((cell, index) => {
    if (cell !== '') return cell
    let name = `column_${index + 1}`
    while (taken.has(name)) name += '_'
    taken.add(name)
    notes.push(`Column ${index + 1} has no header; named it "${name}"`)
    return name
  })
  const seen = new Set<string>()
  const names = named.map((name) => {
    if (!seen.has(name)) {
      seen.add(name)
      return name
    }
    let k = 2
    while (seen.has(`${name}_${k}`) || taken.has(`${name}_${k}`)) k++
    const renamed = `${name}_${k}`
    seen.add(renamed)
    notes.push(`Duplicate header "${name}" renamed to "${renamed}"`)
    return renamed
  })
  return { names, notes }
}

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }

/** A readable name for a delimiter ("comma"), for messages and notes. */
export function delimiterName(d: Delimiter): string {
  return DELIMITER_NAMES[d]
}

/** CSV text → records keyed by the (first) header row. Ragged rows and bad quotes become errors. */
export class CsvParser implements ChunkParser {
  private readonly tokenizer: CsvTokenizer
  private header: string[] | null = null
  private protoIndex = -1
  private out: ReadResult[] = []
  private stopped = false

  constructor(
    private readonly delimiter: Delimiter = ',',
    private readonly onNote?: (note: string) => void,
  ) {
    this.tokenizer = new CsvTokenizer(delimiter, (fields, line, problem) => this.row(fields, line, problem))
  }

  get line(): number {
    return this.tokenizer.line
  }

  /** The header after renaming, once the first row has been read. */
  get columns(): string[] | null {
    return this.header
  }

  push(text: string): ReadResult[] {
    if (!this.stopped) this.tokenizer.push(text)
    return this.drain()
  }

  finish(): ReadResult[] {
    if (this.stopped) return this.drain()
    const open = this.tokenizer.end()
    if (open) {
      const column = this.header?.[open.field]
      this.fail({
        line: open.line,
        ...(column === undefined ? {} : { column }),
        fatal: true,
        message: `a quoted value opens here and is never closed, so everything up to the end of the file (line ${this.tokenizer.line}) would be one value. Add the missing closing quote (") or double any quote inside the value ("").`,
      })
    }
    return this.drain()
  }

  private drain(): ReadResult[] {
    const out = this.out
    this.out = []
    return out
  }

  private fail(error: RecordError): void {
    this.out.push({ error })
    if (error.fatal) this.stopped = true
  }

  private row(fields: string[], line: number, problem: RowProblem | null): void {
    if (this.stopped) return
    const header = this.header
    if (header === null) {
      if (problem) {
        this.fail({
          line,
          fatal: true,
          message: `the header row has ${problemText(problem.kind)} in column ${problem.field + 1}, so the columns cannot be named. Fix the header row and import again.`,
        })
        return
      }
      const { names, notes } = normalizeHeader(fields)
      this.header = names
      this.protoIndex = names.indexOf('__proto__')
      for (const note of notes) this.onNote?.(note)
      return
    }
    if (fields.length !== header.length) {
      const extra = fields.length - header.length
      const what = `this row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${header.length}`
      this.fail({
        line,
        message:
          extra > 0
            ? `${what} (${extra} extra). A value probably contains a ${delimiterName(this.delimiter)} without being quoted; put that value in double quotes.`
            : `${what}. A value may be missing, or a line break inside a value is not quoted.`,
      })
      return
    }
    if (problem) {
      this.fail({
        line,
        column: header[problem.field],
        message: `${problemText(problem.kind)} in this value. Quote the whole value and write each quote inside it twice, like "say ""hi""".`,
      })
      return
    }
    const fieldsByName: Record<string, unknown> = {}
    if (this.protoIndex < 0) for (let j = 0; j < header.length; j++) fieldsByName[header[j]] = fields[j]
    else for (let j = 0; j < header.length; j++) setField(fieldsByName, header[j], fields[j])
    this.out.push({ record: { line, fields: fieldsByName } })
  }
}

function problemText(kind: RowProblem['kind']): string {
  return kind === 'stray-quote' ? 'an unmatched double quote (")' : 'text after the closing quote'
}

/** Parses CSV from any chunking of its text: the seam the fuzz tests use instead of files. */
export function parseCsvChunks(
  chunks: Iterable<string>,
  delimiter: Delimiter = ',',
  onNote?: (note: string) => void,
): Generator<ReadResult> {
  return parseChunks(new CsvParser(delimiter, onNote), chunks)
}

/** Streams a CSV file as records, a chunk's worth at a time. */
export function readCsv(path: string, options: ReadOptions): AsyncGenerator<ReadResult[]> {
  return readFileBatches(path, options, new CsvParser(options.delimiter ?? ',', options.onNote))
}
