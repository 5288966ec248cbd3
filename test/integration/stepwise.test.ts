import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Taxonomy } from '../../shared/domain'
import type { ImportReport } from '../../shared/import'
import type { Services } from '../../electron/core/services'
import { runCli } from '../helpers/cli'
import { hasShared, repoRoot, sharedData, tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

const FIXTURE = resolve(repoRoot, 'test/fixtures/agent-states.jsonl')
const HW5 = resolve(sharedData, 'ai-evals-course-recipe-chatbot/homeworks/hw5/reference_files/labeled_traces.jsonl')

/**
 * The fixture's states in the order its transitions imply (GenWebArgs and GetWebInfo: not ordered by the data; first
 * seen first).
 */
const ORDER = [
  'ParseRequest',
  'PlanToolCalls',
  'GenRecipeArgs',
  'GetRecipes',
  'GenWebArgs',
  'GetWebInfo',
  'ComposeResponse',
  'DeliverResponse',
]

type Row = { conversation_id: string; messages: unknown[]; last_success_state: string; first_failure_state: string }
const rowsOf = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)

/** last success × first failure, counted from the file itself: what the matrix must show. */
function pairs(rows: Row[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const r of rows)
    out.set(
      `${r.last_success_state} → ${r.first_failure_state}`,
      (out.get(`${r.last_success_state} → ${r.first_failure_state}`) ?? 0) + 1,
    )
  return out
}
const cellsOf = (t: Taxonomy['transitions']) =>
  new Map(t.cells.map((c) => [`${c.lastSuccess} → ${c.firstFailure}`, c.count]))

describe('step-wise labels: last successful state × first failing state', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-stepwise-')
    project = tmp.file('agent.assay')
  })
  afterEach(() => tmp.cleanup())

  const taxonomy = async () =>
    (
      (await runCli(['taxonomy', project, '--format', 'json'], tmp.dir)).json() as {
        transitions: Taxonomy['transitions']
      }
    ).transitions
  const sql = (query: string) => {
    const db = new Database(project, { readonly: true })
    try {
      return db.prepare(query).all()
    } finally {
      db.close()
    }
  }

  it('imports an agent file with state columns (suggested) as fails with their states, and `assay taxonomy` gives its transition matrix', async () => {
    const r = await runCli(['import', project, FIXTURE, '--json'], tmp.dir)
    expect(r.code).toBe(0)
    const report = r.json() as ImportReport
    expect(report).toMatchObject({ committed: true, imported: 12, errorCount: 0 })
    expect(report.states).toEqual({
      lastSuccess: 'last_success_state',
      firstFailure: 'first_failure_state',
      criterion: 'Overall',
      failed: 12,
      lastOnly: 0,
      empty: 0,
      added: 12,
      unchanged: 0,
      order: ORDER,
      orderSource: 'inferred',
      unfixed: [['GenWebArgs', 'GetWebInfo']],
    })
    // Chat traces (messages kept), each with one failing Overall label naming its states; the state columns are not
    // metadata.
    expect(sql("SELECT count(*) AS n FROM items WHERE kind = 'chat' AND metadata_json NOT LIKE '%_state%'")).toEqual([
      { n: 12 },
    ])
    expect(
      sql(
        'SELECT verdict, annotator, last_success_state AS l, first_failure_state AS f FROM labels ORDER BY id LIMIT 2',
      ),
    ).toEqual([
      { verdict: 'fail', annotator: 'imported', l: 'ParseRequest', f: 'PlanToolCalls' },
      { verdict: 'fail', annotator: 'imported', l: 'PlanToolCalls', f: 'GenRecipeArgs' },
    ])

    const t = await taxonomy()
    expect(cellsOf(t)).toEqual(pairs(rowsOf(FIXTURE)))
    expect([...cellsOf(t)]).toEqual([
      ['ParseRequest → PlanToolCalls', 1],
      ['PlanToolCalls → GenRecipeArgs', 2],
      ['PlanToolCalls → GetRecipes', 1],
      ['GenRecipeArgs → GetRecipes', 3],
      ['GetRecipes → GenWebArgs', 1],
      ['GetRecipes → GetWebInfo', 1],
      ['GenWebArgs → ComposeResponse', 1],
      ['GetWebInfo → ComposeResponse', 1],
      ['ComposeResponse → DeliverResponse', 1],
    ])
    expect(t.states.map((s) => [s.state, s.firstFailures, s.lastSuccesses])).toEqual([
      ['ParseRequest', 0, 1],
      ['PlanToolCalls', 1, 3],
      ['GenRecipeArgs', 2, 3],
      ['GetRecipes', 4, 2],
      ['GenWebArgs', 1, 1],
      ['GetWebInfo', 1, 1],
      ['ComposeResponse', 2, 1],
      ['DeliverResponse', 1, 0],
    ])
    expect(t).toMatchObject({ orderSource: 'inferred', failed: 12, unmarked: 0, backwards: 0, steps: [] })

    // The label history keeps them.
    expect(
      (await runCli(['export', project, '--history', '--format', 'jsonl', '--out', tmp.file('history.jsonl')], tmp.dir))
        .code,
    ).toBe(0)
    const history = readFileSync(tmp.file('history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(history[0]).toMatchObject({
      verdict: 'fail',
      first_failing_step: null,
      last_success_state: 'ParseRequest',
      first_failure_state: 'PlanToolCalls',
    })

    // The Markdown taxonomy draws the matrix and the per-state counts.
    const md = (await runCli(['taxonomy', project], tmp.dir)).stdout
    expect(md).toContain('## Where traces fail: last successful state → first failing state')
    expect(md).toContain(
      'State order (inferred from the data): ParseRequest → PlanToolCalls → GenRecipeArgs → GetRecipes → GenWebArgs → GetWebInfo → ComposeResponse → DeliverResponse',
    )
    expect(md).toContain('| GenRecipeArgs | 0 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 3 |')
    expect(md).toContain('| first failures | 0 | 1 | 2 | 4 | 1 | 1 | 2 | 1 | 12 |')
    expect(md).toContain('The data does not order GenWebArgs and GetWebInfo')
  })

  it('says the order it inferred when importing, and takes the order the user gives (kept for the project)', async () => {
    const inferred = await runCli(['import', project, FIXTURE], tmp.dir)
    expect(inferred.stdout).toContain(
      'last_success_state, first_failure_state → step-wise labels of "Overall": 12 with a first failing state (a fail); 12 added',
    )
    expect(inferred.stdout).toContain(`State order (inferred from the data): ${ORDER.join(' → ')}`)
    expect(inferred.stdout).toContain(
      'The data does not order GenWebArgs / GetWebInfo: give the order with --state-order',
    )

    // The user's order puts GetWebInfo first; a second file is another dataset of the same project.
    const given = [
      'ParseRequest',
      'PlanToolCalls',
      'GenRecipeArgs',
      'GetRecipes',
      'GetWebInfo',
      'GenWebArgs',
      'ComposeResponse',
      'DeliverResponse',
    ]
    const again = await runCli(
      [
        'import',
        project,
        FIXTURE,
        '--existing',
        'copy',
        '--dataset',
        'second',
        '--state-order',
        given.join(','),
        '--json',
      ],
      tmp.dir,
    )
    expect((again.json() as ImportReport).states).toMatchObject({
      order: given,
      orderSource: 'user',
      unfixed: [],
      added: 12,
    })
    const t = await taxonomy()
    expect(t.states.map((s) => s.state)).toEqual(given)
    expect(t).toMatchObject({ orderSource: 'user', failed: 24, backwards: 0 })
  })

  it('refuses rows that contradict the order the user gave, or name a state outside it, with their line', async () => {
    const partial = [
      'ParseRequest',
      'PlanToolCalls',
      'GenRecipeArgs',
      'GetRecipes',
      'GenWebArgs',
      'GetWebInfo',
      'ComposeResponse',
    ]
    const missing = await runCli(['import', project, FIXTURE, '--state-order', partial.join(','), '--json'], tmp.dir)
    expect(missing.code).toBe(1)
    expect((missing.json() as ImportReport).errors).toEqual([
      {
        line: 12,
        column: 'first_failure_state',
        message: `state "DeliverResponse" is not in the state order you gave (${partial.join(', ')}); add it to the order, or fix the cell`,
      },
    ])
    const backwards = await runCli(
      [
        'import',
        project,
        FIXTURE,
        '--state-order',
        'PlanToolCalls,ParseRequest,GenRecipeArgs,GetRecipes,GenWebArgs,GetWebInfo,ComposeResponse,DeliverResponse',
        '--json',
      ],
      tmp.dir,
    )
    expect((backwards.json() as ImportReport).errors[0]).toMatchObject({
      line: 1,
      column: 'first_failure_state',
      message: expect.stringContaining(
        'the last successful state "ParseRequest" does not come before the first failing state "PlanToolCalls"',
      ),
    })
    const repeated = await runCli(['import', project, FIXTURE, '--state-order', 'A,B,A'], tmp.dir)
    expect(repeated).toMatchObject({ code: 1 })
    expect(repeated.stderr).toContain('--state-order names "A" twice')
  })

  it('refuses a mapped state field that no row has, and a state column with no state in it, like any mapped field', async () => {
    const typo = await runCli(
      ['import', project, FIXTURE, '--map', 'first-failure=first_fail_state', '--json'],
      tmp.dir,
    )
    expect(typo.code).toBe(1)
    expect((typo.json() as ImportReport).errors[0]).toMatchObject({
      column: 'first_fail_state',
      fatal: true,
      message: expect.stringContaining(
        'agent-states.jsonl has no field "first_fail_state" (mapped as the first failing state (of "Overall")) in any row. Did you mean "first_failure_state"?',
      ),
    })
    const csv = tmp.file('empty-states.csv')
    writeFileSync(csv, 'id,input,output,last_ok,first_bad\na,q1,r1,,\nb,q2,r2,,\n')
    const empty = await runCli(
      ['import', project, csv, '--map', 'last-success=last_ok', '--map', 'first-failure=first_bad', '--json'],
      tmp.dir,
    )
    expect((empty.json() as ImportReport).errors).toEqual([
      {
        line: 1,
        column: 'last_ok',
        fatal: true,
        message:
          'state columns "last_ok" and "first_bad" (step-wise labels of "Overall") name no state in 2 rows: only empty cells. Map the columns that name the last successful and first failing states, or unmap them.',
      },
    ])
  })

  it('checks states against the label column: a pass has no failing state, and a last success alone needs a pass', async () => {
    const csv = tmp.file('labeled.csv')
    writeFileSync(
      csv,
      'id,input,output,label,last_success_state,first_failure_state\na,q1,r1,fail,Plan,Search\nb,q2,r2,pass,Answer,\nc,q3,r3,pass,Plan,Search\nd,q4,r4,,Plan,\ne,q5,r5,,,Search\n',
    )
    const r = (await runCli(['import', project, csv, '--on-error', 'skip', '--json'], tmp.dir)).json() as ImportReport
    expect(r.errors).toEqual([
      {
        line: 4,
        column: 'first_failure_state',
        message:
          'the first failing state is "Search" but the label of "Overall" says pass: a trace that passed has no failing state; fix one of the cells',
      },
      {
        line: 5,
        column: 'first_failure_state',
        message:
          'the last successful state is "Plan" but no first failing state is named and the label of "Overall" is empty: name the state that failed first, or label the trace pass',
      },
    ])
    expect(r).toMatchObject({ committed: true, imported: 3, states: { failed: 3, lastOnly: 2, added: 3 } })
    // e: no label in its cell, a failing state: a fail that failed at its first state ("(start)").
    expect(
      sql(
        'SELECT i.external_id AS id, l.verdict, l.last_success_state AS l, l.first_failure_state AS f FROM labels l JOIN items i ON i.id = l.item_id ORDER BY l.id',
      ),
    ).toEqual([
      { id: 'a', verdict: 'fail', l: 'Plan', f: 'Search' },
      { id: 'b', verdict: 'pass', l: 'Answer', f: null },
      { id: 'e', verdict: 'fail', l: null, f: 'Search' },
    ])
    const t = await taxonomy()
    expect([...cellsOf(t)]).toEqual([
      ['(start) → Search', 1],
      ['Plan → Search', 1],
    ])
    // A pass's last success is evidence of the order too.
    expect(t.states.map((s) => s.state)).toEqual(['Plan', 'Search', 'Answer'])
  })

  it('joins states from a labels-only file to traces imported before, and the same states again change nothing', async () => {
    const rows = rowsOf(FIXTURE)
    const raw = tmp.file('raw.jsonl')
    writeFileSync(
      raw,
      rows.map((r) => JSON.stringify({ conversation_id: r.conversation_id, messages: r.messages })).join('\n'),
    )
    expect((await runCli(['import', project, raw, '--json'], tmp.dir)).json() as ImportReport).toMatchObject({
      committed: true,
      imported: 12,
      states: null,
    })
    const labels = tmp.file('states.csv')
    writeFileSync(
      labels,
      `conversation_id,last_success_state,first_failure_state\n${rows.map((r) => `${r.conversation_id},${r.last_success_state},${r.first_failure_state}`).join('\n')}\n`,
    )
    const joined = (
      await runCli(['import', project, labels, '--annotator', 'grader', '--json'], tmp.dir)
    ).json() as ImportReport
    expect(joined).toMatchObject({
      committed: true,
      mode: 'join',
      matched: { count: 12 },
      states: { failed: 12, added: 12, unchanged: 0 },
    })
    expect(cellsOf(await taxonomy())).toEqual(pairs(rows))
    const again = (
      await runCli(['import', project, labels, '--annotator', 'grader', '--json'], tmp.dir)
    ).json() as ImportReport
    expect(again.states).toMatchObject({ added: 0, unchanged: 12 })
    expect(sql("SELECT count(*) AS n FROM labels WHERE annotator = 'grader'")).toEqual([{ n: 12 }])
  })

  it("a pipeline's first failing state must be one of its steps: stored as the step, in the matrix with its pass rates", async () => {
    const steps = (names: string[]) =>
      `"${JSON.stringify(names.map((name) => ({ name, input: 'in', output: 'out' }))).replace(/"/g, '""')}"`
    const csv = tmp.file('pipes.csv')
    const abc = steps(['plan', 'search', 'answer'])
    writeFileSync(
      csv,
      `id,steps,last_success_state,first_failure_state\np1,${abc},plan,search\np2,${abc},,answer\np3,${abc},,\np4,${abc},answer,search\np5,${abc},,rerank\n`,
    )
    const bad = (await runCli(['import', project, csv, '--on-error', 'skip', '--json'], tmp.dir)).json() as ImportReport
    expect(bad.errors).toEqual([
      {
        line: 5,
        column: 'first_failure_state',
        message:
          'trace "p4" has no step "search" right after a step "answer" (its steps: plan, search, answer); fix the cell, or map the column that names its steps',
      },
      {
        line: 6,
        column: 'first_failure_state',
        message:
          'trace "p5" has no step named "rerank" (its steps: plan, search, answer); fix the cell, or map the column that names its steps',
      },
    ])
    expect(
      sql('SELECT first_failing_step AS i, last_success_state AS l, first_failure_state AS f FROM labels ORDER BY id'),
    ).toEqual([
      { i: 1, l: null, f: null },
      { i: 2, l: null, f: null },
    ])
    const t = await taxonomy()
    expect(t).toMatchObject({
      orderSource: 'steps',
      failed: 2,
      cells: [
        { lastSuccess: 'plan', firstFailure: 'search', count: 1 },
        { lastSuccess: 'search', firstFailure: 'answer', count: 1 },
      ],
    })
    expect(t.steps.map((s) => [s.step, s.passed, s.reached])).toEqual([
      ['plan', 2, 2],
      ['search', 1, 2],
      ['answer', 0, 1],
    ])

    // A labels-only file names states of pipelines stored before: resolved against the stored steps.
    const join = tmp.file('join.csv')
    writeFileSync(join, 'id,first_failure_state\np3,plan\n')
    const joined = (
      await runCli(['import', project, join, '--map', 'first-failure=first_failure_state', '--json'], tmp.dir)
    ).json() as ImportReport
    expect(joined).toMatchObject({ committed: true, matched: { count: 1 } })
    expect(cellsOf(await taxonomy()).get('(start) → plan')).toBe(1)
    writeFileSync(join, 'id,first_failure_state\np3,rerank\n')
    const refused = (
      await runCli(['import', project, join, '--map', 'first-failure=first_failure_state', '--json'], tmp.dir)
    ).json() as ImportReport
    expect(refused.errors[0]).toMatchObject({
      line: 2,
      message:
        'item "p3" of the project has no step named "rerank" (its steps: plan, search, answer); fix the cell, or map the column that names its steps',
    })
  })
})

describe('step-wise labels in the app', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  const call = contractCaller(() => services)
  beforeEach(async () => {
    tmp = tempDir('assay-stepwise-app-')
    services = testServices(tmp.file('home'))
    await call('settings.set', { annotator: 'ann' })
    await call('project.create', { path: tmp.file('p.assay') })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it("the wizard suggests the state columns and the import gives the Analyze screen its matrix; a relabel in a session keeps the trace's states", async () => {
    const { detected, mapping, preview } = await call('import.detect', { path: FIXTURE })
    expect(mapping.states).toEqual({
      lastSuccess: 'last_success_state',
      firstFailure: 'first_failure_state',
      criterion: 'Overall',
      annotator: 'imported',
      order: null,
    })
    expect(preview.rows[0].labels).toEqual([
      { criterion: 'Overall', verdict: 'fail', note: '', states: 'ParseRequest → PlanToolCalls' },
    ])
    const report = await call('import.run', {
      path: FIXTURE,
      format: detected.format,
      mapping,
      onError: 'abort',
      duplicates: 'abort',
    })
    expect(report.states).toMatchObject({ failed: 12, added: 12, order: ORDER })
    const t = await call('taxonomy.get', {})
    expect(cellsOf(t.transitions)).toEqual(pairs(rowsOf(FIXTURE)))

    // "ann" labels a trace again (a fail, no states of her own): the trace keeps its imported states.
    const overall = (await call('criteria.list', {})).find((c) => c.kind === 'overall')!
    const s = await call('sessions.create', { criterionId: overall.id, order: 'random', seed: 1, size: 3 })
    await call('labels.save', { sessionId: s.id, itemId: s.items[0].id, verdict: 'fail', note: 'gave up' })
    await call('labels.save', { sessionId: s.id, itemId: s.items[1].id, verdict: 'pass' })
    const after = await call('taxonomy.get', {})
    expect(after.transitions.failed).toBe(11) // the pass left the matrix; the fail stayed
    expect(after.transitions.cells.flatMap((c) => c.itemIds)).toContain(s.items[0].id)
    expect(after.transitions.cells.flatMap((c) => c.itemIds)).not.toContain(s.items[1].id)
  })
})

describe.skipIf(!hasShared('data'))("the course's HW5 labeled traces", () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-hw5-')))
  afterEach(() => tmp.cleanup())

  /** The agent's states in the course's order (HW5 README). */
  const COURSE = [
    'ParseRequest',
    'PlanToolCalls',
    'GenCustomerArgs',
    'GetCustomerProfile',
    'GenRecipeArgs',
    'GetRecipes',
    'GenWebArgs',
    'GetWebInfo',
    'ComposeResponse',
    'DeliverResponse',
  ]

  it("imports as 96 failing agent traces whose matrix equals the file's own last success × first failure pairs", async () => {
    const project = tmp.file('hw5.assay')
    const r = await runCli(['import', project, HW5, '--json'], tmp.dir)
    expect(r.json() as ImportReport).toMatchObject({
      committed: true,
      imported: 96,
      errorCount: 0,
      states: { failed: 96, added: 96 },
    })
    const taxonomy = async () =>
      (
        (await runCli(['taxonomy', project, '--format', 'json'], tmp.dir)).json() as {
          transitions: Taxonomy['transitions']
        }
      ).transitions
    const t = await taxonomy()
    expect(cellsOf(t)).toEqual(pairs(rowsOf(HW5)))
    expect(t).toMatchObject({ failed: 96, backwards: 0 })
    // The course README's counts of first failures.
    expect(Object.fromEntries(t.states.map((s) => [s.state, s.firstFailures]))).toMatchObject({
      GetRecipes: 32,
      GenRecipeArgs: 20,
      GetCustomerProfile: 13,
    })
    // The data orders every state but two: it does not say whether GenWebArgs or GetWebInfo comes first.
    expect(t.unfixed).toEqual([['GetWebInfo', 'GenWebArgs']])
    expect(t.states.map((s) => s.state)).toEqual([
      'ParseRequest',
      'PlanToolCalls',
      'GenCustomerArgs',
      'GetCustomerProfile',
      'GenRecipeArgs',
      'GetRecipes',
      'GetWebInfo',
      'GenWebArgs',
      'ComposeResponse',
      'DeliverResponse',
    ])

    // The course's order, given: the same file again joins its traces (nothing added) and keeps the order.
    const again = (
      await runCli(['import', project, HW5, '--state-order', COURSE.join(','), '--json'], tmp.dir)
    ).json() as ImportReport
    expect(again.states).toMatchObject({ added: 0, unchanged: 96, order: COURSE, orderSource: 'user' })
    expect((await taxonomy()).states.map((s) => s.state)).toEqual(COURSE)
  })
})
