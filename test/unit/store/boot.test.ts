/**
 * The page's first requests (renderer/boot.ts) leave before the app's code runs; the first open
 * takes their answers instead of asking again, a failed one is asked again, and a project opened
 * meanwhile is never shown with the boot's answers. Driven through the real client over a fake of
 * the Electron preload's bridge (`window.assay`), as the desktop shell runs it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Answer = { ok: true; value: unknown } | { ok: false; error: { kind: string; message: string } }
type Handler = (input: Record<string, unknown>) => Answer

const project = (path: string) => ({
  path,
  name: path,
  schemaVersion: 1,
  synthetic: false,
  readOnly: null,
  itemCount: 2,
  labeledCount: 0,
  datasetCount: 0,
})
const row = (id: number) => ({ id, externalId: `i-${String(id)}`, label: null, judge: null, tags: [] })
const ok = (value: unknown): Answer => ({ ok: true, value })
const failed: Answer = { ok: false, error: { kind: 'not_found', message: 'No project is open.' } }

/** Every call the bridge got, as `method input`, in order. */
let calls: string[] = []
let handlers: Record<string, Handler> = {}
/** The page's listeners of the shell's events (the preload's onEvent). */
let shellEvents: ((event: unknown) => void)[] = []
const count = (method: string) => calls.filter((c) => c.startsWith(`${method} `)).length

/** A project of two items (ids 7 and 8) at `path`: what the core answers while it is open. */
function openProject(path: string): Record<string, Handler> {
  return {
    'project.current': () => ok(project(path)),
    'items.list': () => ok({ rows: [row(7), row(8)], total: 2, counted: true }),
    'items.get': (input) => ok({ id: input.id, externalId: `i-${String(input.id)}`, project: path }),
    'items.first': () => ok({ id: 7, externalId: 'i-7', project: path }),
    'items.facets': () => ok({ datasets: [], metadata: [] }),
    'app.info': () => ok({ shell: 'electron', canPickFiles: true, demoPath: null }),
    'project.recent': () => ok([]),
    'settings.get': () => ok({ theme: 'system' }),
    'project.open': (input) => ok(project(String(input.path))),
  }
}

/** The preload's `window.assay`: one async function per method, each answered by `handlers`. */
function bridge() {
  const namespaces: Record<string, Record<string, (input: Record<string, unknown>) => Promise<Answer>>> = {}
  for (const method of Object.keys(openProject('x')).concat(['sessions.latest', 'criteria.list'])) {
    const [namespace = '', leaf = ''] = method.split('.')
    namespaces[namespace] ??= {}
    namespaces[namespace][leaf] = async (input) => {
      calls.push(`${method} ${JSON.stringify(input)}`)
      await new Promise((resolve) => setTimeout(resolve, 1))
      return (handlers[method] ?? (() => failed))(input)
    }
  }
  const onEvent = (listener: (event: unknown) => void) => {
    shellEvents.push(listener)
    return () => undefined
  }
  return { ...namespaces, onEvent, pathForFile: () => '', reportLabeling: () => undefined }
}

/** A fresh page: the client, the boot and the store loaded anew (they keep module state). */
async function load() {
  vi.resetModules()
  vi.stubGlobal('window', { assay: bridge() })
  const { boot } = await import('../../../renderer/boot')
  const { useStore } = await import('../../../renderer/store')
  const { subscribe } = await import('../../../renderer/api')
  return { boot, useStore, subscribe }
}

beforeEach(() => {
  calls = []
  shellEvents = []
  handlers = openProject('/a.assay')
})

describe('boot: the first requests of a page load', () => {
  it('the first open takes what the boot asked: one request of each, and the first trace shown', async () => {
    const { boot, useStore } = await load()
    boot()
    // The first row's trace is asked with the page, not once the page is in.
    expect(calls.map((c) => c.split(' ')[0]).slice(0, 2)).toEqual(['items.list', 'items.first'])
    await useStore.getState().init()
    await vi.waitFor(() => expect(useStore.getState().detail).not.toBeNull())
    expect(useStore.getState().project?.path).toBe('/a.assay')
    expect(useStore.getState().detail?.id).toBe(7)
    await vi.waitFor(() => expect(count('items.facets')).toBe(1)) // after the trace, not before
    for (const method of ['project.current', 'items.list', 'items.first', 'app.info', 'project.recent'])
      expect(count(method), method).toBe(1)
    expect(count('items.get')).toBe(0)
  })

  it("the boot's first trace is shown only when it is the first row's; otherwise that row's is asked", async () => {
    for (const first of [() => ok({ id: 9, externalId: 'i-9', project: '/a.assay' }), () => failed, () => ok(null)]) {
      calls = []
      handlers['items.first'] = first // another item (the items changed between the two answers), a failure, none
      const { boot, useStore } = await load()
      boot()
      await useStore.getState().init()
      await vi.waitFor(() => expect(useStore.getState().detail).not.toBeNull())
      expect(useStore.getState().detail?.id).toBe(7)
      expect(calls).toContain('items.get {"id":7}')
      expect(useStore.getState().error).toBeNull()
    }
  })

  it('the facets are asked for only once the first trace is in', async () => {
    const { boot, useStore } = await load()
    boot()
    await useStore.getState().init()
    expect(count('items.facets')).toBe(0) // the rows are in, their trace not yet
    await vi.waitFor(() => expect(count('items.facets')).toBe(1))
    expect(useStore.getState().detail).not.toBeNull()
  })

  it('a failed boot request is asked again, quietly', async () => {
    const { boot, useStore } = await load()
    let first = true
    handlers['project.current'] = () => {
      if (!first) return ok(project('/a.assay'))
      first = false
      return { ok: false, error: { kind: 'io', message: 'busy' } }
    }
    boot()
    await useStore.getState().init()
    await vi.waitFor(() => expect(useStore.getState().detail).not.toBeNull())
    expect(count('project.current')).toBe(2)
    expect(count('items.list')).toBe(1)
    expect(useStore.getState().project?.path).toBe('/a.assay')
    expect(useStore.getState().error).toBeNull()
  })

  it('without a project the boot page fails quietly: the Start screen, no banner, nothing asked twice', async () => {
    handlers = { ...openProject('/a.assay'), 'project.current': () => ok(null), 'items.list': () => failed }
    const { boot, useStore } = await load()
    boot()
    await useStore.getState().init()
    expect(useStore.getState().screen).toBe('start')
    expect(useStore.getState().error).toBeNull()
    expect(count('items.list')).toBe(1)
    expect(count('items.get')).toBe(0)
    expect(count('items.first')).toBe(1)
  })

  it('no screen until the core has said which project is open: never the Start screen of one opening', async () => {
    const cases: [Record<string, Handler>, string, boolean][] = [
      [openProject('/a.assay'), 'data', false], // a project: Data, not Start first
      [{ ...openProject('/a.assay'), 'project.current': () => ok(null) }, 'start', false], // none: Start
      [{ ...openProject('/a.assay'), 'project.current': () => failed }, 'start', true], // no answer: Start and why
    ]
    for (const [answers, screen, banner] of cases) {
      handlers = answers
      const { boot, useStore } = await load()
      boot()
      const opened = useStore.getState().init()
      expect(useStore.getState().opening).toBe(true)
      await opened
      expect(useStore.getState().opening).toBe(false)
      expect(useStore.getState().screen).toBe(screen)
      expect(useStore.getState().error !== null).toBe(banner)
    }
  })

  it('a project opened meanwhile forgets the boot answers: its own rows and trace are asked for', async () => {
    const { boot, useStore } = await load()
    boot()
    await vi.waitFor(() => expect(count('items.first')).toBe(1)) // the boot's trace of /a.assay
    handlers = openProject('/b.assay')
    useStore.getState().projectChanged(project('/b.assay'))
    await vi.waitFor(() => expect(useStore.getState().detail).not.toBeNull())
    expect(useStore.getState().detail).toMatchObject({ id: 7, project: '/b.assay' })
    expect(count('items.list')).toBe(2)
    expect(count('items.get')).toBe(1)
  })

  it('what the boot asked and nobody took is forgotten once the first page is in, not used later', async () => {
    const { boot, useStore } = await load()
    const { takeAsked } = await import('../../../renderer/api')
    boot()
    await useStore.getState().init()
    await vi.waitFor(() => expect(useStore.getState().detail).not.toBeNull())
    // Nothing mounted the theme here, so the settings' answer was never taken: minutes later it
    // would be out of date, and it is gone.
    expect(takeAsked('settings.get', {})).toBeUndefined()
  })

  it('an event the shell sends before the app listens (a project opened from the command line) reaches it', async () => {
    const { subscribe } = await load()
    const changed = { name: 'project.changed', payload: { project: project('/b.assay') } }
    for (const listener of shellEvents) listener(changed)
    const seen: unknown[] = []
    subscribe((event) => seen.push(event))
    expect(seen).toEqual([changed])
    const later = { name: 'labels.changed', payload: {} }
    for (const listener of shellEvents) listener(later)
    expect(seen).toEqual([changed, later])
    const second: unknown[] = []
    subscribe((event) => second.push(event)) // only the first listener gets what came before it
    expect(second).toEqual([])
  })
})
