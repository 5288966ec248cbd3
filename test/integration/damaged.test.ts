/**
 * A damaged project is closed everywhere (issue 15, part 8): refused when it is opened (through
 * the real `assay serve` and an HTTP client), closed when the background integrity check finds
 * the damage after it opened, and closed when any later call meets it. Each time the user gets
 * the 'corrupt' error with the path and what to do, every call after it says no project is open,
 * and Recent does not offer the file.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRepos } from '../../electron/core/db/repos'
import { dispatch } from '../../electron/core/dispatch'
import { createServices } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import type { AnyEvent } from '../../shared/contract'
import { scribble } from '../helpers/damage'
import { judgeProject } from '../helpers/judge-project'
import { tempDir } from '../helpers/paths'
import { startServe } from '../helpers/serve'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => (tmp = tempDir('assay-damaged-')))
afterEach(() => tmp.cleanup())

const AT = '2026-12-01T00:00:00Z'
const NO_PROJECT = {
  ok: false,
  error: { kind: 'no_project', message: 'No project is open. Open or create one from the Start screen.' },
}

/** A sound project of 3 items; `more` adds to it before it is closed (and its WAL checkpointed). */
function project(path: string, more: (repos: ReturnType<typeof createRepos>) => void = () => undefined): void {
  const { db } = judgeProject(
    path,
    [1, 2, 3].map((i) => ({ id: `i-${i}`, input: `question ${i}`, label: 'pass' as const })),
  )
  const repos = createRepos(db)
  db.transaction(() => more(repos))()
  db.close()
}

/** The actionable refusal: the path, then what to do. */
const damageMessage = (path: string) =>
  expect.stringMatching(
    new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is damaged|failed SQLite's integrity check) \\(.+\\)\\. Restore it from a backup \\(Assay keeps one beside the file before every upgrade\\), or try "sqlite3 .+ \\.recover"\\.$`,
    ),
  )

describe('a damaged project', () => {
  it('through `assay serve`: refused with the path and advice; then no project is open, and Recent does not offer it', async () => {
    const path = tmp.file('damaged.assay')
    project(path)
    const serve = await startServe([], { cwd: tmp.dir, env: { ...process.env, ASSAY_HOME: tmp.file('home') } })
    const { api } = serve
    try {
      // Sound, it opens and enters Recent; damaged where every open reads (the items table), it is refused.
      expect(await api('project.open', { path })).toMatchObject({ ok: true, value: { itemCount: 3 } })
      expect(await api('project.recent')).toMatchObject({ ok: true, value: [{ path }] })
      expect(await api('project.close')).toEqual({ ok: true, value: null })
      scribble(path, 'items')
      expect(await api('project.open', { path })).toEqual({
        ok: false,
        error: { kind: 'corrupt', message: damageMessage(path) },
      })
      expect(await api('items.list', { offset: 0, limit: 10 })).toEqual(NO_PROJECT)
      expect(await api('project.current')).toEqual({ ok: true, value: null })
      expect(await api('project.recent')).toEqual({ ok: true, value: [] })
    } finally {
      serve.stop()
    }
    expect(serve.stderr()).toBe('')
  })

  describe('in the services both shells call', () => {
    const events: AnyEvent[] = []
    // The background check at once (`integrityDelayMs: 0`), or as the app times it (after the first trace).
    const services = (o = { checkAtOnce: true }) =>
      createServices({
        shell: 'electron',
        version: 'test',
        settings: createSettingsStore(tmp.file('home')),
        clock: () => new Date(AT),
        emit: (e) => events.push(e),
        demoPath: tmp.file('home/demo.assay'),
        ...(o.checkAtOnce ? { integrityDelayMs: 0 } : {}),
      })
    /** A project whose damage only the background check finds (pages of the events table). */
    const lateDamage = (name: string): string => {
      const path = tmp.file(name)
      project(path, (repos) => {
        for (let i = 0; i < 2000; i++) repos.project.log('note', 'x'.repeat(200), AT)
      })
      scribble(path, 'events', { pagetype: 'leaf', pick: (pages) => pages.slice(10, 14) }) // only the check reads these
      return path
    }
    beforeEach(() => void events.splice(0))

    it('the background check finds damage the first reads missed: the project is closed, leaves Recent, and the windows are told why', async () => {
      const path = lateDamage('late.assay')
      const s = services()
      const h = (method: string, input: unknown = {}) => dispatch(s.handlers, method, input)
      try {
        expect(await h('project.open', { path })).toMatchObject({ ok: true, value: { itemCount: 3 } })
        await vi.waitFor(() => expect(events.map((e) => e.name)).toContain('project.problem'), { timeout: 20_000 })
        const problem = events.find((e) => e.name === 'project.problem')
        expect(problem?.payload).toEqual({
          path,
          message: expect.stringContaining(`${path} failed SQLite's integrity check (`),
        })
        expect(problem?.payload).toEqual({ path, message: damageMessage(path) })
        expect(events.map((e) => (e.name === 'project.changed' ? (e.payload.project?.path ?? null) : e.name))).toEqual([
          path,
          null,
          'project.problem',
        ])
        expect(await h('items.list', { offset: 0, limit: 10 })).toEqual(NO_PROJECT)
        expect(await h('project.current')).toEqual({ ok: true, value: null })
        expect(await h('project.recent')).toEqual({ ok: true, value: [] })
      } finally {
        s.close()
      }
    })

    it("the app's background check waits for the window's first trace: no core taken from the first paint", async () => {
      const path = lateDamage('after-trace.assay')
      const s = services({ checkAtOnce: false })
      const h = (method: string, input: unknown = {}) => dispatch(s.handlers, method, input)
      try {
        expect(await h('project.open', { path })).toMatchObject({ ok: true })
        await new Promise((resolve) => setTimeout(resolve, 2500)) // past the fixed delay the check had before
        expect(events.map((e) => e.name)).not.toContain('project.problem')
        expect(await h('items.get', { id: 1 })).toMatchObject({ ok: true })
        await vi.waitFor(() => expect(events.map((e) => e.name)).toContain('project.problem'), { timeout: 20_000 })
      } finally {
        s.close()
      }
    })

    it('any later call that meets damage: the corrupt error with the path and advice, then the project is closed', async () => {
      const path = tmp.file('item.assay')
      let big = 0
      project(path, (repos) => {
        big = repos.items.insert(
          {
            datasetId: 1,
            externalId: 'big',
            kind: 'text',
            input: 'Z'.repeat(200_000),
            output: 'o',
            messages: [],
            metadata: {},
            steps: [],
          },
          AT,
        )
      })
      scribble(path, 'items', { pagetype: 'overflow' }) // only reading that one item's input meets it
      const s = createServices({
        shell: 'serve',
        version: 'test',
        settings: createSettingsStore(tmp.file('home')),
        clock: () => new Date(AT),
        emit: (e) => events.push(e),
        demoPath: tmp.file('home/demo.assay'),
        integrityDelayMs: 600_000,
      })
      const h = (method: string, input: unknown = {}) => dispatch(s.handlers, method, input)
      try {
        expect(await h('project.open', { path })).toMatchObject({ ok: true, value: { itemCount: 4 } })
        expect(await h('items.get', { id: 1 })).toMatchObject({ ok: true, value: { externalId: 'i-1' } })
        const failed = await h('items.get', { id: big })
        expect(failed).toEqual({ ok: false, error: { kind: 'corrupt', message: damageMessage(path) } })
        expect(events.at(-1)).toEqual({
          name: 'project.problem',
          payload: { path, message: (failed as { error: { message: string } }).error.message },
        })
        expect(await h('items.get', { id: 1 })).toEqual(NO_PROJECT)
        expect(await h('project.current')).toEqual({ ok: true, value: null })
        expect(await h('project.recent')).toEqual({ ok: true, value: [] })
      } finally {
        s.close()
      }
    })
  })
})
