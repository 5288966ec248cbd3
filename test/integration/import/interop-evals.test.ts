/**
 * Issue 20, items 2 and 3: eval-tool result files import through the CLI with exact counts.
 * Fixtures written from the public documentation:
 * - promptfoo `results.json` (results version 3): promptfoo.dev/docs/configuration/outputs and the
 *   `EvaluateResult` / `GradingResult` types of promptfoo's src/types/index.ts (commit cccb985).
 * - Inspect AI logs (log schema version 2, inspect_ai 0.3.x): inspect.aisi.org.uk/eval-logs.html and
 *   the `EvalLog` / `EvalSample` / `Score` reference (inspect.aisi.org.uk/reference/inspect_ai.log.html);
 *   the `.eval` ZIP layout of inspect_ai's log/_recorders/eval.py.
 */
import Database from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { zipSync, strToU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../../shared/import'
import { runCli } from '../../helpers/cli'
import { projectCounts as counts } from '../../helpers/interop'
import { writeInspectEval } from '../../helpers/inspect-eval'
import { repoRoot, tempDir } from '../../helpers/paths'

const PROMPTFOO = join(repoRoot, 'test/fixtures/interop/promptfoo/results.json')
const INSPECT_JSON = join(repoRoot, 'test/fixtures/interop/inspect/log.json')

/** Each judge (with its criterion) and its verdicts' values, e.g. `promptfoo @ Overall: pass,pass,fail,error`. */
function judgeVerdicts(project: string): string[] {
  const db = new Database(project, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT j.name || ' @ ' || c.name || ': ' || group_concat(v.verdict, ',' ORDER BY v.item_id) AS line
           FROM verdicts v JOIN runs r ON r.id = v.run_id JOIN judge_versions jv ON jv.id = r.judge_version_id
           JOIN judges j ON j.id = jv.judge_id JOIN criteria c ON c.id = j.criterion_id
           GROUP BY j.id ORDER BY j.name, c.name`,
      )
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}

function item(
  project: string,
  externalId: string,
): { input: string; output: string; messages: unknown[]; metadata: Record<string, unknown> } {
  const db = new Database(project, { readonly: true })
  try {
    const row = db
      .prepare('SELECT input, output, messages_json, metadata_json FROM items WHERE external_id = ?')
      .get(externalId) as { input: string; output: string; messages_json: string; metadata_json: string }
    return {
      input: row.input,
      output: row.output,
      messages: JSON.parse(row.messages_json) as unknown[],
      metadata: JSON.parse(row.metadata_json) as Record<string, unknown>,
    }
  } finally {
    db.close()
  }
}

function critique(project: string, externalId: string, judge: string): string {
  const db = new Database(project, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT v.critique FROM verdicts v JOIN items i ON i.id = v.item_id JOIN runs r ON r.id = v.run_id
         JOIN judge_versions jv ON jv.id = r.judge_version_id JOIN judges j ON j.id = jv.judge_id
         WHERE i.external_id = ? AND j.name = ?`,
      )
      .pluck()
      .get(externalId, judge) as string
  } finally {
    db.close()
  }
}

describe('importing eval-tool results (CLI)', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-interop-evals-')
    project = tmp.file('p.assay')
  })
  afterEach(() => tmp.cleanup())

  it('promptfoo results.json: one item per result, the overall success and each assertion as verdicts', async () => {
    const r = await runCli(['import', project, PROMPTFOO], tmp.dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('promptfoo results: one item per result of "results.results"')
    expect(r.stdout).toContain('imported 4 new items')
    expect(counts(project)).toEqual({ items: 4, messages: 0, labels: 0, verdicts: { pass: 8, fail: 2, error: 1 } })
    expect(judgeVerdicts(project)).toEqual([
      'promptfoo @ Overall: pass,fail,pass,error',
      'promptfoo contains @ contains: pass,fail,pass',
      'promptfoo contains @ contains #2: pass',
      'promptfoo icontains @ mentions-paris: pass',
      'promptfoo llm-rubric (openai:gpt-4o) @ llm-rubric: pass,pass',
    ])
    const first = item(project, 'r-0-a')
    expect(first.input).toBe('Answer in one sentence: What is the capital of France?')
    expect(first.output).toBe('The capital of France is Paris.')
    expect(first.metadata).toMatchObject({
      vars: { question: 'What is the capital of France?' },
      provider: 'openai:gpt-4o-mini',
    })
    expect(critique(project, 'r-0-a', 'promptfoo llm-rubric (openai:gpt-4o)')).toBe(
      'The answer names Paris &amp; is correct.',
    )
    expect(critique(project, 'r-0-b', 'promptfoo contains')).toBe('Expected output to contain "Paris"')
    expect(critique(project, 'r-1-b', 'promptfoo')).toBe('API error: 529 overloaded')
    // The judge and criterion fields the reader adds are read into the mapping, not kept as metadata.
    expect(Object.keys(first.metadata).some((k) => k.startsWith('judge: ') || k.startsWith('criterion: '))).toBe(false)
  })

  it('an Inspect .json log with a numeric scorer is refused until a threshold is set, then imports', async () => {
    const refused = await runCli(['import', project, INSPECT_JSON], tmp.dir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('value 0.92 is a numeric score, not pass/fail')
    expect(refused.stderr).toContain('--map "threshold:inspect similarity=0.5"')
    expect(existsSync(project)).toBe(false)

    const r = await runCli(
      ['import', project, INSPECT_JSON, '--map', 'threshold:inspect similarity=0.5', '--json'],
      tmp.dir,
    )
    expect(r.code).toBe(0)
    const report = r.json() as ImportReport
    expect(report.imported).toBe(3)
    expect(report.columns.map((c) => [c.judge, c.pass, c.fail, c.error])).toEqual([
      ['inspect match', 2, 1, 0],
      ['inspect model_graded_qa (openai/gpt-4o)', 1, 1, 1],
      ['inspect similarity', 2, 1, 0],
    ])
    expect(counts(project)).toEqual({ items: 3, messages: 9, labels: 0, verdicts: { pass: 5, fail: 3, error: 1 } })
    expect(judgeVerdicts(project)).toEqual([
      'inspect match @ Overall: pass,fail,pass',
      'inspect model_graded_qa (openai/gpt-4o) @ model_graded_qa: pass,fail,error',
      'inspect similarity @ similarity: pass,fail,pass',
    ])
    const tools = item(project, '2')
    expect(tools.input).toBe('What is the capital of Germany? Look it up.')
    expect(tools.output).toBe('Munich')
    expect(tools.messages).toEqual([
      { role: 'user', content: 'What is the capital of Germany? Look it up.' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1', name: 'search', arguments: '{"query":"capital of Germany"}' }],
      },
      { role: 'tool', content: 'Munich is the capital of Bavaria.', name: 'search', tool_call_id: 'call_1' },
      { role: 'assistant', content: 'Munich' },
    ])
    expect(tools.metadata).toMatchObject({
      target: ['Berlin'],
      epoch: 1,
      task: 'capitals',
      model: 'openai/gpt-4o-mini',
    })
    expect(critique(project, 'q3', 'inspect model_graded_qa (openai/gpt-4o)')).toBe('Right city, extra words. GRADE: P')
  })

  it('a threshold on every verdict column: --map threshold=N', async () => {
    const r = await runCli(['import', project, INSPECT_JSON, '--map', 'threshold=0.8', '--json'], tmp.dir)
    expect(r.code).toBe(0)
    // C/I/P still read as letters; only the numbers meet the threshold (0.92 passes, 0.31 and 0.75 fail).
    expect(counts(project).verdicts).toEqual({ pass: 4, fail: 4, error: 1 })
  })

  it('an Inspect .eval log (a ZIP archive): samples sorted by id and epoch, ids carry the epoch', async () => {
    const log = writeInspectEval(tmp.file('2026-12-01T11-00-00_arithmetic_Z1yq8.eval'))
    const r = await runCli(['import', project, log], tmp.dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Inspect AI .eval log (a ZIP archive)')
    expect(counts(project)).toEqual({ items: 4, messages: 8, labels: 0, verdicts: { pass: 3, fail: 1 } })
    expect(judgeVerdicts(project)).toEqual(['inspect includes @ Overall: pass,pass,pass,fail'])
    const db = new Database(project, { readonly: true })
    const ids = db.prepare('SELECT external_id FROM items ORDER BY id').pluck().all()
    db.close()
    expect(ids).toEqual(['1/epoch-1', '1/epoch-2', '2/epoch-1', '2/epoch-2'])
    expect(item(project, '2/epoch-2').output).toBe('48')
  })

  it('refuses a ZIP that is not an Inspect log, and a ZIP read as another format, saying what to do', async () => {
    const zip = tmp.file('traces.zip')
    writeFileSync(zip, zipSync({ 'traces.csv': strToU8('id,input\n1,hi\n') }))
    const r = await runCli(['import', project, zip], tmp.dir)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('is a ZIP archive but not an Inspect AI log')
    expect(r.stderr).toContain('unzip it')
    const log = writeInspectEval(tmp.file('a.eval'))
    const csv = await runCli(['import', project, log, '--format', 'csv'], tmp.dir)
    expect(csv.code).not.toBe(0)
    expect(csv.stderr).toContain('a.eval is a ZIP archive, not CSV')
    expect(existsSync(project)).toBe(false)
  })

  it('finds an array of records one level down and says which', async () => {
    const file = tmp.file('nested.json')
    writeFileSync(
      file,
      JSON.stringify({
        meta: { version: 1 },
        payload: {
          rows: [
            { id: 'a', input: 'q1', output: 'r1' },
            { id: 'b', input: 'q2', output: 'r2' },
          ],
        },
      }),
    )
    const r = await runCli(['import', project, file], tmp.dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Records read from the "payload.rows" array')
    expect(counts(project).items).toBe(2)
  })
})
