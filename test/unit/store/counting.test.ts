/**
 * The Data table shows the first page of a large answer before its count (`items.list` says
 * `counted: false`), raises what it knows as pages arrive, takes the exact count from
 * `items.count` when it comes, and ignores a count for a query the user has left. End waits for
 * the count. Driven through the real store and client over a fake of the preload's bridge.
 */
import { beforeEach, expect, it, vi } from 'vitest'
import { storeOver } from '../../helpers/fake-bridge'

type Input = Record<string, unknown>
const MATCHING = 5_000
const row = (id: number) => ({ id, externalId: `i-${String(id)}`, label: null, judge: 'fail', tags: [] })

let counts: { input: Input; answer: (total: number) => void }[] = []

/** A page of the judge filter's 5 000 rows, as the core answers it before counting. */
function page({ offset, limit }: Input) {
  const [from, size] = [Number(offset), Number(limit)]
  const rows = Array.from({ length: Math.min(size, MATCHING - from) }, (_, i) => row(from + i + 1))
  return { offset: from, rows, total: from + size + 1, counted: false }
}

const handlers: Record<string, (input: Input) => unknown> = {
  'items.list': page,
  'items.get': (input) => ({ id: input.id, externalId: `i-${String(input.id)}` }),
  'items.count': (input) => new Promise((answer) => counts.push({ input, answer: (total) => answer({ total }) })),
}

const store = () => storeOver(handlers)

beforeEach(() => {
  counts = []
})

const judgeFail = { filter: { label: 'any', judge: 'fail', dataset: null, metadata: null } } as const

it('shows the first page at once, raises the known total as pages arrive, and takes the exact count when it comes', async () => {
  const useStore = await store()
  await useStore.getState().resetItems('', judgeFail)
  expect(useStore.getState()).toMatchObject({ total: 101, counting: true })
  expect(counts.map((c) => c.input)).toEqual([{ filter: judgeFail.filter, sort: { by: 'id', desc: false } }])
  useStore.getState().ensureRows(90, 110)
  await vi.waitFor(() => expect(useStore.getState().total).toBe(201))
  expect(useStore.getState().counting).toBe(true)

  // End waits for the count, then goes to the last row.
  const last = useStore.getState().moveToLast()
  await new Promise((resolve) => setTimeout(resolve, 10))
  expect(useStore.getState().cursor).toBe(0)
  counts[0].answer(MATCHING)
  await last
  expect(useStore.getState()).toMatchObject({ total: MATCHING, counting: false, cursor: MATCHING - 1 })
})

it('keeps the exact count when a page that came before it arrives after it', async () => {
  const useStore = await store()
  await useStore.getState().resetItems('', judgeFail)
  counts[0].answer(MATCHING)
  await vi.waitFor(() => expect(useStore.getState()).toMatchObject({ total: MATCHING, counting: false }))
  useStore.getState().ensureRows(190, 210) // answered with a lower bound, as a page listed before the count
  await vi.waitFor(() => expect(useStore.getState().pages.get(2)).toHaveLength(100))
  expect(useStore.getState()).toMatchObject({ total: MATCHING, counting: false })
})

it('knows no count while a new query loads (not "no items"), and none either when its first page fails', async () => {
  const useStore = await store()
  const loading = useStore.getState().resetItems('kettle', judgeFail)
  expect(useStore.getState()).toMatchObject({ total: 0, counting: true })
  await loading
  expect(useStore.getState()).toMatchObject({ total: 101, counting: true })
  const list = handlers['items.list']
  delete handlers['items.list'] // the core refuses the page
  try {
    await useStore.getState().resetItems('lentil', judgeFail)
  } finally {
    handlers['items.list'] = list
  }
  expect(useStore.getState()).toMatchObject({ total: 0, counting: false })
})

it('ignores the count of a query the user has left', async () => {
  const useStore = await store()
  await useStore.getState().resetItems('', judgeFail)
  await useStore.getState().resetItems('lentil', judgeFail)
  expect(counts).toHaveLength(2)
  counts[0].answer(MATCHING)
  await new Promise((resolve) => setTimeout(resolve, 10))
  expect(useStore.getState()).toMatchObject({ total: 101, counting: true, search: 'lentil' })
  counts[1].answer(777)
  await vi.waitFor(() => expect(useStore.getState()).toMatchObject({ total: 777, counting: false }))
})
