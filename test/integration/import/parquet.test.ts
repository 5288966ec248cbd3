/**
 * Parquet in and out. The fixtures in test/fixtures/parquet were written by pyarrow 25.0.1 and
 * polars 1.44.2 (see make_fixtures.py there), other writers than Assay's: strings, int64 (one beyond 2^53), floats,
 * booleans, nulls, a Hugging Face chat `messages` list of structs, a `metadata` struct, a UTC
 * timestamp and a list of strings, in two row groups; chat.jsonl holds the same records as
 * json.dumps writes them. Export → import must give the same items, labels and verdicts.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import * as zlib from 'node:zlib'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { detectFormat } from '../../../electron/core/import/detect'
import { readRecords } from '../../../electron/core/import/readers/index'
import { createServices } from '../../../electron/core/services'
import { createSettingsStore } from '../../../electron/core/settings'
import type { FileFormat, ReadResult } from '../../../electron/core/import/types'
import { runCli } from '../../helpers/cli'
import { repoRoot, tempDir } from '../../helpers/paths'
import { reportProject } from '../../helpers/report-project'
import { contractCaller } from '../../helpers/services'

const fixture = (name: string) => `${repoRoot}/test/fixtures/parquet/${name}`
const hasZstd = typeof Reflect.get(zlib, 'zstdDecompressSync') === 'function'

async function readAll(path: string, format: FileFormat): Promise<ReadResult[]> {
  const out: ReadResult[] = []
  for await (const result of readRecords(path, { format })) out.push(result)
  return out
}

/** An `assay export --format jsonl` line without what an import changes by design: the dataset it went into. */
function comparable(line: string): unknown {
  const row = JSON.parse(line) as Record<string, unknown> & { metadata: Record<string, unknown> }
  const metadata = { ...row.metadata }
  delete metadata.dataset
  delete metadata.kind
  const out: Record<string, unknown> = { ...row, metadata }
  delete out.dataset
  return sortKeys(out)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  )
}

/** Overwrites 8 bytes of a page header: what a bad disk or a broken copy does. */
function damage(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) bytes[at + i] = (bytes[at + i] + 97) & 255
}

describe('Parquet', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-parquet-')))
  afterEach(() => tmp.cleanup())

  const exportJsonl = async (project: string): Promise<unknown[]> => {
    const out = tmp.file(`${Date.now()}-${Math.random()}.jsonl`)
    expect((await runCli(['export', project, '--format', 'jsonl', '--out', out], tmp.dir)).code).toBe(0)
    return readFileSync(out, 'utf8').trim().split('\n').map(comparable)
  }

  it("reads another writer's file as the JSON reader reads the same records, row by row", async () => {
    const json = await readAll(fixture('chat.jsonl'), 'jsonl')
    expect(json).toHaveLength(4)
    const parquet = await readAll(fixture('chat.parquet'), 'parquet')
    expect(parquet).toEqual(json)
    // Each value as JSON has it: a list of structs, a struct, null for a missing list or struct.
    const second = parquet[1] as { record: { line: number; fields: Record<string, unknown> } }
    expect(second.record.line).toBe(2)
    expect(second.record.fields).toMatchObject({ score: null, note: null, tools: null, created_at: null })
    expect(await readAll(fixture('chat-gzip.parquet'), 'parquet')).toEqual(json)
    expect(await readAll(fixture('chat-polars.parquet'), 'parquet')).toEqual(json)
  })

  it('reads zstd where the runtime can, and otherwise says which codec and how to write the file again', async () => {
    const results = await readAll(fixture('chat-zstd.parquet'), 'parquet')
    if (hasZstd) expect(results).toEqual(await readAll(fixture('chat.jsonl'), 'jsonl'))
    else {
      expect(results).toHaveLength(1)
      expect(results[0]).toMatchObject({ error: { line: 1, fatal: true } })
      expect(JSON.stringify(results[0])).toMatch(/compressed with ZSTD.*compression=\\"snappy\\"/)
    }
  })

  it('reads every row once and in order across row groups, the first one read in two parts', async () => {
    const n = 2600
    const data = Array.from({ length: n }, (_, i) => `r${i + 1}`)
    const bytes = parquetWriteBuffer({ columnData: [{ name: 'id', data, type: 'STRING' }], rowGroupSize: [2500, 60] })
    writeFileSync(tmp.file('groups.parquet'), new Uint8Array(bytes))
    const progress: number[] = []
    const results: ReadResult[] = []
    const reader = readRecords(tmp.file('groups.parquet'), { format: 'parquet', onProgress: (b) => progress.push(b) })
    for await (const result of reader) results.push(result)
    expect(results.map((r) => ('record' in r ? `${r.record.line}:${String(r.record.fields.id)}` : 'error'))).toEqual(
      data.map((id, i) => `${i + 1}:${id}`),
    )
    expect(parquetMetadata(bytes).row_groups).toHaveLength(3)
    expect(progress.at(-1)).toBe(bytes.byteLength)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
  })

  it('is detected by its magic bytes whatever its name, with its columns and what became of its values', async () => {
    const renamed = tmp.file('chat.bin')
    copyFileSync(fixture('chat.parquet'), renamed)
    const detected = await detectFormat(renamed)
    expect(detected.format).toBe('parquet')
    expect(detected.columns).toEqual([
      'id',
      'turns',
      'score',
      'passed',
      'note',
      'messages',
      'metadata',
      'created_at',
      'correct',
      'tools',
    ])
    expect(detected.sample).toHaveLength(4)
    expect(detected.notes).toContain('Parquet: 4 rows in 2 row groups')
    expect(detected.notes).toContain('Integers beyond 2^53 kept as text, digit for digit (column "turns")')
  })

  it('imports a Hugging Face style chat file as the same items as its JSON Lines twin', async () => {
    const fromParquet = await runCli(['import', 'p.assay', fixture('chat.parquet'), '--json'], tmp.dir)
    expect(fromParquet.code).toBe(0)
    expect(fromParquet.json()).toMatchObject({ committed: true, imported: 4, errorCount: 0 })
    expect((await runCli(['import', 'j.assay', fixture('chat.jsonl')], tmp.dir)).code).toBe(0)
    // The labels' times are those of each import.
    const untimed = (rows: unknown[]) =>
      rows.map((r) => ({ ...(r as Record<string, unknown>), 'Overall.labeled_at': null }))
    const items = untimed(await exportJsonl('p.assay'))
    expect(items).toEqual(untimed(await exportJsonl('j.assay')))
    expect(items[1]).toMatchObject({ id: 'chat-2', kind: 'chat', 'Overall.label': 'fail' })
    expect((items[1] as Record<string, unknown>).messages).toHaveLength(4)
  })

  it('round-trips: a project with labels and judge verdicts exported as Parquet imports back the same', async () => {
    reportProject(tmp.file('a.assay'), { splits: ['dev', 'test', 'unlabeled'] }).close()
    const written = await runCli(['export', 'a.assay', '--format', 'parquet', '--out', 'a.parquet', '--json'], tmp.dir)
    expect(written.json()).toMatchObject({ rows: 44, format: 'parquet' })

    // What a notebook sees: the CSV's columns, every one a nullable UTF-8 string, an empty cell null.
    const bytes = readFileSync(tmp.file('a.parquet'))
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const metadata = parquetMetadata(buffer)
    const columns = metadata.schema.slice(1)
    expect(columns.map((c) => c.name).slice(0, 9)).toEqual([
      'id',
      'dataset',
      'kind',
      'input',
      'output',
      'messages',
      'steps',
      'metadata',
      'Overall.label',
    ])
    for (const c of columns) expect(c).toMatchObject({ type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' })
    const rows = await parquetReadObjects({ file: buffer })
    const unlabeled = rows.find((r) => r.id === 'chat-00170')
    expect(unlabeled).toMatchObject({ 'Overall.label': null, messages: '[]', metadata: '{"source":"fixture"}' })

    const imported = await runCli(['import', 'b.assay', 'a.parquet', '--json'], tmp.dir)
    expect(imported.json()).toMatchObject({ committed: true, imported: 44, errorCount: 0 })
    const before = await exportJsonl('a.assay')
    const after = await exportJsonl('b.assay')
    expect(after).toEqual(before)
    const judged = before.filter((r) => (r as Record<string, string>)['Overall.judge:Recorded judge@v1'] !== '')
    expect(judged).toHaveLength(40)
  })

  it('exports the label history as Parquet too, and refuses to write Parquet to standard output', async () => {
    reportProject(tmp.file('a.assay'), { splits: ['test'] }).close()
    const history = await runCli(
      ['export', 'a.assay', '--history', '--format', 'parquet', '--out', 'h.parquet'],
      tmp.dir,
    )
    expect(history.code).toBe(0)
    const bytes = readFileSync(tmp.file('h.parquet'))
    const rows = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    })
    expect(rows).toHaveLength(24)
    expect(rows[0]).toMatchObject({ id: 'chat-00140', criterion: 'Overall', verdict: 'pass' })
    const stdout = await runCli(['export', 'a.assay', '--format', 'parquet'], tmp.dir)
    expect(stdout.code).not.toBe(0)
    expect(stdout.stderr).toContain('--out FILE.parquet')
  })

  it('File → Export… as Parquet saves byte for byte what `assay export --format parquet` writes', async () => {
    reportProject(tmp.file('a.assay'), { splits: ['test'] }).close()
    const saveTo = tmp.file('app.parquet')
    const services = createServices({
      shell: 'electron',
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date('2026-03-01T00:00:00Z'),
      emit: () => undefined,
      demoPath: tmp.file('home/demo.assay'),
      saveFile: () => Promise.resolve(saveTo),
    })
    try {
      const call = contractCaller(() => services)
      await call('project.open', { path: tmp.file('a.assay') })
      expect(await call('export.run', { what: 'items', format: 'parquet' })).toMatchObject({
        via: 'saved',
        message: `Wrote 44 items to ${saveTo}.`,
      })
    } finally {
      services.close()
    }
    await runCli(['export', 'a.assay', '--format', 'parquet', '--out', 'cli.parquet'], tmp.dir)
    expect(readFileSync(saveTo).equals(readFileSync(tmp.file('cli.parquet')))).toBe(true)
  })

  it('names the file and what to do when it is cut off, and the rows when a row group is damaged', async () => {
    const whole = readFileSync(fixture('chat.parquet'))
    const cut = tmp.file('cut.parquet')
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)))
    await expect(detectFormat(cut)).rejects.toThrow(
      /^cut\.parquet could not be read as Parquet: row 1: this is not a complete Parquet file .*write or download it again/,
    )
    const imported = await runCli(['import', 'x.assay', 'cut.parquet'], tmp.dir)
    expect(imported.code).not.toBe(0)
    expect(imported.stderr).toContain('cut.parquet could not be read as Parquet')

    // Bytes of the second row group's first page overwritten: its rows are named, none imported.
    const damaged = Buffer.from(whole)
    const meta = parquetMetadata(whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length))
    damage(damaged, Number(meta.row_groups[1].columns[0].meta_data?.data_page_offset))
    writeFileSync(tmp.file('damaged.parquet'), damaged)
    const results = await readAll(tmp.file('damaged.parquet'), 'parquet')
    expect(results.filter((r) => 'record' in r)).toHaveLength(2)
    expect(results[2]).toMatchObject({ error: { line: 3, fatal: true } })
    expect(JSON.stringify(results[2])).toContain('rows 3–4 (one row group) could not be read')
    await expect(detectFormat(tmp.file('damaged.parquet'))).rejects.toThrow(
      /^damaged\.parquet could not be read as Parquet: row 3: rows 3–4 \(one row group\) could not be read/,
    )
  })

  it('stops an import at a damaged row group past the sample, naming its rows, and imports nothing', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `t${i + 1}`)
    const columnData = [
      { name: 'id', data: ids, type: 'STRING' as const },
      { name: 'input', data: ids.map((id) => `question ${id}`), type: 'STRING' as const },
    ]
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 60 }))
    const meta = parquetMetadata(bytes.buffer)
    damage(bytes, Number(meta.row_groups[1].columns[1].meta_data?.data_page_offset))
    writeFileSync(tmp.file('late.parquet'), bytes)
    const run = await runCli(['import', 'z.assay', 'late.parquet'], tmp.dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /late\.parquet row 61: rows 61–120 \(one row group\) could not be read: .*write or download it again/,
    )
    expect(existsSync(tmp.file('z.assay'))).toBe(false)
  })
})
