import { parseArgs } from 'node:util'
import { importBench } from '../bench/import'
import { judgeBench } from '../bench/judge'
import { projectBench } from '../bench/project'
import { uiBench } from '../bench/ui'
import { statsBench } from '../bench/stats'
import { scaleBench } from '../bench/scale'
import type { BenchRow, BenchSuite } from '../bench/types'
import type { Command } from './command'

const usage = `Usage: assay bench [--quick] [--json] [--only NAME]

Measures Assay's speed on this machine and prints a table (or JSON with --json).
Figures are wall-clock on whatever else the machine is doing: compare ratios within one run.

  --quick       smaller sizes, for a smoke test (seconds instead of a minute)
  --only NAME   run one suite: project, import, ui, stats, judge, scale (a million items; writes a
                ~2 GB project to the temp folder once)
  --json        print {"suites": {NAME: [{name, value, unit, target, note}]}}
  --help        show this help`

const suites: Partial<Record<string, BenchSuite>> = {
  project: projectBench,
  import: importBench,
  stats: statsBench,
  ui: uiBench,
  judge: judgeBench,
  scale: scaleBench,
}

export const benchCommand: Command = {
  summary: 'measure speed (project open, import, labeling, statistics, judge runs) and print a table',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        only: { type: 'string' },
      },
    })
    const chosen = values.only ? { [values.only]: suites[values.only] } : suites
    const results: Record<string, BenchRow[]> = {}
    for (const [name, suite] of Object.entries(chosen)) {
      if (!suite)
        throw new Error(`unknown bench suite "${values.only}"; choose one of: ${Object.keys(suites).join(', ')}`)
      results[name] = await suite({ quick: values.quick, log: (line) => io.stderr(`${line}\n`) })
    }
    io.stdout(values.json ? `${JSON.stringify({ suites: results }, null, 2)}\n` : table(results))
    return 0
  },
}

function table(results: Record<string, BenchRow[]>): string {
  const lines: string[] = []
  for (const [suite, rows] of Object.entries(results)) {
    lines.push(`\n${suite}`)
    const width = Math.max(...rows.map((r) => r.name.length))
    for (const r of rows) {
      const value = r.unit === 'ms' ? r.value.toFixed(r.value < 10 ? 2 : 1) : Math.round(r.value * 100) / 100
      const target = r.target
        ? ` (target ${r.target.better === 'lower' ? '≤' : '≥'} ${r.target.value} ${r.unit}: ${meets(r) ? 'ok' : 'MISSED'})`
        : ''
      lines.push(
        `  ${r.name.padEnd(width)}  ${String(value).padStart(10)} ${r.unit}${target}${r.note ? `  ${r.note}` : ''}`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

function meets(r: BenchRow): boolean {
  if (!r.target) return true
  return r.target.better === 'lower' ? r.value <= r.target.value : r.value >= r.target.value
}
