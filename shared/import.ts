/**
 * How a source file's fields become items, labels and verdicts. It crosses the API (the wizard
 * edits it, the core applies it, the CLI builds it from --map), so it is a zod schema here.
 * A "field" is a column name or a path into nested JSON: `attributes.input.value` matches a
 * column of that exact name first, else the nested property `attributes` → `input` → `value`.
 */
import { z } from 'zod'

const field = z.string().min(1)

/** Which cell values mean pass, fail and error (case-insensitive, trimmed). Anything else is a bad row. */
export const ValueMap = z.object({
  pass: z.array(z.string()),
  fail: z.array(z.string()),
  error: z.array(z.string()),
})
export type ValueMap = z.infer<typeof ValueMap>

/**
 * `PASS/pass/1/true/yes` → pass, `FAIL/0/false/no` → fail, `UNKNOWN/ERROR/None` → error: never a
 * silent fail. An empty cell is listed nowhere: it means "no verdict" (a label column's empty
 * cell is no label, never a deferral), unless the user adds "" to a list.
 */
export const DEFAULT_VALUES: ValueMap = {
  pass: ['pass', 'passed', '1', 'true', 'yes', 'y', 'good', 'correct'],
  fail: ['fail', 'failed', '0', 'false', 'no', 'n', 'bad', 'incorrect'],
  error: ['unknown', 'error', 'none', 'null', 'nan', 'n/a'],
}

/** Rows of a span export (Phoenix/OpenInference, OpenTelemetry GenAI) grouped into traces. */
export const SpanMapping = z.object({
  traceId: field,
  spanId: field,
  parentId: field.nullable(),
  name: field.nullable(),
  start: field.nullable(),
  /** Orders siblings that started at the same time (LangSmith's `dotted_order`). */
  order: field.nullable().optional(),
  /**
   * Grouping the user set by hand (`--map trace/span/parent`, the wizard's grouping fields): a
   * parent that names no span of its trace, a repeated or empty span id and a parent cycle are
   * errors with their line, where a known export's partial tree is kept with a note.
   */
  strict: z.boolean().optional(),
  /** The export this grouping was recognised as (`LangSmith runs`, `Braintrust`, `Langfuse`), for display. */
  source: z.string().optional(),
})
export type SpanMapping = z.infer<typeof SpanMapping>

export const Mapping = z.object({
  /** Field holding the item's stable id; null → `row-<line>`. */
  id: field.nullable(),
  input: field.nullable(),
  output: field.nullable(),
  /** Field holding OpenAI-style chat messages (an array, or a JSON string of one). */
  messages: field.nullable(),
  /** Field holding pipeline steps: an array of {name, input, output} (or a JSON string of one). */
  steps: field.nullable(),
  spans: SpanMapping.nullable(),
  /** Fields copied into metadata; with keepUnmapped, every field not mapped elsewhere is kept too. */
  metadata: z.array(field),
  keepUnmapped: z.boolean(),
  /** Fields left out of the metadata too (e.g. a label column offered rather than imported). */
  ignore: z.array(field).optional(),
  /**
   * The file is Assay's own export: a criterion's label column or a judge version's verdict
   * column may be empty, and verdicts go into the version each column names (made, in another
   * project, as an imported version of that number).
   */
  assayExport: z.boolean().optional(),
  /**
   * Human verdict columns, one criterion each, with an optional note column. `field: null` = a
   * note column with no verdict column (open-coding notes): each non-empty note is imported as a
   * deferred label carrying the note. `invert` reads the column as "fails this criterion"
   * (failure-mode 0/1 columns, where 1 = the failure is present): pass and fail are swapped after
   * the value map; error stays error.
   */
  labels: z.array(
    z.object({
      field: field.nullable(),
      criterion: z.string().min(1),
      note: field.nullable(),
      /** Who made these labels (another annotator's file: their name). */
      annotator: z.string().min(1),
      /**
       * A column naming each row's annotator instead (Assay's export writes one); empty cells fall
       * back to `annotator`.
       */
      annotatorField: field.nullable().optional(),
      /** A column with each label's time (ISO 8601), kept instead of the import's time. */
      timeField: field.nullable().optional(),
      invert: z.boolean().optional(),
    }),
  ),
  /**
   * Judge verdict columns, with an optional critique column; each import of them is a recorded run
   * of an imported judge version. `version`: a number adds to that version of the judge (made, as
   * an imported version, if the judge has none of that number), `new` makes the next version;
   * absent, the judge's newest imported version takes them (a new version when it has none), so a
   * judge's test verdicts and its production verdicts, from two files, are one version.
   */
  verdicts: z.array(
    z.object({
      field,
      judge: z.string().min(1),
      criterion: z.string().min(1),
      critique: field.nullable(),
      version: z.union([z.number().int().min(1), z.literal('new')]).optional(),
      /**
       * A numeric score column (Langfuse NUMERIC, Braintrust 0..1, LangSmith feedback, an Inspect scorer's 0.8):
       * a score at or above the threshold passes, below fails; a cell that is no number is read by the value
       * map. Without it a score that is not a pass/fail value is refused, since Assay cannot know where the
       * judge's line is.
       */
      threshold: z.number().optional(),
    }),
  ),
  /** train/dev/test columns, one per criterion. */
  splits: z.array(z.object({ field, criterion: z.string().min(1) })),
  /**
   * Step-wise labels (methodology §6.2): per trace, the last state that succeeded and the first
   * that failed — pipeline step names, or an agent's states named in the data (tool names). A row
   * naming a first failing state is a fail on `criterion` (its label column, if mapped, must not
   * say pass); a trace with steps must have that step. `order` is the states' order as the user
   * gives it (kept for the project; rows naming other states are refused); without it the order is
   * inferred from the data.
   */
  states: z
    .object({
      lastSuccess: field.nullable(),
      firstFailure: field.nullable(),
      criterion: z.string().min(1),
      /** Who made these labels, when no label column of the criterion says. */
      annotator: z.string().min(1),
      order: z
        .array(z.string().trim().min(1))
        .refine((names) => new Set(names).size === names.length, {
          error: 'the state order names a state twice: each state has one place in it',
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  /** Review whole traces, or one named pipeline step across traces. */
  unit: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('trace') }),
    z.object({ kind: z.literal('step'), step: z.string().min(1) }),
  ]),
  values: ValueMap,
})
export type Mapping = z.infer<typeof Mapping>

/** A mapping that maps nothing yet: the starting point of `suggestMapping`. */
export const EMPTY_MAPPING: Mapping = {
  id: null,
  input: null,
  output: null,
  messages: null,
  steps: null,
  spans: null,
  metadata: [],
  keepUnmapped: true,
  labels: [],
  verdicts: [],
  splits: [],
  unit: { kind: 'trace' },
  values: DEFAULT_VALUES,
  states: null,
}

/**
 * The file formats a reader understands; `detectFormat` picks one, the user can override it.
 * - `csv`: comma/semicolon/tab/pipe separated, RFC 4180 (delimiter in `Detected.delimiter`)
 * - `jsonl`: one JSON object per line
 * - `json-array`: `[ {...}, {...} ]`
 * - `json-records`: `{ <key>: [ {...} ] }`, the key one of data, records, rows, items, traces,
 *   spans, or the only array
 * - `json-columns`: pandas `to_json()` default: `{ "col": { "0": v, "1": v }, ... }`
 * - `promptfoo`: promptfoo's `results.json` (one item per result, its assertions as verdicts)
 * - `inspect`: an Inspect AI log, `.eval` (a ZIP archive) or `.json` (one item per sample, scores as verdicts)
 * - `parquet`: Apache Parquet (magic `PAR1`), read a row group at a time; a record's line is its row
 */
export const FileFormat = z.enum([
  'csv',
  'jsonl',
  'json-array',
  'json-records',
  'json-columns',
  'promptfoo',
  'inspect',
  'parquet',
])
export type FileFormat = z.infer<typeof FileFormat>
/** A CSV file's delimiter. */
export const Delimiter = z.enum([',', ';', '\t', '|'])
export type Delimiter = z.infer<typeof Delimiter>

/** A file to read, with the format and delimiter the user chose (detected when absent). */
export const ImportSource = z
  .object({
    path: z.string().trim().min(1, 'a file path is required'),
    format: FileFormat.optional(),
    delimiter: Delimiter.optional(),
    /** `json-records`: the key of the records array when the object holds several (`test`, `a.b`), as in the file. */
    recordsKey: z.string().min(1).optional(),
  })
  .strict()

/** A problem with one record (or the file): where it is and what to do. */
export const RecordErrorSchema = z.object({
  /**
   * 1-based physical line (CSV, JSONL, JSON syntax errors); for a JSON array element that is not an
   * object, its 1-based position (the message names its physical line too).
   */
  line: z.number().int(),
  column: z.string().optional(),
  message: z.string(),
  /** The reader cannot go on after this one (e.g. an unterminated quote): nothing after it was read. */
  fatal: z.boolean().optional(),
})
export type RecordError = z.infer<typeof RecordErrorSchema>

export const DetectedInfo = z.object({
  path: z.string(),
  format: FileFormat,
  delimiter: Delimiter.optional(),
  /** `json-records`: the key of the array the records come from, when the user chose it. */
  recordsKey: z.string().optional(),
  columns: z.array(z.string()),
  notes: z.array(z.string()),
  size: z.number(),
})
export type DetectedInfo = z.infer<typeof DetectedInfo>

/** One source row as it will be imported: what the user checks before committing. */
export const PreviewRow = z.object({
  line: z.number().int(),
  externalId: z.string(),
  kind: z.enum(['chat', 'pipeline', 'text']),
  input: z.string(),
  output: z.string(),
  messages: z.number().int(),
  steps: z.array(z.string()),
  labels: z.array(
    z.object({ criterion: z.string(), verdict: z.string(), note: z.string(), states: z.string().optional() }),
  ),
  verdicts: z.array(z.object({ judge: z.string(), criterion: z.string(), verdict: z.string() })),
  split: z.string().nullable(),
  metadata: z.array(z.string()),
})
export type PreviewRow = z.infer<typeof PreviewRow>

export const PreviewResult = z.object({
  rows: z.array(PreviewRow),
  errors: z.array(RecordErrorSchema),
  /** A labels/verdicts-only mapping: every row must name an item of the project. */
  join: z.boolean(),
  /** How many of the previewed rows name an item the project has already (they join it, unless imported as a copy). */
  matched: z.number().int(),
})
export type PreviewResult = z.infer<typeof PreviewResult>

/** A label column the suggestion left out of the mapping, and why (see `offerLabels`). */
export const OfferedLabel = z.object({ field: z.string(), criterion: z.string(), why: z.string() })
export type OfferedLabel = z.infer<typeof OfferedLabel>

/** Ids repeated within the file: stop (default), keep the first, keep the last, or keep all under new ids. */
export const DuplicatePolicy = z.enum(['abort', 'skip', 'replace', 'keep-both'])
export type DuplicatePolicy = z.infer<typeof DuplicatePolicy>

/**
 * Rows whose id is already an item of the project: `join` (default) adds their labels, notes,
 * verdicts, split and new metadata to that item (its stored trace is kept); `copy` imports them
 * again as new items of the new dataset.
 */
export const ExistingPolicy = z.enum(['join', 'copy'])
export type ExistingPolicy = z.infer<typeof ExistingPolicy>

export const SplitName = z.enum(['train', 'dev', 'test'])
export type SplitName = z.infer<typeof SplitName>

export const ImportStart = z
  .object({
    path: z.string().trim().min(1),
    format: FileFormat,
    delimiter: Delimiter.optional(),
    /** `json-records`: the key of the records array when the object holds several (`test`, `a.b`), as in the file. */
    recordsKey: z.string().min(1).optional(),
    mapping: Mapping,
    datasetName: z.string().trim().min(1).optional(),
    onError: z.enum(['abort', 'skip']),
    duplicates: DuplicatePolicy,
    existing: ExistingPolicy.default('join'),
    /**
     * "These items are the test set": every imported item with a human label goes to this split (per
     * criterion of the file).
     */
    split: SplitName.nullable().default(null),
    /** Label columns the wizard offered and the user left out: named in the report. */
    offered: z.array(OfferedLabel).default([]),
  })
  .strict()
export type ImportStart = z.infer<typeof ImportStart>

/** A count with the first ids it is about (at most 100 listed). */
const Listed = z.object({ count: z.number().int(), ids: z.array(z.string()) })
export type Listed = z.infer<typeof Listed>

/** What one label or verdict column held, and what became of it: the numbers a user checks first. */
export const ColumnTally = z.object({
  kind: z.enum(['label', 'verdict']),
  field: z.string(),
  criterion: z.string(),
  /** Verdict columns: the judge, and the version the verdicts went to (`v2`, `v3 (new)`). */
  judge: z.string().nullable(),
  version: z.string().nullable(),
  pass: z.number().int(),
  fail: z.number().int(),
  /** UNKNOWN/ERROR-like values (a label column keeps them as deferred labels). */
  error: z.number().int(),
  /** Cells reading "defer" (label columns). */
  defer: z.number().int(),
  /** Empty cells: no label or verdict (a label's note, if any, is kept as a note). */
  empty: z.number().int(),
  /**
   * Label columns: notes with no verdict beside them (a notes column alone, or an empty label
   * cell), kept as deferred labels.
   */
  notes: z.number().int(),
  /** Labels or verdicts written. */
  added: z.number().int(),
  /** The same label (same annotator, verdict and note) or verdict was there already: nothing written. */
  unchanged: z.number().int(),
})
export type ColumnTally = z.infer<typeof ColumnTally>

export const ImportReport = z.object({
  /**
   * `new`: new items (some rows may also have joined existing ones); `join`: every row went to items
   * already in the project.
   */
  mode: z.enum(['new', 'join']),
  /** The new dataset, when the file brought new items. */
  dataset: z.string().nullable(),
  datasetId: z.number().int().nullable(),
  rows: z.number().int(),
  /** New items. */
  imported: z.number().int(),
  /** Rows whose id is an item of the project already: their labels, verdicts, split and metadata went to it. */
  matched: Listed,
  skipped: z.number().int(),
  duplicates: Listed,
  /** Rows of a labels/verdicts-only file whose id matches no item (reported, never guessed). */
  unmatched: Listed,
  /**
   * Matched rows whose text is a shortened copy of the stored trace (a predictions export's "..."):
   * the whole stored text kept.
   */
  textCut: Listed,
  /**
   * Matched items that lacked an input, output, messages or steps the file has: those were filled in
   * (nothing stored was replaced).
   */
  textFilled: Listed,
  /**
   * Items the file's verdicts should have covered but did not: labeled items of the datasets it
   * joined, with no verdict from it.
   */
  notJudged: Listed,
  /** No id column in the file: each item's id is `row-<line>`, and such rows never join existing items. */
  idsGenerated: z.boolean(),
  columns: z.array(ColumnTally),
  /** Label columns found but not imported (a verdicts file joining labeled items): map them to import them too. */
  offered: z.array(OfferedLabel),
  /**
   * The step-wise label columns: how many rows named a first failing state (each a fail), a last
   * successful state only, or neither, how many labels were written; and the project's state order
   * after the import, with where it comes from (the user, the steps, or inferred from the data).
   */
  states: z
    .object({
      lastSuccess: z.string().nullable(),
      firstFailure: z.string().nullable(),
      criterion: z.string(),
      failed: z.number().int(),
      lastOnly: z.number().int(),
      empty: z.number().int(),
      added: z.number().int(),
      unchanged: z.number().int(),
      order: z.array(z.string()),
      orderSource: z.enum(['user', 'steps', 'inferred']),
      unfixed: z.array(z.tuple([z.string(), z.string()])),
    })
    .nullable()
    .optional(),
  /** Things the user should know though nothing was wrong with a row (e.g. items moved out of a viewed test split). */
  warnings: z.array(z.string()),
  errors: z.array(RecordErrorSchema),
  errorCount: z.number().int(),
  committed: z.boolean(),
  cancelled: z.boolean(),
})
export type ImportReport = z.infer<typeof ImportReport>
