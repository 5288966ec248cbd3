import { parseArgs } from 'node:util'
import { startLlmServer } from '../bench/llm-server'
import { CliError, type Command } from './command'

const usage = `Usage: assay fake-llm [--port N] [--latency MS] [--json]

Starts a local OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models, model
"fake-judge") that answers every judge prompt with {"critique": ..., "result": "Pass"}, or Fail
when the item it judges (not a few-shot example) contains [[fail]]; markers such as [[429x2]],
[[500x1]], [[hangx1]], [[malformed]] inject faults. For trying the Judges screen without a model, and for
\`assay bench --only judge\`. It is not a judge: its verdicts mean nothing.

  --port N       port on 127.0.0.1 (default: any free port)
  --latency MS   delay before each answer (default 0)
  --json         print {"baseUrl": ...} as the first line

Stop it with Ctrl+C.`

export const fakeLlmCommand: Command = {
  summary: 'start a local OpenAI-compatible stand-in model, for trying judges and benchmarks',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '0' },
        latency: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
      },
    })
    const port = Number(values.port)
    const latencyMs = Number(values.latency)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError('bad_port', `--port must be a whole number from 0 to 65535, got "${values.port}".`)
    if (!Number.isFinite(latencyMs) || latencyMs < 0)
      throw new CliError('bad_arguments', `--latency must be a number of milliseconds ≥ 0, got "${values.latency}".`)
    const server = await startLlmServer({ port, latencyMs })
    io.stdout(
      values.json
        ? `${JSON.stringify({ baseUrl: server.baseUrl })}\n`
        : `A fake OpenAI-compatible model is answering at ${server.baseUrl} (model "fake-judge").\n`,
    )
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await server.close()
    return 0
  },
}
