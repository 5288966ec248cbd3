import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCsvChunks } from '../../../electron/core/import/readers/csv'
import { readRecords } from '../../../electron/core/import/readers/index'
import { parseJsonArrayChunks, parseWholeJsonChunks, readJson } from '../../../electron/core/import/readers/json'
import { parseJsonlChunks } from '../../../electron/core/import/readers/jsonl'
import { CHUNK_BYTES } from '../../../electron/core/import/readers/stream'
import type { ReadOptions, ReadResult, RecordError, SourceRecord } from '../../../electron/core/import/types'
import { tempDir } from '../../helpers/paths'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('assay-readers-')
})
afterEach(() => tmp.cleanup())

function write(name: string, content: string | Uint8Array): string {
  const path = tmp.file(name)
  writeFileSync(path, content)
  return path
}

async function read(path: string, options: ReadOptions): Promise<ReadResult[]> {
  const out: ReadResult[] = []
  for await (const result of readRecords(path, options)) out.push(result)
  return out
}

const records = (results: ReadResult[]): SourceRecord[] => results.flatMap((r) => ('record' in r ? [r.record] : []))
const errors = (results: ReadResult[]): RecordError[] => results.flatMap((r) => ('error' in r ? [r.error] : []))
const csv = (text: string, delimiter: ',' | ';' | '\t' | '|' = ',') => [...parseCsvChunks([text], delimiter)]
/** The same text cut into one-character chunks: every boundary case at once. */
const csvByChar = (text: string, delimiter: ',' | ';' | '\t' | '|' = ',') => [
  ...parseCsvChunks(text.split(''), delimiter),
]

describe('CSV reader', () => {
  it('keeps quoted newlines, doubled quotes and delimiters inside values, and numbers lines physically', () => {
    const text = 'id,response,label\n1,"Step 1:\nboil\r\nStep 2: say ""done"", then serve",PASS\n2,plain,FAIL\n'
    const results = csv(text)
    expect(results).toEqual([
      {
        record: {
          line: 2,
          fields: { id: '1', response: 'Step 1:\nboil\r\nStep 2: say "done", then serve', label: 'PASS' },
        },
      },
      { record: { line: 5, fields: { id: '2', response: 'plain', label: 'FAIL' } } },
    ])
    expect(csvByChar(text)).toEqual(results)
  })

  it('reads CRLF, LF and lone-CR line endings alike, with no stray \\r in values', () => {
    const rows = ['a,b', '1,"x"', '2,y']
    const expected = [
      { record: { line: 2, fields: { a: '1', b: 'x' } } },
      { record: { line: 3, fields: { a: '2', b: 'y' } } },
    ]
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(csv(rows.join(eol) + eol)).toEqual(expected)
      expect(csvByChar(rows.join(eol))).toEqual(expected)
    }
  })

  it('removes a UTF-8 BOM before the first header and says so', async () => {
    const path = write('bom.csv', '\uFEFFid,query\n1,hi\n')
    const notes: string[] = []
    const results = await read(path, { format: 'csv', onNote: (n) => notes.push(n) })
    expect(records(results)[0].fields).toEqual({ id: '1', query: 'hi' })
    expect(notes).toContain('UTF-8 byte order mark (BOM) removed')
  })

  it.each([
    [';', 'a;b\n"x;y";2\n'],
    ['\t', 'a\tb\n"x\ty"\t2\n'],
    ['|', 'a|b\n"x|y"|2\n'],
  ] as const)('splits on %j and keeps quoted delimiters', (delimiter, text) => {
    expect(records(csv(text, delimiter))).toEqual([{ line: 2, fields: { a: `x${delimiter}y`, b: '2' } }])
  })

  it('renames duplicate headers x_2, x_3 and names empty ones column_N, with notes', () => {
    const notes: string[] = []
    const results = [
      ...parseCsvChunks([',confidence,x,confidence,,confidence\n1,2,3,4,5,6\n'], ',', (n) => notes.push(n)),
    ]
    expect(records(results)[0].fields).toEqual({
      column_1: '1',
      confidence: '2',
      x: '3',
      confidence_2: '4',
      column_5: '5',
      confidence_3: '6',
    })
    expect(notes).toEqual([
      'Column 1 has no header; named it "column_1"',
      'Column 5 has no header; named it "column_5"',
      'Duplicate header "confidence" renamed to "confidence_2"',
      'Duplicate header "confidence" renamed to "confidence_3"',
    ])
  })

  it('reports ragged rows with their line and field counts, and goes on reading', () => {
    const results = csv('a,b,c,d,e\n1,2,3\n1,2,3,4,5,6,7\n1,2,3,4,5\n')
    const [fewer, more] = errors(results)
    expect(fewer).toMatchObject({
      line: 2,
      message: expect.stringContaining('this row has 3 fields, the header has 5'),
    })
    expect(more).toMatchObject({
      line: 3,
      message: expect.stringContaining('this row has 7 fields, the header has 5 (2 extra)'),
    })
    expect(more.message).toContain('comma')
    expect(fewer.fatal).toBeUndefined()
    expect(records(results)).toEqual([{ line: 4, fields: { a: '1', b: '2', c: '3', d: '4', e: '5' } }])
  })

  it('skips fully empty lines but keeps counting them', () => {
    expect(records(csv('a,b\n\n1,2\n\r\n\n3,4\n\n'))).toEqual([
      { line: 3, fields: { a: '1', b: '2' } },
      { line: 6, fields: { a: '3', b: '4' } },
    ])
  })

  it('names the line where an unterminated quote opened, as a fatal error', () => {
    const text = 'id,response\n1,ok\n2,"never closed\nmore\nand more\n'
    for (const results of [csv(text), csvByChar(text)]) {
      expect(records(results)).toHaveLength(1)
      const last = results[results.length - 1]
      expect(last).toEqual({
        error: { line: 3, column: 'response', fatal: true, message: expect.stringContaining('never closed') },
      })
    }
  })

  it('reports an odd stray quote in an unquoted value with line and column, but keeps paired ones literally', () => {
    const results = csv('id,notes,n\n1,5" pan,1\n2, "No errors",2\n3,say "hi" now,3\n')
    expect(errors(results)).toEqual([
      { line: 2, column: 'notes', message: expect.stringContaining('unmatched double quote') },
    ])
    expect(records(results).map((r) => r.fields.notes)).toEqual([' "No errors"', 'say "hi" now'])
  })

  it('reports text after a closing quote; spaces there are dropped', () => {
    const results = csv('a,b\n"x"y,1\n"z"  ,2\n')
    expect(errors(results)).toEqual([
      { line: 2, column: 'a', message: expect.stringContaining('text after the closing quote') },
    ])
    expect(records(results)).toEqual([{ line: 3, fields: { a: 'z', b: '2' } }])
  })

  it('reads a last row without a newline, and a trailing empty field at the end of the file', () => {
    expect(records(csv('a,b\n1,2'))).toEqual([{ line: 2, fields: { a: '1', b: '2' } }])
    // nurtureboss_logs.csv ends with "...,span,": the last value is empty and there is no newline.
    expect(records(csv('a,b,c\n1,2,'))).toEqual([{ line: 2, fields: { a: '1', b: '2', c: '' } }])
    expect(records(csv('a,b\n1,"2"'))).toEqual([{ line: 2, fields: { a: '1', b: '2' } }])
  })

  it('a header row that cannot be read stops the read', () => {
    const results = csv('a,b"c\n1,2\n')
    expect(results).toEqual([{ error: { line: 1, fatal: true, message: expect.stringContaining('header row') } }])
  })

  it('a header named __proto__ is an ordinary field', () => {
    const [record] = records(csv('__proto__,b\n1,2\n'))
    expect(Object.keys(record.fields)).toEqual(['__proto__', 'b'])
    expect(Object.getOwnPropertyDescriptor(record.fields, '__proto__')?.value).toBe('1')
  })

  it('streams a file with values larger than a chunk (a 10 MB cell) intact', async () => {
    const big = 'line of text, with "quotes"\n'.repeat(400_000) // ~11 MB
    const path = write('big.csv', `id,response\n1,"${big.replace(/"/g, '""')}"\n2,small\n`)
    const results = await read(path, { format: 'csv' })
    expect(errors(results)).toEqual([])
    expect(records(results)[0].fields.response).toBe(big)
    expect(records(results)[1]).toEqual({ line: 400_003, fields: { id: '2', response: 'small' } })
  })

  it('decodes a multi-byte character split across a chunk boundary', async () => {
    const prefix = 'a,b\n1,'
    const filler = 'x'.repeat(CHUNK_BYTES - prefix.length - 1)
    const path = write('split.csv', `${prefix}${filler}é😀\n2,ok\n`)
    const values = records(await read(path, { format: 'csv' })).map((r) => r.fields.b)
    expect(values).toEqual([`${filler}é😀`, 'ok'])
  })

  it('stops at bytes that are not UTF-8 beyond the first chunk, naming their line', async () => {
    const head =
      'id,text\n' + Array.from({ length: 20_000 }, (_, i) => `${i},"row ${i} ${'y'.repeat(60)}"`).join('\n') + '\n'
    expect(head.length).toBeGreaterThan(CHUNK_BYTES)
    const tail = Buffer.concat([Buffer.from('20000,caf'), Buffer.from([0xe9]), Buffer.from('\n20001,after\n')])
    const path = write('latin1.csv', Buffer.concat([Buffer.from(head), tail]))
    const results = await read(path, { format: 'csv' })
    expect(records(results)).toHaveLength(20_000)
    expect(results[results.length - 1]).toEqual({
      error: { line: 20_002, fatal: true, message: expect.stringContaining('not UTF-8 (0xE9') },
    })
  })

  it('reports progress in bytes and stops quietly when aborted', async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => `${i},${'z'.repeat(40)}`).join('\n')
    const path = write('progress.csv', `n,z\n${body}\n`)
    const seen: number[] = []
    const all = await read(path, { format: 'csv', onProgress: (b) => seen.push(b) })
    expect(records(all)).toHaveLength(60_000)
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen[seen.length - 1]).toBe(Buffer.byteLength(`n,z\n${body}\n`))
    // A chunk at a time (the last one may be shorter), not a row at a time.
    for (let i = 1; i < seen.length - 1; i++) expect(seen[i] - seen[i - 1]).toBeGreaterThanOrEqual(64 * 1024)

    const controller = new AbortController()
    let count = 0
    for await (const result of readRecords(path, { format: 'csv', signal: controller.signal })) {
      if ('record' in result && ++count === 10) controller.abort()
    }
    expect(count).toBe(10)
  })
})

describe('JSONL reader', () => {
  it('reads one object per line, skipping blank lines, with CRLF and a BOM', async () => {
    const path = write('a.jsonl', '\uFEFF{"id":1,"q":"a"}\r\n\r\n   \n{"id":2,"nested":{"x":[1,2]}}\n')
    expect(await read(path, { format: 'jsonl' })).toEqual([
      { record: { line: 1, fields: { id: 1, q: 'a' } } },
      { record: { line: 4, fields: { id: 2, nested: { x: [1, 2] } } } },
    ])
  })

  it("names the line and the parser's message for a line that is not JSON, then goes on", () => {
    const results = [...parseJsonlChunks(['{"a":1}\n{"a": tru}\n{"a":\n[1,2]\nnull\n{"a":2}'])]
    expect(errors(results)).toEqual([
      { line: 2, message: expect.stringMatching(/not valid JSON \(at character 7\): Unexpected token/) },
      { line: 3, message: expect.stringMatching(/not valid JSON \(at character 6\): the JSON ends too early/) },
      { line: 4, message: expect.stringContaining('holds an array, not a JSON object') },
      { line: 5, message: expect.stringContaining('holds null, not a JSON object') },
    ])
    expect(records(results).map((r) => r.line)).toEqual([1, 6])
  })

  it('reads a 10 MB line', async () => {
    const response = 'ü'.repeat(5_000_000)
    const path = write('long.jsonl', `${JSON.stringify({ id: 'big', response })}\n{"id":"next"}\n`)
    const got = records(await read(path, { format: 'jsonl' }))
    expect(got.map((r) => r.fields.id)).toEqual(['big', 'next'])
    expect(got[0].fields.response).toBe(response)
  })

  it('stops at bytes that are not UTF-8, naming their line', async () => {
    const path = write(
      'bad.jsonl',
      Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"a":3}\n')]),
    )
    const results = await read(path, { format: 'jsonl' })
    expect(results).toEqual([
      { record: { line: 1, fields: { a: 1 } } },
      { error: { line: 2, fatal: true, message: expect.stringContaining('0xFF') } },
    ])
  })
})

describe('JSON array reader', () => {
  const text = '[\n  {"id": 1, "s": "a \\"]\\" , { [ x"},\n  {"id": 2, "n": [1, {"k": "}"}]},\n  3,\n  {"id": 4}\n]\n'

  it('finds element boundaries past brackets and escaped quotes inside strings, in any chunking', () => {
    const expected = [
      { record: { line: 1, fields: { id: 1, s: 'a "]" , { [ x' } } },
      { record: { line: 2, fields: { id: 2, n: [1, { k: '}' }] } } },
      {
        error: {
          line: 3,
          message: expect.stringContaining('element 3 of the array (line 4) is a number, not an object'),
        },
      },
      { record: { line: 4, fields: { id: 4 } } },
    ]
    expect([...parseJsonArrayChunks([text])]).toEqual(expected)
    expect([...parseJsonArrayChunks(text.split(''))]).toEqual(expected)
  })

  it.each([
    ['[{"a":1},\n {"a": }]', 2, 'line 2, column 8 (in element 2 of the array)'],
    ['[{"a":1},\n {"a":1}}]', 2, 'line 2, column 9'],
    ['[{"a":1},]', 1, 'expected a value before "]"'],
    ['[{"a":1}] x', 1, 'after the closing "]"'],
    ['[{"a":1},\n{"a":2}', 2, 'ends before the array is closed'],
    ['{"a":1}', 1, 'one JSON object, not an array'],
    ['   ', 1, 'no JSON'],
  ])('invalid JSON %j is a fatal error at line %i', (input, line, message) => {
    const results = [...parseJsonArrayChunks([input])]
    expect(results[results.length - 1]).toEqual({
      error: { line, fatal: true, message: expect.stringContaining(message) },
    })
  })

  it('an empty array has no records and no errors', () => {
    expect([...parseJsonArrayChunks(['[ ]'])]).toEqual([])
  })
})

describe('JSON object readers', () => {
  it('json-records picks the conventional key, else the only array, and notes it', () => {
    const notes: string[] = []
    const results = [
      ...parseWholeJsonChunks(['{"meta":{"n":2},"items":[{"a":1},"x"],"other":[1]}'], 'json-records', {
        onNote: (n) => notes.push(n),
      }),
    ]
    expect(results).toEqual([
      { record: { line: 1, fields: { a: 1 } } },
      { error: { line: 2, message: expect.stringContaining('element 2 of the records array is a string') } },
    ])
    expect(notes).toEqual(['Records read from the "items" array'])
    expect(records([...parseWholeJsonChunks(['{"n":3,"spans_x":[{"a":1}]}'], 'json-records')])).toEqual([
      { line: 1, fields: { a: 1 } },
    ])
  })

  it('json-records refuses to guess between several arrays, naming them; recordsKey chooses', () => {
    const doc = '{"test_labels":[{"v":0}],"test_preds":[{"v":1}],"description":"x"}'
    expect([...parseWholeJsonChunks([doc], 'json-records')]).toEqual([
      {
        error: {
          line: 1,
          fatal: true,
          message: expect.stringContaining('several arrays ("test_labels", "test_preds")'),
        },
      },
    ])
    expect(records([...parseWholeJsonChunks([doc], 'json-records', { recordsKey: 'test_preds' })])).toEqual([
      { line: 1, fields: { v: 1 } },
    ])
    expect([...parseWholeJsonChunks(['{"summary":{"tpr":1}}'], 'json-records')]).toEqual([
      { error: { line: 1, fatal: true, message: expect.stringContaining('no array of records (keys: "summary")') } },
    ])
  })

  it('json-columns turns pandas to_json() into rows in numeric index order', () => {
    const doc = '{"label":{"0":"PASS","10":"FAIL","9":"PASS","2":"FAIL"},"score":{"0":1,"2":0.5,"9":null}}'
    expect(records([...parseWholeJsonChunks([doc], 'json-columns')])).toEqual([
      { line: 1, fields: { label: 'PASS', score: 1 } },
      { line: 2, fields: { label: 'FAIL', score: 0.5 } },
      { line: 3, fields: { label: 'PASS', score: null } },
      { line: 4, fields: { label: 'FAIL' } },
    ])
    expect([...parseWholeJsonChunks(['{"a":{"0":1},"b":[1]}'], 'json-columns')]).toEqual([
      { error: { line: 1, fatal: true, message: expect.stringContaining('column "b" holds an array') } },
    ])
  })

  it('invalid JSON names its line and column', () => {
    const results = [...parseWholeJsonChunks(['{\n  "data": [\n    {"a": 1},\n    {"a": 2,}\n  ]\n}'], 'json-records')]
    expect(results).toEqual([
      { error: { line: 4, fatal: true, message: expect.stringContaining('line 4, column 13') } },
    ])
  })

  it('refuses a whole-document JSON file above the size limit, suggesting JSON Lines', async () => {
    const path = write('big.json', JSON.stringify({ data: Array.from({ length: 100 }, (_, i) => ({ i })) }))
    const results: ReadResult[] = []
    for await (const batch of readJson(path, { format: 'json-records' }, 100)) results.push(...batch)
    expect(results).toEqual([
      { error: { line: 1, fatal: true, message: expect.stringContaining('Convert it to JSON Lines') } },
    ])
    const within: ReadResult[] = []
    for await (const batch of readJson(path, { format: 'json-records' })) within.push(...batch)
    expect(records(within)).toHaveLength(100)
  })
})
