import { z } from 'zod'
import { ErrorPolicySchema } from './calibrate'

/**
 * What File → Export… (and `e` on the Data screen) writes — the same files as `assay export`:
 * one row per item with its current labels (`items`), every label ever saved (`history`), or
 * judgy's arrays for one judge's newest version under an error policy (`judgy`).
 */
export const EXPORT_KINDS = ['items', 'history', 'judgy'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
/** CSV, JSON Lines, or Parquet (the CSV's columns as nullable strings, for a notebook). */
export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const ExportRequest = z
  .object({
    what: z.enum(EXPORT_KINDS),
    /** CSV, JSON Lines or Parquet for `items` and `history`; judgy's arrays are always one JSON object. */
    format: z.enum(EXPORT_FORMATS).default('csv'),
    judge: z.string().trim().min(1).max(200).optional(),
    /** With `judgy`: what an error verdict becomes in the 0/1 arrays (as `assay export --judgy --errors`). */
    errors: ErrorPolicySchema.default('exclude'),
  })
  .strict()
  .refine((r) => r.what !== 'judgy' || r.judge !== undefined, {
    error: "judgy's arrays are per judge: choose one",
    path: ['judge'],
  })
export type ExportRequest = z.infer<typeof ExportRequest>

/**
 * Where the export went. The desktop app writes it to the path chosen in the save dialog
 * (`saved`); `assay serve` gives a one-time link the browser downloads it from (`download`);
 * `cancelled` when the user closed the dialog.
 */
export const ExportResult = z.discriminatedUnion('via', [
  z.object({ via: z.literal('saved'), path: z.string(), message: z.string() }),
  z.object({ via: z.literal('download'), url: z.string(), filename: z.string(), message: z.string() }),
  z.object({ via: z.literal('cancelled') }),
])
export type ExportResult = z.infer<typeof ExportResult>
