import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeDemoProject } from '../core/demo'
import { CliError, type Command } from './command'

const usage = `Usage: assay demo PATH [--seed S] [--unlabeled N] [--json]

Writes the synthetic demo project (made-up traces, labels and judge verdicts, marked
synthetic) to PATH. The same seed always gives the same project.

  --seed S        random seed (default 7)
  --unlabeled N   unlabeled production traces with judge verdicts (default 1200)
  --json          print {"path", "items", "labels"}
  --help          show this help`

export const demoCommand: Command = {
  summary: 'write the synthetic demo project',
  usage,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        seed: { type: 'string', default: '7' },
        unlabeled: { type: 'string', default: '1200' },
        json: { type: 'boolean', default: false },
      },
    })
    if (positionals.length !== 1)
      throw new CliError('bad_arguments', 'demo needs exactly one PATH, e.g. `assay demo demo.assay`.')
    const seed = Number(values.seed)
    const unlabeled = Number(values.unlabeled)
    if (!Number.isInteger(seed))
      throw new CliError('bad_arguments', `--seed must be a whole number, got "${values.seed}".`)
    if (!Number.isInteger(unlabeled) || unlabeled < 0)
      throw new CliError('bad_arguments', `--unlabeled must be a whole number ≥ 0, got "${values.unlabeled}".`)
    const path = resolve(io.cwd, positionals[0])
    const result = writeDemoProject(path, { seed, unlabeled })
    io.stdout(
      values.json
        ? `${JSON.stringify({ path, ...result })}\n`
        : `Wrote the synthetic demo project to ${path}: ${result.items} items, ${result.labels} labeled.\nOpen it with: assay serve ${positionals[0]}\n`,
    )
    return 0
  },
}
