/**
 * The column names `suggestMapping` recognises, best first: the vocabularies of the log exports,
 * annotation spreadsheets and span exports users bring (a name alone never maps a column: its
 * values must agree too).
 */

/** Id columns. */
export const ID_NAMES = [
  'id',
  'trace_id',
  'conversation_id',
  'context.trace_id',
  'uuid',
  'traceid',
  'session_id',
  'thread_id',
  'record_id',
  'row_id',
  'example_id',
  'item_id',
  'run_id',
  'request_id',
  'span_id',
  'context.span_id',
  'lsmith_id',
]
/** Conversation columns. */
export const MESSAGES_NAMES = [
  'messages',
  'conversation',
  'chat',
  'chat_history',
  'history',
  'dialog',
  'dialogue',
  'turns',
]
/** Input columns (a conversation under these names is the messages). */
export const INPUT_NAMES = [
  'input',
  'attributes.input.value',
  'input.value',
  'inputs',
  'query',
  'question',
  'user_query',
  'user_input',
  'user_message',
  'prompt',
  'request',
  'instruction',
]
/** Output columns. */
export const OUTPUT_NAMES = [
  'output',
  'attributes.output.value',
  'output.value',
  'outputs',
  'response',
  'answer',
  'completion',
  'generation',
  'bot_response',
  'assistant_response',
  'model_output',
  'model_response',
  'reply',
]
/** Pipeline step columns. */
export const STEPS_NAMES = ['steps', 'pipeline_steps', 'trace_steps']
/** Human-label columns, best first: one becomes the Overall label. */
export const LABEL_NAMES = [
  'human_label',
  'label',
  'ground_truth_label',
  'true_label',
  'gold_label',
  'expected_label',
  'human_verdict',
  'ground_truth',
  'gold',
  'annotation',
  'verdict',
  'pass_fail',
  'status',
  'result',
  'outcome',
  'grade',
  'is_correct',
  'correct',
  'success',
]
/** A judge's (an LLM's, a model's) verdict column. */
export const JUDGE_NAME =
  /(^|[_.\s-])(pred|preds|predicted|prediction|judge|llm|model|auto|eval|evaluator|ai|gpt)([_.\s-]|$)|judge|predict/i
/** A critique or reasoning column. */
export const EXPLANATION = /(^|[_.\s-])(reasoning|reason|explanation|critique|rationale|justification)$/i
/** Human note columns (open coding). */
export const NOTE_NAMES = [
  'notes',
  'note',
  'z_note',
  'open_code_notes',
  'open_code',
  'open_codes',
  'open_coding',
  'comments',
  'comment',
  'human_notes',
  'annotator_notes',
  'annotation_notes',
]
/** train/dev/test columns. */
export const SPLIT_NAMES = ['split', 'set', 'partition', 'fold', 'subset', 'dataset_split', 'data_split']
/** Names of 0/1 columns that mark a failure being present (HW2 axial coding spreadsheets). */
export const FAILURE_NAME =
  /fail|error|missing|violat|ignor|lack|inconsisten|wrong|incorrect|hallucinat|mismatch|issue|problem|unsafe|toxic|harm|refus|omi(t|ssion)|leak/i

/** The fields of a span export, per part of the span mapping, best first. */
export const SPAN_CANDIDATES = {
  traceId: ['context.trace_id', 'trace_id', 'traceId', 'context.traceId', 'trace.id'],
  spanId: ['context.span_id', 'span_id', 'spanId', 'context.spanId', 'span.id'],
  parentId: [
    'parent_id',
    'parentSpanId',
    'parent_span_id',
    'parentId',
    'context.parent_id',
    'parent.span_id',
    'parentObservationId',
  ],
  name: ['name', 'span_name', 'span.name'],
  start: ['start_time', 'startTimeUnixNano', 'startTime', 'start', 'timestamp'],
}

/** A step-wise label's last successful state. */
export const LAST_SUCCESS =
  /^last[_\s.-]?(success|successful|succeeded|ok|good|passed|passing)([_\s.-]?(state|step|stage|node|tool))?$/i
/** A step-wise label's first failing state. */
export const FIRST_FAILURE =
  /^first[_\s.-]?(failure|failing|failed|fail|error|broken)([_\s.-]?(state|step|stage|node|tool))?$/i
