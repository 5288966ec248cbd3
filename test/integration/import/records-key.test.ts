import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../../electron/core/services'
import { tempDir } from '../../helpers/paths'
import { contractCaller, testServices } from '../../helpers/services'

/**
 * The wizard's side of a JSON object holding several arrays: the arrays to choose from, and the
 * choice through detect → preview → run.
 */
describe('import: the records array of a JSON object, chosen', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  const call = contractCaller(() => services)
  const file = (name: string, text: string) => {
    writeFileSync(tmp.file(name), text)
    return tmp.file(name)
  }
  const splits = {
    train: [
      { id: 'a1', question: 'Vegan pasta?', answer: 'Try "this"' },
      { id: 'a2', question: 'Tofu?', answer: 'Sure' },
    ],
    test: [{ id: 'b1', question: 'Québec poutine?', answer: 'Yes, 100%' }],
    notes: 'not an array',
  }

  beforeEach(async () => {
    tmp = tempDir('assay-records-key-')
    services = testServices(tmp.file('home'))
    await call('project.create', { path: tmp.file('p.assay') })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it('lists the arrays of an object holding several (past a byte order mark), and none for other files', async () => {
    const json = file('splits.json', JSON.stringify(splits))
    await expect(call('import.detect', { path: json })).rejects.toThrow('several arrays ("train", "test")')
    expect(await call('import.arrays', { path: json })).toEqual({ keys: ['train', 'test'] })
    expect(await call('import.arrays', { path: file('bom.json', `\uFEFF${JSON.stringify(splits)}`) })).toEqual({
      keys: ['train', 'test'],
    })
    const named = file('named.json', JSON.stringify({ data: splits.train, test: splits.test }))
    expect(await call('import.arrays', { path: named })).toEqual({ keys: ['data'] })
    for (const other of [
      file('t.csv', 'id,input,output\nx1,hi,there\n'),
      file('a.json', JSON.stringify(splits.train)),
      file('bad.json', '{"train": [1, 2'),
      tmp.file('missing.json'),
    ])
      expect(await call('import.arrays', { path: other })).toEqual({ keys: [] })
  })

  it('the chosen array goes from detect to preview to the import; a choice for a file without arrays is refused', async () => {
    const json = file('splits.json', JSON.stringify(splits))
    const { detected, mapping, preview } = await call('import.detect', { path: json, recordsKey: 'test' })
    expect(detected).toMatchObject({ format: 'json-records', recordsKey: 'test' })
    expect(preview.rows.map((r) => r.externalId)).toEqual(['b1'])
    const again = await call('import.preview', { path: json, format: detected.format, recordsKey: 'train', mapping })
    expect(again.rows.map((r) => r.externalId)).toEqual(['a1', 'a2'])
    const report = await call('import.run', {
      path: json,
      format: detected.format,
      recordsKey: 'test',
      mapping,
      onError: 'abort',
      duplicates: 'abort',
    })
    expect(report).toMatchObject({ committed: true, imported: 1 })

    await expect(call('import.detect', { path: json, recordsKey: 'notes' })).rejects.toThrow(
      'the key "notes" does not hold an array',
    )
    const csv = file('t.csv', 'id,input,output\nx1,hi,there\n')
    await expect(call('import.detect', { path: csv, recordsKey: 'test' })).rejects.toThrow(
      'was read as csv, which has none',
    )
  })
})
