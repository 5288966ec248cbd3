/**
 * Writing is declared once (`gate` in shared/contract.ts) and gated once (electron/core/handlers/
 * gate.ts). This test is what keeps the declarations honest: every method of the contract is
 * called, with valid input from the table below, on a project opened read-only (a real read-only
 * mount, or a folder without write permission). SQLite refuses any write there, so a method that
 * writes without declaring it fails with a read-only error instead of answering — and the test
 * fails with it. The declared ones are refused by the gate, before they touch the file. A method
 * added to the contract without a row in the table fails the coverage check.
 */
import { join } from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { writeDemoProject } from '../../electron/core/demo'
import { dispatch } from '../../electron/core/dispatch'
import { gateOf } from '../../electron/core/handlers/gate'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { methodNames, type Input, type Method, type Output } from '../../shared/contract'
import type { Envelope } from '../../shared/errors'
import { tempDir } from '../helpers/paths'
import { readOnlyView, type ReadOnlyView } from '../helpers/read-only'

/** The ids the inputs refer to, read from the project before it became read-only. */
interface Ids {
  itemId: number
  externalId: string
  sessionId: number
  judgeId: number
  versionId: number
  recordedVersionId: number
  modeId: number
  profile: { id: string; name: string; baseUrl: string; model: string }
  project: string
  csv: string
  newProject: string
  mapping: Output<'import.detect'>['mapping']
}

/** A valid input for every method of the contract. */
const inputs: { [M in Method]: (ids: Ids) => Input<M> } = {
  'app.info': () => ({}),
  'project.current': () => ({}),
  'project.recent': () => ({}),
  'project.open': (ids) => ({ path: ids.project }),
  'project.create': (ids) => ({ path: ids.newProject }),
  'project.openDemo': () => ({}),
  'project.close': () => ({}),
  'project.pick': () => ({ mode: 'open' }),
  'items.list': () => ({ offset: 0, limit: 5 }),
  'items.facets': () => ({}),
  'items.ids': () => ({ search: 'vegan' }),
  'items.count': () => ({ search: 'vegan' }),
  'items.get': (ids) => ({ id: ids.itemId }),
  'items.first': () => ({}),
  'items.locate': (ids) => ({ externalId: ids.externalId }),
  'settings.get': () => ({}),
  'settings.set': () => ({ annotator: 'reviewer' }),
  'criteria.list': () => ({}),
  'criteria.update': () => ({ id: 1, definition: 'A new definition.' }),
  'criteria.create': () => ({ name: 'A new criterion' }),
  'criteria.rename': (ids) => ({ id: ids.modeId, name: 'Renamed' }),
  'criteria.agreement': () => ({ id: 1 }),
  'sessions.create': () => ({ criterionId: 1, order: 'random', seed: 1, size: 10, blind: false }),
  'sessions.counts': () => ({ criterionId: 1 }),
  'sessions.latest': () => ({}),
  'sessions.get': (ids) => ({ id: ids.sessionId }),
  'labels.save': (ids) => ({ sessionId: ids.sessionId, itemId: ids.itemId, verdict: 'pass' }),
  'labels.tag': (ids) => ({ sessionId: ids.sessionId, itemId: ids.itemId, criterionId: ids.modeId, on: true }),
  'labels.undo': (ids) => ({ sessionId: ids.sessionId }),
  'notes.list': () => ({}),
  'taxonomy.get': () => ({ pivot: null }),
  'taxonomy.suggest': (ids) => ({ profileId: ids.profile.id }),
  'modes.create': () => ({ name: 'A new mode' }),
  'modes.rename': (ids) => ({ id: ids.modeId, name: 'Renamed mode' }),
  'modes.delete': (ids) => ({ id: ids.modeId }),
  'modes.merge': (ids) => ({ from: ids.modeId, into: ids.modeId + 1 }),
  'modes.move': (ids) => ({ itemIds: [ids.itemId], from: ids.modeId, to: ids.modeId + 1 }),
  'modes.example': (ids) => ({ modeId: ids.modeId, itemId: ids.itemId, kind: 'fail', on: true }),
  'modes.assign': (ids) => ({ itemId: ids.itemId, modeId: ids.modeId, on: true }),
  'profiles.list': () => ({}),
  'profiles.save': () => ({ profile: { id: 'other', name: 'Other', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } }),
  'profiles.delete': () => ({ id: 'other' }),
  'profiles.test': (ids) => ({ profile: ids.profile }),
  'judges.list': () => ({}),
  'judges.create': (ids) => ({ criterionId: 1, name: 'Another judge', profileId: ids.profile.id }),
  'judges.get': (ids) => ({ id: ids.judgeId, revealVersion: ids.versionId }),
  'judges.save': (ids) => ({
    judgeId: ids.judgeId,
    prompt: 'A changed prompt: {{input}} {{output}}',
    profileId: ids.profile.id,
    params: {},
    fewshotIds: [],
  }),
  'judges.diff': (ids) => ({ from: ids.versionId, to: ids.versionId }),
  'judges.preview': (ids) => ({ judgeId: ids.judgeId, prompt: 'Judge {{output}}', fewshotIds: [], itemId: ids.itemId }),
  'judges.estimate': (ids) => ({ versionId: ids.versionId, scope: 'all' }),
  'judges.scopes': (ids) => ({ versionId: ids.versionId }),
  'judges.run': (ids) => ({ versionId: ids.versionId, scope: 'dev' }),
  'judges.resume': () => ({ runId: 1 }),
  'judges.cancel': () => ({ runId: 1 }),
  'judges.verdicts': (ids) => ({ versionId: ids.recordedVersionId }),
  'judges.splits': () => ({ criterionId: 1, ratios: { train: 0.2, dev: 0.4, test: 0.4, seed: 7 } }),
  'calibrate.choices': () => ({}),
  'calibrate.get': (ids) => ({ versionId: ids.recordedVersionId, revealTest: true }),
  'calibrate.targets': () => ({ criterionId: 1, targets: { target: 0.9, minimum: 0.8 } }),
  'calibrate.cell': (ids) => ({ versionId: ids.recordedVersionId, split: 'test', human: 'pass', judge: 'pass' }),
  'audit.start': (ids) => ({ versionId: ids.recordedVersionId, size: 5 }),
  'report.get': () => ({}),
  'report.render': () => ({ format: 'md' }),
  'import.detect': (ids) => ({ path: ids.csv }),
  'import.arrays': (ids) => ({ path: ids.csv }),
  'import.preview': (ids) => ({
    path: ids.csv,
    format: 'csv',
    mapping: ids.mapping,
  }),
  'import.run': (ids) => ({
    path: ids.csv,
    format: 'csv',
    mapping: ids.mapping,
    onError: 'abort',
    duplicates: 'abort',
  }),
  'import.cancel': () => ({}),
  'import.pick': () => ({}),
  'collect.start': () => ({ port: 0 }),
  'collect.stop': () => ({}),
  'collect.status': () => ({}),
  'export.run': () => ({ what: 'items', format: 'csv' }),
  'merge.run': (ids) => ({ path: ids.project }),
}

/** Methods that change which project is open: called last, so the others run on the read-only one. */
const SWITCHING: Method[] = ['project.create', 'project.openDemo', 'project.open', 'project.close']

const tmp = tempDir('assay-write-gate-')
const src = tmp.file('projects')
let view: ReadOnlyView | undefined
let server: LlmServer
let services: Services
let ids: Ids

const build = () =>
  createServices({
    shell: 'serve',
    version: 'test',
    settings: createSettingsStore(tmp.file('home')),
    clock: () => new Date('2026-12-01T00:00:00Z'),
    emit: () => undefined,
    demoPath: tmp.file('home/demo.assay'),
    env: {},
    pickFile: () => Promise.resolve(null),
    integrityDelayMs: 0,
  })

async function value<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const result = (await dispatch(services.handlers, method, input)) as Envelope<Output<M>>
  if (!result.ok) throw new Error(`${method}: ${result.error.kind}: ${result.error.message}`)
  return result.value
}

beforeAll(async () => {
  mkdirSync(src)
  mkdirSync(tmp.file('mnt'))
  server = await startLlmServer({ answer: () => JSON.stringify({ verdict: 'pass', critique: 'fine', modes: [] }) })
  const profile = { id: 'local', name: 'Local', baseUrl: server.baseUrl, model: 'fake-judge' }
  const csv = tmp.file('more.csv')
  writeFileSync(csv, 'id,input,output\nnew-1,a new question,an answer\n')
  // Written while it can be: a session, a judge with a prompt, beside the demo's recorded judge.
  const path = join(src, 'demo.assay')
  writeDemoProject(path, { unlabeled: 100 })
  services = build()
  await value('project.open', { path })
  await value('profiles.save', { profile })
  const session = await value('sessions.create', { criterionId: 1, order: 'random', seed: 1, size: 5, blind: false })
  const [recorded] = await value('calibrate.choices', {})
  const judge = await value('judges.create', { criterionId: 1, name: 'Prompt judge', profileId: profile.id })
  const detail = await value('judges.get', { id: judge.id })
  const mode = (await value('criteria.list', {})).find((c) => c.kind === 'failure_mode')
  const item = await value('items.get', { id: session.items[0].id })
  const { mapping } = await value('import.detect', { path: csv })
  services.close()
  const mounted = readOnlyView(src, tmp.file('mnt'))
  view = mounted
  ids = {
    itemId: item.id,
    externalId: item.externalId,
    sessionId: session.id,
    judgeId: judge.id,
    versionId: detail.versions[0].id,
    recordedVersionId: recorded.versionId,
    modeId: mode!.id,
    profile,
    project: join(mounted.dir, 'demo.assay'),
    csv,
    newProject: tmp.file('new.assay'),
    mapping,
  }
  services = build()
  expect((await value('project.open', { path: ids.project })).readOnly).toContain('is read-only')
})

afterAll(async () => {
  services.close()
  view?.release()
  await server.close()
  tmp.cleanup()
})

describe('the write gate, declared once in the contract', () => {
  it('has an input for every method of the contract', () => {
    expect(Object.keys(inputs).sort()).toEqual([...methodNames].sort())
  })

  it('on a read-only project: a method not declared as writing answers; a declared one is refused by the gate', async () => {
    const order = [...methodNames.filter((m) => !SWITCHING.includes(m)), ...SWITCHING]
    const outcomes: string[] = []
    const expected: string[] = []
    for (const method of order) {
      const input = (inputs[method] as (ids: Ids) => unknown)(ids)
      const result = await dispatch(services.handlers, method, input)
      const declared = gateOf(method) === 'write' || gateOf(method) === 'import'
      outcomes.push(`${method}: ${result.ok ? 'answered' : `${result.error.kind}: ${result.error.message}`}`)
      expected.push(
        `${method}: ${declared ? `read_only: ${result.ok ? '(answered)' : result.error.message}` : 'answered'}`,
      )
      if (declared && !result.ok) expect(result.error.message).toContain('is open read-only')
    }
    expect(outcomes).toEqual(expected)
  })
})
