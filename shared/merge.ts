import { z } from 'zod'

/**
 * What `assay merge TARGET SOURCE…` and File → Merge project… report (issue 20, item 7): per
 * source project, what was added to the target and what could not be, so an annotator can check
 * the counts by hand. Declared once here so the CLI's `--json`, the app's dialog and the tests
 * read the same shape.
 */
const Count = z.object({ annotator: z.string(), n: z.number().int() })

/** An item of the source that was not merged, and why. */
export const MergeConflict = z.object({
  id: z.string(),
  dataset: z.string(),
  /** "another output (…) than the target's (…)", "the id names items in 2 datasets of the target", … */
  reason: z.string(),
})
export type MergeConflict = z.infer<typeof MergeConflict>

/** A criterion whose current definition differs between the two projects (the target's is kept). */
export const DifferingCriterion = z.object({ name: z.string(), target: z.string(), source: z.string() })

export const SourceReport = z.object({
  path: z.string(),
  items: z.object({
    added: z.number().int(),
    matched: z.number().int(),
    /** Matched items whose empty input, output, messages or steps were filled in from the source. */
    filled: z.number().int(),
    conflicting: z.array(MergeConflict),
  }),
  datasets: z.object({ added: z.array(z.string()) }),
  labels: z.object({
    /** Label rows copied (undo rows included), per annotator. */
    added: z.array(Count),
    /** Rows the target had already (same item, criterion, annotator, verdict, note and time). */
    unchanged: z.number().int(),
    /**
     * Rows of an annotator who also labeled the item in the target, older than the target's
     * newest row there: the later label stays current, so these are not copied.
     */
    superseded: z.array(Count),
    /** Rows on conflicting items or refused criteria: not merged. */
    skipped: z.number().int(),
  }),
  criteria: z.object({
    added: z.array(z.string()),
    differing: z.array(DifferingCriterion),
    refused: z.array(z.object({ name: z.string(), reason: z.string() })),
  }),
  judges: z.object({
    versionsAdded: z.array(
      z.object({ criterion: z.string(), judge: z.string(), version: z.number().int(), from: z.number().int() }),
    ),
    versionsMatched: z.number().int(),
    versionsRefused: z.array(
      z.object({ criterion: z.string(), judge: z.string(), version: z.number().int(), reason: z.string() }),
    ),
    runsAdded: z.number().int(),
    runsMatched: z.number().int(),
    verdictsAdded: z.number().int(),
    /** Verdicts on conflicting items: not merged. */
    verdictsSkipped: z.number().int(),
  }),
  splits: z.object({
    /** Splits copied with a criterion new to the target. */
    copied: z.number().int(),
    /** Items newly labeled on a criterion of the target, placed by the usual rule. */
    placed: z.number().int(),
  }),
})
export type SourceReport = z.infer<typeof SourceReport>

export const MergeReport = z.object({
  target: z.string(),
  sources: z.array(SourceReport),
  /** Whether anything was written (false on a second merge of the same sources). */
  changed: z.boolean(),
  /** What a merge never copies, said in every report. */
  notCopied: z.string(),
})
export type MergeReport = z.infer<typeof MergeReport>

/** The sentence every merge report carries about what stays behind in the sources. */
export const NOT_COPIED =
  "Labeling sessions, estimates, production audits and the request cache are not copied: merged labels keep their annotator, note and time but belong to no session (a source's blind re-labels count only in the source)."
