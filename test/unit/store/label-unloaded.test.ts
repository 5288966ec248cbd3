/**
 * A trace the Label screen could not load (the server gone, the item deleted meanwhile) is not
 * "Loading…" for ever: the store keeps why, and asks again on a retry or when the cursor comes
 * back. Driven through the real store and client over a fake of the preload's bridge.
 */
import { expect, it, vi } from 'vitest'
import { Refusal, storeOver } from '../../helpers/fake-bridge'

const item = (id: number) => ({ id, externalId: `i-${id}`, label: null, judge: null, tags: [], others: [] })
const session = (ids: number[]) =>
  ({
    id: 7,
    items: ids.map(item),
    settings: { blind: true },
    criterion: { id: 1, version: 1 },
    saturation: {},
  }) as never

it('keeps why a trace could not be had, and loads it on a retry', async () => {
  let down = true
  const asked: number[] = []
  const useStore = await storeOver({
    'items.get': ({ id }) => {
      asked.push(Number(id))
      return down
        ? new Refusal('Lost the connection to `assay serve`. Is it still running?', 'io')
        : { id, externalId: `i-${String(id)}` }
    },
  })
  useStore.getState().openSession(session([1, 2, 3]))
  await vi.waitFor(() => expect(useStore.getState().unloaded.get(1)).toMatch(/Lost the connection/))
  await vi.waitFor(() => expect(useStore.getState().prefetching.size).toBe(0))
  expect(useStore.getState().details.size).toBe(0)

  // The server is back: a retry asks again for the item under the cursor and those around it.
  down = false
  asked.length = 0
  useStore.getState().retryItem()
  expect(useStore.getState().unloaded.has(1)).toBe(false) // "Loading…" again while it is asked for
  await vi.waitFor(() => expect([...useStore.getState().details.keys()].sort()).toEqual([1, 2, 3]))
  expect(asked.sort()).toEqual([1, 2, 3])
  expect(useStore.getState().unloaded.size).toBe(0)
})

it('asks again for a trace that failed when the cursor comes back to it', async () => {
  const failing = new Set([2])
  const useStore = await storeOver({
    'items.get': ({ id }) =>
      failing.has(Number(id))
        ? new Refusal(`There is no item with id ${String(id)} in this project.`, 'not_found')
        : { id, externalId: `i-${String(id)}` },
  })
  useStore.getState().openSession(session([1, 2, 3]))
  await vi.waitFor(() =>
    expect(useStore.getState().unloaded.get(2)).toBe('There is no item with id 2 in this project.'),
  )
  failing.clear()
  useStore.getState().go(1)
  await vi.waitFor(() => expect(useStore.getState().details.has(2)).toBe(true))
  expect(useStore.getState().unloaded.size).toBe(0)
})
