import { main } from '../../electron/cli/index'
import type { CliIo } from '../../electron/cli/command'

/** Runs an `assay` command line in-process (the same `main` as the bin), capturing what it prints. */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    cwd,
    env,
  }
  const code = await main(args, io)
  return { code, stdout, stderr, json: <T = Record<string, unknown>>() => JSON.parse(stdout) as T }
}
