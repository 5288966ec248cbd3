/** One line of the `assay bench` table (and one object of its JSON). */
export interface BenchRow {
  /** What was measured, e.g. "open 100k project + first page". */
  name: string
  value: number
  unit: 'ms' | 'rows/s' | 'x' | 'count' | 'MB' | '%'
  /** The quality bar from DESIGN §6, when there is one; `lower` means smaller is better. */
  target?: { value: number; better: 'lower' | 'higher' }
  note?: string
}

/** A group of measurements that `assay bench` runs; `quick` trims sizes for a smoke test. */
export type BenchSuite = (options: { quick: boolean; log: (line: string) => void }) => Promise<BenchRow[]>
