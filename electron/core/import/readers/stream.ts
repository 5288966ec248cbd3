/**
 * The shared half of every reader: bytes come off disk in 64 KB chunks (the next one read while
 * this one is parsed), are decoded as strict UTF-8, and are pushed as text into a format's push
 * parser. Memory stays flat because a parser only holds the record it is in the middle of.
 */
import { open } from 'node:fs/promises'
import type { ReadOptions, ReadResult } from '../types'

/**
 * 64 KB reads: large enough that per-chunk overhead vanishes. Small because a chunk's text and
 * parsed rows are alive while the import works through them, and what is alive at a
 * young-generation GC is copied, then promoted to the old generation, which grows until a full
 * GC: 1 MB chunks spent ~3 times as long in GC as 256 KB ones on a 200 000-row import, and 256 KB
 * ones (with 1000 events a step) peaked at ~220 MB on a 1 000 000-row import where 64 KB (with
 * 250) peak at ~185 MB, for the same CPU time.
 */
export const CHUNK_BYTES = 1 << 16

/** A format's parser: text in (in any chunking), results out, in file order. */
export interface ChunkParser {
  push(text: string): ReadResult[]
  finish(): ReadResult[]
  /** 1-based physical line of the next character to be pushed: where a decode error is. */
  readonly line: number
}

const BOM = 0xfeff

/** True when a result stops the read (a fatal error): nothing may be yielded after it. */
export function isFatal(result: ReadResult): boolean {
  return 'error' in result && result.error.fatal === true
}

/**
 * Feeds text chunks to a parser synchronously. The readers' tests and fuzzers use it to choose
 * chunk boundaries freely, and detection uses it on the sniffed start of a file.
 */
export function* parseChunks(parser: ChunkParser, chunks: Iterable<string>): Generator<ReadResult> {
  let first = true
  for (let text of chunks) {
    if (first && text.length > 0) {
      first = false
      if (text.charCodeAt(0) === BOM) text = text.slice(1)
    }
    for (const result of parser.push(text)) {
      yield result
      if (isFatal(result)) return
    }
  }
  for (const result of parser.finish()) {
    yield result
    if (isFatal(result)) return
  }
}

/**
 * Streams a file through a parser, one chunk's results at a time (an import takes hundreds of rows
 * per step rather than paying for a step per row). Bytes that are not UTF-8 end the read with a
 * fatal error on the line holding them: after a bad byte we can no longer trust where records
 * begin, so we stop rather than replace it with U+FFFD and carry on. On abort it returns without
 * yielding more (the caller owns the signal and checks `signal.aborted`); I/O errors (missing
 * file, no permission) are thrown as they are.
 */
export async function* readFileBatches(
  path: string,
  options: ReadOptions,
  parser: ChunkParser,
): AsyncGenerator<ReadResult[]> {
  const { signal, onProgress, onNote } = options
  if (signal?.aborted) return
  const file = await open(path, 'r')
  // One buffer, read into again and again: a stream's new 64 KB Buffer per read lives outside
  // the JS heap until a full GC frees it, which on a 1 000 000-row import was tens of MB of RSS.
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  const utf8 = new Utf8Chunks()
  let bytes = 0
  let first = true
  let reading = file.read(buffer, 0, CHUNK_BYTES, null)
  try {
    for (;;) {
      const { bytesRead } = await reading
      if (bytesRead === 0) break
      if (signal?.aborted) return
      const decoded = utf8.decode(buffer.subarray(0, bytesRead))
      // The decoded text is a copy: the next chunk is read into the buffer (on libuv's threads)
      // while this one is parsed and its rows written. Read only once asked for, the reads had
      // left a 1 000 000-row import idle for 1.1 s of its 11.
      reading = file.read(buffer, 0, CHUNK_BYTES, null)
      // Its failure is thrown where it is awaited; until then the import may be elsewhere (a turn
      // of the event loop or more), where an unhandled rejection would end the process.
      void reading.catch(() => undefined)
      let text = decoded.text
      if (first && text.length > 0) {
        first = false
        if (text.charCodeAt(0) === BOM) {
          text = text.slice(1)
          onNote?.('UTF-8 byte order mark (BOM) removed')
        }
      }
      const results = parser.push(text)
      if (decoded.bad && !results.some(isFatal))
        results.push({ error: { line: parser.line, fatal: true, message: notUtf8Message(decoded.bad) } })
      if (yield* upToFatal(results)) return
      bytes += bytesRead
      onProgress?.(bytes)
    }
    const tail = utf8.end()
    if (tail) {
      yield [{ error: { line: parser.line, fatal: true, message: notUtf8Message(tail) } }]
      return
    }
    yield* upToFatal(parser.finish())
  } finally {
    // A read still under way when the import stops (an abort, a fatal error) ends before the file closes.
    await reading.catch(() => undefined)
    await file.close()
  }
}

/** Yields the results up to and including the first fatal one (if not empty); true if there was one. */
function* upToFatal(results: ReadResult[]): Generator<ReadResult[], boolean> {
  const fatal = results.findIndex(isFatal)
  const batch = fatal === -1 ? results : results.slice(0, fatal + 1)
  if (batch.length > 0) yield batch
  return fatal !== -1
}

/** The results of a reader one at a time, as `readRecords` promises them: nothing more once `signal` is aborted. */
export async function* eachResult(
  batches: AsyncIterable<ReadResult[]>,
  signal?: AbortSignal,
): AsyncGenerator<ReadResult> {
  for await (const batch of batches) {
    for (const result of batch) {
      if (signal?.aborted) return
      yield result
    }
  }
}

/** The first bytes that are not UTF-8, as found in a chunk. */
export interface BadBytes {
  bytes: number[]
}

/** Says which bytes are wrong and how to fix the file. */
export function notUtf8Message(bad: BadBytes): string {
  const hex = bad.bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ')
  return `this line holds bytes that are not UTF-8 (${hex}), so the file stops being readable here. Re-save the file as UTF-8 (in Excel: "CSV UTF-8"; in Python: encoding="utf-8") and import it again.`
}

/**
 * Strict UTF-8 decoding across chunk boundaries. We keep the split multi-byte tail ourselves (rather
 * than rely on `stream: true`) so that, when decoding fails, we know exactly which bytes are bad and
 * can still hand the valid text before them to the parser — that is how the error gets its line.
 */
export class Utf8Chunks {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  private carry: Uint8Array | null = null

  decode(chunk: Uint8Array): { text: string; bad?: BadBytes } {
    let bytes = chunk
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length)
      bytes.set(this.carry)
      bytes.set(chunk, this.carry.length)
      this.carry = null
    }
    const keep = incompleteTail(bytes)
    // A copy (`Buffer#slice` would be a view): the reader reads its next chunk into the same buffer.
    if (keep > 0) this.carry = Uint8Array.from(bytes.subarray(bytes.length - keep))
    const body = keep > 0 ? bytes.subarray(0, bytes.length - keep) : bytes
    try {
      return { text: this.decoder.decode(body) }
    } catch {
      const at = Math.max(0, firstInvalidUtf8(body))
      this.carry = null
      const valid = at > 0 ? this.decoder.decode(body.subarray(0, at)) : ''
      return { text: valid, bad: { bytes: Array.from(body.subarray(at, Math.min(at + 4, body.length))) } }
    }
  }

  /** A multi-byte character cut off by the end of the file is an error too. */
  end(): BadBytes | null {
    const carry = this.carry
    this.carry = null
    return carry ? { bytes: Array.from(carry) } : null
  }
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/** How many trailing bytes start a multi-byte character that the next chunk will finish. */
export function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]
    if ((b & 0xc0) !== 0x80) {
      const len = sequenceLength(b)
      return len > back ? back : 0
    }
  }
  return 0
}

/** Index of the first byte of the first ill-formed sequence, or -1 (rules of RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }
    const len = sequenceLength(b)
    if (len === 0 || i + len > n) return i
    const b1 = bytes[i + 1]
    let lo = 0x80
    let hi = 0xbf
    if (b === 0xe0) lo = 0xa0
    else if (b === 0xed) hi = 0x9f
    else if (b === 0xf0) lo = 0x90
    else if (b === 0xf4) hi = 0x8f
    if (b1 < lo || b1 > hi) return i
    for (let k = 2; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i
    i += len
  }
  return -1
}
