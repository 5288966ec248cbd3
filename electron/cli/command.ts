/**
 * The shape of one `assay` sub-command. Commands get their streams through `CliIo` instead of
 * touching `process` so tests can run them in-process and read what they printed.
 */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  /** The whole of standard input (for `--input -`). */
  readStdin(): Promise<string>
  cwd: string
  env: NodeJS.ProcessEnv
}

export interface Command {
  /** One line for `assay --help`. */
  summary: string
  /** The full `assay <cmd> --help` text. */
  usage: string
  /** Runs the command; gives (or resolves to) the process exit code. */
  run(args: string[], io: CliIo): Promise<number> | number
}

/** A user-facing failure: printed on stderr (or as JSON with --json) with a non-zero exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
