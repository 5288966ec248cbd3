import type { ModelProfile } from '../../../shared/judges'

/** Endpoints people use; choosing one fills in its usual base URL. */
export const PRESETS = [
  {
    provider: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4.1-mini-2025-04-14',
    structured: true,
  },
  { provider: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1:8b', structured: true },
  { provider: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', model: '', structured: true },
  { provider: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', model: '', structured: true },
  {
    provider: 'llamacpp',
    label: 'llama.cpp server',
    baseUrl: 'http://localhost:8080/v1',
    model: '',
    structured: false,
  },
  { provider: 'other', label: 'Other OpenAI-compatible', baseUrl: '', model: '', structured: false },
] as const

/** A new profile's form: OpenAI's endpoint and a pinned model. */
export const blank = (): Draft => ({
  id: '',
  name: '',
  provider: 'openai',
  baseUrl: PRESETS[0].baseUrl,
  model: PRESETS[0].model,
  params: '{"temperature": 0}',
  pricePerMInput: '0',
  pricePerMOutput: '0',
  structuredOutputs: true,
  timeoutMs: '60000',
  apiKeyEnv: '',
  apiKey: '',
})
/** The profile form as typed: numbers and JSON still text. */
export type Draft = {
  id: string
  name: string
  provider: string
  baseUrl: string
  model: string
  params: string
  pricePerMInput: string
  pricePerMOutput: string
  structuredOutputs: boolean
  timeoutMs: string
  apiKeyEnv: string
  apiKey: string
}

/** A saved profile as the form shows it (its key is never shown). */
export const draftOf = (p: ModelProfile): Draft => ({
  ...p,
  params: JSON.stringify(p.params),
  pricePerMInput: String(p.pricePerMInput),
  pricePerMOutput: String(p.pricePerMOutput),
  timeoutMs: String(p.timeoutMs),
  apiKey: '',
})

/** What `typed` gives: the profile and the key typed, or why the form is not a profile yet. */
export type Typed = { profile: ModelProfile; apiKey: string } | { problem: string }

/** The form as a profile (and the key typed, if any), or the reason it is not one yet. */
export function typed(draft: Draft): Typed {
  let params: unknown
  try {
    params = JSON.parse(draft.params || '{}')
  } catch {
    return { problem: 'Parameters must be a JSON object, e.g. {"temperature": 0, "max_tokens": 400}.' }
  }
  const id =
    draft.id.trim() ||
    draft.name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
  const { apiKey, ...rest } = {
    ...draft,
    id,
    params,
    pricePerMInput: Number(draft.pricePerMInput),
    pricePerMOutput: Number(draft.pricePerMOutput),
    timeoutMs: Number(draft.timeoutMs),
  }
  return { profile: rest as ModelProfile, apiKey }
}
