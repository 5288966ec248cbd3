/**
 * The shapes that flow through an import: a file is read as records (readers/), a mapping turns
 * each record into an item plus optional labels and verdicts (mapping.ts, traces.ts), and the
 * pipeline writes them in one transaction (run.ts).
 */
import type { ChatMessage } from '../../../shared/domain'

/** The file formats a reader understands; `detectFormat` picks one, the user can override it. */
export type FileFormat =
  | 'csv' // comma/semicolon/tab/pipe separated, RFC 4180 (delimiter in `Detected.delimiter`)
  | 'jsonl' // one JSON object per line
  | 'json-array' // [ {...}, {...} ]
  | 'json-records' // { "data" | "records" | "rows" | "items" | "traces" | "spans" | <any single array key>: [ {...} ] }
  | 'json-columns' // pandas `to_json()` default: { "col": { "0": v, "1": v }, ... }

/** One record of the source file: flat or nested values keyed by column / property name. */
export interface SourceRecord {
  /** 1-based line where the record starts (CSV, JSONL), or 1-based position in a JSON array. */
  line: number
  fields: Record<string, unknown>
}

/** A problem with one record (or the file): where it is and what to do. */
export interface RecordError {
  /**
   * 1-based physical line (CSV, JSONL, JSON syntax errors); for a JSON array element that is not an
   * object, its 1-based position (the message names its physical line too).
   */
  line: number
  column?: string
  message: string
  /** The reader cannot go on after this one (e.g. an unterminated quote): nothing after it was read. */
  fatal?: boolean
}

export type ReadResult = { record: SourceRecord } | { error: RecordError }

export interface Detected {
  format: FileFormat
  /** CSV only. */
  delimiter?: ',' | ';' | '\t' | '|'
  /** Every column / top-level property seen in the sample, in first-seen order (duplicates renamed `x_2`). */
  columns: string[]
  /** The first records as they will be read (up to 50). */
  sample: SourceRecord[]
  /** Facts worth showing the user: "UTF-8 BOM removed", "CRLF line endings", "2 duplicate headers renamed". */
  notes: string[]
  /** File size in bytes, for progress. */
  size: number
  /** Problems met while reading the sample (ragged rows, bad lines), so the preview can show them. */
  sampleErrors?: RecordError[]
}

export interface ReadOptions {
  format: FileFormat
  delimiter?: Detected['delimiter']
  signal?: AbortSignal
  /** Called now and then with bytes consumed so far. */
  onProgress?: (bytes: number) => void
  /** Facts the reader noticed (BOM removed, duplicate headers renamed, which array holds the records). */
  onNote?: (note: string) => void
  /** `json-records` only: the key of the records array, when the file holds several arrays. */
  recordsKey?: string
}

/** A verdict value after normalisation; `null` = the cell was empty and there is no verdict. */
export type NormalVerdict = 'pass' | 'fail' | 'error'

/** What a mapped record becomes (before it gets a dataset id). */
export interface MappedItem {
  externalId: string
  kind: 'chat' | 'pipeline' | 'text'
  input: string
  output: string
  messages: ChatMessage[]
  steps: { name: string; input: string; output: string; metadata: Record<string, unknown> }[]
  metadata: Record<string, unknown>
}

/**
 * A step-wise label as stored: a pipeline's first failing step by index, or, for a trace without
 * steps, the states by name (a null last success under a first failure: it failed at its first state).
 */
export interface LabelStates {
  firstFailingStep: number | null
  lastSuccess: string | null
  firstFailure: string | null
}
