/**
 * Reading eval-tool result files (promptfoo `results.json`, Inspect AI `.eval` and `.json` logs).
 * Both are one document whose records sit inside it, so the file is read whole (up to
 * `MAX_WHOLE_JSON_BYTES`, as for other whole JSON documents) and its results yielded as flat records.
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { FileFormat, ReadOptions, ReadResult } from '../../types'
import { MAX_WHOLE_JSON_BYTES } from '../json'
import { lineColumnAt, locateJsonError } from '../json-syntax'
import { inspectJsonRecords, inspectZipRecords, isZip } from './inspect'
import { promptfooRecords } from './promptfoo'

/** Results per batch: the whole document is in memory already, this only keeps the pipeline's steps small. */
const BATCH = 500

/**
 * The eval format a JSON object's first megabyte shows, or null. promptfoo's results file nests its
 * results under `results.results`, each with `testIdx` and `promptIdx`; an Inspect log opens with
 * its `eval` spec (with a `task`) and carries `samples`. The reader checks the whole document again.
 */
export function sniffEvalFormat(text: string): FileFormat | null {
  const has = (re: RegExp) => re.test(text)
  if (has(/"results"\s*:\s*\{/) && has(/"testIdx"\s*:/) && has(/"promptIdx"\s*:/)) return 'promptfoo'
  if (has(/"eval"\s*:\s*\{/) && has(/"task"\s*:/) && has(/"samples"\s*:\s*\[/)) return 'inspect'
  return null
}

/** Streams the results of a promptfoo or Inspect file as records, a batch at a time. */
export async function* readEvalFile(
  path: string,
  options: ReadOptions,
  maxBytes = MAX_WHOLE_JSON_BYTES,
): AsyncGenerator<ReadResult[]> {
  const { size } = await stat(path)
  if (size > maxBytes) {
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`
    yield [
      {
        error: {
          line: 1,
          fatal: true,
          message: `this log is ${mb(size)}; Assay reads promptfoo and Inspect files whole, up to ${mb(maxBytes)}. Split the eval (fewer samples or tests per run) and import the parts.`,
        },
      },
    ]
    return
  }
  const bytes = new Uint8Array(await readFile(path))
  const results = evalResults(basename(path), options.format, bytes)
  options.onProgress?.(size)
  for (let i = 0; i < results.length; i += BATCH) {
    if (options.signal?.aborted) return
    yield results.slice(i, i + BATCH)
  }
}

/** The records of a whole eval file's bytes (exported for tests). */
export function evalResults(name: string, format: FileFormat, bytes: Uint8Array): ReadResult[] {
  if (isZip(bytes)) {
    if (format !== 'inspect')
      return [
        fatal(
          `${name} is a ZIP archive: only an Inspect AI .eval log is read from a ZIP. Choose the Inspect format, or unzip it and choose the file inside.`,
        ),
      ]
    return inspectZipRecords(name, bytes)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return [fatal(`${name} is not UTF-8 text; export the log again.`)]
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const { offset, reason } = locateJsonError(text, error)
    const at = lineColumnAt(text, offset)
    return [
      {
        error: {
          line: at.line,
          fatal: true,
          message: `invalid JSON at line ${at.line}, column ${at.column}: ${reason}.`,
        },
      },
    ]
  }
  return format === 'promptfoo' ? promptfooRecords(document) : inspectJsonRecords(document)
}

function fatal(message: string): ReadResult {
  return { error: { line: 1, fatal: true, message } }
}
