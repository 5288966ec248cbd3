/**
 * `items.first`: the item of a table query's first row, which the first open asks for with the
 * first page (renderer/boot.ts). It is the item `items.list` puts first, for the default query and
 * for a search or a sort, and null when nothing matches or the project has no items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import type { Services } from '../../electron/core/services'
import { contractCaller, testServices } from '../helpers/services'
import { tempDir } from '../helpers/paths'

describe('items.first', () => {
  const tmp = tempDir()
  let services: Services
  const call = contractCaller(() => services)

  beforeAll(() => {
    writeDemoProject(tmp.file('demo.assay'), { unlabeled: 40 })
    services = testServices(tmp.file('home'))
    services.open(tmp.file('demo.assay'))
  })
  afterAll(() => {
    services.close()
    tmp.cleanup()
  })

  it("is the item of the query's first row, whatever the query", async () => {
    const queries = [{}, { sort: { by: 'length', desc: true } }, { search: 'the' }, { filter: { label: 'unlabeled' } }]
    for (const query of queries) {
      const page = await call('items.list', { offset: 0, limit: 5, ...query })
      expect(page.rows.length, JSON.stringify(query)).toBeGreaterThan(0)
      const first = await call('items.first', query)
      expect(first, JSON.stringify(query)).toEqual(await call('items.get', { id: page.rows[0].id }))
    }
  })

  it('is null when nothing matches, or the project has no items', async () => {
    expect(await call('items.first', { search: 'no item holds this: 8c1f0d' })).toBeNull()
    await call('project.create', { path: tmp.file('empty.assay') })
    expect(await call('items.first', {})).toBeNull()
  })
})
