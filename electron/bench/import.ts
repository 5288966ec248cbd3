import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { EMPTY_MAPPING, type Mapping } from '../../shared/import'
import { createRng } from '../../shared/stats/rng'
import { openProject } from '../core/db/open'
import { csvCell } from '../core/export'
import { parquetSink } from '../core/export-parquet'
import { runImport } from '../core/import/run'
import { median } from './project'
import type { BenchRow, BenchSuite } from './types'

const TRACES: Mapping = { ...EMPTY_MAPPING, id: 'id', input: 'query', output: 'response', keepUnmapped: false }
const MAPPING: Mapping = {
  ...EMPTY_MAPPING,
  id: 'id',
  input: 'query',
  output: 'response',
  labels: [{ field: 'label', criterion: 'Overall', note: 'note', annotator: 'bench' }],
}

type Format = 'csv' | 'jsonl' | 'parquet'
const COLUMNS = ['id', 'query', 'response', 'label', 'note']

/** Writes a synthetic trace file (~330 bytes a row, multi-line cells) once, for the import bench. */
async function traceFile(format: Format, rows: number): Promise<string> {
  const dir = join(tmpdir(), 'assay-bench')
  const path = join(dir, `traces-${rows}.${format}`)
  if (existsSync(path)) return path
  mkdirSync(dir, { recursive: true })
  const rng = createRng(3)
  const out = createWriteStream(`${path}.partial`)
  const write = async (chunk: string | Uint8Array) => {
    if (!out.write(chunk)) await once(out, 'drain')
  }
  // Parquet as `assay export` writes it: string columns, row groups of 5 000 rows.
  const parquet = format === 'parquet' ? parquetSink(COLUMNS, write) : null
  if (format === 'csv') out.write(`${COLUMNS.join(',')}\n`)
  for (let i = 0; i < rows; i++) {
    const row = {
      id: `t-${i}`,
      query: `How do I make a quick dinner number ${i} with ${rng.nextInt(9) + 1} ingredients?`,
      response: `## Recipe ${i}\n\n- item one\n- item "two", chopped\n\n1. Cook for ${rng.nextInt(40)} minutes.\n2. Serve hot, with a side of greens and a little lemon.`,
      label: rng.nextFloat() < 0.8 ? 'PASS' : 'FAIL',
      note: rng.nextFloat() < 0.2 ? 'too vague about timing' : '',
    }
    const cells = [row.id, row.query, row.response, row.label, row.note]
    if (parquet) await parquet.row(cells)
    else await write(format === 'csv' ? `${cells.map(csvCell).join(',')}\n` : `${JSON.stringify(row)}\n`)
  }
  await parquet?.end()
  out.end()
  await once(out, 'finish')
  const { renameSync } = await import('node:fs')
  renameSync(`${path}.partial`, path)
  return path
}

/** Timed imports of each 200 000-row file: the machine's noise (other tenants on two cores) moves one run by ±30%. */
const RUNS = 3

/** Imports of 200 000-row CSV, JSONL and Parquet files: rows per second and how memory grows with file size. */
export const importBench: BenchSuite = async ({ quick, log }) => {
  const big = quick ? 20_000 : 200_000
  const small = big / 4
  const rows: BenchRow[] = []
  // DESIGN §6's bar (≥ 150 000 rows/s) holds with or without a label column.
  const bar = { value: 150_000, better: 'higher' as const }
  const variants = [
    { name: 'traces', mapping: TRACES, target: bar },
    { name: 'traces + a label column', mapping: MAPPING, target: bar },
  ]
  for (const format of ['csv', 'jsonl', 'parquet'] as const) {
    // Parquet: the trace file only, against no bar (DESIGN §6's is for text files), to keep the bench short.
    for (const variant of format === 'parquet' ? [{ ...variants[0], target: undefined }] : variants) {
      const file = await traceFile(format, big)
      const withGrowth = variant.mapping === MAPPING
      // Memory: peak RSS growth at a quarter of the rows, then at all of them (flat = similar).
      const smallGrowth = withGrowth
        ? (await timedImport(await traceFile(format, small), format, small, variant.mapping)).growth
        : 0
      const runs: { ms: number; growth: number }[] = []
      for (let i = 0; i < RUNS; i++) {
        const run = await timedImport(file, format, big, variant.mapping)
        runs.push(run)
        log(`${format} ${variant.name} ${big}: ${Math.round(run.ms)} ms, RSS +${run.growth.toFixed(1)} MB`)
      }
      const rates = runs.map((r) => Math.round(big / (r.ms / 1000)))
      rows.push({
        name: `import ${big.toLocaleString('en-US')}-row ${format.toUpperCase()}: ${variant.name} (one transaction, median of ${RUNS})`,
        value: median(rates),
        unit: 'rows/s',
        target: variant.target,
        note: `runs ${rates.map((r) => r.toLocaleString('en-US')).join(' / ')}${variant.mapping === MAPPING ? '; an item and a label a row' : ''}`,
      })
      if (withGrowth) {
        const growth = Math.max(...runs.map((r) => r.growth))
        rows.push({
          name: `${format.toUpperCase()} import, RSS growth at ${big.toLocaleString('en-US')} rows (largest of ${RUNS})`,
          value: Math.round(growth * 10) / 10,
          unit: 'MB',
          note: `vs ${smallGrowth.toFixed(1)} MB at ${small.toLocaleString('en-US')} rows (flat = similar; SQLite's page cache is capped at 64 MB)`,
        })
      }
    }
  }
  // The same JSONL file as the app imports it into the project open in its window: the WAL kept.
  const file = await traceFile('jsonl', big)
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++)
    runs.push(Math.round(big / ((await timedImport(file, 'jsonl', big, TRACES, true)).ms / 1000)))
  rows.push({
    name: `import ${big.toLocaleString('en-US')}-row JSONL: traces, into a project the app has open (median of ${RUNS})`,
    value: median(runs),
    unit: 'rows/s',
    note: `runs ${runs.map((r) => r.toLocaleString('en-US')).join(' / ')}; written through the WAL (another connection reads meanwhile)`,
  })
  rows.push(...(await cliImportRows(quick, log)))
  return rows
}

/** Runs of the whole-process import: each takes seconds, and a median of three steadies the machine's noise. */
const CLI_RUNS = 3

/**
 * DESIGN §6's 1 000 000-row bar, measured as a user meets it: `assay import NEW.assay FILE` in a
 * process of its own (start-up, detection, the import and the checkpoint included), its wall time
 * and its peak RSS. The peak is the child's own `getrusage` high-water mark (`maxRSS`), printed
 * as it exits, so that nothing the bench itself holds is counted and no sample is missed.
 */
async function cliImportRows(quick: boolean, log: (line: string) => void): Promise<BenchRow[]> {
  const n = quick ? 100_000 : 1_000_000
  const file = await traceFile('jsonl', n)
  const runs: { ms: number; mb: number }[] = []
  for (let i = 0; i < (quick ? 1 : CLI_RUNS); i++) {
    const run = await cliImport(file, n)
    runs.push(run)
    log(`CLI import of ${n} JSONL rows: ${Math.round(run.ms)} ms, peak RSS ${run.mb.toFixed(0)} MB`)
  }
  const size = n.toLocaleString('en-US')
  const list = (values: number[]) => values.map((v) => Math.round(v).toLocaleString('en-US')).join(' / ')
  // The bars are for a million rows; a quick run's 100 000 is a smoke test of the same path.
  const bar = (value: number) => (quick ? undefined : { value, better: 'lower' as const })
  return [
    {
      name: `assay import of a ${size}-row JSONL (traces, a new project): wall time (median of ${runs.length})`,
      value: Math.round(median(runs.map((r) => r.ms))),
      unit: 'ms',
      target: bar(7000),
      note: `runs ${list(runs.map((r) => r.ms))}; a child process, start-up included`,
    },
    {
      name: `assay import of a ${size}-row JSONL: peak RSS of the process (median of ${runs.length})`,
      value: Math.round(median(runs.map((r) => r.mb))),
      unit: 'MB',
      target: bar(200),
      note: `runs ${list(runs.map((r) => r.mb))}; the child's getrusage maxRSS`,
    },
  ]
}

/** `node bin/assay.mjs import NEW FILE` with the trace mapping: its wall time and peak RSS. */
async function cliImport(file: string, n: number): Promise<{ ms: number; mb: number }> {
  // The bench runs from the CLI bundle (out/cli/assay.mjs); bin/assay.mjs is the command users run.
  const bin = fileURLToPath(new URL('../../bin/assay.mjs', import.meta.url))
  const project = join(tmpdir(), 'assay-bench', `cli-import-${n}.assay`)
  removeProject(project)
  // bin/assay.mjs reads process.argv from its third entry on: `-e` leaves only node's, so `bin` fills the second.
  const report = `process.on('exit', () => process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS + '\\n'))`
  const args = ['--input-type=module', '-e', `${report}; await import(process.argv[1])`, bin]
  const map = ['--map', 'id=id', '--map', 'input=query', '--map', 'output=response', '--map', 'label=']
  const started = performance.now()
  const child = spawn(process.execPath, [...args, 'import', project, file, ...map, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code] = (await once(child, 'close')) as [number | null]
  const ms = performance.now() - started
  removeProject(project)
  const kb = /maxRSS (\d+)/.exec(stderr)?.[1]
  const imported = code === 0 ? (JSON.parse(stdout) as { imported?: number }).imported : undefined
  if (imported !== n || kb === undefined)
    throw new Error(
      `bench CLI import of ${file} failed (exit ${code}): ${stderr.slice(0, 500)} ${stdout.slice(0, 500)}`,
    )
  return { ms, mb: Number(kb) / 1024 }
}

/**
 * One import of `file` into a new project: its time and the peak growth of the process's RSS.
 * `appOpen`: with the project open on another connection meanwhile, as when the app imports into
 * the project in its window (the import then keeps the WAL: see run.ts).
 */
async function timedImport(
  file: string,
  format: Format,
  n: number,
  mapping: Mapping,
  appOpen = false,
): Promise<{ ms: number; growth: number }> {
  const project = join(tmpdir(), 'assay-bench', `import-${format}-${n}.assay`)
  removeProject(project)
  const created = openProject(project, { mode: 'create' }).db
  if (!appOpen) created.close()
  global.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const started = performance.now()
  const report = await runImport(
    project,
    { file, format, mapping, onError: 'abort', duplicates: 'abort' },
    { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) },
  )
  const ms = performance.now() - started
  if (created.open) created.close()
  if (!report.committed || report.imported !== n)
    throw new Error(`bench import of ${file} failed: ${JSON.stringify(report.errors.slice(0, 3))}`)
  removeProject(project)
  return { ms, growth: (peak - before) / 1024 / 1024 }
}

function removeProject(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}
