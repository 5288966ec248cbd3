import { main } from '../../electron/cli/index'
import type { CliIo } from '../../electron/cli/command'

/** Runs an `assay` command line in-process (the same `main` as the bin), capturing what it prints. */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(''),
    cwd,
    env,
  }
  const code = await main(args, io)
  // `json()` is the parsed output as JSON.parse gives it: a test reads the fields it checks, or names the type.
  return { code, stdout, stderr, json: () => JSON.parse(stdout) }
}
