import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRng } from '../../shared/stats/rng'
import { migrations } from '../core/db/migrations'
import { openContext } from '../core/context'
import { writeDemoProject } from '../core/demo'
import type { BenchRow, BenchSuite } from './types'

/** Characters per trace in the bench project (DESIGN §6 asks for 5 KB traces). */
export const TRACE_BYTES = 5_000

/**
 * The large synthetic project the benches share, written once per size and schema version into
 * the temp folder (it takes a few seconds). Returns the write speed when it had to write it.
 */
export function benchProject(
  quick: boolean,
  log: (line: string) => void,
): Promise<{ path: string; size: number; label: string; written: BenchRow | null }> {
  const size = quick ? 10_000 : 100_000
  const label = quick ? '10k' : '100k'
  const dir = join(tmpdir(), 'assay-bench')
  // Named after the schema's text, so a changed migration writes a new bench project.
  const schema = createHash('sha1')
    .update(migrations.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 10)
  const path = join(dir, `items-${size}-${TRACE_BYTES}b-${schema}.assay`)
  let written: BenchRow | null = null
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true })
    log(`writing a ${label}-item project to ${path} (once)…`)
    const partial = `${path}.partial`
    rmSync(partial, { force: true })
    const started = performance.now()
    const { items } = writeDemoProject(partial, { unlabeled: size - 350, traceBytes: TRACE_BYTES })
    const ms = performance.now() - started
    renameSync(partial, path)
    written = {
      name: `write ${label}-item synthetic project (5 KB traces with steps, labels, verdicts)`,
      value: Math.round(items / (ms / 1000)),
      unit: 'rows/s',
    }
  }
  return Promise.resolve({ path, size, label, written })
}

/** Opening and paging a large project: the Data screen's first page and its scrolling. */
export const projectBench: BenchSuite = async ({ quick, log }) => {
  const { path, size, label, written } = await benchProject(quick, log)
  const rows: BenchRow[] = written ? [written] : []

  // The app's open path: the integrity check runs in a worker thread, measured separately.
  const opens: number[] = []
  const checks: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    const { repos, integrity, close } = openContext(path, { integrity: 'background' })
    const page = repos.items.list(0, 50)
    opens.push(performance.now() - started)
    if (page.total !== size) throw new Error(`bench project has ${page.total} items, expected ${size}`)
    const problems = await integrity
    checks.push(performance.now() - started)
    if (problems.length) throw new Error(`bench project failed its integrity check: ${problems.join('; ')}`)
    close()
  }
  rows.push({
    name: `open ${label}-item project + first page of 50 (median of 5)`,
    value: median(opens),
    unit: 'ms',
    target: { value: 500, better: 'lower' },
  })
  rows.push({
    name: `open ${label}-item project + first page of 50 (worst of 5)`,
    value: Math.max(...opens),
    unit: 'ms',
    target: { value: 500, better: 'lower' },
  })
  rows.push({
    name: `integrity check of the ${label}-item file, in a worker (median)`,
    value: median(checks),
    unit: 'ms',
    note: 'does not block the first page',
  })

  const project = openContext(path)
  try {
    const { items } = project.repos
    const rng = createRng(1)
    const pages = timeEach(200, () => items.list(rng.nextInt(size - 100), 100))
    rows.push({ name: 'page of 100 rows at a random offset (median)', value: median(pages), unit: 'ms' })
    rows.push({
      name: 'page of 100 rows at a random offset (p95)',
      value: quantile(pages, 0.95),
      unit: 'ms',
      target: { value: 16, better: 'lower' },
    })
    const gets = timeEach(200, () => items.get(1 + rng.nextInt(size)))
    rows.push({ name: 'one whole item for the detail pane (p95)', value: quantile(gets, 0.95), unit: 'ms' })
    const needles = ['lentil', 'battery', 'tofu stir', 'coral', 'sleep and']
    const searches = needles.map((needle) => timeEach(1, () => items.list(0, 100, { search: needle }))[0])
    rows.push({ name: `substring search over ${label} items, new query (median)`, value: median(searches), unit: 'ms' })
  } finally {
    project.close()
  }
  return rows
}

function timeEach(n: number, fn: () => unknown): number[] {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    fn()
    times.push(performance.now() - started)
  }
  return times
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

export const median = (values: number[]): number => quantile(values, 0.5)
