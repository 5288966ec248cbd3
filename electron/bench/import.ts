import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { EMPTY_MAPPING, type Mapping } from '../../shared/import'
import { createRng } from '../../shared/stats/rng'
import { openProject } from '../core/db/open'
import { csvCell } from '../core/export'
import { runImport } from '../core/import/run'
import type { BenchRow, BenchSuite } from './types'

const TRACES: Mapping = { ...EMPTY_MAPPING, id: 'id', input: 'query', output: 'response', keepUnmapped: false }
const MAPPING: Mapping = {
  ...EMPTY_MAPPING,
  id: 'id',
  input: 'query',
  output: 'response',
  labels: [{ field: 'label', criterion: 'Overall', note: 'note', annotator: 'bench' }],
}

/** Writes a synthetic trace file (~330 bytes a row, multi-line cells) once, for the import bench. */
async function traceFile(format: 'csv' | 'jsonl', rows: number): Promise<string> {
  const dir = join(tmpdir(), 'assay-bench')
  const path = join(dir, `traces-${rows}.${format}`)
  if (existsSync(path)) return path
  mkdirSync(dir, { recursive: true })
  const rng = createRng(3)
  const out = createWriteStream(`${path}.partial`)
  if (format === 'csv') out.write('id,query,response,label,note\n')
  for (let i = 0; i < rows; i++) {
    const row = {
      id: `t-${i}`,
      query: `How do I make a quick dinner number ${i} with ${rng.nextInt(9) + 1} ingredients?`,
      response: `## Recipe ${i}\n\n- item one\n- item "two", chopped\n\n1. Cook for ${rng.nextInt(40)} minutes.\n2. Serve hot, with a side of greens and a little lemon.`,
      label: rng.nextFloat() < 0.8 ? 'PASS' : 'FAIL',
      note: rng.nextFloat() < 0.2 ? 'too vague about timing' : '',
    }
    const line = format === 'csv' ? `${[row.id, row.query, row.response, row.label, row.note].map(csvCell).join(',')}\n` : `${JSON.stringify(row)}\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  const { renameSync } = await import('node:fs')
  renameSync(`${path}.partial`, path)
  return path
}

/** Imports of 200 000-row CSV and JSONL files: rows per second and how memory grows with file size. */
export const importBench: BenchSuite = async ({ quick, log }) => {
  const big = quick ? 20_000 : 200_000
  const small = big / 4
  const rows: BenchRow[] = []
  const variants = [
    { name: 'traces', mapping: TRACES },
    { name: 'traces + a label column', mapping: MAPPING },
  ]
  for (const format of ['csv', 'jsonl'] as const) {
    for (const variant of variants) {
      const growth: number[] = []
      for (const n of variant.mapping === MAPPING ? [small, big] : [big]) {
        const file = await traceFile(format, n)
        const project = join(tmpdir(), 'assay-bench', `import-${format}-${n}.assay`)
        removeProject(project)
        openProject(project, { mode: 'create' }).db.close()
        global.gc?.()
        const before = process.memoryUsage().rss
        let peak = before
        const started = performance.now()
        const report = await runImport(project, { file, format, mapping: variant.mapping, onError: 'abort', duplicates: 'abort' }, { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) })
        const ms = performance.now() - started
        if (!report.committed || report.imported !== n) throw new Error(`bench import of ${file} failed: ${JSON.stringify(report.errors.slice(0, 3))}`)
        growth.push((peak - before) / 1024 / 1024)
        if (n === big) rows.push({ name: `import ${n.toLocaleString('en-US')}-row ${format.toUpperCase()}: ${variant.name} (one transaction)`, value: Math.round(n / (ms / 1000)), unit: 'rows/s', target: { value: 100_000, better: 'higher' } })
        removeProject(project)
        log(`${format} ${variant.name} ${n}: ${Math.round(ms)} ms, RSS +${growth.at(-1)!.toFixed(1)} MB`)
      }
      if (growth.length === 2) {
        rows.push({ name: `${format.toUpperCase()} import, RSS growth at ${big.toLocaleString('en-US')} rows`, value: Math.round(growth[1]! * 10) / 10, unit: 'MB', note: `vs ${growth[0]!.toFixed(1)} MB at ${small.toLocaleString('en-US')} rows (flat = similar; SQLite's page cache is capped at 64 MB)` })
      }
    }
  }
  return rows
}

function removeProject(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
}
