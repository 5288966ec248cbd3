/**
 * promptfoo's `promptfoo eval --output results.json`: `{evalId, results: {version, results: [...]}}`,
 * one `EvaluateResult` per test × prompt × provider. Written from promptfoo's docs
 * (promptfoo.dev/docs/configuration/outputs) and its `EvaluateResult` / `GradingResult` types
 * (src/types/index.ts, results version 3, promptfoo 0.1xx). Each result becomes one flat record
 * with the fields `eval-record.ts` names, so a suggested mapping can take it as it is.
 */
import { isPlainObject, toText } from '../../fields'
import type { ReadResult } from '../../types'
import { EvalRecord, type VerdictCell } from './eval-record'

/** promptfoo's `ResultFailureReason.ERROR`: the provider or an assertion threw, so no verdict was reached. */
const FAILURE_ERROR = 2

/**
 * Assertion types graded by a model (promptfoo's "model-graded metrics"): their judge is the
 * grading provider, not promptfoo's own code.
 */
const MODEL_GRADED = new Set([
  'llm-rubric',
  'g-eval',
  'factuality',
  'model-graded-closedqa',
  'model-graded-factuality',
  'answer-relevance',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'select-best',
  'search-rubric',
  'classifier',
  'moderation',
  'pi',
])

/** Whether a parsed document is a promptfoo results file (its records at `results.results`). */
export function isPromptfooDocument(document: unknown): boolean {
  if (!isPlainObject(document) || !isPlainObject(document.results)) return false
  const results = document.results.results
  return Array.isArray(results) && (results.length === 0 || results.some(isPromptfooResult))
}

function isPromptfooResult(value: unknown): boolean {
  return (
    isPlainObject(value) && 'testIdx' in value && 'promptIdx' in value && ('success' in value || 'response' in value)
  )
}

/** The results of a promptfoo results document as flat records, in file order. */
export function promptfooRecords(document: unknown): ReadResult[] {
  if (!isPromptfooDocument(document) || !isPlainObject(document) || !isPlainObject(document.results))
    return [
      {
        error: {
          line: 1,
          fatal: true,
          message:
            'this is not a promptfoo results file: it has no "results.results" array of test results. Export it again with `promptfoo eval --output results.json` (or `promptfoo export EVAL_ID`).',
        },
      },
    ]
  const results = document.results.results as unknown[]
  return results.map((value, index): ReadResult => {
    const position = index + 1
    if (!isPlainObject(value))
      return { error: { line: position, message: `result ${position} of "results.results" is not an object.` } }
    return { record: { line: position, fields: promptfooRecord(value) } }
  })
}

/** One `EvaluateResult` → the fields of an item with its overall and per-assertion verdicts. */
function promptfooRecord(result: Record<string, unknown>): Record<string, unknown> {
  const provider = isPlainObject(result.provider) ? result.provider : {}
  const providerName = toText(provider.label) || toText(provider.id)
  const prompt = isPlainObject(result.prompt) ? result.prompt : {}
  const response = isPlainObject(result.response) ? result.response : {}
  const testCase = isPlainObject(result.testCase) ? result.testCase : {}
  const vars = isPlainObject(result.vars) ? result.vars : isPlainObject(testCase.vars) ? testCase.vars : {}
  const output = response.output
  const record = new EvalRecord(
    typeof result.id === 'string' && result.id !== ''
      ? result.id
      : `test-${toText(result.testIdx)}.prompt-${toText(result.promptIdx)}${providerName ? `.${providerName}` : ''}`,
  )
  record.text(toText(prompt.raw), typeof output === 'string' ? output : output === undefined ? '' : toText(output))
  record.meta('vars', vars)
  record.meta('provider', providerName)
  record.meta('prompt', toText(prompt.label))
  record.meta('description', toText(result.description ?? testCase.description))
  record.meta('testIdx', result.testIdx)
  record.meta('promptIdx', result.promptIdx)
  record.meta('score', result.score)
  record.meta('latencyMs', result.latencyMs)
  record.meta('cost', result.cost)
  record.meta('error', toText(result.error ?? response.error))
  const grading = isPlainObject(result.gradingResult) ? result.gradingResult : null
  record.verdict('overall', overallVerdict(result, grading))
  const components = grading && Array.isArray(grading.componentResults) ? grading.componentResults : []
  for (const component of components) if (isPlainObject(component)) assertionVerdict(record, component)
  return record.fields
}

/**
 * The result's `success` (what promptfoo counts as a pass): an error result (`failureReason` 2)
 * is an error verdict, never a fail; the critique is the grading reason, else the error.
 */
function overallVerdict(result: Record<string, unknown>, grading: Record<string, unknown> | null): VerdictCell {
  const errored = result.failureReason === FAILURE_ERROR || (grading === null && toText(result.error) !== '')
  const value = errored ? 'error' : result.success === true ? 'pass' : result.success === false ? 'fail' : ''
  return {
    judge: 'promptfoo',
    criterion: 'Overall',
    value,
    critique: toText(grading?.reason ?? result.error),
  }
}

/**
 * One assertion's verdict. Its column is the assertion's `metric`, else its `type`; its judge is
 * `promptfoo TYPE` for code-graded types, and `promptfoo TYPE (GRADER)` for model-graded ones, the
 * grader being the assertion's `provider` (or "default grader" when promptfoo chose it).
 */
function assertionVerdict(record: EvalRecord, component: Record<string, unknown>): void {
  const assertion = isPlainObject(component.assertion) ? component.assertion : {}
  const type = toText(assertion.type) || 'assertion'
  const metric = toText(assertion.metric)
  const grader = graderName(assertion.provider)
  const judge = MODEL_GRADED.has(type.replace(/^not-/, ''))
    ? `promptfoo ${type} (${grader || 'default grader'})`
    : `promptfoo ${type}`
  const value = component.pass === true ? 'pass' : component.pass === false ? 'fail' : ''
  record.verdict(`${metric || type}${grader ? ` @ ${grader}` : ''}`, {
    judge,
    criterion: metric || type,
    value,
    critique: toText(component.reason),
  })
}

function graderName(provider: unknown): string {
  if (typeof provider === 'string') return provider
  if (isPlainObject(provider)) return toText(provider.label) || toText(provider.id)
  return ''
}
