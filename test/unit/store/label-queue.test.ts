/**
 * A save's answer carries the session queue as the core saw it; when a defer was pressed after
 * that save was sent, the old queue must not undo the defer's local move — or the items shift
 * under the cursor and a note being typed lands on the next item (found under load by the e2e).
 */
import { describe, expect, it, vi } from 'vitest'

type Pending = { method: string; input: { itemId?: number; verdict?: string }; resolve: (value: unknown) => void }
const pending: Pending[] = []
/** The oldest save still waiting for its answer (prefetches of traces wait forever: not needed here). */
const nextSave = () => {
  const i = pending.findIndex((p) => p.method === 'labels.save')
  return i < 0 ? undefined : pending.splice(i, 1)[0]
}
const saves = () => pending.filter((p) => p.method === 'labels.save').length
const call = (method: string, input: Pending['input']) =>
  new Promise((resolve) => pending.push({ method, input, resolve }))
vi.mock('../../../renderer/api', () => ({
  call,
  request: call,
  attempt: (work: () => Promise<unknown>) => work().catch(() => undefined),
  attemptOrNull: (work: () => Promise<unknown>) => work().catch(() => null),
  reportErrorsTo: () => undefined,
  errorText: (e: unknown) => String(e),
  subscribe: () => () => undefined,
}))

const { useStore } = await import('../../../renderer/store')

const item = (id: number, label: string | null = null) => ({
  id,
  externalId: `i-${id}`,
  label: label ? { labelId: id, verdict: label, note: '', firstFailingStep: null, version: 1, createdAt: 't' } : null,
  judge: null,
  tags: [],
})

describe('label store: queue answers', () => {
  it('an old queue from an earlier save does not move a deferred item back', async () => {
    const ids = [1, 2, 3, 4, 5]
    useStore.getState().openSession({
      id: 7,
      items: ids.map((i) => item(i)),
      settings: { blind: true },
      criterion: { id: 1, version: 1 },
      saturation: {},
    } as never)
    const order = () => useStore.getState().session!.items.map((i) => i.id)
    const here = () => useStore.getState().session!.items[useStore.getState().position].id

    void useStore.getState().label('pass') // item 1, its answer delayed
    expect(here()).toBe(2)
    void useStore.getState().label('defer') // item 2 goes to the end at once
    expect(order()).toEqual([1, 3, 4, 5, 2])
    expect(here()).toBe(3)

    // The first save's answer arrives with the queue from before the defer.
    await vi.waitFor(() => expect(saves()).toBe(1)) // saves go out one after another
    const first = nextSave()!
    expect(first.input).toMatchObject({ itemId: 1, verdict: 'pass' })
    first.resolve({ item: item(1, 'pass'), queue: [1, 2, 3, 4, 5], saturation: {} })
    await vi.waitFor(() => expect(saves()).toBe(1))
    expect(order()).toEqual([1, 3, 4, 5, 2])
    expect(here()).toBe(3) // the cursor stays on the item the reviewer is reading

    // The defer's own answer agrees with the local order.
    const second = nextSave()!
    second.resolve({ item: item(2, 'defer'), queue: [1, 3, 4, 5, 2], saturation: {} })
    await vi.waitFor(() => expect(useStore.getState().saving.size).toBe(0))
    expect(order()).toEqual([1, 3, 4, 5, 2])
    expect(here()).toBe(3)
  })
})
