/**
 * Suggested mappings for the run/span exports of LangSmith, Braintrust and Langfuse, recognised by
 * the fields their documentation names: the grouping into traces, the trace's input and output,
 * and each score (feedback) as a judge verdict column. A numeric score gets no threshold: the
 * import asks for one rather than guessing where the judge's line is.
 */
import { EMPTY_MAPPING, type Mapping } from '../../../../shared/import'
import { getField, isEmptyValue, isPlainObject, toText } from '../fields'
import { isLangfuseTrace, scoreField } from '../langfuse'
import type { Detected } from '../types'

type Fields = Record<string, unknown>

/** The export `detected` is, with its mapping; null for any other file. */
export function suggestInterop(detected: Detected): Mapping | null {
  const rows = detected.sample.map((r) => r.fields)
  const has = (field: string) => rows.some((f) => getField(f, field) !== undefined)
  if (has('trace_id') && has('id') && (has('parent_run_id') || (has('run_type') && has('inputs'))))
    return langsmith(rows, has)
  if (has('root_span_id') && has('span_id') && has('span_parents')) return braintrust(rows, has)
  if (rows.some(isLangfuseTrace)) return langfuse(rows)
  return null
}

function base(): Mapping {
  return structuredClone(EMPTY_MAPPING)
}

/**
 * LangSmith runs (docs.langchain.com/langsmith/run-data-format): grouped by `trace_id` (the root
 * run's id), linked by `parent_run_id`, siblings by `start_time` then `dotted_order`; the root
 * run's `inputs`/`outputs` are the trace. `feedback_stats.<key>.avg` of the root run is that
 * feedback key's verdict (1/0 read as pass/fail, anything else needs a threshold).
 */
function langsmith(rows: Fields[], has: (f: string) => boolean): Mapping {
  const m = base()
  m.spans = {
    traceId: 'trace_id',
    spanId: 'id',
    parentId: has('parent_run_id') ? 'parent_run_id' : null,
    name: has('name') ? 'name' : null,
    start: has('start_time') ? 'start_time' : null,
    order: has('dotted_order') ? 'dotted_order' : null,
    source: 'LangSmith runs',
  }
  m.id = 'trace_id'
  m.input = has('inputs') ? 'inputs' : null
  m.output = has('outputs') ? 'outputs' : null
  const keys = new Set<string>()
  for (const f of rows) {
    const stats = f.feedback_stats
    if (!isPlainObject(stats)) continue
    for (const [key, s] of Object.entries(stats)) if (isPlainObject(s) && 'avg' in s) keys.add(key)
  }
  m.verdicts = [...keys].map((key) => ({
    field: `feedback_stats.${key}.avg`,
    judge: key,
    criterion: 'Overall',
    critique: null,
  }))
  return m
}

/**
 * Braintrust experiment/log events (Braintrust REST API, "Fetch experiment events": `span_id`,
 * `root_span_id`, `span_parents`, `span_attributes.{name,type}`, `metrics.start`, `scores`): the
 * root span is the trace, each score name a verdict column (`null` = not scored, no verdict).
 */
function braintrust(rows: Fields[], has: (f: string) => boolean): Mapping {
  const m = base()
  m.spans = {
    traceId: 'root_span_id',
    spanId: 'span_id',
    parentId: 'span_parents',
    name: has('span_attributes.name') ? 'span_attributes.name' : null,
    start: has('metrics.start') ? 'metrics.start' : null,
    source: 'Braintrust',
  }
  m.id = 'root_span_id'
  m.input = has('input') ? 'input' : null
  m.output = has('output') ? 'output' : null
  const names = new Set<string>()
  for (const f of rows) {
    const root = isEmptyValue(f.span_parents) || (Array.isArray(f.span_parents) && f.span_parents.length === 0)
    if (root && isPlainObject(f.scores)) for (const name of Object.keys(f.scores)) names.add(name)
  }
  m.verdicts = [...names].map((name) => ({
    field: `scores.${name}`,
    judge: name,
    criterion: 'Overall',
    critique: null,
  }))
  return m
}

/**
 * Langfuse traces with their observations and scores (Langfuse public API, `GET
 * /api/public/traces/{traceId}`; scores with `name`, `value`, `stringValue`, `dataType`,
 * `comment`): each trace-level score name a verdict column, its comments the critique.
 */
function langfuse(rows: Fields[]): Mapping {
  const m = base()
  const spans = rows.flatMap((f) => [f, ...(Array.isArray(f.observations) ? f.observations.filter(isPlainObject) : [])])
  const has = (field: string) => spans.some((f) => field in f)
  m.spans = {
    traceId: 'traceId',
    spanId: 'id',
    parentId: 'parentObservationId',
    name: has('name') ? 'name' : null,
    start: has('startTime') ? 'startTime' : null,
    source: 'Langfuse traces',
  }
  m.id = 'traceId'
  m.input = 'input'
  m.output = 'output'
  const names = new Map<string, boolean>()
  for (const f of rows) {
    for (const s of Array.isArray(f.scores) ? f.scores.filter(isPlainObject) : []) {
      if (!isEmptyValue(s.observationId)) continue
      const name = toText(s.name).trim()
      if (name === '') continue
      const commented = typeof s.comment === 'string' && s.comment.trim() !== ''
      names.set(name, (names.get(name) ?? false) || commented)
    }
  }
  m.verdicts = [...names].map(([name, commented]) => ({
    field: scoreField(name),
    judge: name,
    criterion: 'Overall',
    critique: commented ? `${scoreField(name)}.comment` : null,
  }))
  return m
}
