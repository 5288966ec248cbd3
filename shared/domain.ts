/**
 * The domain types every layer shares, as zod schemas (the contract parses them at the
 * boundary) with their inferred TypeScript types. DESIGN §2 describes the concepts.
 */
import { z } from 'zod'
import { DEFAULT_SESSION_SIZE, SESSION_ORDER_IDS } from './session'

export const Verdict = z.enum(['pass', 'fail'])
export type Verdict = z.infer<typeof Verdict>
export const LabelVerdict = z.enum(['pass', 'fail', 'defer'])
export type LabelVerdict = z.infer<typeof LabelVerdict>
export const JudgeVerdict = z.enum(['pass', 'fail', 'error'])
export type JudgeVerdict = z.infer<typeof JudgeVerdict>
/** A judge verdict in the item views: `hidden` while the test lock keeps it out of sight. */
export const ShownVerdict = z.enum(['pass', 'fail', 'error', 'hidden'])
export type ShownVerdict = z.infer<typeof ShownVerdict>
export const Split = z.enum(['train', 'dev', 'test'])
export type Split = z.infer<typeof Split>
/** How an item's trace is shown: chat messages, named pipeline steps, or plain input and output. */
export const ItemKind = z.enum(['chat', 'pipeline', 'text'])
export type ItemKind = z.infer<typeof ItemKind>
/** Where the order of a system's states comes from (`shared/state-order.ts`). */
export const OrderSource = z.enum(['user', 'steps', 'inferred'])
export type OrderSource = z.infer<typeof OrderSource>

/** One message of a chat trace, OpenAI-shaped; `tool_calls` pair with later `tool` messages by id. */
export const ChatMessage = z.object({
  role: z.string(),
  content: z.string().nullable(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
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
  /** Why the project can only be read, and what to do (the app shows it as a banner); null when it can be written. */
  readOnly: z.string().nullable(),
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
  kind: ItemKind,
  inputPreview: z.string(),
  outputPreview: z.string(),
  label: LabelVerdict.nullable(),
  judge: ShownVerdict.nullable(),
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
  verdict: ShownVerdict,
  critique: z.string(),
})

export const ItemDetail = z.object({
  id: z.number().int(),
  externalId: z.string(),
  dataset: z.string(),
  kind: ItemKind,
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
    /** `stale`: labeled under an older version of the criterion's definition (needs re-review). */
    label: z.enum(['any', 'unlabeled', 'labeled', 'pass', 'fail', 'defer', 'stale']).default('any'),
    /** `disagree`: the judge's latest verdict differs from the human label (both present). */
    judge: z.enum(['any', 'none', 'pass', 'fail', 'error', 'disagree']).default('any'),
    dataset: z.number().int().nullable().default(null),
    metadata: z
      .object({ key: z.string().min(1).max(200), value: z.string().max(500) })
      .nullable()
      .default(null),
  })
  .strict()
export type ItemFilter = z.infer<typeof ItemFilter>

export const ItemSort = z
  .object({
    by: z.enum(['id', 'label', 'judge', 'length', 'metadata']),
    key: z.string().max(200).optional(),
    desc: z.boolean(),
  })
  .strict()
export type ItemSort = z.infer<typeof ItemSort>

/** What the filter bar offers: the datasets and the metadata keys seen in the project. */
export const ItemFacets = z.object({
  datasets: z.array(z.object({ id: z.number().int(), name: z.string(), count: z.number().int() })),
  metadataKeys: z.array(z.string()),
  /** Names of pipeline steps, for step-level labeling sessions. */
  steps: z.array(z.string()),
})

/** A criterion as the Label screen and the session setup show it. */
export const CriterionInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(['overall', 'failure_mode']),
  /** The pipeline step a step-level criterion is about; null for whole traces. */
  step: z.string().nullable(),
  version: z.number().int(),
  definition: z.string(),
  /** Items whose current label is pass or fail. */
  labeled: z.number().int(),
  /** Current labels made under an older version of the definition: they need a re-review. */
  stale: z.number().int(),
})
export type CriterionInfo = z.infer<typeof CriterionInfo>

/** One annotator's current label on an item in a session. */
export const LabelState = z.object({
  labelId: z.number().int(),
  verdict: LabelVerdict,
  note: z.string(),
  firstFailingStep: z.number().int().nullable(),
  /** The criterion version it was made under. */
  version: z.number().int(),
  createdAt: z.string(),
})
export type LabelState = z.infer<typeof LabelState>

export const SessionItem = z.object({
  id: z.number().int(),
  externalId: z.string(),
  label: LabelState.nullable(),
  judge: ShownVerdict.nullable(),
  /** Failure modes (criterion ids) tagged on this item by this annotator. */
  tags: z.array(z.number().int()),
  /**
   * Other annotators' current labels on this item and criterion (a session's queue is per
   * annotator: without these an item someone else labeled would look untouched). Empty in a
   * blind self-consistency re-label.
   */
  others: z.array(z.object({ annotator: z.string(), verdict: LabelVerdict, note: z.string() })),
})
export type SessionItem = z.infer<typeof SessionItem>

export const SessionSettings = z
  .object({
    criterionId: z.number().int(),
    /** Review one named pipeline step across traces instead of whole traces. */
    step: z.string().min(1).max(200).nullable().default(null),
    order: z.enum(SESSION_ORDER_IDS).default('random'),
    /** The metadata field a stratified order groups by. */
    stratifyKey: z.string().min(1).max(200).nullable().default(null),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    size: z.number().int().min(1).max(100_000).default(DEFAULT_SESSION_SIZE),
    /** Judge verdicts stay hidden until the human has labeled the item. */
    blind: z.boolean().default(true),
    /** Which items: the Data table's search and filter, or an explicit selection. */
    search: z.string().max(500).optional(),
    filter: ItemFilter.optional(),
    ids: z.array(z.number().int()).max(1_000_000).optional(),
  })
  .strict()
export type SessionSettings = z.infer<typeof SessionSettings>

/** New failure modes among the last reviewed traces (methodology §2.5). */
export const Saturation = z.object({
  reviewed: z.number().int(),
  window: z.number().int(),
  newModes: z.number().int(),
  modes: z.number().int(),
  saturated: z.boolean(),
})
export type Saturation = z.infer<typeof Saturation>

export const SessionView = z.object({
  id: z.number().int(),
  criterion: CriterionInfo,
  annotator: z.string(),
  settings: SessionSettings,
  createdAt: z.string(),
  /** The queue, in order (a deferred item moves to the end). */
  items: z.array(SessionItem),
  /** Failure modes that can be tagged with `t` then 1–9 (none until a taxonomy exists). */
  modes: z.array(z.object({ id: z.number().int(), name: z.string() })),
  saturation: Saturation,
})
export type SessionView = z.infer<typeof SessionView>

/** Cohen's κ between two annotators (or one annotator and their own blind re-label) on one criterion. */
export const AgreementRow = z.object({
  a: z.string(),
  b: z.string(),
  n: z.number().int(),
  /** Cells with a's verdict first: both pass, a pass/b fail, a fail/b pass, both fail. */
  cells: z.object({ tp: z.number().int(), fn: z.number().int(), fp: z.number().int(), tn: z.number().int() }),
  observed: z.number().nullable(),
  kappa: z.number().nullable(),
  /** κ's 95% interval: the exact Clopper–Pearson interval of the disagreement rate (shared/stats/agreement.ts). */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
})
export type AgreementRow = z.infer<typeof AgreementRow>

/** The app's colours: follow the system (prefers-color-scheme, Electron's nativeTheme) or force one. */
export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

export const UserSettings = z.object({
  annotator: z.string().trim().min(1).max(100),
  keymap: z.enum(['default', 'prodigy']),
  theme: Theme,
  /** The desktop app checks for a new version when it starts (Help → Check for Updates… works either way). */
  checkForUpdates: z.boolean(),
})
export type UserSettings = z.infer<typeof UserSettings>

/**
 * A note of the notes board: an annotator's current label of an item on a criterion that carries a note (every
 * annotator's, not only the newest).
 */
export const NoteView = z.object({
  itemId: z.number().int(),
  externalId: z.string(),
  dataset: z.string(),
  criterion: z.string(),
  verdict: LabelVerdict,
  note: z.string(),
  annotator: z.string(),
  createdAt: z.string(),
  /** The trace's top-level metadata values, as text. */
  metadata: z.record(z.string(), z.string()),
  /** Failure modes present on the item (their current label is a fail). */
  modes: z.array(z.number().int()),
})
export type NoteView = z.infer<typeof NoteView>

const Rate = z.object({ estimate: z.number().nullable(), lower: z.number(), upper: z.number() })

/**
 * The counted taxonomy (methodology §2.4, §6.2): the Pareto, the co-occurrences, a pivot and, for pipelines, the
 * transitions.
 */
export const Taxonomy = z.object({
  /** Traces reviewed: a pass or fail on Overall or a verdict on a failure mode. */
  reviewed: z.number().int(),
  /** Their ids (a re-code session labels every one of them for one mode). */
  reviewedIds: z.array(z.number().int()),
  modes: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      definition: z.string(),
      version: z.number().int(),
      count: z.number().int(),
      rate: Rate,
      itemIds: z.array(z.number().int()),
      /**
       * Traces pinned as clear examples of the mode present (fail) and absent (pass): the definition's evidence, and a
       * judge's few-shot candidates.
       */
      examples: z.array(z.object({ kind: Verdict, itemId: z.number().int(), externalId: z.string() })),
    }),
  ),
  /** cooccurrence[i][j]: traces with both mode i and mode j (the diagonal is each mode's count). */
  cooccurrence: z.array(z.array(z.number().int())),
  pivot: z
    .object({
      key: z.string(),
      values: z.array(
        z.object({
          value: z.string(),
          reviewed: z.number().int(),
          counts: z.array(z.number().int()),
          itemIds: z.array(z.array(z.number().int())),
        }),
      ),
    })
    .nullable(),
  /**
   * The transition failure matrix (methodology §6.2): for each failing trace, its last successful
   * state ("(start)" when none) × its first failing state — a pipeline's steps, marked while
   * labeling, or an agent's named states, imported — with per-state counts, and each pipeline
   * step's pass rate among the traces that reached it.
   */
  transitions: z.object({
    cells: z.array(
      z.object({
        lastSuccess: z.string(),
        firstFailure: z.string(),
        count: z.number().int(),
        itemIds: z.array(z.number().int()),
      }),
    ),
    steps: z.array(z.object({ step: z.string(), reached: z.number().int(), passed: z.number().int(), rate: Rate })),
    /** Every state in order, with how many failing traces first failed there and last succeeded there. */
    states: z.array(z.object({ state: z.string(), firstFailures: z.number().int(), lastSuccesses: z.number().int() })),
    /**
     * Where the order of `states` comes from: the user (at import), the pipelines' steps, or inferred from the data.
     */
    orderSource: OrderSource,
    /** Neighbouring states whose order nothing in the data fixes (an inferred order put the first seen first). */
    unfixed: z.array(z.tuple([z.string(), z.string()])),
    /** Failing traces in the matrix. */
    failed: z.number().int(),
    /** Failing pipeline traces with no first failing step marked: not in the matrix. */
    unmarked: z.number().int(),
    /**
     * Traces in the matrix whose last success comes after their first failure in the order (the order, or the data, is
     * wrong).
     */
    backwards: z.number().int(),
  }),
  saturation: Saturation,
})
export type Taxonomy = z.infer<typeof Taxonomy>
