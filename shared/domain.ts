/**
 * The domain types every layer shares, as zod schemas (the contract parses them at the
 * boundary) with their inferred TypeScript types. DESIGN §2 describes the concepts.
 */
import { z } from 'zod'

export const Verdict = z.enum(['pass', 'fail'])
export const LabelVerdict = z.enum(['pass', 'fail', 'defer'])
export const JudgeVerdict = z.enum(['pass', 'fail', 'error'])
export const Split = z.enum(['train', 'dev', 'test'])

/** One message of a chat trace, OpenAI-shaped; `tool_calls` pair with later `tool` messages by id. */
export const ChatMessage = z.object({
  role: z.string(),
  content: z.string().nullable(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z
    .array(z.object({ id: z.string(), name: z.string(), arguments: z.string() }))
    .optional(),
})
export type ChatMessage = z.infer<typeof ChatMessage>

/** A named step of a pipeline trace (e.g. decompose → retrieve → extract). */
export const Step = z.object({
  index: z.number().int(),
  name: z.string(),
  input: z.string(),
  output: z.string(),
  metadata: z.record(z.string(), z.unknown()),
})
export type Step = z.infer<typeof Step>

export const ProjectInfo = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  synthetic: z.boolean(),
  itemCount: z.number().int(),
  labeledCount: z.number().int(),
  datasetCount: z.number().int(),
})
export type ProjectInfo = z.infer<typeof ProjectInfo>

export const RecentProject = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  exists: z.boolean(),
})
export type RecentProject = z.infer<typeof RecentProject>

/** What the items table shows for one row: short previews, never the whole trace. */
export const ItemRow = z.object({
  id: z.number().int(),
  externalId: z.string(),
  dataset: z.string(),
  kind: z.enum(['chat', 'pipeline', 'text']),
  inputPreview: z.string(),
  outputPreview: z.string(),
  label: LabelVerdict.nullable(),
  judge: JudgeVerdict.nullable(),
})
export type ItemRow = z.infer<typeof ItemRow>

export const ItemLabel = z.object({
  criterion: z.string(),
  verdict: LabelVerdict,
  note: z.string(),
  annotator: z.string(),
  split: Split.nullable(),
  createdAt: z.string(),
})

export const ItemVerdict = z.object({
  judge: z.string(),
  version: z.number().int(),
  criterion: z.string(),
  runId: z.number().int(),
  scope: z.string(),
  verdict: JudgeVerdict,
  critique: z.string(),
})

export const ItemDetail = z.object({
  id: z.number().int(),
  externalId: z.string(),
  dataset: z.string(),
  kind: z.enum(['chat', 'pipeline', 'text']),
  input: z.string(),
  output: z.string(),
  messages: z.array(ChatMessage),
  steps: z.array(Step),
  metadata: z.record(z.string(), z.unknown()),
  labels: z.array(ItemLabel),
  verdicts: z.array(ItemVerdict),
})
export type ItemDetail = z.infer<typeof ItemDetail>

/** Narrowing the items table; human label and judge verdict are about the `Overall` criterion. */
export const ItemFilter = z
  .object({
    label: z.enum(['any', 'unlabeled', 'labeled', 'pass', 'fail', 'defer']).default('any'),
    /** `disagree`: the judge's latest verdict differs from the human label (both present). */
    judge: z.enum(['any', 'none', 'pass', 'fail', 'error', 'disagree']).default('any'),
    dataset: z.number().int().nullable().default(null),
    metadata: z.object({ key: z.string().min(1).max(200), value: z.string().max(500) }).nullable().default(null),
  })
  .strict()
export type ItemFilter = z.infer<typeof ItemFilter>

export const ItemSort = z
  .object({ by: z.enum(['id', 'label', 'judge', 'length', 'metadata']), key: z.string().max(200).optional(), desc: z.boolean() })
  .strict()
export type ItemSort = z.infer<typeof ItemSort>


/** What the filter bar offers: the datasets and the metadata keys seen in the project. */
export const ItemFacets = z.object({
  datasets: z.array(z.object({ id: z.number().int(), name: z.string(), count: z.number().int() })),
  metadataKeys: z.array(z.string()),
})
