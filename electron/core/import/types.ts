/**
 * The shapes that flow through an import: a file is read as records (readers/), a mapping turns
 * each record into an item plus optional labels and verdicts (mapping/, traces.ts), and the
 * pipeline writes them in one transaction (run.ts, import-run.ts).
 */
import type { ChatMessage } from '../../../shared/domain'
import type { Delimiter, FileFormat, RecordError } from '../../../shared/import'

/** The file's format and a record's error are part of the contract: their types come from its schemas. */
export type { Delimiter, FileFormat, RecordError }

/** One record of the source file: flat or nested values keyed by column / property name. */
export interface SourceRecord {
  /** 1-based line where the record starts (CSV, JSONL), or 1-based position in a JSON array. */
  line: number
  fields: Record<string, unknown>
}

export type ReadResult = { record: SourceRecord } | { error: RecordError }

export interface Detected {
  format: FileFormat
  /** CSV only. */
  delimiter?: Delimiter
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
  /**
   * Eval formats (promptfoo, Inspect): each field's first text value over the whole file, so that a
   * verdict first met after the sample still gets its judge and criterion.
   */
  firstValues?: Record<string, string>
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
