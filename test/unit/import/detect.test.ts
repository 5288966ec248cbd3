import { mkdirSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { detectFormat, SNIFF_BYTES } from '../../../electron/core/import/detect'
import { readRecords } from '../../../electron/core/import/readers/index'
import { tempDir } from '../../helpers/paths'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('assay-detect-')
})
afterEach(() => tmp.cleanup())

function write(name: string, content: string | Uint8Array): string {
  const path = tmp.file(name)
  writeFileSync(path, content)
  return path
}

describe('detectFormat: CSV', () => {
  it('fills columns, sample, notes and size; notes the BOM, CRLF and delimiter', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `${i},"q ${i}","line one\r\nline two"`)
    const content = '\uFEFFid,query,response\r\n' + rows.join('\r\n') + '\r\n'
    const detected = await detectFormat(write('traces.csv', content))
    expect(detected).toMatchObject({
      format: 'csv',
      delimiter: ',',
      columns: ['id', 'query', 'response'],
      size: Buffer.byteLength(content),
    })
    expect(detected.sample).toHaveLength(50)
    expect(detected.sample[1]).toEqual({ line: 4, fields: { id: '1', query: 'q 1', response: 'line one\r\nline two' } })
    expect(detected.notes).toEqual([
      'UTF-8 byte order mark (BOM) removed',
      'Windows (CRLF) line endings',
      'Delimiter: comma',
    ])
    expect(detected.sampleErrors).toBeUndefined()
  })

  it.each([
    [';', 'id;note;score\n1;"a, b";0,5\n2;"c, d";1,5\n'],
    ['\t', 'id\tnote\tscore\n1\t"a; b, c"\t1\n2\tx, y\t2\n'],
    ['|', 'id|note|score\n1|"a, b; c"|1\n2|"x\ty"|2\n'],
    [',', 'id,notes\n1,"Boilerplate Persona; Missing Content; Safety Framing"\n2,"a;b;c"\n'],
  ] as const)(
    'detects the %j delimiter from consistent field counts, respecting quotes',
    async (delimiter, content) => {
      const detected = await detectFormat(write('data.txt', content))
      expect(detected.format).toBe('csv')
      expect(detected.delimiter).toBe(delimiter)
      expect(detected.sample).toHaveLength(2)
    },
  )

  it('prefers tab for a .tsv file when the counts do not decide', async () => {
    expect((await detectFormat(write('one.tsv', 'a\tb\n1\t2\n'))).delimiter).toBe('\t')
    expect((await detectFormat(write('one.csv', 'a,b\n1,2\n'))).delimiter).toBe(',')
  })

  it('notes renamed duplicate and empty headers and reports ragged rows of the sample', async () => {
    const detected = await detectFormat(write('dup.csv', ',confidence,confidence\nx,HIGH,high\ny,LOW\n'))
    expect(detected.columns).toEqual(['column_1', 'confidence', 'confidence_2'])
    expect(detected.notes).toContain('Duplicate header "confidence" renamed to "confidence_2"')
    expect(detected.notes).toContain('Column 1 has no header; named it "column_1"')
    expect(detected.sample).toEqual([{ line: 2, fields: { column_1: 'x', confidence: 'HIGH', confidence_2: 'high' } }])
    expect(detected.sampleErrors).toEqual([
      { line: 3, message: expect.stringContaining('this row has 2 fields, the header has 3') },
    ])
  })

  it('honours an override of format and delimiter', async () => {
    const path = write('x.json', 'a;b\n1;2\n')
    const detected = await detectFormat(path, { format: 'csv', delimiter: ';' })
    expect(detected).toMatchObject({ format: 'csv', delimiter: ';', columns: ['a', 'b'] })
    expect(detected.notes).toContain('Delimiter: semicolon (chosen)')
  })

  it('reads only the start of the file: bad bytes far down do not stop detection, the import finds them', async () => {
    const body = Array.from({ length: 40_000 }, (_, i) => `${i},row number ${i} of a long file`).join('\n')
    const path = write(
      'long.csv',
      Buffer.concat([Buffer.from(`id,text\n${body}\n`), Buffer.from([0x39, 0x2c, 0xe9, 0x0a])]),
    )
    const detected = await detectFormat(path)
    expect(detected.format).toBe('csv')
    expect(detected.size).toBeGreaterThan(SNIFF_BYTES)
    const results = []
    for await (const r of readRecords(path, { format: 'csv' })) results.push(r)
    expect(results[results.length - 1]).toEqual({
      error: { line: 40_002, fatal: true, message: expect.stringContaining('not UTF-8') },
    })
  })

  it('a character cut by the 1 MB sniff limit is not mistaken for bad UTF-8', async () => {
    const filler = 'é'.repeat(SNIFF_BYTES) // two bytes each: the limit falls on a character boundary or inside one
    for (const pad of ['', 'x']) {
      const detected = await detectFormat(write(`cut${pad}.csv`, `a,b\n${pad}1,"${filler}"\n`))
      expect(detected.format).toBe('csv')
    }
  })
})

describe('detectFormat: JSON shapes', () => {
  it('JSON Lines by extension, and a .json file whose lines each hold an object', async () => {
    const lines = '{"id":1}\n{"id":2,"extra":true}\n'
    for (const name of ['a.jsonl', 'a.ndjson', 'a.json', 'a.txt']) {
      const detected = await detectFormat(write(name, lines))
      expect(detected.format).toBe('jsonl')
      expect(detected.columns).toEqual(['id', 'extra'])
      expect(detected.sample.map((r) => r.line)).toEqual([1, 2])
    }
  })

  it('a top-level array is json-array, read with positions as lines', async () => {
    const detected = await detectFormat(write('a.json', '\n  [{"a":1},{"b":2}]'))
    expect(detected).toMatchObject({
      format: 'json-array',
      columns: ['a', 'b'],
      sample: [
        { line: 1, fields: { a: 1 } },
        { line: 2, fields: { b: 2 } },
      ],
    })
  })

  it('pandas to_json() is json-columns, even when the file is larger than the sniffed part', async () => {
    const n = 30_000
    const col = (f: (i: number) => unknown) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), f(i)]))
    const content = JSON.stringify({
      label: col((i) => (i % 2 ? 'PASS' : 'FAIL')),
      text: col((i) => `response number ${i}`),
    })
    expect(content.length).toBeGreaterThan(SNIFF_BYTES)
    const detected = await detectFormat(write('preds.json', content))
    expect(detected.format).toBe('json-columns')
    expect(detected.columns).toEqual(['label', 'text'])
    expect(detected.sample[3]).toEqual({ line: 4, fields: { label: 'PASS', text: 'response number 3' } })
    expect(detected.notes).toContain('Column-oriented (pandas to_json) JSON: one record per row index')
  })

  it('an object with a records array is json-records; which array is noted', async () => {
    const detected = await detectFormat(write('a.json', '{\n  "version": 2,\n  "traces": [{"id": "t1"}]\n}'))
    expect(detected).toMatchObject({ format: 'json-records', columns: ['id'] })
    expect(detected.notes).toContain('Records read from the "traces" array')
  })

  it('a summary object or an ambiguous one is refused with a message naming the file and the keys', async () => {
    await expect(
      detectFormat(write('judge_performance.json', '{"test_set_performance": {"true_positive_rate": 1.0}}')),
    ).rejects.toThrow(
      /judge_performance\.json could not be read .*no array of records \(keys: "test_set_performance"\)/,
    )
    await expect(detectFormat(write('judgy.json', '{"test_labels": [1, 0], "test_preds": [1, 1]}'))).rejects.toThrow(
      /judgy\.json .*several arrays \("test_labels", "test_preds"\)/,
    )
    await expect(
      detectFormat(write('judgy2.json', '{"test_labels": [1, 0], "test_preds": [1, 1]}'), {
        format: 'json-records',
        recordsKey: 'test_labels',
      }),
    ).rejects.toThrow(/element 1 of the records array is a number/)
  })
})

describe('detectFormat: files that cannot be imported', () => {
  it.each([
    ['empty.csv', '', /empty\.csv is empty \(0 bytes\)/],
    ['blank.csv', '\n  \r\n', /blank\.csv holds only blank lines/],
    [
      'sheet.csv',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      /sheet\.csv looks like a binary file .*NUL/,
    ],
    ['utf16.csv', Buffer.from('\uFEFFa,b\n', 'utf16le'), /utf16\.csv is UTF-16/],
    [
      'latin1.csv',
      Buffer.concat([Buffer.from('id,city\n1,Paris\n2,Montr'), Buffer.from([0xe9]), Buffer.from('al\n')]),
      /latin1\.csv is not UTF-8: line 3 holds the bytes 0xE9/,
    ],
    ['notjson.json', 'id,query\n1,x\n', /notjson\.json does not start with "\[" or "\{"/],
    [
      'broken.json',
      '[{"a": 1}, {"a": }]',
      /broken\.json could not be read as a JSON array: line 1: invalid JSON at line 1, column 18/,
    ],
  ])('%s is refused with a clear message', async (name, content, message) => {
    await expect(detectFormat(write(name, content))).rejects.toThrow(message)
  })

  it('a CSV whose only row is ragged is refused', async () => {
    await expect(detectFormat(write('ragged.csv', 'a,b,c\n1,2\n'))).rejects.toThrow(
      /ragged\.csv could not be read as CSV: line 2: this row has 2 fields, the header has 3/,
    )
  })

  it('refuses a header-only CSV, an empty JSON array and a folder, each saying why', async () => {
    await expect(detectFormat(write('header.csv', 'id,query\n'))).rejects.toThrow(
      'header.csv has a header row ("id", "query") but no data rows: there is nothing to import. Export the file again with its rows.',
    )
    await expect(detectFormat(write('empty.json', '[]'))).rejects.toThrow(
      'empty.json holds no records (a JSON array with nothing in it)',
    )
    const folder = tmp.file('folder.csv')
    mkdirSync(folder)
    await expect(detectFormat(folder)).rejects.toThrow(
      `${folder} is a folder, not a file. Choose the file inside it that holds your traces`,
    )
  })
})
