import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { repoRoot } from './paths'

/**
 * Starts the built `assay serve … --port 0 --json` (through `wrap`, e.g. as another user), waits
 * for its line with the port and token, and returns a client of its API. Call `stop()` when done.
 */
export async function startServe(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; wrap?: (command: string, argv: string[]) => [string, string[]] },
) {
  const argv = [join(repoRoot, 'bin/assay.mjs'), 'serve', ...args, '--port', '0', '--json']
  const [command, rest] = options.wrap ? options.wrap(process.execPath, argv) : [process.execPath, argv]
  const child = spawn(command, rest, { cwd: options.cwd, env: options.env })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
  })
  const { port, token } = JSON.parse(line) as { port: number; token: string }
  /** Calls one method of the contract; resolves to its envelope. */
  const api = async (method: string, input: unknown = {}): Promise<unknown> =>
    (
      await fetch(`http://127.0.0.1:${port}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      })
    ).json()
  return { api, stderr: () => stderr, stop: () => void child.kill('SIGTERM') }
}
