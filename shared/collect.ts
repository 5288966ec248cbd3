/**
 * Data → "Receive traces": the local OTLP receiver (`assay collect` in the app) as the contract
 * sees it. Its state, and what each committed export request added, pushed as an event so the
 * Data table refreshes while traces arrive.
 */
import { z } from 'zod'

/** Whether the open project is receiving, and where exporters send (OTEL_EXPORTER_OTLP_ENDPOINT). */
export const CollectStatus = z.object({
  running: z.boolean(),
  /** `http://127.0.0.1:4318`; null when not running. */
  endpoint: z.string().nullable(),
  /** Traces received since the receiver started (new items). */
  traces: z.number().int(),
  spans: z.number().int(),
})
export type CollectStatus = z.infer<typeof CollectStatus>

/** Start receiving: the port (4318, OTLP/HTTP's, by default; 0 = any free one). Always on 127.0.0.1. */
export const CollectStart = z.object({ port: z.number().int().min(0).max(65535).optional() }).strict()

/** One committed export request. */
export const CollectBatch = z.object({
  newTraces: z.number().int(),
  grownTraces: z.number().int(),
  spans: z.number().int(),
  heldBack: z.number().int(),
  /** Received traces in the project. */
  total: z.number().int(),
})
export type CollectBatch = z.infer<typeof CollectBatch>
