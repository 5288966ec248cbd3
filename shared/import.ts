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

/** `PASS/pass/1/true/yes` → pass, `FAIL/0/false/no` → fail, `UNKNOWN/ERROR/empty` → error: never a silent fail. */
export const DEFAULT_VALUES: ValueMap = {
  pass: ['pass', 'passed', '1', 'true', 'yes', 'y', 'good', 'correct'],
  fail: ['fail', 'failed', '0', 'false', 'no', 'n', 'bad', 'incorrect'],
  error: ['unknown', 'error', 'none', 'null', 'nan', 'n/a', ''],
}

/** Rows of a span export (Phoenix/OpenInference, OpenTelemetry GenAI) grouped into traces. */
export const SpanMapping = z.object({
  traceId: field,
  spanId: field,
  parentId: field.nullable(),
  name: field.nullable(),
  start: field.nullable(),
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
      /** A column naming each row's annotator instead (Assay's export writes one); empty cells fall back to `annotator`. */
      annotatorField: field.nullable().optional(),
      /** A column with each label's time (ISO 8601), kept instead of the import's time. */
      timeField: field.nullable().optional(),
      invert: z.boolean().optional(),
    }),
  ),
  /** Judge verdict columns, with an optional critique column; each becomes a recorded run. */
  verdicts: z.array(z.object({ field, judge: z.string().min(1), criterion: z.string().min(1), critique: field.nullable() })),
  /** train/dev/test columns, one per criterion. */
  splits: z.array(z.object({ field, criterion: z.string().min(1) })),
  /** Review whole traces, or one named pipeline step across traces. */
  unit: z.discriminatedUnion('kind', [z.object({ kind: z.literal('trace') }), z.object({ kind: z.literal('step'), step: z.string().min(1) })]),
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
}

export const FileFormat = z.enum(['csv', 'jsonl', 'json-array', 'json-records', 'json-columns'])
export const Delimiter = z.enum([',', ';', '\t', '|'])

/** A file to read, with the format and delimiter the user chose (detected when absent). */
export const ImportSource = z
  .object({ path: z.string().trim().min(1, 'a file path is required'), format: FileFormat.optional(), delimiter: Delimiter.optional() })
  .strict()

export const RecordErrorSchema = z.object({ line: z.number().int(), column: z.string().optional(), message: z.string(), fatal: z.boolean().optional() })

export const DetectedInfo = z.object({
  path: z.string(),
  format: FileFormat,
  delimiter: Delimiter.optional(),
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
  labels: z.array(z.object({ criterion: z.string(), verdict: z.string(), note: z.string() })),
  verdicts: z.array(z.object({ judge: z.string(), criterion: z.string(), verdict: z.string() })),
  split: z.string().nullable(),
  metadata: z.array(z.string()),
})
export type PreviewRow = z.infer<typeof PreviewRow>

export const PreviewResult = z.object({ rows: z.array(PreviewRow), errors: z.array(RecordErrorSchema), join: z.boolean() })
export type PreviewResult = z.infer<typeof PreviewResult>

export const DuplicatePolicy = z.enum(['abort', 'skip', 'replace', 'keep-both'])

export const ImportStart = z
  .object({
    path: z.string().trim().min(1),
    format: FileFormat,
    delimiter: Delimiter.optional(),
    mapping: Mapping,
    datasetName: z.string().trim().min(1).optional(),
    onError: z.enum(['abort', 'skip']),
    duplicates: DuplicatePolicy,
  })
  .strict()

export const ImportReport = z.object({
  mode: z.enum(['new', 'join']),
  dataset: z.string().nullable(),
  datasetId: z.number().int().nullable(),
  rows: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
  duplicates: z.object({ count: z.number().int(), ids: z.array(z.string()) }),
  unmatched: z.object({ count: z.number().int(), ids: z.array(z.string()) }),
  errors: z.array(RecordErrorSchema),
  errorCount: z.number().int(),
  committed: z.boolean(),
  cancelled: z.boolean(),
})
export type ImportReport = z.infer<typeof ImportReport>
