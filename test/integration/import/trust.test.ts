import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { calibrate, calibrationChoices } from '../../../electron/core/calibrate'
import { openContext } from '../../../electron/core/context'
import { assignSplits } from '../../../electron/core/judge/splits'
import { CalibrateRequest } from '../../../shared/calibrate'
import { runImport } from '../../../electron/core/import/run'
import { EMPTY_MAPPING, type ImportReport, type Mapping } from '../../../shared/import'
import { runCli } from '../../helpers/cli'
import { coursePredictions, courseTestSet, csv, kinanoRun, kinanoSet } from '../../helpers/course-like'
import { tempDir } from '../../helpers/paths'

/**
 * Issue 15: every import a user makes of their own file is either right or refused with what was
 * wrong, where and what to do — never "0 problems" over wrong data. Through `assay import`, on
 * files of our own that have the quirks of the course's and the students' exports.
 */
describe('imports you can trust', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-trust-')
    project = tmp.file('p.assay')
  })
  afterEach(() => tmp.cleanup())

  const file = (name: string, text: string) => {
    writeFileSync(tmp.file(name), text)
    return tmp.file(name)
  }
  const assay = (...args: string[]) => runCli(args, tmp.dir)
  const importJson = async (...args: string[]) => {
    const r = await assay('import', ...args, '--json')
    return { ...r, report: r.json() as ImportReport }
  }
  const query = <T = unknown>(sql: string): T[] => {
    const db = new Database(project, { readonly: true })
    try {
      return db.prepare(sql).all() as T[]
    } finally {
      db.close()
    }
  }
  const one = (sql: string): unknown => Object.values(query<Record<string, unknown>>(sql)[0])[0]

  it('a mapped field the file does not have stops the import, naming it, the fields there are and the nearest one; no project is left behind', async () => {
    const traces = file('t.csv', 'id,input,output,label\nx1,hi,there,pass\nx2,yo,man,fail\n')
    const label = await assay('import', 'new.assay', traces, '--map', 'label=humanlabel')
    expect(label.code).toBe(1)
    expect(label.stderr).toContain(
      `${traces}:1 [humanlabel]: t.csv has no field "humanlabel" (mapped as the human label of "Overall") in any row. Did you mean "label"? Its fields: "id", "input", "output", "label". Map one of them, or unmap the human label of "Overall".`,
    )
    expect(existsSync(tmp.file('new.assay'))).toBe(false)

    const verdict = await assay('import', 'new.assay', traces, '--map', 'verdict:j=missing')
    expect(verdict.stderr).toContain(
      't.csv has no field "missing" (mapped as the verdicts of judge "j") in any row. Its fields: "id", "input", "output", "label".',
    )
    const input = await assay('import', 'new.assay', traces, '--map', 'input=nope')
    expect(input.stderr).toContain('t.csv has no field "nope" (mapped as the input) in any row.')
    expect([verdict.code, input.code, existsSync(tmp.file('new.assay'))]).toEqual([1, 1, false])

    // Every row of a longer file lacks it: the import stops at its 100th problem and counts the rows it went through.
    const chats = file(
      'chats.jsonl',
      Array.from({ length: 150 }, (_, i) => `{"user_msg":"q${i}","bot_reply":"a"}`).join('\n'),
    )
    const stopped = await assay('import', 'new.assay', chats, '--map', 'input=message')
    expect(stopped.stdout).toBe('Nothing was imported (100 rows read, 100 skipped, 100 problems).\n')
    expect(stopped.stderr).toContain(
      'chats.jsonl:1 [message]: this row has no field "message" (mapped as input), so nothing to review. Its fields: "user_msg", "bot_reply".',
    )
    expect([stopped.code, existsSync(tmp.file('new.assay'))]).toEqual([1, false])

    // In JSON a field may first appear in a later record: that is not missing.
    const later = file('later.jsonl', '{"id":"a","input":"q1"}\n{"id":"b","input":"q2","grade":"fail"}\n')
    expect((await importJson(project, later, '--map', 'label=grade')).report).toMatchObject({
      committed: true,
      imported: 2,
      columns: [{ field: 'grade', fail: 1, empty: 1, added: 1 }],
    })
    const nowhere = await importJson(project, later, '--map', 'label=grdae', '--existing', 'copy')
    expect(nowhere.report.errors).toEqual([
      {
        line: 1,
        column: 'grdae',
        fatal: true,
        message: expect.stringContaining(
          'later.jsonl has no field "grdae" (mapped as the human label of "Overall") in any row. Did you mean "grade"?',
        ),
      },
    ])
  })

  it('a JSON object holding several arrays of records stops the import naming them; --records chooses one, and a key that holds none is refused', async () => {
    const two = file(
      'two.json',
      JSON.stringify({
        train: [
          { id: 'a1', question: 'Vegan pasta?', answer: 'Try this "quoted" recipe', label: 'pass' },
          { id: 'a2', question: 'Tofu?', answer: 'Sure', label: 'fail' },
        ],
        test: [{ id: 'b1', question: 'Québec poutine?', answer: 'Yes, 100%', label: 'pass' }],
        meta: { note: 'x' },
      }),
    )
    const refused = await assay('import', 'p.assay', two)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('several arrays ("train", "test")')
    expect(refused.stderr).toContain('--records KEY')
    expect(existsSync(project)).toBe(false)

    const { code, report } = await importJson('p.assay', two, '--records', 'test')
    expect(code).toBe(0)
    expect(report).toMatchObject({ committed: true, imported: 1 })
    expect(query('SELECT external_id AS id, input FROM items')).toEqual([{ id: 'b1', input: 'Québec poutine?' }])
    expect(one('SELECT verdict FROM labels')).toBe('pass')

    const notArray = await assay('import', 'p.assay', two, '--records', 'meta')
    expect(notArray.stderr).toContain('the key "meta" does not hold an array (keys: "train", "test", "meta")')
    const csvFile = file('t.csv', 'id,input,output\nx1,hi,there\n')
    const wrongFormat = await assay('import', 'p.assay', csvFile, '--records', 'test')
    expect(wrongFormat.code).toBe(1)
    expect(wrongFormat.stderr).toContain('t.csv was read as csv. Leave --records out')
    expect(one('SELECT count(*) FROM items')).toBe(1)
  })

  it('an empty label cell is no label, never a deferral; a label or verdict column with no verdict in it stops the import, showing what it holds', async () => {
    const traces = file(
      't.csv',
      'id,input,output,label,note,error,extra\nx1,q,a,pass,,,None\nx2,q,a,,,,None\nx3,q,a,,looks off,,\nx4,q,a,fail,bad,,None\n',
    )
    const ok = await importJson(project, traces, '--map', 'note=note')
    expect(ok.report.columns).toEqual([
      expect.objectContaining({ kind: 'label', field: 'label', pass: 1, fail: 1, empty: 2, notes: 1, added: 3 }),
    ])
    expect(
      query(
        'SELECT i.external_id AS id, l.verdict, l.note FROM labels l JOIN items i ON i.id = l.item_id ORDER BY i.external_id',
      ),
    ).toEqual([
      { id: 'x1', verdict: 'pass', note: '' },
      { id: 'x3', verdict: 'defer', note: 'looks off' }, // the note is kept; x2's empty cell is no label at all
      { id: 'x4', verdict: 'fail', note: 'bad' },
    ])

    // A notes column alone (open coding, no verdicts yet): the report says what became of the notes.
    const notes = file('notes.csv', 'id,query,response,open_code_notes\nn1,q,a,too long\nn2,q,a,\nn3,q,a,No errors\n')
    const opened = await assay('import', 'notes.assay', notes)
    expect(opened.stdout).toContain(
      'open_code_notes → labels of "Overall": 2 notes without a verdict (kept as deferred labels); 2 added',
    )
    const empty = await assay('import', 'other.assay', traces, '--map', 'label=error')
    expect(empty.stderr).toContain(
      'label column "error" (of "Overall") holds no pass or fail value in 4 rows: it has only empty cells. Map the column that holds the verdicts, add its values to the value map, or unmap it.',
    )
    const none = await assay('import', 'other.assay', traces, '--map', 'label=extra')
    expect(none.stderr).toContain(
      'label column "extra" (of "Overall") holds no pass or fail value in 4 rows: it has only "None", empty cells.',
    )
    const verdicts = await assay('import', 'other.assay', traces, '--map', 'verdict:j=error')
    expect(verdicts.stderr).toContain(
      'verdict column "error" (of judge "j") holds no pass, fail or error value in 4 rows: it has only empty cells.',
    )
    expect([empty.code, none.code, verdicts.code, existsSync(tmp.file('other.assay'))]).toEqual([1, 1, 1, false])
  })

  it('an id column whose values repeat stops the import with the lines; ids are generated only without an id column, and say so', async () => {
    const repeats = file('d.jsonl', '{"id":"x1","input":"a"}\n{"id":"x1","input":"b"}\n{"id":"x1","input":"c"}\n')
    const stopped = await importJson(project, repeats)
    expect(stopped.report).toMatchObject({
      committed: false,
      imported: 0,
      duplicates: { count: 2, ids: ['x1', 'x1'] },
      idsGenerated: false,
    })
    const message =
      'duplicate id "x1" (first on line 1): ids must be unique within the file. Map the column that holds unique ids, number the rows instead (no id column), or choose to keep the first, the last or all of the repeats.'
    expect(stopped.report.errors).toEqual([
      { line: 2, column: 'id', message },
      { line: 3, column: 'id', message },
    ])
    expect(existsSync(project)).toBe(false)

    const numbered = await assay('import', project, repeats, '--map', 'id=')
    expect(numbered.code).toBe(0)
    expect(numbered.stdout).toContain(
      'Ids generated (no id column): each item is row-<line>; such rows never join items of the project.',
    )
    expect(query('SELECT external_id AS id, input FROM items ORDER BY id')).toEqual([
      { id: 'row-1', input: 'a' },
      { id: 'row-2', input: 'b' },
      { id: 'row-3', input: 'c' },
    ])
    // A second file without ids makes new items: generated ids never join.
    expect((await importJson(project, repeats, '--map', 'id=')).report).toMatchObject({
      imported: 3,
      matched: { count: 0 },
    })
  })

  it('a judge run over a labeled set joins it: 43 matched, the labeled item it skipped named, no new item, no second label; the same file again changes nothing; another run is another version', async () => {
    const set = kinanoSet()
    expect((await importJson(project, file('kf_dev_set.csv', set.file))).report).toMatchObject({
      imported: 44,
      columns: [{ field: 'label', pass: 32, fail: 12, added: 44 }],
    })
    const runFile = file('llm_as_judge_eval_run.csv', kinanoRun(set.rows))
    const joined = (await importJson(project, runFile)).report
    expect(joined).toMatchObject({
      committed: true,
      mode: 'join',
      dataset: null,
      imported: 0,
      matched: { count: 43 },
      notJudged: { count: 1, ids: ['46_15'] },
      textCut: { count: 0 },
      offered: [{ field: 'label', criterion: 'Overall' }],
      columns: [
        {
          kind: 'verdict',
          field: 'llm_judge_label',
          judge: 'llm_judge_label',
          version: 'v1 (new)',
          added: 43,
          unchanged: 0,
        },
      ],
    })
    expect(
      query(
        'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM verdicts) AS verdicts, (SELECT count(*) FROM datasets) AS datasets',
      ),
    ).toEqual([{ items: 44, labels: 44, verdicts: 43, datasets: 1 }])
    // The run's own columns that are not mapped become metadata; its repeated label does not.
    expect(one("SELECT metadata_json FROM items WHERE external_id = '3_1'")).toBe(
      '{"dietary_restriction":"paleo","query_id":"3","confidence":"high"}',
    )

    const again = (await importJson(project, runFile)).report
    expect(again).toMatchObject({
      committed: true,
      matched: { count: 43 },
      columns: [{ version: 'v1', added: 0, unchanged: 43 }],
    })
    expect(one('SELECT count(*) FROM verdicts')).toBe(43)

    const other = file(
      'other_run.csv',
      kinanoRun(set.rows, (i) => i % 4 === 1),
    )
    const refused = await importJson(project, other)
    expect(refused.report.committed).toBe(false)
    expect(refused.report.errors[0].message).toMatch(
      /^item "\d+_\d+" already has verdict "(pass|fail)" in judge "llm_judge_label" v1, and this file says "(pass|fail)"\. Verdicts of another run are another version: import them as a new version \(--judge-version new\)/,
    )
    const v2 = (await importJson(project, other, '--judge-version', 'new', '--judge', 'llm_judge_label')).report
    expect(v2).toMatchObject({ committed: true, columns: [{ version: 'v2 (new)', added: 43 }] })
    expect(
      query(
        'SELECT jv.version, count(v.id) AS verdicts FROM judge_versions jv JOIN runs r ON r.judge_version_id = jv.id JOIN verdicts v ON v.run_id = r.id GROUP BY jv.id ORDER BY jv.version',
      ),
    ).toEqual([
      { version: 1, verdicts: 43 },
      { version: 2, verdicts: 43 },
    ])
  })

  it('"this file is my test set": --split test puts every labeled item of a predictions file in test, UNKNOWN verdicts kept as errors', async () => {
    const { file: predictions } = coursePredictions()
    const report = (await importJson(project, file('test_predictions.json', predictions), '--split', 'test')).report
    expect(report).toMatchObject({
      imported: 46,
      columns: [
        { kind: 'label', field: 'true_label', pass: 34, fail: 12 },
        { kind: 'verdict', field: 'predicted_label', pass: 33, fail: 9, error: 4, version: 'v1 (new)' },
      ],
    })
    expect(
      query(
        'SELECT s.split, l.verdict AS human, v.verdict AS judge, count(*) AS n FROM splits s JOIN current_labels l ON l.item_id = s.item_id JOIN verdicts v ON v.item_id = s.item_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
      ),
    ).toEqual([
      { split: 'test', human: 'fail', judge: 'error', n: 1 },
      { split: 'test', human: 'fail', judge: 'fail', n: 9 },
      { split: 'test', human: 'fail', judge: 'pass', n: 2 },
      { split: 'test', human: 'pass', judge: 'error', n: 3 },
      { split: 'test', human: 'pass', judge: 'pass', n: 31 },
    ])
    // An export right after the import shows the splits.
    expect((await assay('export', project, '--format', 'jsonl', '--out', 'export.jsonl')).code).toBe(0)
    const exported = readFileSync(tmp.file('export.jsonl'), 'utf8').trim().split('\n')
    expect(exported.map((l) => (JSON.parse(l) as Record<string, string>)['Overall.split'])).toEqual(
      Array(46).fill('test'),
    )
  })

  it("verdicts from two files form one version: the course's test predictions with --split test, then its production verdicts, calibrate together (31/0/2/9 + 3/1 errors; 31/3/2/10 and θ̂ 0.9261 counting them as Fail)", async () => {
    await importJson(project, file('test_predictions.json', coursePredictions().file), '--split', 'test')
    // 2 400 production verdicts, 2 056 of them pass (the course's counts), in a file of their own.
    const production = csv(
      ['trace_id', 'query', 'response', 'predicted_label'],
      Array.from({ length: 2400 }, (_, i) => [
        `prod-${i}`,
        `Production query ${i}`,
        `Answer ${i}`,
        i < 2056 ? 'PASS' : 'FAIL',
      ]),
    )
    const report = (await importJson(project, file('production.csv', production), '--judge', 'predicted_label')).report
    expect(report).toMatchObject({
      imported: 2400,
      columns: [{ judge: 'predicted_label', version: 'v1', pass: 2056, fail: 344, added: 2400 }],
    })
    expect(
      query(
        'SELECT count(DISTINCT jv.id) AS versions, count(DISTINCT r.id) AS runs, count(v.id) AS verdicts FROM judge_versions jv JOIN runs r ON r.judge_version_id = jv.id JOIN verdicts v ON v.run_id = r.id',
      ),
    ).toEqual([{ versions: 1, runs: 2, verdicts: 2446 }])
    // Production items have no label, so no split, and no deferred label either.
    expect(
      query(
        "SELECT (SELECT count(*) FROM splits s JOIN items i ON i.id = s.item_id WHERE i.external_id LIKE 'prod-%') AS splits, (SELECT count(*) FROM labels) AS labels",
      ),
    ).toEqual([{ splits: 0, labels: 46 }])

    const d = openContext(project, { clock: () => new Date('2026-03-01T00:00:00Z') })
    const { db } = d
    try {
      const versionId = calibrationChoices(d)[0].versionId
      const view = (errors: 'exclude' | 'fail') =>
        calibrate(d, CalibrateRequest.parse({ versionId, revealTest: true, errors }))
      const excluded = view('exclude')
      expect(excluded.matrices.find((m) => m.split === 'test')).toMatchObject({
        tp: 31,
        fn: 0,
        fp: 2,
        tn: 9,
        errorsPass: 3,
        errorsFail: 1,
      })
      expect(excluded.production).toEqual({ m: 2400, k: 2056, errors: 0 })
      const failed = view('fail')
      expect(failed.matrices.find((m) => m.split === 'test')).toMatchObject({ tp: 31, fn: 3, fp: 2, tn: 10 })
      expect(failed.estimate!.theta.toFixed(4)).toBe('0.9261')
    } finally {
      db.close()
    }
  })

  it("predictions joined onto the traces they judged: responses the export cut to 200 characters are reported and the whole text kept; the predictions' labels are offered, not imported twice", async () => {
    await importJson(project, file('test_set.csv', courseTestSet()))
    const { file: predictions, ids } = coursePredictions()
    const report = (await importJson(project, file('test_predictions.json', predictions))).report
    expect(report).toMatchObject({
      committed: true,
      imported: 0,
      matched: { count: 46 },
      textCut: { count: 46 },
      offered: [{ field: 'true_label', criterion: 'Overall' }],
    })
    expect(report.warnings[0]).toMatch(
      /^46 items of this file hold a shortened copy of the stored trace \(first: .*\): the whole stored text was kept, and the labels and verdicts added to it\.$/,
    )
    expect(one(`SELECT substr(output, -11) FROM items WHERE external_id = '${ids[0]}'`)).toBe('café style!') // the whole response, not the cut one
    expect(
      query('SELECT (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM verdicts) AS verdicts'),
    ).toEqual([{ labels: 46, verdicts: 46 }])
  })

  it('a trace the project holds without its output gets it from a later file: filled in, nothing stored replaced', async () => {
    await importJson(
      project,
      file('queries.csv', 'trace_id,query,true_label\n1_1,Vegan curry?,PASS\n2_1,Quick pasta?,FAIL\n'),
    )
    const report = (
      await importJson(
        project,
        file('traces.csv', 'trace_id,query,response\n1_1,Vegan curry?,Lentils and rice.\n2_1,Quick pasta?,Boil it.\n'),
      )
    ).report
    expect(report).toMatchObject({
      committed: true,
      imported: 0,
      matched: { count: 2 },
      textFilled: { count: 2, ids: ['1_1', '2_1'] },
      textCut: { count: 0 },
    })
    expect(report.warnings).toEqual([
      '2 items of the project lacked an input, output, messages or steps that this file has (first: 1_1, 2_1): filled in from the file; nothing stored was replaced.',
    ])
    expect(query('SELECT external_id AS id, input, output FROM items ORDER BY id')).toEqual([
      { id: '1_1', input: 'Vegan curry?', output: 'Lentils and rice.' },
      { id: '2_1', input: 'Quick pasta?', output: 'Boil it.' },
    ])
  })

  it('the same label from the same annotator again adds nothing; a changed one is a new entry in the history', async () => {
    const labels = file('labels.csv', 'id,input,label\na,q1,pass\nb,q2,fail\n')
    await importJson(project, labels, '--annotator', 'ann')
    expect((await importJson(project, labels, '--annotator', 'ann')).report).toMatchObject({
      matched: { count: 2 },
      columns: [{ added: 0, unchanged: 2 }],
    })
    expect(
      (await importJson(project, file('changed.csv', 'id,input,label\na,q1,fail\nb,q2,fail\n'), '--annotator', 'ann'))
        .report,
    ).toMatchObject({ columns: [{ added: 1, unchanged: 1 }] })
    expect(
      query(
        "SELECT i.external_id AS id, group_concat(l.verdict, '>') AS history FROM labels l JOIN items i ON i.id = l.item_id GROUP BY i.id ORDER BY i.external_id",
      ),
    ).toEqual([
      { id: 'a', history: 'pass>fail' },
      { id: 'b', history: 'fail' },
    ])
  })

  it("places a file's first labels exactly as Assay would place them afterwards (seeded, stratified 15/45/40 by label)", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [`r${i}`, `question ${i}`, i % 4 ? 'pass' : 'fail'])
    await importJson(project, file('l300.csv', csv(['id', 'input', 'label'], rows)))
    const placed = query<{ id: string; split: string }>(
      'SELECT i.external_id AS id, s.split FROM splits s JOIN items i ON i.id = s.item_id ORDER BY s.item_id',
    )
    expect(
      query(
        'SELECT l.verdict, s.split, count(*) AS n FROM splits s JOIN current_labels l ON l.item_id = s.item_id GROUP BY 1, 2 ORDER BY 1, 2',
      ),
    ).toEqual([
      { verdict: 'fail', split: 'dev', n: 34 },
      { verdict: 'fail', split: 'test', n: 30 },
      { verdict: 'fail', split: 'train', n: 11 },
      { verdict: 'pass', split: 'dev', n: 101 },
      { verdict: 'pass', split: 'test', n: 90 },
      { verdict: 'pass', split: 'train', n: 34 },
    ])
    // Forget them and let the general placement read the labels back: the same splits.
    const d = openContext(project, { clock: () => new Date('2026-03-01T00:00:00Z') })
    d.db.exec('DELETE FROM splits')
    assignSplits(d, 1)
    d.close()
    expect(
      query('SELECT i.external_id AS id, s.split FROM splits s JOIN items i ON i.id = s.item_id ORDER BY s.item_id'),
    ).toEqual(placed)
  })

  it('places labeled items in splits at import; moving items out of a test split whose results were viewed warns and is recorded', async () => {
    await importJson(project, file('test_predictions.json', coursePredictions().file), '--split', 'test')
    const db = new Database(project)
    db.prepare('UPDATE judge_versions SET test_viewed_at = ?').run('2026-01-01T00:00:00Z')
    db.close()
    const { ids } = coursePredictions()
    const moved = file(
      'moved.csv',
      csv(
        ['trace_id', 'true_label', 'split'],
        ids.slice(0, 3).map((id) => [id, 'PASS', 'dev']),
      ),
    )
    const report = (await importJson(project, moved, '--map', 'label=', '--map', 'split=split')).report
    expect(report).toMatchObject({ committed: true, matched: { count: 3 } })
    expect(report.warnings).toEqual([
      `3 items of "Overall" moved out of the test split (first: ${ids.slice(0, 3).join(', ')}) after "predicted_label" v1's test results were viewed: those results no longer describe a held-out set. The move is recorded in the project's events.`,
    ])
    expect(JSON.parse(one("SELECT payload_json FROM events WHERE kind = 'splits.moved'") as string)).toMatchObject({
      criterion: 'Overall',
      count: 3,
      moves: ids.slice(0, 3).map((id) => ({ id, from: 'test', to: 'dev' })),
    })
  })

  it('a row whose id names an item of another text is refused, not joined: its labels are about its own text; a copy keeps both', async () => {
    await importJson(
      project,
      file('v1.csv', 'id,input,output,label\nq1,Vegan curry?,Lentils.,pass\nq2,Pasta?,Boil it.,pass\n'),
    )
    const v2 = file('v2.csv', 'id,input,output,label\nq1,Vegan curry?,"Lentils.\r\n",pass\nq2,Pasta?,Use cream.,fail\n')
    const refused = (await importJson(project, v2)).report
    expect(refused).toMatchObject({ committed: false, matched: { count: 0 } })
    expect(refused.errors).toEqual([
      {
        line: 4, // after a row whose quoted cell holds a line break
        column: 'output',
        message:
          'item "q2" of the project has another output ("Boil it.") than this row ("Use cream."): this row\'s labels and verdicts are about its own text, so they cannot go to that item. Import the file as a copy to keep both traces (--existing copy; in the wizard, "import a copy"), or map an id column that tells them apart.',
      },
    ])
    expect(refused.columns.every((c) => c.added === 0)).toBe(true) // rolled back: nothing added
    expect((await importJson(project, v2, '--existing', 'copy')).report).toMatchObject({
      committed: true,
      imported: 2,
      matched: { count: 0 },
    })
    expect(
      query(
        "SELECT d.name, i.external_id AS id, i.output, l.verdict FROM items i JOIN datasets d ON d.id = i.dataset_id JOIN labels l ON l.item_id = i.id WHERE i.external_id = 'q2' ORDER BY i.id",
      ),
    ).toEqual([
      { name: 'v1.csv', id: 'q2', output: 'Boil it.', verdict: 'pass' },
      { name: 'v2.csv', id: 'q2', output: 'Use cream.', verdict: 'fail' },
    ])
  })

  it('repeated ids among rows that join items stop the import under the default; the last one wins when asked', async () => {
    await importJson(project, file('base.csv', 'id,input,label\na,q1,pass\nc,q3,pass\n'))
    const repeats = file('rep.csv', 'id,label\na,pass\na,fail\nc,fail\n')
    const stopped = (await importJson(project, repeats)).report
    expect(stopped).toMatchObject({ committed: false, duplicates: { count: 1, ids: ['a'] } })
    expect(stopped.errors[0].message).toMatch(
      /^duplicate id "a" \(first on line 2\): ids must be unique within the file/,
    )
    expect((await importJson(project, repeats, '--duplicates', 'skip')).report).toMatchObject({
      committed: true,
      matched: { count: 2 },
      skipped: 1,
      columns: [{ added: 1, unchanged: 1 }],
    })
    expect(
      query("SELECT l.verdict FROM current_labels l JOIN items i ON i.id = l.item_id WHERE i.external_id = 'a'"),
    ).toEqual([{ verdict: 'pass' }])
    expect((await importJson(project, repeats, '--duplicates', 'replace')).report).toMatchObject({
      committed: true,
      matched: { count: 2 },
      skipped: 0,
    })
    expect(
      query("SELECT l.verdict FROM current_labels l JOIN items i ON i.id = l.item_id WHERE i.external_id = 'a'"),
    ).toEqual([{ verdict: 'fail' }])
  })

  it("a note without a verdict on a joined item keeps its pass or fail, and never hides another annotator's verdict behind a deferral", async () => {
    await importJson(
      project,
      file('base.csv', 'id,input,label\na,q1,pass\nb,q2,fail\nc,q3,fail\n'),
      '--annotator',
      'ann',
    )
    const notes = file('notes.csv', 'id,label,note\na,,looked again: fine\nb,UNKNOWN,\nc,pass,\n')
    const map = ['--map', 'label=label', '--map', 'note=note']
    expect((await importJson(project, notes, ...map, '--annotator', 'ann')).report).toMatchObject({
      committed: true,
      columns: [{ pass: 1, error: 1, empty: 1, added: 2, unchanged: 1 }],
    })
    expect(
      query(
        'SELECT i.external_id AS id, l.verdict, l.note, l.annotator FROM current_labels l JOIN items i ON i.id = l.item_id ORDER BY id',
      ),
    ).toEqual([
      { id: 'a', verdict: 'pass', note: 'looked again: fine', annotator: 'ann' },
      { id: 'b', verdict: 'fail', note: '', annotator: 'ann' },
      { id: 'c', verdict: 'pass', note: '', annotator: 'ann' },
    ])
    const other = (await importJson(project, notes, ...map, '--annotator', 'bob')).report
    expect(other.warnings).toEqual([
      "2 deferrals or notes without a verdict were not imported: their items have a pass or fail by another annotator, which a deferral would hide. To add such notes, import them under that annotator's name (--annotator NAME).",
    ])
    expect(
      query(
        "SELECT i.external_id AS id, l.verdict FROM labels l JOIN items i ON i.id = l.item_id WHERE l.annotator = 'bob'",
      ),
    ).toEqual([{ id: 'c', verdict: 'pass' }])
  })

  it('"these items are the test set" on a judge\'s few-shot examples warns that its results would count items it was shown; on a file without labels it says it placed nothing', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`t${i}`, `question ${i}`, i % 3 ? 'pass' : 'fail'])
    const labeled = file('l20.csv', csv(['id', 'input', 'label'], rows))
    await importJson(project, labeled)
    expect(
      (
        await assay(
          'judge',
          'create',
          project,
          '--criterion',
          'Overall',
          '--name',
          'J',
          '--base-url',
          'http://127.0.0.1:9/v1',
          '--model',
          'm',
        )
      ).code,
    ).toBe(0)
    const shots = (JSON.parse(one('SELECT fewshot_ids FROM judge_versions') as string) as number[]).length
    expect(shots).toBeGreaterThan(0)
    const report = (await importJson(project, labeled, '--split', 'test')).report
    expect(report.warnings.find((w) => w.includes('few-shot'))).toMatch(
      new RegExp(
        `^${shots} items of "Overall" that a judge shows as few-shot examples moved out of train into test \\(first: .*\\): that judge's results there now count items it was shown\\.`,
      ),
    )
    const traces = (await importJson('traces.assay', file('tr.csv', 'id,input\nx,q\n'), '--split', 'test')).report
    expect(traces.warnings).toEqual([
      '"These items are the test set" placed no item: no item of this file has a human label (pass or fail), and only labeled items have a split.',
    ])
  })

  it('an id column of another name whose values repeat is still the id (the import stops); a judge version that does not exist, or two columns into one version, are refused', async () => {
    const docs = (await importJson(project, file('docs.csv', 'doc_id,input\nd1,a\nd1,b\n'))).report
    expect(docs).toMatchObject({ committed: false, idsGenerated: false, duplicates: { count: 1, ids: ['d1'] } })
    await importJson(project, file('test_predictions.json', coursePredictions().file))
    const more = file('more.csv', 'trace_id,a,b\n1_1,PASS,FAIL\n')
    const seven = await assay('import', project, more, '--map', 'verdict:predicted_label=a', '--judge-version', '7')
    expect([seven.code, seven.stderr]).toEqual([
      1,
      'assay import: Judge "predicted_label" (on "Overall") has v1, not v7: choose one it has, or make a new version (--judge-version new).\n',
    ])
    const twoColumns: Mapping = {
      ...EMPTY_MAPPING,
      id: 'trace_id',
      verdicts: [
        { field: 'a', judge: 'predicted_label', criterion: 'Overall', critique: null },
        { field: 'b', judge: 'predicted_label', criterion: 'Overall', critique: null, version: 1 },
      ],
    }
    await expect(
      runImport(project, { file: more, format: 'csv', mapping: twoColumns, onError: 'abort', duplicates: 'abort' }),
    ).rejects.toThrow(
      'The verdict columns "a" and "b" both go to judge "predicted_label" v1: name another judge for one of them, or make a new version for it.',
    )
    expect(one('SELECT count(*) FROM verdicts')).toBe(46)
  })

  it("Assay's own export imports back into another project although a criterion there has verdicts but no labels", async () => {
    await importJson(project, file('test_predictions.json', coursePredictions().file), '--split', 'test')
    const db = new Database(project)
    db.exec("INSERT INTO criteria (name, kind, created_at) VALUES ('Tone', 'failure_mode', 't')")
    db.close()
    expect((await assay('export', project, '--format', 'csv', '--out', 'export.csv')).code).toBe(0)
    const back = (await importJson('copy.assay', tmp.file('export.csv'))).report
    expect(back).toMatchObject({ committed: true, imported: 46, errorCount: 0 })
    expect(back.columns.find((c) => c.field === 'Tone.label')).toMatchObject({ pass: 0, fail: 0, added: 0 })
    expect(back.columns.find((c) => c.kind === 'verdict')).toMatchObject({
      judge: 'predicted_label',
      version: 'v1 (new)',
      pass: 33,
      fail: 9,
      error: 4,
    })
  })

  it('a verdicts file joining a labeled set names the labeled items still without a verdict in the version, counting the verdicts of earlier files', async () => {
    const set = kinanoSet()
    await importJson(project, file('set.csv', set.file))
    const run = kinanoRun(set.rows)
    expect((await importJson(project, file('run.csv', run))).report.notJudged).toEqual({ count: 1, ids: ['46_15'] })
    // The missing row, in a file of its own: now every labeled item has a verdict in v1.
    const rest = file('rest.csv', csv(['trace_id', 'llm_judge_label'], [['46_15', 'fail']]))
    expect((await importJson(project, rest, '--judge', 'llm_judge_label')).report).toMatchObject({
      matched: { count: 1 },
      notJudged: { count: 0 },
      columns: [{ version: 'v1', added: 1 }],
    })
  })

  it('a hostile file gets one line that names it and says what to do, and a failed import into a new project leaves no file behind', async () => {
    mkdirSync(tmp.file('exports'))
    const deep = `{"id":"d1","input":"q","output":${'['.repeat(5000)}${']'.repeat(5000)}}\n{"id":"d2","input":"q","output":"fine"}\n`
    const cases: [string, string][] = [
      [
        tmp.file('exports'),
        `${tmp.file('exports')} is a folder, not a file. Choose the file inside it that holds your traces (CSV, TSV, JSON or JSONL).`,
      ],
      [
        file('header.csv', 'id,input,output\n'),
        'header.csv has a header row ("id", "input", "output") but no data rows: there is nothing to import. Export the file again with its rows.',
      ],
      [
        file('empty.json', '[]'),
        'empty.json holds no records (a JSON array with nothing in it): there is nothing to import.',
      ],
      [
        file('garbage.txt', 'garbage\u0001 stuff here\nmore\n'),
        'The mapping takes no trace from garbage.txt: no field is mapped as its input, output, chat messages or pipeline steps, so every row would be empty. Its fields: "garbage\u0001 stuff here".',
      ],
      [
        file('deep.jsonl', deep),
        `${tmp.file('deep.jsonl')}:1: this row cannot be imported: a value is nested more than 100 levels deep (objects or arrays within each other); Assay does not import such values. Flatten that field, or leave it out of the mapping.`,
      ],
      [
        file('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]).toString('latin1')),
        'binary.csv looks like a binary file (it contains NUL bytes), not CSV or JSON.',
      ],
    ]
    for (const [path, message] of cases) {
      const r = await assay('import', 'fresh.assay', path)
      expect([r.code, r.stderr], path).toEqual([1, expect.stringContaining(message)])
      expect(existsSync(tmp.file('fresh.assay')), path).toBe(false)
    }
    // With bad rows skipped, the deep row is skipped and the rest imported.
    expect((await importJson('fresh.assay', tmp.file('deep.jsonl'), '--on-error', 'skip')).report).toMatchObject({
      committed: true,
      imported: 1,
      skipped: 1,
    })
  })
})
