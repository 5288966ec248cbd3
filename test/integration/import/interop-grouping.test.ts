import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { held, importInterop, interopFixture } from '../../helpers/interop'
import { tempDir } from '../../helpers/paths'

/**
 * Issue 20, "grouping by hand": a span export Assay does not know (its own field names) grouped
 * with `--map trace=F --map span=F --map parent=F`. Exact or refused: a parent that names no span
 * of its trace, a repeated span id and a parent cycle stop the import with their lines.
 */
describe('grouping spans into traces by hand', () => {
  let tmp: ReturnType<typeof tempDir>
  let project: string
  beforeEach(() => {
    tmp = tempDir('assay-grouping-')
    project = tmp.file('p.assay')
  })
  afterEach(() => tmp.cleanup())
  const grouping = ['trace=trace', 'span=sid', 'parent=up', 'span-name=op', 'span-start=t', 'input=in', 'output=out']
  const maps = (list: string[]) => list.flatMap((m) => ['--map', m])
  const spans = (rows: Record<string, unknown>[]) => {
    const file = tmp.file('spans.jsonl')
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'))
    return file
  }

  it('without grouping each of the 6 rows is an item; with it, 2 traces whose descendants are steps', async () => {
    const fixture = interopFixture('unknown-spans.jsonl')
    const flat = await importInterop(tmp.dir, tmp.file('flat.assay'), fixture, ...maps(['input=in', 'output=out']))
    expect(flat.report.imported).toBe(6)

    const { code, report, stderr } = await importInterop(tmp.dir, project, fixture, ...maps(grouping))
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(report.imported).toBe(2)
    const { items, labels, verdicts } = held(project)
    expect(items.map((i) => [i.id, i.kind, i.input, i.steps])).toEqual([
      ['job-1', 'pipeline', 'Summarise the report', ['fetch_report', 'ocr', 'summarise']],
      ['job-2', 'pipeline', 'Summarise the memo', ['summarise']],
    ])
    expect(items[0].stepRows.map((s) => s.metadata.depth)).toEqual([0, 1, 0])
    expect([labels.length, verdicts.length]).toEqual([0, 0])
  })

  it('a parent that names no span of its trace is an error with its line', async () => {
    const file = spans([
      { trace: 'x', sid: '1', up: '', op: 'root', t: 1, in: 'q', out: 'a' },
      { trace: 'x', sid: '2', up: '9', op: 'lost', t: 2, in: 'q2', out: 'a2' },
      { trace: 'y', sid: '1', up: '', op: 'root', t: 3, in: 'q', out: 'a' },
    ])
    const { code, report } = await importInterop(tmp.dir, project, file, ...maps(grouping))
    expect(code).toBe(1)
    expect(report.errors).toEqual([
      {
        line: 2,
        column: 'up',
        message:
          'parent "9" names no span of trace "x"; fix the parent id, export the whole trace, or map another parent field',
      },
    ])
    const skipped = await importInterop(tmp.dir, project, file, ...maps(grouping), '--on-error', 'skip')
    expect([skipped.code, skipped.report.imported, skipped.report.skipped]).toEqual([0, 1, 1])
  })

  it('a parent cycle and a repeated span id are refused', async () => {
    const cycle = spans([
      { trace: 'x', sid: '1', up: '', op: 'root', t: 1, in: 'q', out: 'a' },
      { trace: 'x', sid: '2', up: '3', op: 'a', t: 2, in: 'q', out: 'a' },
      { trace: 'x', sid: '3', up: '2', op: 'b', t: 3, in: 'q', out: 'a' },
    ])
    const c = await importInterop(tmp.dir, project, cycle, ...maps(grouping))
    expect(c.code).toBe(1)
    expect(c.report.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'span "2" is in a parent cycle (2 → 3 → 2); a trace is a tree: fix the parent ids'],
      [3, 'span "3" is in a parent cycle (3 → 2 → 3); a trace is a tree: fix the parent ids'],
    ])
    const repeated = spans([
      { trace: 'x', sid: '1', up: '', op: 'root', t: 1, in: 'q', out: 'a' },
      { trace: 'x', sid: '1', up: '', op: 'again', t: 2, in: 'q', out: 'a' },
    ])
    const r = await importInterop(tmp.dir, project, repeated, ...maps(grouping))
    expect(r.report.errors[0]).toMatchObject({ line: 2, column: 'sid' })
    expect(r.report.errors[0].message).toContain('span id "1" appears twice in trace "x" (first on line 1)')
  })

  it('the trace id without the span id is refused before reading', async () => {
    const { code, stdout, stderr } = await importInterop(
      tmp.dir,
      project,
      interopFixture('unknown-spans.jsonl'),
      ...maps(['trace=trace']),
    )
    expect(code).not.toBe(0)
    expect(stdout + stderr).toContain(
      'needs both the trace id and the span id field: --map trace=FIELD --map span=FIELD',
    )
  })
})
