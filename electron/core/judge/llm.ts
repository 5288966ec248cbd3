/**
 * The one way Assay talks to a model (DESIGN §4: LLM calls happen only in main / the server):
 * `LlmClient`, with the real `openai` implementation. Retries are not the client's: the runner
 * decides them (backoff, jitter, retry-after, cancel), so the client makes exactly one attempt and
 * reports a failure as an `LlmError` that says whether another attempt may help.
 */
import OpenAI, { toFile } from 'openai'
import { keepAliveFetch } from './http-fetch'

export interface LlmRequest {
  model: string
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
  /** temperature, max_tokens, seed… as the profile and version set them. */
  params: Record<string, unknown>
  /** `response_format` for structured outputs, or null for a strict parse of plain text. */
  responseFormat: Record<string, unknown> | null
}

export interface LlmResponse {
  content: string | null
  tokensIn: number | null
  tokensOut: number | null
}

export interface LlmClient {
  complete(request: LlmRequest, options: { signal: AbortSignal; timeoutMs: number }): Promise<LlmResponse>
  /** The model ids the endpoint lists (for "Test connection"). */
  models(options: { timeoutMs: number }): Promise<string[]>
  /** The endpoint's Batch API (OpenAI's `/v1/files` + `/v1/batches`), for big runs at half price. */
  batches: BatchApi
}

/** A batch as the runner needs it: where it is, and the files that hold its answers. */
export interface BatchState {
  id: string
  status: 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled'
  outputFileId: string | null
  errorFileId: string | null
  /** Why the batch failed, when it says. */
  problem: string | null
}

export interface BatchApi {
  /** Uploads the requests (JSONL, one `{custom_id, method, url, body}` a line) and starts a batch over them. */
  submit(jsonl: string): Promise<BatchState>
  status(id: string): Promise<BatchState>
  /** A result file's text (JSONL). */
  file(id: string): Promise<string>
}

/** One failed attempt: whether retrying may help, and how long the server asked us to wait. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message)
    this.name = 'LlmError'
  }
}

/**
 * A client for `baseUrl` with the real `openai` package (`apiKey` null: a local endpoint that
 * needs none). The key goes only into its headers; and since this is the one place that knows
 * it, everything the endpoint sends back (answers, batch files, errors, model ids) leaves here
 * with the key replaced by `***`, so an endpoint that echoes it cannot get it into a project,
 * the cache, an export or a message.
 */
export function openaiClient(baseUrl: string, apiKey: string | null): LlmClient {
  const options = { baseURL: baseUrl, apiKey: apiKey ?? 'no-key-needed', maxRetries: 0, logLevel: 'off' } as const
  const client = new OpenAI(options)
  // Chat calls, the many small ones of a run, reuse keep-alive connections (http-fetch.ts); the
  // Batch API's uploads and downloads and the model list keep the client's own fetch.
  const chat = new OpenAI({ ...options, fetch: keepAliveFetch() })
  const mask = maskerOf(apiKey)
  async function attempt<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw masked(classify(error, baseUrl), mask)
    }
  }
  return {
    async complete(request, { signal, timeoutMs }) {
      try {
        const body = {
          ...request.params,
          model: request.model,
          messages: request.messages,
          ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
          stream: false,
        } as OpenAI.ChatCompletionCreateParamsNonStreaming
        const response = responseOf(await chat.chat.completions.create(body, { signal, timeout: timeoutMs }))
        if (!response) throw new LlmError('The endpoint answered with no choices.', true)
        return { ...response, content: response.content === null ? null : mask(response.content) }
      } catch (error) {
        throw masked(classify(error, baseUrl), mask)
      }
    },
    batches: {
      submit: (jsonl) =>
        attempt(async () => {
          const file = await client.files.create({
            file: await toFile(Buffer.from(jsonl), 'assay-batch.jsonl'),
            purpose: 'batch',
          })
          return batchState(
            await client.batches.create({
              input_file_id: file.id,
              endpoint: '/v1/chat/completions',
              completion_window: '24h',
            }),
            mask,
          )
        }),
      status: (id) => attempt(async () => batchState(await client.batches.retrieve(id), mask)),
      // The output and error files hold the answers: masked whole, before any line is read.
      file: (id) => attempt(async () => mask(await (await client.files.content(id)).text())),
    },
    async models({ timeoutMs }) {
      try {
        const ids: string[] = []
        for await (const m of client.models.list({ timeout: timeoutMs })) ids.push(mask(m.id))
        return ids
      } catch (error) {
        throw masked(classify(error, baseUrl), mask)
      }
    },
  }
}

/**
 * The answer in a chat completion (online, or a line of a batch's output): null when it has no choices. A refusal is
 * kept as text.
 */
export function responseOf(completion: {
  choices?: { message?: { content?: string | null; refusal?: string | null } }[]
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null
}): LlmResponse | null {
  const message = completion.choices?.[0]?.message
  if (!message) return null
  return {
    content: message.content ?? (message.refusal ? `REFUSAL: ${message.refusal}` : null),
    tokensIn: completion.usage?.prompt_tokens ?? null,
    tokensOut: completion.usage?.completion_tokens ?? null,
  }
}

function batchState(b: OpenAI.Batch, mask: (text: string) => string): BatchState {
  const problem =
    b.errors?.data?.map((e) => [e.line ? `line ${e.line}` : '', e.message].filter(Boolean).join(': ')).join('; ') ||
    null
  return {
    id: b.id,
    status: b.status,
    outputFileId: b.output_file_id ?? null,
    errorFileId: b.error_file_id ?? null,
    problem: problem === null ? null : mask(problem),
  }
}

/**
 * Replaces every occurrence of the key in a text with `***`. A key shorter than 8 characters is
 * left alone: masking it would mangle ordinary words, and no real provider's key is that short.
 */
export function maskerOf(apiKey: string | null): (text: string) => string {
  if (apiKey === null || apiKey.length < 8) return (text) => text
  return (text) => (text.includes(apiKey) ? text.split(apiKey).join('***') : text)
}

/** An error message never carries the key, even when an endpoint echoes it back. */
function masked(e: LlmError, mask: (text: string) => string): LlmError {
  const message = mask(e.message)
  return message === e.message ? e : new LlmError(message, e.retryable, e.retryAfterMs, e.status)
}

/** Turns whatever the `openai` package threw into an `LlmError` a user can act on. */
function classify(error: unknown, baseUrl: string): LlmError {
  if (error instanceof LlmError) return error
  if (error instanceof OpenAI.APIUserAbortError) return new LlmError('Cancelled.', false)
  if (error instanceof OpenAI.APIConnectionTimeoutError)
    return new LlmError(`No answer from ${baseUrl} within the timeout.`, true)
  if (error instanceof OpenAI.APIConnectionError) {
    const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {}
    return new LlmError(
      `Could not connect to ${baseUrl}${cause.code ? ` (${cause.code})` : ''}: is the server running and the base URL right?`,
      true,
    )
  }
  if (error instanceof OpenAI.APIError) {
    // Typed as the SDK declares them (instanceof leaves its type parameters `any`).
    const status = (error.status as number | undefined) ?? null
    const detail = (error.message || '').replace(/\s+/g, ' ').slice(0, 300)
    const retryable = status === null || status === 408 || status === 409 || status === 429 || status >= 500
    const hint =
      status === 401 || status === 403
        ? ' Check the API key of this model profile (Settings, or OPENAI_API_KEY).'
        : status === 404
          ? ' Check the model id and the base URL.'
          : status === 400
            ? ' The endpoint refused the request: if it does not support structured outputs, turn them off in the model profile.'
            : ''
    return new LlmError(
      `HTTP ${status ?? '?'} from ${baseUrl}: ${detail}.${hint}`,
      retryable,
      retryAfter(error.headers as Headers | undefined),
      status,
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  return new LlmError(`Request failed: ${message}`, true)
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; null when absent. */
export function retryAfter(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN)
  if (Number.isFinite(ms) && ms >= 0) return ms
  const value = headers?.get('retry-after')
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null
}
