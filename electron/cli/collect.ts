import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openContext } from '../core/context'
import { startReceiver, TRACES_PATH, type Receiver } from '../core/collect/receiver'
import type { BatchResult } from '../core/collect/store'
import { isLoopback } from '../server/hosts'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay collect PROJECT [--port N] [--host H] [--json]

Receives traces from an app instrumented with OpenTelemetry: an OTLP/HTTP endpoint
(POST /v1/traces, JSON or protobuf, gzip or not) that writes into PROJECT (created if missing).
Spans are grouped into traces as \`assay import\` groups an OTLP file (OpenInference and
OpenTelemetry GenAI attributes); spans of a trace that arrive later join its item.
Point the app's exporter at it:

  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318        (http/protobuf or http/json)

Each export request is committed before it is answered: if the receiver is killed, only the
request in flight is lost, and the exporter sees it fail (and retries it).

  --port N    port to listen on (default 4318, the OTLP/HTTP port; 0 = any free port)
  --host H    address to bind (default 127.0.0.1). Anything else exposes the project to the
              network: anyone who can reach it can add traces. Prefer an SSH tunnel.
  --json      one JSON event per line: listening, batch, refused, stopped
  --help      show this help

Prints a line per request (+3 traces, 12 spans). Stop it with Ctrl+C.`

/** Totals since the receiver started, for the last line. */
interface Totals {
  requests: number
  spans: number
  newTraces: number
}

/** Starts the receiver for `assay collect`; resolves with it (used by tests and by the command below). */
export async function collect(args: string[], io: CliIo): Promise<{ receiver: Receiver; totals: Totals }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4318' },
      host: { type: 'string', default: '127.0.0.1' },
      json: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('bad_port', `--port must be a whole number from 0 to 65535, got "${values.port}".`)
  if (positionals.length !== 1)
    throw new CliError('bad_arguments', 'collect takes one project file: assay collect PROJECT [--port N]')
  const project = resolve(io.cwd, positionals[0])
  // Opened once the usual way (checked, created or migrated); the receiver then writes through its own connection.
  openContext(project, { mode: existsSync(project) ? 'open' : 'create', integrity: 'now' }).close()
  const json = values.json
  const say = (event: Record<string, unknown>, text: string) =>
    io.stdout(json ? `${JSON.stringify(event)}\n` : `${text}\n`)
  if (!isLoopback(values.host))
    io.stderr(
      `Warning: --host ${values.host} makes the receiver reachable from other machines: anyone who can reach it can add traces to ${project}. Prefer 127.0.0.1 with an SSH tunnel.\n`,
    )
  const totals: Totals = { requests: 0, spans: 0, newTraces: 0 }
  const receiver = await startReceiver({
    projectPath: project,
    port,
    host: values.host,
    onBatch: (b) => {
      totals.requests++
      totals.spans += b.spans
      totals.newTraces += b.newTraces.length
      say({ event: 'batch', ...b }, batchLine(b))
    },
    onRefused: (status, message) => say({ event: 'refused', status, message }, `refused (${status}): ${message}`),
  }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'EADDRINUSE')
      throw new CliError('port_in_use', `Port ${port} is in use (another collector?). Choose another with --port.`)
    throw error
  })
  const { endpoint } = receiver
  say(
    { event: 'listening', endpoint, url: `${endpoint}${TRACES_PATH}`, port: receiver.port, project },
    `Receiving OTLP/HTTP traces into ${project} at ${endpoint}${TRACES_PATH} (JSON or protobuf).\n` +
      `Set OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint} in the app to trace.\n` +
      'Each request is committed before it is answered: if this receiver is killed, at most the request in flight is lost (the exporter sees it fail).',
  )
  return { receiver, totals }
}

/** `+3 traces, 12 spans`, with what else happened. */
function batchLine(b: BatchResult): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const parts = [`+${plural(b.newTraces.length, 'trace')}, ${plural(b.spans, 'span')}`]
  if (b.grownTraces.length > 0) parts.push(`${plural(b.grownTraces.length, 'trace')} grown`)
  if (b.repeated > 0) parts.push(`${plural(b.repeated, 'repeated span')} ignored`)
  if (b.heldBack.length > 0)
    parts.push(`${plural(b.heldBack.length, 'trace')} held back (${b.heldBack[0].reason}; kept until more spans come)`)
  return `${parts.join(', ')} (${plural(b.total, 'trace')} received in all)`
}

export const collectCommand: Command = {
  summary: 'receive traces over OTLP/HTTP from an instrumented app (127.0.0.1:4318)',
  usage,
  async run(args, io) {
    const { receiver, totals } = await collect(args, io)
    await new Promise<void>((resolveStop) => {
      const stop = () => void receiver.close().then(resolveStop)
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    const json = args.includes('--json')
    io.stdout(
      json
        ? `${JSON.stringify({ event: 'stopped', ...totals })}\n`
        : `Stopped: ${totals.requests} requests, ${totals.newTraces} new traces, ${totals.spans} spans.\n`,
    )
    return 0
  },
}
