/**
 * From a judge version and an item to the exact request sent: the template filled with the
 * item (or its step, for a step-level criterion), the few-shot examples, the model's parameters
 * and structured outputs. The cache key is a hash of that whole request and the endpoint, so
 * any change to prompt, model, parameters or item makes a new key; the API key is not in it.
 */
import { createHash } from 'node:crypto'
import type { ItemDetail } from '../../../shared/domain'
import { renderTemplate, VERDICT_SCHEMA, type ModelSnapshot } from '../../../shared/judges'
import type { LlmRequest } from './llm'

export interface VersionForRun {
  prompt: string
  model: ModelSnapshot
  params: Record<string, unknown>
  criterion: string
  definition: string
  /** The criterion's step, for a step-level judge. */
  step: string | null
  /** {{examples}}, rendered once per version. */
  examples: string
}

/** A trace as readable text for {{trace}}: messages with their roles and tool calls, or the steps. */
export function traceText(item: Pick<ItemDetail, 'input' | 'output' | 'messages' | 'steps'>): string {
  if (item.messages.length > 0) {
    return item.messages
      .map((m) => {
        const calls = (m.tool_calls ?? []).map((c) => `[${m.role} calls ${c.name}(${c.arguments})]`).join('\n')
        const who = m.role === 'tool' && m.name ? `tool ${m.name}` : m.role
        return [m.content ? `[${who}]\n${m.content}` : '', calls].filter(Boolean).join('\n')
      })
      .join('\n\n')
  }
  if (item.steps.length > 0)
    return item.steps
      .map((s) => `## Step ${s.index + 1}: ${s.name}\nInput:\n${s.input}\nOutput:\n${s.output}`)
      .join('\n\n')
  return `[input]\n${item.input}\n\n[output]\n${item.output}`
}

/** The text the judge sees for an item: the whole trace, or one named step of it. */
export function itemText(item: ItemDetail, step: string | null): { input: string; output: string; trace: string } {
  const s = step ? item.steps.find((x) => x.name === step) : undefined
  if (s)
    return {
      input: s.input,
      output: s.output,
      trace: traceText({ input: s.input, output: s.output, messages: [], steps: [s] }),
    }
  return { input: item.input, output: item.output, trace: traceText(item) }
}

export function renderFor(v: VersionForRun, item: ItemDetail): string {
  const text = itemText(item, v.step)
  return renderTemplate(v.prompt, {
    ...text,
    examples: v.examples,
    definition: v.definition,
    criterion: v.criterion,
    metadata: item.metadata,
  })
}

export function buildRequest(v: VersionForRun, item: ItemDetail): LlmRequest {
  return {
    model: v.model.model,
    messages: [{ role: 'user', content: renderFor(v, item) }],
    params: v.params,
    responseFormat: v.model.structuredOutputs
      ? { type: 'json_schema', json_schema: { name: 'judge_verdict', strict: true, schema: VERDICT_SCHEMA } }
      : null,
  }
}

export function cacheKey(baseUrl: string, request: LlmRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ baseUrl: baseUrl.replace(/\/+$/, ''), ...request }))
    .digest('hex')
}

/** A rough token count (4 characters a token) for estimates before a run. */
export const roughTokens = (text: string): number => Math.ceil(text.length / 4)

export const costOf = (model: ModelSnapshot, tokensIn: number, tokensOut: number): number =>
  (tokensIn * model.pricePerMInput + tokensOut * model.pricePerMOutput) / 1_000_000
