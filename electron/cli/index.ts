import { version } from '../../package.json'
import { toErrorData } from '../../shared/errors'
import { auditCommand } from './audit'
import { benchCommand } from './bench'
import { collectCommand } from './collect'
import { CliError, type CliIo, type Command } from './command'
import { criterionCommand } from './criterion'
import { demoCommand } from './demo'
import { exportCommand } from './export'
import { importCommand } from './import'
import { judgeCommand } from './judge'
import { mergeCommand } from './merge'
import { reportCommand } from './report'
import { fakeLlmCommand } from './fake-llm'
import { estimateCommand } from './estimate'
import { serveCommand } from './serve'
import { taxonomyCommand } from './taxonomy'

/** Every `assay` sub-command; `assay --help` lists them in this order. */
export const commands: Record<string, Command> = {
  serve: serveCommand,
  import: importCommand,
  collect: collectCommand,
  export: exportCommand,
  merge: mergeCommand,
  criterion: criterionCommand,
  judge: judgeCommand,
  demo: demoCommand,
  estimate: estimateCommand,
  audit: auditCommand,
  report: reportCommand,
  taxonomy: taxonomyCommand,
  bench: benchCommand,
  'fake-llm': fakeLlmCommand,
}

const help = () =>
  `Assay ${version}: label LLM traces and calibrate LLM-as-judge evaluators.

Usage: assay <command> [options]

${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run \`assay <command> --help\` for a command's options. --json gives machine-readable output.
`

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
  cwd: process.cwd(),
  env: process.env,
}

/** Runs one command line; resolves to the exit code. Errors go to stderr (or stdout as JSON with --json). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help())
    return name ? 0 : 1
  }
  if (name === '--version') {
    io.stdout(`${version}\n`)
    return 0
  }
  // Own names only: `assay constructor` is an unknown command, not Object's constructor.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!command) {
    io.stderr(`assay: unknown command "${name}". Run \`assay --help\` for the list.\n`)
    return 2
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    const code =
      error instanceof CliError
        ? error.code
        : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
          ? 'bad_arguments'
          : toErrorData(error).kind
    const message = error instanceof Error ? error.message : String(error)
    if (args.includes('--json')) io.stdout(`${JSON.stringify({ error: code, message })}\n`)
    else io.stderr(`assay ${name}: ${message}\n`)
    return 1
  }
}
