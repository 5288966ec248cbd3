import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openProject } from '../../../electron/core/db/open'
import { exportToFile } from '../../../electron/core/export'
import { runImport } from '../../../electron/core/import/run'
import { EMPTY_MAPPING, type Mapping } from '../../../shared/import'
import { csv } from '../../helpers/course-like'
import { tempDir } from '../../helpers/paths'

// Fixed seed so CI is deterministic (STYLE §7); ASSAY_FUZZ_SEED explores other cases.
fc.configureGlobal({ seed: Number(process.env.ASSAY_FUZZ_SEED ?? 15_2026) })
const tmp = tempDir('assay-import-property-')
afterAll(() => tmp.cleanup())

/**
 * Cells as users' files hold them: verdict words in any case, UNKNOWN, empty, text with quotes, commas
 * and line breaks, near-duplicate ids.
 */
const cellValue = fc.constantFrom(
  'pass',
  'PASS',
  ' Fail ',
  'fail',
  '1',
  '0',
  'UNKNOWN',
  '',
  ' ',
  'maybe',
  'x1',
  'x1 ',
  'x2',
  'a "quoted", text',
  'line\r\nbreak',
  'é 😀',
)
/** Column names: the usual ones, and a name no file has (a typo in a mapping). */
const COLUMNS = ['id', 'input', 'output', 'label', 'verdict', 'note', 'extra']
const MISSING = 'no_such_field'

interface Case {
  format: 'csv' | 'jsonl'
  columns: string[]
  rows: string[][]
  map: { id: string | null; input: string | null; output: string | null; label: string | null; verdict: string | null }
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    format: fc.constantFrom<'csv' | 'jsonl'>('csv', 'jsonl'),
    columns: fc.shuffledSubarray(COLUMNS, { minLength: 2 }),
    rows: fc.array(fc.array(cellValue, { minLength: COLUMNS.length, maxLength: COLUMNS.length }), {
      minLength: 1,
      maxLength: 6,
    }),
    pick: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
  })
  .map(({ format, columns, rows, pick }) => {
    const choice = (n: number) => {
      const options = [null, MISSING, ...columns]
      return options[n % options.length]!
    }
    return {
      format,
      columns,
      rows: rows.map((r) => r.slice(0, columns.length)),
      map: {
        id: choice(pick[0]),
        input: choice(pick[1]),
        output: choice(pick[2]),
        label: choice(pick[3]),
        verdict: choice(pick[4]),
      },
    }
  })

const PASS = new Set(['pass', '1'])
const FAIL = new Set(['fail', '0'])

/**
 * What an import of `c` must give, worked out independently of the importer: the items with their
 * mapped values, or `refused` when the file cannot be imported as mapped.
 */
function oracle(
  c: Case,
):
  | 'refused'
  | { id: string; input: string; output: string; label: string; verdict: string; metadata: Record<string, string> }[] {
  const m = c.map
  const mapped = [m.id, m.input, m.output, m.label, m.verdict].filter((f): f is string => f !== null)
  if (mapped.includes(MISSING)) return 'refused'
  const content = m.input !== null || m.output !== null
  if (!content && !(m.id !== null && (m.label !== null || m.verdict !== null))) return 'refused' // nothing to import
  const at = (row: string[], field: string | null) => (field === null ? '' : row[c.columns.indexOf(field)])
  const key = (v: string) => v.trim().toLowerCase()
  const out: ReturnType<typeof oracle> = []
  const ids = new Set<string>()
  let labels = 0
  let verdicts = 0
  // Generated ids name the physical line a row starts on: a line break inside a CSV cell moves the next rows down.
  const breaks = (row: string[]) => row.join('').split(/\r\n|\r|\n/).length - 1
  let line = c.format === 'csv' ? 2 : 1
  for (const [i, row] of c.rows.entries()) {
    if (i > 0) line += 1 + (c.format === 'csv' ? breaks(c.rows[i - 1]) : 0)
    const id = m.id === null ? `row-${line}` : at(row, m.id).trim()
    if (id === '' || ids.has(id)) return 'refused' // an empty or repeated id
    ids.add(id)
    const labelCell = key(at(row, m.label))
    const verdictCell = key(at(row, m.verdict))
    const label =
      m.label === null || labelCell === ''
        ? ''
        : PASS.has(labelCell)
          ? 'pass'
          : FAIL.has(labelCell)
            ? 'fail'
            : labelCell === 'unknown'
              ? 'defer'
              : null
    const verdict =
      m.verdict === null || verdictCell === ''
        ? ''
        : PASS.has(verdictCell)
          ? 'pass'
          : FAIL.has(verdictCell)
            ? 'fail'
            : verdictCell === 'unknown'
              ? 'error'
              : null
    if (label === null || verdict === null) return 'refused' // a value the value map does not know
    if (label === 'pass' || label === 'fail') labels++
    if (verdict !== '') verdicts++
    const input = at(row, m.input)
    const output = at(row, m.output)
    if (content && input.trim() === '' && output.trim() === '') return 'refused' // nothing to review
    const used = new Set(mapped)
    const metadata = Object.fromEntries(
      c.columns
        .filter((col) => !used.has(col) && row[c.columns.indexOf(col)] !== '')
        .map((col) => [col, row[c.columns.indexOf(col)]]),
    )
    out.push({ id, input, output, label, verdict, metadata })
  }
  if ((m.label !== null && labels === 0) || (m.verdict !== null && verdicts === 0)) return 'refused' // a column with no verdict in it
  // A labels/verdicts-only file into an empty project joins nothing: no item.
  return content ? out : []
}

describe('an import is right or refused (property)', () => {
  it('for random small files and mappings: refused with a located error, or the export holds exactly the mapped values', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = tmp.file(`case-${n++}`)
        const project = `${dir}.assay`
        const file = `${dir}.${c.format}`
        const text =
          c.format === 'csv'
            ? csv(c.columns, c.rows)
            : c.rows.map((r) => JSON.stringify(Object.fromEntries(c.columns.map((col, i) => [col, r[i]])))).join('\n') +
              '\n'
        writeFileSync(file, text)
        openProject(project, { mode: 'create' }).db.close()
        const m = c.map
        const mapping: Mapping = {
          ...EMPTY_MAPPING,
          id: m.id,
          input: m.input,
          output: m.output,
          labels: m.label ? [{ field: m.label, criterion: 'Overall', note: null, annotator: 'file' }] : [],
          verdicts: m.verdict ? [{ field: m.verdict, judge: 'J', criterion: 'Overall', critique: null }] : [],
        }
        const report = await runImport(project, {
          file,
          format: c.format,
          mapping,
          onError: 'abort',
          duplicates: 'abort',
        })
        const expected = oracle(c)
        if (expected === 'refused') {
          expect(report.committed, JSON.stringify({ c, report })).toBe(false)
          expect(report.errors.length).toBeGreaterThan(0)
          for (const e of report.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1)
            expect(e.message.length).toBeGreaterThan(20)
          }
          const db = new Database(project, { readonly: true })
          expect(
            db
              .prepare(
                'SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM labels) + (SELECT count(*) FROM verdicts)',
              )
              .pluck()
              .get(),
          ).toBe(0)
          db.close()
          return
        }
        expect(report.committed, JSON.stringify({ c, report })).toBe(true)
        const db = new Database(project, { readonly: true })
        await exportToFile(db, `${dir}.export.jsonl`, 'jsonl')
        db.close()
        const exported = readFileSync(`${dir}.export.jsonl`, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
        expect(
          exported.map((r) => ({
            id: r.id,
            input: r.input,
            output: r.output,
            label: r['Overall.label'] ?? '',
            verdict: r['Overall.judge:J@v1'] ?? '',
            metadata: r.metadata,
          })),
          JSON.stringify(c),
        ).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  }, 120_000)
})
