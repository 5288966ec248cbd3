/**
 * Streaming JSON Lines: one object per line. Lines are found with `indexOf('\n')` and parsed with
 * `JSON.parse`, so speed is that of V8's parser; a line longer than a chunk (a 10 MB trace) is
 * collected in pieces and joined once. A bad line is an error on that line and reading goes on:
 * line boundaries do not depend on the content, so later lines are still trustworthy.
 */
import type { ReadOptions, ReadResult } from '../types'
import { describeKind, isRecordObject, lineColumnAt, locateJsonError } from './json-syntax'
import { parseChunks, readFileBatches, type ChunkParser } from './stream'

/** JSONL text → one record per non-blank line. */
export class JsonlParser implements ChunkParser {
  /** The line being collected (1-based). */
  line = 1
  private pieces: string[] = []
  private out: ReadResult[] = []

  push(s: string): ReadResult[] {
    let start = 0
    for (;;) {
      const end = s.indexOf('\n', start)
      if (end === -1) {
        if (start < s.length) this.pieces.push(s.slice(start))
        break
      }
      let text = s.slice(start, end)
      if (this.pieces.length > 0) {
        this.pieces.push(text)
        text = this.pieces.join('')
        this.pieces = []
      }
      this.take(text)
      this.line++
      start = end + 1
    }
    return this.drain()
  }

  finish(): ReadResult[] {
    if (this.pieces.length > 0) {
      const text = this.pieces.join('')
      this.pieces = []
      this.take(text)
    }
    return this.drain()
  }

  private drain(): ReadResult[] {
    const out = this.out
    this.out = []
    return out
  }

  private take(raw: string): void {
    const text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw
    // Blank means JSON whitespace only; a line of other invisible characters is reported, not skipped.
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && /^[ \t\r]*$/.test(text))) return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      const { offset, reason } = locateJsonError(text, error)
      const { column } = lineColumnAt(text, offset)
      this.out.push({
        error: {
          line: this.line,
          message: `this line is not valid JSON (at character ${column}): ${reason}. Each line must hold one complete JSON object.`,
        },
      })
      return
    }
    if (!isRecordObject(value)) {
      this.out.push({
        error: {
          line: this.line,
          message: `this line holds ${describeKind(value)}, not a JSON object. Each line must hold one object, like {"id": 1, "input": "..."}.`,
        },
      })
      return
    }
    this.out.push({ record: { line: this.line, fields: value } })
  }
}

/** Parses JSONL from any chunking of its text (for tests and fuzzing). */
export function parseJsonlChunks(chunks: Iterable<string>): Generator<ReadResult> {
  return parseChunks(new JsonlParser(), chunks)
}

/** Streams a JSONL file as records, a chunk's worth at a time. */
export function readJsonl(path: string, options: ReadOptions): AsyncGenerator<ReadResult[]> {
  return readFileBatches(path, options, new JsonlParser())
}
