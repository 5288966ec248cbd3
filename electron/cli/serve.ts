import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { version } from '../../package.json'
import { createServices } from '../core/services'
import { createSettingsStore, defaultSettingsDir } from '../core/settings'
import { isLoopback, startServer, type RunningServer } from '../server'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay serve [PROJECT] [--port N] [--host H] [--json]

Serves Assay in your browser: the same app as the desktop window, over HTTP.
Prints one line with the address to open; every request needs the token in it.

  PROJECT     a .assay file to open (optional; without it you get the Start screen)
  --port N    port to listen on (default 0 = any free port)
  --host H    address to bind (default 127.0.0.1). Anything but loopback exposes your
              traces to the network: prefer an SSH tunnel (ssh -L PORT:127.0.0.1:PORT host)
  --json      print {"url", "port", "token", "project"} instead of the sentence
  --help      show this help

Stop it with Ctrl+C.`

/** Starts the server; resolves with it (used by tests and by the command below). */
export async function serve(
  args: string[],
  io: CliIo,
  rendererDir = defaultRendererDir(),
): Promise<{ server: RunningServer; close: () => Promise<void> }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      json: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('bad_port', `--port must be a whole number from 0 to 65535, got "${values.port}".`)
  if (positionals.length > 1)
    throw new CliError(
      'bad_arguments',
      `serve takes one project file, got ${positionals.length}: ${positionals.join(' ')}`,
    )

  const settingsDir = defaultSettingsDir(io.env)
  let server: RunningServer | null = null
  const services = createServices({
    shell: 'serve',
    version,
    settings: createSettingsStore(settingsDir),
    clock: () => new Date(),
    emit: (event) => server?.emit(event),
    demoPath: join(settingsDir, 'demo.assay'),
    env: io.env,
  })
  const project = positionals[0] ? resolve(io.cwd, positionals[0]) : null
  // Checked now, before anything is served: a damaged file is refused with the same message as every other command.
  if (project) services.open(project)
  if (!isLoopback(values.host)) {
    io.stderr(
      `Warning: --host ${values.host} makes Assay reachable from other machines. Anyone with the token can read and change this project. Prefer 127.0.0.1 with an SSH tunnel.\n`,
    )
  }
  server = await startServer({
    handlers: services.handlers,
    rendererDir,
    port,
    host: values.host,
    download: (ticket) => services.download(ticket),
  })
  io.stdout(
    values.json
      ? `${JSON.stringify({ url: server.url, port: server.port, token: server.token, project })}\n`
      : `Assay is serving ${project ?? 'the Start screen'} at ${server.url}\n`,
  )
  const running = server
  return {
    server: running,
    close: async () => {
      await running.close()
      services.close()
    },
  }
}

export const serveCommand: Command = {
  summary: 'serve the app in a browser (http://127.0.0.1, token-protected)',
  usage,
  async run(args, io) {
    const { close } = await serve(args, io)
    await new Promise<void>((resolveStop) => {
      const stop = () => void close().then(resolveStop)
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    return 0
  },
}

function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url))
}
