/**
 * The wizard's choice of a JSON object's records array belongs to that file: reading another file
 * drops it, a failed read of another file leaves nothing of the last one to import, and an answer
 * for a file the user has left is ignored. Driven through the real store and client over a fake of
 * the preload's bridge.
 */
import { beforeEach, expect, it, vi } from 'vitest'
import { Refusal, storeOver } from '../../helpers/fake-bridge'

type Input = Record<string, unknown>
const SEVERAL = 'the object holds several arrays'
const files: Record<string, string[]> = { '/a.json': ['train', 'test'], '/b.json': ['x', 'y'] }
let arraysAsked: ((value: { keys: string[] }) => void)[] = []
let slowArrays = false

const detected = (path: string, recordsKey?: unknown) => ({
  detected: { path, format: 'json-records', recordsKey, columns: ['id'], notes: [], size: 10 },
  mapping: { id: 'id' },
  offered: [],
  preview: { rows: [], errors: [] },
})

const handlers: Record<string, (input: Input) => unknown> = {
  'import.detect': ({ path, recordsKey }) => {
    if (path === '/c.csv') return detected('/c.csv')
    if (!recordsKey) return new Refusal(`${SEVERAL} ("…")`)
    return detected(String(path), recordsKey)
  },
  'import.arrays': ({ path }) => {
    const answer = { keys: files[String(path)] ?? [] }
    return slowArrays ? new Promise((resolve) => arraysAsked.push(resolve)) : answer
  },
}

const store = () => storeOver(handlers)

beforeEach(() => {
  arraysAsked = []
  slowArrays = false
})

it('offers the arrays of the file that could not be read, keeps them while the user chooses, and drops them for another file', async () => {
  const useStore = await store()
  const { detectImport } = useStore.getState()
  await detectImport('/a.json')
  expect(useStore.getState().importProblem).toContain(SEVERAL)
  expect(useStore.getState().importArrays).toEqual({ path: '/a.json', keys: ['train', 'test'] })

  await detectImport('/a.json', { format: 'json-records', recordsKey: 'test' })
  expect(useStore.getState().importPhase).toMatchObject({
    kind: 'map',
    detected: { path: '/a.json', recordsKey: 'test' },
  })
  expect(useStore.getState().importArrays?.path).toBe('/a.json')

  // Another file with several arrays: its own arrays, and nothing of /a.json left to import.
  await detectImport('/b.json')
  expect(useStore.getState()).toMatchObject({
    importPhase: { kind: 'source' },
    importMapping: null,
    importArrays: { path: '/b.json', keys: ['x', 'y'] },
  })

  // A file that reads: no arrays to choose from.
  await detectImport('/c.csv')
  expect(useStore.getState()).toMatchObject({ importPhase: { kind: 'map' }, importArrays: null, importProblem: null })
})

it('ignores the arrays of a file the user has left before they came', async () => {
  const useStore = await store()
  slowArrays = true
  const left = useStore.getState().detectImport('/a.json')
  await vi.waitFor(() => expect(arraysAsked).toHaveLength(1))
  await useStore.getState().detectImport('/c.csv')
  arraysAsked[0]({ keys: ['train', 'test'] })
  await left
  expect(useStore.getState()).toMatchObject({ importPhase: { kind: 'map' }, importArrays: null })
})
