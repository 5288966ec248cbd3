import { performance } from 'node:perf_hooks'
import type { ItemFilter, ItemSort } from '../../shared/domain'
import { createRng } from '../../shared/stats/rng'
import { DEFAULT_FILTER } from '../../shared/table-query'
import { openContext, type ProjectContext } from '../core/context'
import { benchProject, median, quantile } from './project'
import type { BenchRow, BenchSuite } from './types'

/** Characters per trace in the scale projects: 1 KB keeps the million-item file near 2 GB with its index. */
const SCALE_TRACE_BYTES = 1_000

type Query = { search?: string; filter?: ItemFilter; sort?: ItemSort }
const filter = (f: Partial<ItemFilter>): Query => ({ filter: { ...DEFAULT_FILTER, ...f } })

/**
 * What the Data screen asks the project for, each time as a new query (the id cache is per query):
 * the first page of the table after a filter, a sort or a search, a far page, a row found by id.
 */
const ACTIONS: { name: string; run: (p: ProjectContext, size: number, i: number) => unknown }[] = [
  {
    name: 'filter Overall label = fail → first page',
    run: (p) => p.repos.items.list(0, 100, filter({ label: 'fail' })),
  },
  { name: 'filter labeled → first page', run: (p) => p.repos.items.list(0, 100, filter({ label: 'labeled' })) },
  { name: 'filter unlabeled → first page', run: (p) => p.repos.items.list(0, 100, filter({ label: 'unlabeled' })) },
  { name: 'filter judge = fail → first page', run: (p) => p.repos.items.list(0, 100, filter({ judge: 'fail' })) },
  {
    name: 'filter judge disagrees → first page',
    run: (p) => p.repos.items.list(0, 100, filter({ label: 'labeled', judge: 'disagree' })),
  },
  {
    name: 'sort by label → first page',
    run: (p) => p.repos.items.list(0, 100, { sort: { by: 'label', desc: true } }),
  },
  {
    name: 'search, new query → first page',
    run: (p, _, i) => p.repos.items.list(0, 100, { search: ['lentil', 'coral bleaching', 'vegan tofu'][i % 3] }),
  },
  {
    name: 'jump to a far page (id list built)',
    run: (p, size) => p.repos.items.list(Math.floor(size * 0.9), 100, { sort: { by: 'id', desc: true } }),
  },
  {
    name: 'find a row by its id (g)',
    run: (p, size) => {
      const externalId = p.db
        .prepare('SELECT external_id FROM items WHERE id = ?')
        .pluck()
        .get(size - 400) as string
      return p.repos.items.locate(externalId)
    },
  },
  { name: 'filter bar facets', run: (p) => p.repos.items.facets() },
]

/**
 * Each action once per run on a project newly opened as the app opens it, `runs` times: the median. Every action is a
 * query the project has not answered yet (the id cache is per query). The file's integrity check,
 * measured apart, is put off past the bench's end: it would read the whole file during each run.
 */
function timeActions(path: string, size: number, runs: number): Map<string, number> {
  const times = new Map<string, number[]>()
  for (let i = 0; i < runs; i++) {
    const project = openContext(path, { integrity: 'background', checkDelayMs: 3_600_000 })
    try {
      // Opened as the app opens it (its counts and first page, timed apart), before any action.
      project.repos.project.counts()
      project.repos.items.list(0, 50)
      for (const action of ACTIONS) {
        const started = performance.now()
        action.run(project, size, i)
        times.set(action.name, [...(times.get(action.name) ?? []), performance.now() - started])
      }
    } finally {
      project.close()
    }
  }
  return new Map([...times].map(([name, t]) => [name, median(t)]))
}

/** `items.countMatching` of a query on a newly opened project, as the table asks it: the median of `runs`. */
async function timeCount(path: string, query: Query, runs: number): Promise<{ ms: number; total: number }> {
  const times: number[] = []
  let total = 0
  for (let i = 0; i < runs; i++) {
    const project = openContext(path, { integrity: 'background', checkDelayMs: 3_600_000 })
    try {
      project.repos.items.list(0, 100, query)
      const started = performance.now()
      total = await project.repos.items.countMatching(query)
      times.push(performance.now() - started)
    } finally {
      project.close()
    }
  }
  return { ms: median(times), total }
}

/**
 * Opening the project as the app does: the file, the Start screen's counts, the first page; the
 * integrity check runs in its worker afterwards (awaited, so it never overlaps the next measurement).
 */
async function timeOpen(path: string, runs: number): Promise<{ opens: number[]; checks: number[] }> {
  const opens: number[] = []
  const checks: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const project = openContext(path, { integrity: 'background' })
    project.repos.project.counts()
    project.repos.items.list(0, 50)
    opens.push(performance.now() - started)
    const problems = await project.integrity
    checks.push(performance.now() - started)
    project.close()
    if (problems.length) throw new Error(`${path} failed its integrity check: ${problems.join('; ')}`)
  }
  return { opens, checks }
}

/**
 * A million items (1 KB traces) against a hundred thousand of the same: opening to the first
 * page, and every Data-screen action at 1 M within twice its time at 100 k (`--quick`: 100 k
 * against 10 k). The million-item project is written once (a few minutes) and kept in the temp folder.
 */
export const scaleBench: BenchSuite = async ({ quick, log }) => {
  const [small, large] = quick ? [10_000, 100_000] : [100_000, 1_000_000]
  const base = await benchProject(quick, log, { size: small, traceBytes: SCALE_TRACE_BYTES })
  const big = await benchProject(quick, log, { size: large, traceBytes: SCALE_TRACE_BYTES })
  const rows: BenchRow[] = [...base.written, ...big.written]
  const { opens, checks } = await timeOpen(big.path, 3)
  const smallOpens = (await timeOpen(base.path, 3)).opens
  rows.push({
    name: `open ${big.label}-item project → counts and first page of 50 (median of 3)`,
    value: median(opens),
    unit: 'ms',
    target: { value: 300, better: 'lower' },
    note: `worst ${Math.max(...opens).toFixed(1)} ms; ${median(smallOpens).toFixed(1)} ms at ${base.label}`,
  })
  rows.push({
    name: `  its integrity check, in a worker after the first page (median)`,
    value: median(checks),
    unit: 'ms',
  })
  const runs = 3
  const at = { small: timeActions(base.path, small, runs), large: timeActions(big.path, large, runs) }
  for (const action of ACTIONS) {
    const [s, l] = [at.small.get(action.name) ?? NaN, at.large.get(action.name) ?? NaN]
    rows.push({
      name: `${action.name}: ${big.label} ÷ ${base.label}`,
      value: l / s,
      unit: 'x',
      target: { value: 2, better: 'lower' },
      note: `${l.toFixed(1)} ms at ${big.label}, ${s.toFixed(1)} ms at ${base.label} (median of ${runs} opens)`,
    })
  }
  // The exact counts behind those first pages, asked while the table is already shown.
  for (const [name, query, how] of [
    ['judge = fail', filter({ judge: 'fail' }), 'listed in a worker'],
    ['search "lentil"', { search: 'lentil' }, 'counted by FTS5 without listing'],
  ] as const) {
    const counted = await timeCount(big.path, query, runs)
    rows.push({
      name: `  ${name}: its exact count after the first page, ${big.label} items (median)`,
      value: counted.ms,
      unit: 'ms',
      note: `${counted.total.toLocaleString('en')} rows, ${how}; the page was shown without waiting for it`,
    })
  }
  const rng = createRng(4)
  const project = openContext(big.path, { integrity: 'background', checkDelayMs: 3_600_000 })
  try {
    const { items } = project.repos
    items.list(0, 100, { sort: { by: 'id', desc: true } })
    const pages: number[] = []
    for (let i = 0; i < 200; i++) {
      const started = performance.now()
      items.list(rng.nextInt(large - 100), 100, { sort: { by: 'id', desc: true } })
      pages.push(performance.now() - started)
    }
    rows.push({
      name: `scroll: page of 100 at a random offset, ${big.label} items (p95 of 200)`,
      value: quantile(pages, 0.95),
      unit: 'ms',
      target: { value: 16, better: 'lower' },
    })
  } finally {
    project.close()
  }
  return rows
}
