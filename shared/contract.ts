/**
 * The one API contract between the renderer and the core: every method's name, zod input and
 * zod output, and the events the core pushes. From it come the preload's `window.assay`, the
 * main-side handler registry, the HTTP routes of `assay serve` and the renderer's client. A
 * method that is not here cannot be called.
 */
import { z } from 'zod'
import {
  AgreementRow,
  CriterionInfo,
  NoteView,
  Taxonomy,
  ItemDetail,
  ItemFacets,
  ItemFilter,
  ItemRow,
  ItemSort,
  LabelVerdict,
  ProjectInfo,
  RecentProject,
  Saturation,
  SessionItem,
  SessionSettings,
  SessionView,
  UserSettings,
} from './domain'
import {
  DetectedInfo,
  FileFormat,
  ImportReport,
  ImportSource,
  ImportStart,
  Mapping,
  OfferedLabel,
  PreviewResult,
} from './import'
import type { Envelope } from './errors'
import { AuditRequest, AuditStarted } from './audit'
import { CollectBatch, CollectStart, CollectStatus } from './collect'
import { CalibrateRequest, CalibrationView, CellItem, CellRequest, Targets } from './calibrate'
import { REPORT_FORMATS, ReportData, ReportRequest } from './report/data'
import { ExportRequest, ExportResult } from './export'
import { MergeReport } from './merge'
import {
  DiffLine,
  JudgeDetail,
  JudgeSummary,
  JudgeVersionView,
  ModelProfile,
  RunEstimate,
  RunScope,
  RunView,
  SplitRatios,
  VerdictView,
} from './judges'

/**
 * What a method does to the open project, declared here once and gated once, where the handlers
 * are composed (electron/core/handlers/gate.ts):
 * - `write` changes the project: refused while it is read-only, and it waits for an import in
 *   progress to commit (the import holds the write lock; SQLite's busy timeout would block);
 * - `import` is the import itself: refused while the project is read-only (writes wait for it);
 * - `after-import` only reads, but what it reads an import in progress may change (new labels are
 *   given their splits), so it waits for the import to commit.
 * A method without one reads beside an import (WAL lets it) or touches no project.
 * test/integration/write-gate.test.ts fails when a method that writes is not declared.
 */
export type Gate = 'write' | 'import' | 'after-import'

const none = z.object({}).strict()
const path = z.string().trim().min(1, 'a file path is required')

export const contract = {
  'app.info': {
    input: none,
    /** `demoPath`: the file "Open demo project" opens (the Start screen names it before leaving another project). */
    output: z.object({
      version: z.string(),
      shell: z.enum(['electron', 'serve']),
      canPickFiles: z.boolean(),
      demoPath: z.string(),
    }),
  },
  'project.current': { input: none, output: ProjectInfo.nullable() },
  'project.recent': { input: none, output: z.array(RecentProject) },
  'project.open': { input: z.object({ path }).strict(), output: ProjectInfo },
  'project.create': { input: z.object({ path }).strict(), output: ProjectInfo },
  'project.openDemo': { input: none, output: ProjectInfo },
  'project.close': { input: none, output: z.null() },
  /** Native file dialog; only the Electron shell has one (serve answers `unsupported`). */
  'project.pick': {
    /** `merge`: a project to merge into the open one (File → Merge Project…). */
    input: z.object({ mode: z.enum(['open', 'create', 'merge']) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'items.list': {
    input: z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        search: z.string().max(500).optional(),
        filter: ItemFilter.optional(),
        sort: ItemSort.optional(),
      })
      .strict(),
    /**
     * `counted: false`: the first pages of a large answer come before its count, and `total` only
     * says that rows follow the page (offset + rows + 1); `items.count` then gives the exact number.
     */
    output: z.object({
      total: z.number().int(),
      offset: z.number().int(),
      rows: z.array(ItemRow),
      counted: z.boolean(),
    }),
  },
  /** The exact number of rows of the table's query, counted off the main thread at a million items. */
  'items.count': {
    input: z
      .object({ search: z.string().max(500).optional(), filter: ItemFilter.optional(), sort: ItemSort.optional() })
      .strict(),
    output: z.object({ total: z.number().int() }),
  },
  'items.facets': { input: none, output: ItemFacets },
  /** Every item id the table shows now, in its order: "select all matching" for a session or a run. */
  'items.ids': {
    input: z
      .object({ search: z.string().max(500).optional(), filter: ItemFilter.optional(), sort: ItemSort.optional() })
      .strict(),
    output: z.object({ ids: z.array(z.number().int()) }),
  },
  'items.get': { input: z.object({ id: z.number().int() }).strict(), output: ItemDetail },
  /**
   * The item of a query's first row, or null when nothing matches: the first open asks for it with
   * the first page (renderer/boot.ts), so the first trace does not wait for the page to arrive.
   */
  'items.first': {
    input: z
      .object({ search: z.string().max(500).optional(), filter: ItemFilter.optional(), sort: ItemSort.optional() })
      .strict(),
    output: ItemDetail.nullable(),
  },
  /** Position of an item in the table as filtered and sorted now, for "go to item id". */
  'items.locate': {
    input: z
      .object({
        externalId: z.string().min(1),
        search: z.string().max(500).optional(),
        filter: ItemFilter.optional(),
        sort: ItemSort.optional(),
      })
      .strict(),
    output: z.object({ id: z.number().int(), index: z.number().int() }),
  },

  /** Per-user settings (outside any project): the annotator name labels record, the keymap preset. */
  'settings.get': { input: none, output: UserSettings },
  'settings.set': { input: UserSettings.partial().strict(), output: UserSettings },

  'criteria.list': { input: none, output: z.array(CriterionInfo) },
  /** A new definition makes a new version; labels made under older ones then need a re-review. */
  'criteria.update': {
    input: z
      .object({ id: z.number().int(), definition: z.string().trim().min(1, 'a definition is required').max(5000) })
      .strict(),
    output: CriterionInfo,
    gate: 'write',
  },
  /**
   * A new criterion beside Overall (a pass/fail question; also a failure mode of the taxonomy), with its first
   * definition.
   */
  'criteria.create': {
    input: z
      .object({
        name: z.string().trim().min(1, 'a name is required').max(200),
        definition: z.string().trim().max(5000).default(''),
      })
      .strict(),
    output: CriterionInfo,
    gate: 'write',
  },
  /** Renames a criterion (Overall and step-level criteria keep their names). */
  'criteria.rename': {
    input: z.object({ id: z.number().int(), name: z.string().trim().min(1, 'a name is required').max(200) }).strict(),
    output: CriterionInfo,
    gate: 'write',
  },
  /** Cohen's κ between annotators (and blind self re-labels) on one criterion. */
  'criteria.agreement': { input: z.object({ id: z.number().int() }).strict(), output: z.array(AgreementRow) },

  /** Starts a labeling session: its queue is fixed now, in the chosen order. */
  'sessions.create': { input: SessionSettings, output: SessionView, gate: 'write' },
  /**
   * Of the items a session would choose from: how many no annotator has labeled, and how many this annotator has not
   * (pass or fail).
   */
  'sessions.counts': {
    input: SessionSettings.pick({ criterionId: true, step: true, search: true, filter: true, ids: true }),
    output: z.object({
      annotator: z.string(),
      items: z.number().int(),
      unlabeledByAnyone: z.number().int(),
      unlabeledByMe: z.number().int(),
    }),
  },
  /** The annotator's newest session, to resume it; null when there is none. */
  'sessions.latest': { input: none, output: SessionView.nullable() },
  'sessions.get': { input: z.object({ id: z.number().int() }).strict(), output: SessionView },
  /** Saves a verdict (and note); resolves only once it is committed to disk. */
  'labels.save': {
    input: z
      .object({
        sessionId: z.number().int(),
        itemId: z.number().int(),
        verdict: LabelVerdict,
        note: z.string().max(20_000).default(''),
        firstFailingStep: z.number().int().min(0).nullable().default(null),
      })
      .strict(),
    output: z.object({ item: SessionItem, queue: z.array(z.number().int()), saturation: Saturation }),
    gate: 'write',
  },
  /** Toggles a failure-mode tag on an item (a fail label on that mode, or its removal). */
  'labels.tag': {
    input: z
      .object({ sessionId: z.number().int(), itemId: z.number().int(), criterionId: z.number().int(), on: z.boolean() })
      .strict(),
    output: z.object({ item: SessionItem, saturation: Saturation }),
    gate: 'write',
  },
  /** Takes back the session's newest label still in effect; `item` is null when there is nothing left to undo. */
  'labels.undo': {
    input: z.object({ sessionId: z.number().int() }).strict(),
    output: z.object({ item: SessionItem.nullable(), saturation: Saturation }),
    gate: 'write',
  },

  /**
   * Every note of the project (each annotator's current label that carries one), with the failure modes of its trace.
   */
  'notes.list': { input: none, output: z.array(NoteView) },
  /** The counted taxonomy: Pareto with Wilson intervals, co-occurrences, a metadata pivot, pipeline transitions. */
  'taxonomy.get': {
    input: z.object({ pivot: z.string().min(1).max(200).nullable().default(null) }).strict(),
    output: Taxonomy,
  },
  /**
   * An LLM's proposal of failure modes from the notes of failing traces (a model profile's endpoint); nothing is saved.
   */
  'taxonomy.suggest': {
    input: z.object({ profileId: ModelProfile.shape.id }).strict(),
    output: z.object({
      suggestions: z.array(
        z.object({
          name: z.string(),
          definition: z.string(),
          itemIds: z.array(z.number().int()),
          notes: z.array(z.string()),
        }),
      ),
    }),
  },
  'modes.create': {
    input: z
      .object({
        name: z.string().trim().min(1, 'a name is required').max(200),
        definition: z.string().trim().max(5000).default(''),
        itemIds: z.array(z.number().int()).max(100_000).default([]),
      })
      .strict(),
    output: z.object({ id: z.number().int() }),
    gate: 'write',
  },
  'modes.rename': {
    input: z.object({ id: z.number().int(), name: z.string().trim().min(1, 'a name is required').max(200) }).strict(),
    output: z.null(),
    gate: 'write',
  },
  'modes.delete': { input: z.object({ id: z.number().int() }).strict(), output: z.null(), gate: 'write' },
  /** Every trace with `from` gets `into`; `from` is deleted (labels kept as history). */
  'modes.merge': {
    input: z.object({ from: z.number().int(), into: z.number().int() }).strict(),
    output: z.null(),
    gate: 'write',
  },
  /** Split: these traces leave `from` and get `to`. */
  'modes.move': {
    input: z
      .object({ itemIds: z.array(z.number().int()).min(1).max(100_000), from: z.number().int(), to: z.number().int() })
      .strict(),
    output: z.null(),
    gate: 'write',
  },
  /** Pins a trace as an example of the mode present (fail) or absent (pass), or unpins it. */
  'modes.example': {
    input: z
      .object({ modeId: z.number().int(), itemId: z.number().int(), kind: z.enum(['pass', 'fail']), on: z.boolean() })
      .strict(),
    output: z.null(),
    gate: 'write',
  },
  /** Puts a trace in a failure mode (or takes it out: the failure is absent). */
  'modes.assign': {
    input: z.object({ itemId: z.number().int(), modeId: z.number().int(), on: z.boolean() }).strict(),
    output: z.null(),
    gate: 'write',
  },

  /** Model profiles (per user, outside any project); `hasKey` says whether a key is set, never the key. */
  'profiles.list': {
    input: none,
    output: z.object({ profiles: z.array(ModelProfile.extend({ hasKey: z.boolean() })), keysWhere: z.string() }),
  },
  /** Saves a profile; `apiKey` (optional) goes to the key store, null removes it. */
  'profiles.save': {
    input: z.object({ profile: ModelProfile, apiKey: z.string().max(2000).nullable().optional() }).strict(),
    output: z.null(),
  },
  'profiles.delete': { input: z.object({ id: ModelProfile.shape.id }).strict(), output: z.null() },
  /**
   * Lists the endpoint's models: does the connection work, is the model there? Tests the profile
   * as typed (nothing is saved); the key is the one typed, else the saved profile's own key (only
   * for its own base URL), else the environment's.
   */
  'profiles.test': {
    input: z.object({ profile: ModelProfile, apiKey: z.string().max(2000).optional() }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string(), models: z.array(z.string()) }),
  },

  'judges.list': { input: none, output: z.array(JudgeSummary) },
  /** A new judge for a criterion: version 1 has the default template and train examples. */
  'judges.create': {
    input: z
      .object({
        criterionId: z.number().int(),
        name: z.string().trim().min(1, 'a name is required').max(200),
        profileId: z.string().min(1, 'choose a model profile (Settings)'),
      })
      .strict(),
    output: JudgeSummary,
    gate: 'write',
  },
  /**
   * Versions, runs, metrics per split and version, splits and few-shot candidates. `revealVersion` shows (and records
   * viewing) that version's test results.
   */
  'judges.get': {
    input: z.object({ id: z.number().int(), revealVersion: z.number().int().nullable().default(null) }).strict(),
    output: JudgeDetail,
    gate: 'after-import',
  },
  /** A new immutable version when prompt, model, parameters or examples changed. */
  'judges.save': {
    input: z
      .object({
        judgeId: z.number().int(),
        prompt: z.string().max(200_000),
        profileId: z.string().min(1),
        params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
        fewshotIds: z.array(z.number().int()).max(50),
      })
      .strict(),
    output: z.object({ version: JudgeVersionView, created: z.boolean(), warning: z.string().nullable() }),
    gate: 'write',
  },
  'judges.diff': {
    input: z.object({ from: z.number().int(), to: z.number().int() }).strict(),
    output: z.object({ prompt: z.array(DiffLine), changes: z.array(z.string()) }),
  },
  /** A draft template rendered on one item. */
  'judges.preview': {
    input: z
      .object({
        judgeId: z.number().int(),
        prompt: z.string().max(200_000),
        fewshotIds: z.array(z.number().int()).max(50),
        itemId: z.number().int(),
      })
      .strict(),
    output: z.object({ text: z.string(), tokens: z.number().int(), problems: z.array(z.string()) }),
  },
  'judges.estimate': {
    input: z
      .object({
        versionId: z.number().int(),
        scope: RunScope,
        itemIds: z.array(z.number().int()).max(1_000_000).optional(),
        batch: z.boolean().default(false),
      })
      .strict(),
    output: RunEstimate,
    gate: 'after-import',
  },
  /** How many items each run scope holds for a version's criterion (the run form names each scope with its count). */
  'judges.scopes': {
    input: z.object({ versionId: z.number().int() }).strict(),
    output: z.object({
      train: z.number().int(),
      dev: z.number().int(),
      test: z.number().int(),
      unlabeled: z.number().int(),
      all: z.number().int(),
    }),
    gate: 'after-import',
  },
  /** Starts a run and answers at once; progress comes as `judge.run` events. Test items need `confirmTest`. */
  'judges.run': {
    input: z
      .object({
        versionId: z.number().int(),
        scope: RunScope,
        itemIds: z.array(z.number().int()).max(1_000_000).optional(),
        confirmTest: z.boolean().default(false),
        concurrency: z.number().int().min(1).max(64).default(8),
        /** Through the endpoint's Batch API: half price, answers within 24 hours. */
        batch: z.boolean().default(false),
      })
      .strict(),
    output: RunView,
    gate: 'write',
  },
  /** Continues an interrupted or cancelled run; `retryErrors` calls the error items again too. */
  'judges.resume': {
    input: z
      .object({
        runId: z.number().int(),
        retryErrors: z.boolean().default(false),
        concurrency: z.number().int().min(1).max(64).default(8),
      })
      .strict(),
    output: RunView,
    gate: 'write',
  },
  'judges.cancel': {
    input: z.object({ runId: z.number().int() }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** A version's newest verdict per item (test items only once revealed), beside the human label. */
  'judges.verdicts': { input: z.object({ versionId: z.number().int() }).strict(), output: z.array(VerdictView) },
  /** The train/dev/test shares and seed of a criterion; items already assigned keep their split. */
  /**
   * New shares and seed for a criterion's splits; items are placed again only while no judge depends on them (the
   * message says which).
   */
  'judges.splits': {
    input: z.object({ criterionId: z.number().int(), ratios: SplitRatios }).strict(),
    output: z.object({ replaced: z.number().int(), message: z.string() }),
    gate: 'write',
  },

  /** Judge versions that can be calibrated (for the picker). */
  'calibrate.choices': { input: none, output: z.array(z.object({ versionId: z.number().int(), label: z.string() })) },
  /**
   * Matrices per split, TPR/TNR, the corrected rate with its named interval (stored as an estimate), slices,
   * comparisons.
   */
  'calibrate.get': { input: CalibrateRequest, output: CalibrationView, gate: 'after-import' },
  /** Sets a criterion's quality targets for TPR and TNR (kept in the project; the report uses them). */
  'calibrate.targets': {
    input: z.object({ criterionId: z.number().int(), targets: Targets }).strict(),
    output: Targets,
    gate: 'write',
  },
  /**
   * Draws production items for a version's audit, stratified by its verdict (a new audit, or the newest extended),
   * and starts a blind session that labels them.
   */
  'audit.start': { input: AuditRequest, output: AuditStarted, gate: 'write' },
  /** The items of one confusion-matrix cell: critique beside the human note. */
  'calibrate.cell': {
    input: CellRequest,
    output: z.array(CellItem),
  },

  /** The calibration report's data (the Report screen renders it live). Shows test results: recorded. */
  'report.get': { input: ReportRequest, output: ReportData, gate: 'after-import' },
  /** The report as a file: self-contained HTML, Markdown, JSON or PDF (base64, with a file name). */
  'report.render': {
    input: ReportRequest.extend({ format: z.enum(REPORT_FORMATS) }).strict(),
    output: z.object({ filename: z.string(), mime: z.string(), base64: z.string() }),
    gate: 'after-import',
  },

  /** Sniffs a file: its format, columns, a suggested mapping and the first rows as they would import. */
  /**
   * The file's format, a suggested mapping (label columns a verdicts file merely repeats are offered, not mapped) and
   * its preview.
   */
  'import.detect': {
    input: ImportSource,
    output: z.object({
      detected: DetectedInfo,
      mapping: Mapping,
      offered: z.array(OfferedLabel),
      preview: PreviewResult,
    }),
  },
  /**
   * The arrays a JSON object's records may come from (`import.detect`'s `recordsKey`), as detection
   * chooses among them: more than one when the user must choose; none for a file that is no JSON object.
   */
  'import.arrays': {
    input: z.object({ path: z.string().trim().min(1) }).strict(),
    output: z.object({ keys: z.array(z.string()) }),
  },
  /** The first rows of a file mapped with the given mapping, for the wizard's preview. */
  'import.preview': {
    input: ImportSource.extend({ format: FileFormat, mapping: Mapping }).strict(),
    output: PreviewResult,
  },
  /** Imports a file atomically (progress as `progress` events with task "import"). */
  'import.run': { input: ImportStart, output: ImportReport, gate: 'import' },
  'import.cancel': { input: none, output: z.object({ cancelled: z.boolean() }) },
  /** Native dialog for a file to import; only the Electron shell has one. */
  'import.pick': { input: none, output: z.object({ path: z.string().nullable() }) },

  /**
   * Data → "Receive traces": an OTLP/HTTP receiver on 127.0.0.1 writing into the open project (as `assay collect`);
   * each committed request comes as a `collect.batch` event. It stops when the project closes.
   */
  'collect.start': { input: CollectStart, output: CollectStatus, gate: 'write' },
  'collect.stop': { input: none, output: CollectStatus },
  'collect.status': { input: none, output: CollectStatus },

  /**
   * File → Export…: items with labels, the label history or judgy's arrays — saved where the user chooses (desktop) or
   * downloaded (serve).
   */
  'export.run': { input: ExportRequest, output: ExportResult, gate: 'after-import' },

  /** File → Merge project…: another copy of the project merged into the open one, as `assay merge` does. */
  'merge.run': { input: z.object({ path }).strict(), output: MergeReport, gate: 'write' },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType; gate?: Gate }>

/** Events the core pushes to the renderer (IPC `webContents.send` or server-sent events). */
export const events = {
  'project.changed': z.object({ project: ProjectInfo.nullable() }),
  /** Something is wrong with the open project file (e.g. the background integrity check failed). */
  'project.problem': z.object({ path: z.string(), message: z.string() }),
  progress: z.object({
    task: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    detail: z.string().optional(),
  }),
  /**
   * The shell's menu asks the renderer for a dialog: File → Export…, File → Merge Project…, Help → Keyboard Shortcuts
   * (the `?` overlay).
   */
  'app.command': z.object({ command: z.enum(['export', 'merge', 'shortcuts']) }),
  /** The shell asks the renderer to show a screen (File → Export report…). */
  'app.navigate': z.object({
    screen: z.enum(['start', 'data', 'label', 'analyze', 'judges', 'calibrate', 'report', 'settings']),
  }),
  /** Human labels changed (a save, an undo, a tag, an import): matrices and estimates are stale. */
  'labels.changed': z.object({}),
  /** A judge version's test results were shown for the first time: item views that said `hidden` are stale. */
  'test.revealed': z.object({ versionId: z.number().int() }),
  /** The receiver committed an export request (Data → "Receive traces"): the items table is stale. */
  'collect.batch': CollectBatch,
  /** A judge run's counts as they change (about ten times a second), and once more when it ends. */
  'judge.run': RunView,
} as const satisfies Record<string, z.ZodType>

export type Contract = typeof contract
export type Method = keyof Contract
export type Input<M extends Method> = z.input<Contract[M]['input']>
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>
export type Output<M extends Method> = z.output<Contract[M]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName]

export const methodNames = Object.keys(contract) as Method[]

/** The IPC channel of a method: one channel per method, never a generic "invoke". */
export const channelOf = (method: Method): string => `assay:${method}`
export const EVENT_CHANNEL = 'assay:event'
/**
 * Renderer → desktop shell, one way: whether a labeling session is open (`true`/`false`), so an update never
 * restarts the app in the middle of one. Not a contract method: only the Electron shell has anything to do with it.
 */
export const LABELING_CHANNEL = 'assay:labeling'

type Namespace<M> = M extends `${infer N}.${string}` ? N : never
type Leaf<M, N extends string> = M extends `${N}.${infer V}` ? V : never

/** `window.assay`: one function per method, grouped by namespace (`assay.items.list(...)`). */
/** A file dropped on the window: a DOM File in the renderer (shared/ names no DOM type). */
export interface DroppedFile {
  readonly name: string
}

export type Bridge = {
  [N in Namespace<Method>]: {
    [M in Method as Leaf<M, N>]: (input: Input<M>) => Promise<Envelope<Output<M>>>
  }
} & {
  onEvent(listener: (event: AnyEvent) => void): () => void
  /** The path of a file dropped on the window (Electron's webUtils.getPathForFile; '' for a file not on disk). */
  pathForFile(file: DroppedFile): string
  /** Tells the desktop shell a labeling session opened or closed (LABELING_CHANNEL). */
  reportLabeling(open: boolean): void
}

/** Splits `items.list` into its namespace and leaf; used to build the nested bridge object. */
export function splitMethod(method: Method): [string, string] {
  const dot = method.indexOf('.')
  return [method.slice(0, dot), method.slice(dot + 1)]
}
