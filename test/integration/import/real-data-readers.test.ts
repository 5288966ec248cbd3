/**
 * Every CSV/JSON/JSONL file of the course datasets (../shared/data, beside the repo, read-only)
 * goes through detectFormat + readRecords. The expected counts come from each folder's README and
 * were checked against Python's csv/json modules; the field checks pin the quirks those READMEs list.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectFormat } from '../../../electron/core/import/detect'
import { readRecords } from '../../../electron/core/import/readers/index'
import type { Detected, FileFormat, RecordError, SourceRecord } from '../../../electron/core/import/types'
import { hasShared, repoRoot } from '../../helpers/paths'

const root = resolve(repoRoot, '../shared/data')

type Expectation = { format: FileFormat; records: number } | { refused: RegExp }

const COURSE = 'ai-evals-course-recipe-chatbot'
const PHOENIX = 'PriyanJindal-recipe-chatbot-fork/homeworks/hw3_phoenix'
const KINANO = 'kinano-recipe-chatbot/homeworks/hw3'
const GANGZ = 'd-gangz-recipe-chatbot-practice/homeworks/hw3/results'
const NATHAN = 'NathanNam-recipe-chatbot/homeworks/hw2'
const summary = { refused: /holds no array of records/ }
const parallelArrays = { refused: /several arrays \("test_labels", "test_preds"\)/ }
const csv = (records: number): Expectation => ({ format: 'csv', records })

const EXPECTED: Record<string, Expectation> = {
  [`${NATHAN}/failure_mode_cooccurrence.csv`]: csv(6),
  [`${NATHAN}/failure_mode_frequency.csv`]: csv(6),
  [`${NATHAN}/failure_mode_other_notes.csv`]: csv(2),
  [`${NATHAN}/results_20251011_123314_failure_modes.csv`]: csv(100),
  [`${NATHAN}/results_20251011_123314_open_code_notes.csv`]: csv(100),
  [`${PHOENIX}/data/dev_set.csv`]: csv(29),
  [`${PHOENIX}/data/labeled_traces.csv`]: csv(73),
  [`${PHOENIX}/data/test_set.csv`]: csv(33),
  [`${PHOENIX}/data/train_set.csv`]: csv(10),
  [`${PHOENIX}/results/dev_predictions.json`]: { format: 'json-columns', records: 36 },
  [`${PHOENIX}/results/test_predictions.json`]: { format: 'json-columns', records: 33 },
  [`${PHOENIX}/results/final_evaluation.json`]: summary,
  [`${PHOENIX}/results/judge_performance.json`]: summary,
  [`${PHOENIX}/results/judgy_test_data.json`]: parallelArrays,
  [`${COURSE}/homeworks/hw2/reference_files/query_response.jsonl`]: { format: 'jsonl', records: 250 },
  [`${COURSE}/homeworks/hw2/results_20250518_215844.csv`]: csv(250),
  [`${COURSE}/homeworks/hw2/synthetic_queries_for_analysis.csv`]: csv(250),
  [`${COURSE}/homeworks/hw3/data/dev_set.csv`]: csv(40),
  [`${COURSE}/homeworks/hw3/data/labeled_traces.csv`]: csv(101),
  [`${COURSE}/homeworks/hw3/data/test_set.csv`]: csv(46),
  [`${COURSE}/homeworks/hw3/data/train_set.csv`]: csv(15),
  [`${COURSE}/homeworks/hw3/reference_files/dietary_queries.csv`]: csv(60),
  [`${COURSE}/homeworks/hw3/reference_files/labeled_traces.jsonl`]: { format: 'jsonl', records: 101 },
  [`${COURSE}/homeworks/hw3/results/dev_predictions.json`]: { format: 'json-array', records: 40 },
  [`${COURSE}/homeworks/hw3/results/test_predictions.json`]: { format: 'json-array', records: 46 },
  [`${COURSE}/homeworks/hw3/results/final_evaluation.json`]: summary,
  [`${COURSE}/homeworks/hw3/results/judge_performance.json`]: summary,
  [`${COURSE}/homeworks/hw3/results/judgy_test_data.json`]: parallelArrays,
  [`${COURSE}/homeworks/hw5/reference_files/labeled_traces.jsonl`]: { format: 'jsonl', records: 96 },
  [`${COURSE}/homeworks/hw5/reference_files/raw_traces.jsonl`]: { format: 'jsonl', records: 96 },
  [`${COURSE}/lesson-4/nurtureboss_logs.csv`]: csv(100),
  [`${COURSE}/lesson-4/nurtureboss_traces_labeled.json`]: { format: 'json-array', records: 100 },
  [`${GANGZ}/dev_predictions.json`]: { format: 'json-array', records: 40 },
  [`${GANGZ}/test_predictions.json`]: { format: 'json-array', records: 46 },
  [`${GANGZ}/final_evaluation.json`]: summary,
  [`${GANGZ}/judge_performance.json`]: summary,
  [`${GANGZ}/judgy_test_data.json`]: parallelArrays,
  [`${KINANO}/data/kf_dev_set.csv`]: csv(44),
  [`${KINANO}/data/kf_test_set.csv`]: csv(44),
  [`${KINANO}/data/kf_train_set.csv`]: csv(22),
  [`${KINANO}/results/llm_eval_runs/hamel_test_set_llm_as_judge_eval_run_2025-06-16-11-49-11.csv`]: csv(45),
  [`${KINANO}/results/llm_eval_runs/llm_as_judge_eval_run_2025-06-15-16-44-32.csv`]: csv(39),
  ...Object.fromEntries(
    [
      '2025-06-15-16-16-16',
      '2025-06-15-16-26-29',
      '2025-06-15-16-36-36',
      '2025-06-15-16-55-17',
      '2025-06-15-17-16-35',
      '2025-06-15-17-30-54',
      '2025-06-15-17-40-42',
      '2025-06-15-17-56-49',
      '2025-06-16-08-50-35',
      '2025-06-16-09-14-44',
      '2025-06-16-10-03-47',
      '2025-06-16-10-52-52',
    ].map((t) => [`${KINANO}/results/llm_eval_runs/llm_as_judge_eval_run_${t}.csv`, csv(43)]),
  ),
  'mitja-recipe-chatbot/homeworks/hw2/mitja/syn_results.csv': csv(20),
  'mitja-recipe-chatbot/homeworks/hw2/mitja/syn_results_annotated.csv': csv(20),
  'zachmayer-recipe-chatbot/homeworks/hw2/error_analysis_spreadsheet.csv': csv(20),
  'zachmayer-recipe-chatbot/homeworks/hw2/results_20250527_220149.csv': csv(20),
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return dataFiles(path)
    return /\.(csv|json|jsonl)$/.test(name) ? [relative(root, path).split('\\').join('/')] : []
  })
}

interface Read {
  detected: Detected
  records: SourceRecord[]
  errors: RecordError[]
}

const cache = new Map<string, Promise<Read>>()
/** Detect + read a data file once per run (several tests look at the same file). */
function load(file: string): Promise<Read> {
  let pending = cache.get(file)
  if (!pending) {
    pending = (async () => {
      const path = join(root, file)
      const detected = await detectFormat(path)
      const records: SourceRecord[] = []
      const errors: RecordError[] = []
      for await (const r of readRecords(path, { format: detected.format, delimiter: detected.delimiter })) {
        if ('error' in r) errors.push(r.error)
        else records.push(r.record)
      }
      return { detected, records, errors }
    })()
    cache.set(file, pending)
  }
  return pending
}

const field = (r: SourceRecord, name: string): string => {
  const value = r.fields[name]
  if (typeof value !== 'string') throw new Error(`field ${name} is ${typeof value}`)
  return value
}

describe.skipIf(!hasShared('data'))('the course datasets', () => {
  const files = existsSync(root) ? dataFiles(root).sort() : [] // a skipped describe still runs its body

  it('every data file found has an expectation here (add one when a dataset is added)', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(files)('%s', async (file) => {
    if (!Object.hasOwn(EXPECTED, file)) throw new Error(`no expectation for ${file}`)
    const expected = EXPECTED[file]
    if ('refused' in expected) {
      await expect(detectFormat(join(root, file))).rejects.toThrow(expected.refused)
      return
    }
    const { detected, records, errors } = await load(file)
    expect(errors).toEqual([])
    expect(detected.format).toBe(expected.format)
    expect(records).toHaveLength(expected.records)
    expect(detected.sample).toEqual(records.slice(0, 50))
    if (expected.format === 'csv') expect(detected.delimiter).toBe(',')
  })
})

describe.skipIf(!hasShared('data'))('quirks of the course datasets survive reading', () => {
  it('the CRLF hw2 CSV equals its JSONL twin cell for cell: multi-line markdown intact, no stray \\r', async () => {
    const fromCsv = await load(`${COURSE}/homeworks/hw2/results_20250518_215844.csv`)
    const fromJsonl = await load(`${COURSE}/homeworks/hw2/reference_files/query_response.jsonl`)
    expect(fromCsv.detected.notes).toContain('Windows (CRLF) line endings')
    expect(fromCsv.records.map((r) => r.fields)).toEqual(fromJsonl.records.map((r) => r.fields))
    const responses = fromCsv.records.map((r) => field(r, 'response'))
    expect(responses.every((t) => !t.includes('\r'))).toBe(true)
    expect(responses.filter((t) => t.includes('\n'))).toHaveLength(248) // counted with Python's csv module
    expect(field(fromCsv.records[0], 'query')).toBe('Whatcha got for a 30 min eggs and cheese dinner? 🤔')
    // Record lines are physical lines: the second record starts after the first one's many lines.
    expect(fromCsv.records[1].line).toBeGreaterThan(fromCsv.records[0].line + 5)
  })

  it('hw3 labeled traces: the CSV and the JSONL agree on the texts and labels', async () => {
    const fromCsv = await load(`${COURSE}/homeworks/hw3/data/labeled_traces.csv`)
    const fromJsonl = await load(`${COURSE}/homeworks/hw3/reference_files/labeled_traces.jsonl`)
    const pick = (r: SourceRecord) => ({
      query: r.fields.query,
      response: r.fields.response,
      label: r.fields.label,
      trace_id: r.fields.trace_id,
    })
    expect(fromCsv.records.map(pick)).toEqual(fromJsonl.records.map(pick))
    expect(fromCsv.records[0].fields.error).toBe('')
    // The README says the JSONL has "error": "None"; the file actually holds JSON null (and "True" strings).
    expect(fromJsonl.records[0].fields).toMatchObject({ error: null, success: 'True', labeled: 'True' })
    expect(fromCsv.records[0].fields).toMatchObject({ success: 'True', labeled: 'True' })
  })

  it('NathanNam notes: ` "No errors"` with its leading space and literal quotes is kept as written', async () => {
    const { records } = await load(`${NATHAN}/results_20251011_123314_open_code_notes.csv`)
    expect(records.filter((r) => r.fields.open_code_notes === ' "No errors"')).toHaveLength(3)
    const frequency = await load(`${NATHAN}/failure_mode_frequency.csv`)
    expect(frequency.detected.columns).toEqual(['column_1', 'count', 'percent'])
    expect(frequency.records[0].fields).toEqual({
      column_1: 'Failure_Mode_Time_Effort_Mismatch',
      count: '8',
      percent: '8.0',
    })
  })

  it('kinano runs on the course sets: the duplicate `confidence` header becomes confidence_2', async () => {
    const { detected, records } = await load(
      `${KINANO}/results/llm_eval_runs/hamel_test_set_llm_as_judge_eval_run_2025-06-16-11-49-11.csv`,
    )
    expect(detected.columns.slice(-3)).toEqual(['llm_judge_label', 'reason', 'confidence_2'])
    expect(detected.notes).toContain('Duplicate header "confidence" renamed to "confidence_2"')
    expect(records[0].fields).toMatchObject({
      trace_id: '5_12',
      label: 'PASS',
      confidence: 'high',
      confidence_2: 'high',
    })
  })

  it('Phoenix exports: dotted columns, multi-line cells, and pandas column JSON in index order', async () => {
    const spans = await load(`${PHOENIX}/data/labeled_traces.csv`)
    expect(spans.detected.columns).toHaveLength(23)
    expect(spans.records[0].fields).toMatchObject({
      ground_truth_label: 'PASS',
      events: '[]',
      parent_id: '',
      'context.span_id': '5b3e86e5fa8c58d0',
    })
    expect(field(spans.records[0], 'attributes.output.value')).toMatch(
      /^I have a delightful recipe for Keto Chocolate Avocado Mousse/,
    )
    expect(field(spans.records[0], 'prompt').split('\n').length).toBeGreaterThan(5)
    const dev = await load(`${PHOENIX}/results/dev_predictions.json`)
    expect(dev.detected.columns).toHaveLength(28)
    expect(dev.detected.columns).toEqual(expect.arrayContaining(['prompt_x', 'prompt_y', 'ground_truth_confidence']))
    expect(dev.records.map((r) => r.line)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1))
    expect(dev.records[0].fields).toMatchObject({ llm_as_judge_label: 'FAIL', ground_truth_label: 'FAIL' })
  })

  it('NurtureBoss: 22 KB JSON-in-a-cell, the empty last field without a newline, and the `asssistant` role typo', async () => {
    const logs = await load(`${COURSE}/lesson-4/nurtureboss_logs.csv`)
    const first = logs.records[0]
    expect(field(first, 'input').length).toBeGreaterThan(20_000)
    expect(Array.isArray(JSON.parse(field(first, 'input')))).toBe(true)
    expect(logs.records[99].fields).toMatchObject({ comments: '', span_id: '7eb1d628-6774-4c2f-ab3f-f9f654c62dac' })
    const traces = await load(`${COURSE}/lesson-4/nurtureboss_traces_labeled.json`)
    const typo = traces.records.filter((r) =>
      (r.fields.messages as { role: string }[]).some((m) => m.role === 'asssistant'),
    )
    expect(typo.map((r) => r.line)).toEqual([4, 97])
  })

  it('files without a trailing newline lose nothing at the end', async () => {
    const { records } = await load(`${COURSE}/homeworks/hw3/reference_files/dietary_queries.csv`)
    expect(records[59].fields).toEqual({
      id: '60',
      query: "Raw vegan meal that's actually filling",
      dietary_restriction: 'raw vegan ',
    })
  })
})
