import type { z } from 'zod'
import { contract, type Method } from '../../shared/contract'
import { toErrorData, type Envelope } from '../../shared/errors'
import type { Handlers } from './handlers/types'

/**
 * The one trusted entry point of both shells (IPC and HTTP): look the method up in the contract,
 * zod-parse the input, call the handler, check its output, and wrap everything in an envelope.
 * Nothing throws past here.
 */
export async function dispatch(handlers: Handlers, method: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (!Object.hasOwn(contract, method)) {
    return { ok: false, error: { kind: 'not_found', message: `Unknown API method "${method}".` } }
  }
  const spec = contract[method as Method]
  const parsed = spec.input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    return {
      ok: false,
      error: { kind: 'invalid_input', message: `Invalid input to ${method}: ${describeIssues(parsed.error)}` },
    }
  }
  try {
    const handler = handlers[method as Method] as (input: unknown) => unknown
    const value = await handler(parsed.data)
    return { ok: true, value: (spec.output as z.ZodType).parse(value) }
  } catch (error) {
    return { ok: false, error: toErrorData(error) }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ')
}
