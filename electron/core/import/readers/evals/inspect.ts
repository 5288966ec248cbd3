/**
 * Inspect AI eval logs (inspect.aisi.org.uk/eval-logs.html, log schema version 2, inspect_ai
 * 0.3.x). The default `.eval` log is a ZIP archive: `header.json` (the `EvalLog` without its
 * samples), one `samples/{id}_epoch_{epoch}.json` per `EvalSample`, `summaries.json`,
 * `reductions.json` and `_journal/`; the `.json` log is one `EvalLog` document with `samples[]`.
 * Each sample becomes a flat record (see eval-record.ts): its messages as the chat, its input and
 * `output.completion` as text, and each scorer's score as a verdict.
 */
import { strFromU8, unzipSync } from 'fflate'
import { isPlainObject, toText } from '../../fields'
import type { ReadResult } from '../../types'
import { EvalRecord } from './eval-record'

/** The 4 bytes every ZIP archive starts with (a local file header). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
}

/** Whether a parsed JSON document is an Inspect `EvalLog` (an `eval` spec naming its task, and samples). */
export function isInspectDocument(document: unknown): boolean {
  return (
    isPlainObject(document) &&
    isPlainObject(document.eval) &&
    typeof document.eval.task === 'string' &&
    Array.isArray(document.samples)
  )
}

/** An Inspect `.json` log's samples as flat records, in file order. */
export function inspectJsonRecords(document: unknown): ReadResult[] {
  if (!isInspectDocument(document) || !isPlainObject(document))
    return [
      fatal(
        'this is not an Inspect AI log: it has no "eval" spec with a "samples" array. A log written without samples (`--no-log-samples`) holds nothing to import; run the eval again with samples logged.',
      ),
    ]
  return sampleRecords(document, document.samples as unknown[])
}

/** Entries of an `.eval` archive that are not samples: the header and the eval's bookkeeping. */
const HEADER = 'header.json'
const START = '_journal/start.json'

/**
 * An Inspect `.eval` archive's samples as flat records, sorted by sample id then epoch (the
 * archive holds them in the order they finished). An archive that is not an Inspect log is
 * refused with what to do.
 */
export function inspectZipRecords(name: string, bytes: Uint8Array): ReadResult[] {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === HEADER || f.name === START || isSampleEntry(f.name) })
  } catch (error) {
    return [
      fatal(
        `${name} is a damaged ZIP archive (${error instanceof Error ? error.message : String(error)}). Copy or export the log again.`,
      ),
    ]
  }
  const headerName = [HEADER, START].find((entry) => Object.hasOwn(files, entry))
  if (headerName === undefined)
    return [
      fatal(
        `${name} is a ZIP archive but not an Inspect AI log (it has no header.json). Assay reads ZIP files only as Inspect .eval logs; unzip it and choose the CSV, JSON or JSONL file inside.`,
      ),
    ]
  const header = parseEntry(files[headerName])
  if (!isPlainObject(header)) return [fatal(`${name}: header.json is not a JSON object; the log is damaged.`)]
  const samples: unknown[] = []
  for (const entry of Object.keys(files).filter(isSampleEntry)) {
    const sample = parseEntry(files[entry])
    if (sample === undefined) return [fatal(`${name}: ${entry} is not valid JSON; the log is damaged.`)]
    samples.push(sample)
  }
  if (samples.length === 0)
    return [
      fatal(
        `${name} is an Inspect AI log without samples (it was written with --no-log-samples, or the eval stopped before any sample finished): there is nothing to import.`,
      ),
    ]
  return sampleRecords(header, samples.sort(bySampleThenEpoch))
}

function isSampleEntry(entry: string): boolean {
  return entry.startsWith('samples/') && entry.endsWith('.json')
}

function parseEntry(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strFromU8(bytes)) as unknown
  } catch {
    return undefined
  }
}

function bySampleThenEpoch(a: unknown, b: unknown): number {
  const ka = isPlainObject(a) ? a : {}
  const kb = isPlainObject(b) ? b : {}
  const ia = ka.id
  const ib = kb.id
  const byId = typeof ia === 'number' && typeof ib === 'number' ? ia - ib : toText(ia).localeCompare(toText(ib), 'en')
  return byId !== 0 ? byId : Number(ka.epoch ?? 0) - Number(kb.epoch ?? 0)
}

function fatal(message: string): ReadResult {
  return { error: { line: 1, fatal: true, message } }
}

/** What every sample's record needs from the log's header: model, task, scorers and their graders. */
interface LogContext {
  task: string
  model: string
  /** Scorer name → its grading model, when its options name one. */
  graders: Map<string, string>
  /** The first scorer's name: its verdicts are on the Overall criterion. */
  primary: string | null
  /** Several epochs: ids carry the epoch. */
  epochs: boolean
}

function logContext(header: Record<string, unknown>, samples: unknown[]): LogContext {
  const spec = isPlainObject(header.eval) ? header.eval : {}
  const graders = new Map<string, string>()
  const scorers = Array.isArray(spec.scorers) ? spec.scorers.filter(isPlainObject) : []
  for (const scorer of scorers) {
    const options = isPlainObject(scorer.options) ? scorer.options : {}
    if (typeof options.model === 'string') graders.set(toText(scorer.name), options.model)
  }
  const first = samples.find((s) => isPlainObject(s) && isPlainObject(s.scores))
  const firstScores = isPlainObject(first) && isPlainObject(first.scores) ? Object.keys(first.scores) : []
  const config = isPlainObject(spec.config) ? spec.config : {}
  return {
    task: toText(spec.task),
    model: toText(spec.model),
    graders,
    primary: scorers.length > 0 ? toText(scorers[0].name) : (firstScores.at(0) ?? null),
    epochs: Number(config.epochs ?? 1) > 1 || samples.some((s) => isPlainObject(s) && Number(s.epoch ?? 1) > 1),
  }
}

function sampleRecords(header: Record<string, unknown>, samples: unknown[]): ReadResult[] {
  const context = logContext(header, samples)
  return samples.map((sample, index): ReadResult => {
    const position = index + 1
    if (!isPlainObject(sample))
      return { error: { line: position, message: `sample ${position} of the log is not an object.` } }
    return { record: { line: position, fields: sampleRecord(sample, context) } }
  })
}

/** One `EvalSample` → its item fields and one verdict per scorer (per key of a dict-valued score). */
function sampleRecord(sample: Record<string, unknown>, context: LogContext): Record<string, unknown> {
  const epoch = Number(sample.epoch ?? 1)
  const record = new EvalRecord(context.epochs ? `${toText(sample.id)}/epoch-${epoch}` : toText(sample.id))
  const messages = Array.isArray(sample.messages) ? sample.messages.filter(isPlainObject).map(openAiMessage) : []
  record.text(inputText(sample.input), completion(sample.output))
  if (messages.length > 0) record.fields.messages = messages
  record.meta('sample_id', sample.id)
  record.meta('epoch', epoch)
  record.meta('target', sample.target)
  record.meta(
    'metadata',
    isPlainObject(sample.metadata) && Object.keys(sample.metadata).length > 0 ? sample.metadata : undefined,
  )
  record.meta('task', context.task)
  record.meta('model', context.model)
  record.meta('error', isPlainObject(sample.error) ? toText(sample.error.message) : toText(sample.error))
  const scores = isPlainObject(sample.scores) ? sample.scores : {}
  for (const [name, score] of Object.entries(scores)) {
    if (!isPlainObject(score)) continue
    const grader = context.graders.get(name)
    const judge = `inspect ${name}${grader ? ` (${grader})` : ''}`
    const critique = toText(score.explanation)
    const value = score.value
    if (isPlainObject(value)) {
      for (const [key, part] of Object.entries(value))
        record.verdict(`${name}.${key}`, { judge, criterion: `${name}.${key}`, value: part, critique })
    } else {
      const criterion = name === context.primary ? 'Overall' : name
      record.verdict(name, { judge, criterion, value, critique })
    }
  }
  return record.fields
}

/** A sample's `input`: a string, or the text of its last user message. */
function inputText(input: unknown): string {
  if (typeof input === 'string') return input
  if (!Array.isArray(input)) return ''
  const users = input.filter((m) => isPlainObject(m) && m.role === 'user')
  const last: unknown = users.at(-1)
  return isPlainObject(last) ? contentText(last.content) : ''
}

/** `output.completion`, else the text of the first choice's message. */
function completion(output: unknown): string {
  if (!isPlainObject(output)) return ''
  if (typeof output.completion === 'string') return output.completion
  const choice: unknown = Array.isArray(output.choices) ? output.choices[0] : undefined
  return isPlainObject(choice) && isPlainObject(choice.message) ? contentText(choice.message.content) : ''
}

/** Inspect content (a string, or a list of text / reasoning / image parts) as text; other parts named in brackets. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return toText(content)
  return content
    .map((part) => {
      if (!isPlainObject(part)) return toText(part)
      if (part.type === 'text') return toText(part.text)
      if (part.type === 'reasoning') return ''
      return `[${toText(part.type)}]`
    })
    .filter((text) => text !== '')
    .join('\n')
}

/**
 * An Inspect `ChatMessage` in the OpenAI shape the message importer reads: tool calls'
 * `function` (a name) and `arguments` (an object) become `{function: {name, arguments: JSON}}`,
 * a tool message's `function` its `name`.
 */
function openAiMessage(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { role: toText(message.role), content: contentText(message.content) }
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    out.tool_calls = message.tool_calls.filter(isPlainObject).map((call) => ({
      id: toText(call.id),
      type: 'function',
      function: {
        name: toText(call.function),
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
      },
    }))
  }
  if (typeof message.tool_call_id === 'string') out.tool_call_id = message.tool_call_id
  if (message.role === 'tool' && typeof message.function === 'string') out.name = message.function
  return out
}
