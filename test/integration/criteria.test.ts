import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Services } from '../../electron/core/services'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { contractCaller, testServices } from '../helpers/services'

/** A trace file with no label column, as a user's first export looks. */
const TRACES = Array.from({ length: 12 }, (_, i) =>
  JSON.stringify({ id: `t-${i + 1}`, input: `Question ${i + 1}`, output: `Answer ${i + 1}` }),
).join('\n')

describe('criteria are first-class', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    services = testServices(tmp.file('home'))
    await call('settings.set', { annotator: 'ann' })
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it('a project made by `assay import` from traces alone has Overall, and a session on it starts', async () => {
    writeFileSync(tmp.file('traces.jsonl'), TRACES)
    const imported = await runCli(['import', 'new.assay', 'traces.jsonl', '--json'], tmp.dir)
    expect([imported.code, imported.json()]).toMatchObject([0, { imported: 12 }])
    await call('project.open', { path: tmp.file('new.assay') })
    const criteria = await call('criteria.list', {})
    expect(criteria.map((c) => [c.name, c.kind, c.version, c.definition, c.labeled])).toEqual([
      ['Overall', 'overall', 1, '', 0],
    ])
    const session = await call('sessions.create', {
      criterionId: criteria[0].id,
      order: 'unlabeled',
      seed: 1,
      size: 100,
    })
    expect(session.items).toHaveLength(12)
    expect(session.criterion.name).toBe('Overall')
  })

  it('a new project from the app has Overall; its definition is written, and criteria are added and renamed', async () => {
    await call('project.create', { path: tmp.file('fresh') })
    const [overall] = await call('criteria.list', {})
    expect(overall).toMatchObject({ name: 'Overall', kind: 'overall', version: 1, definition: '' })
    expect(
      await call('criteria.update', { id: overall.id, definition: 'The answer is right and complete.' }),
    ).toMatchObject({ version: 2, definition: 'The answer is right and complete.' })

    const tone = await call('criteria.create', { name: '  Tone  ', definition: 'The tone fits the user.' })
    expect(tone).toMatchObject({
      name: 'Tone',
      kind: 'failure_mode',
      step: null,
      version: 1,
      definition: 'The tone fits the user.',
      labeled: 0,
    })
    await expect(call('criteria.create', { name: 'Tone' })).rejects.toThrow(
      'A criterion named "Tone" already exists: choose another name, or merge into it.',
    )
    expect(await call('criteria.rename', { id: tone.id, name: 'Polite tone' })).toMatchObject({
      id: tone.id,
      name: 'Polite tone',
      version: 1,
    })
    await expect(call('criteria.rename', { id: overall.id, name: 'Success' })).rejects.toThrow(
      '"Overall" is the criterion every project has: it keeps its name (imports, exports and reports refer to it). Change its definition instead, or add a criterion with the name you want.',
    )
    await expect(call('criteria.rename', { id: tone.id, name: 'Overall' })).rejects.toThrow(
      'A criterion named "Overall" already exists',
    )
    // An added criterion is a failure mode of the taxonomy, so Analyze counts it.
    expect((await call('taxonomy.get', {})).modes.map((m) => m.name)).toEqual(['Polite tone'])
    expect((await call('criteria.list', {})).map((c) => c.name)).toEqual(['Overall', 'Polite tone'])
  })

  it('renaming a criterion keeps its step-level labels with it', async () => {
    await call('project.openDemo', {})
    const diet = await call('criteria.create', { name: 'Diet', definition: 'Respects the diet.' })
    const session = await call('sessions.create', {
      criterionId: diet.id,
      step: 'retrieve',
      order: 'unlabeled',
      seed: 1,
      size: 5,
    })
    const counts = async () => (await call('sessions.counts', { criterionId: diet.id, step: 'retrieve' })).unlabeledByMe
    const before = await counts()
    await call('labels.save', { sessionId: session.id, itemId: session.items[0].id, verdict: 'fail' })
    expect(await counts()).toBe(before - 1)

    await call('criteria.rename', { id: diet.id, name: 'Diet rules' })
    expect(await counts()).toBe(before - 1)
    const steps = (await call('criteria.list', {})).filter((c) => c.step !== null).map((c) => [c.name, c.labeled])
    expect(steps).toEqual([['Diet rules · retrieve', 1]])
    const again = await call('sessions.create', {
      criterionId: diet.id,
      step: 'retrieve',
      order: 'unlabeled',
      seed: 1,
      size: 5,
    })
    expect(again.criterion.name).toBe('Diet rules · retrieve')

    // Deleted, its step-level criteria go with it: a new criterion of that name starts afresh.
    await call('modes.delete', { id: diet.id })
    expect((await call('criteria.list', {})).filter((c) => c.step !== null)).toEqual([])
    const fresh = await call('criteria.create', { name: 'Diet rules' })
    expect((await call('sessions.counts', { criterionId: fresh.id, step: 'retrieve' })).unlabeledByMe).toBe(before)
  })

  it('assay criterion list, add, rename and define, with --json and errors that say what to do', async () => {
    writeFileSync(tmp.file('traces.jsonl'), TRACES)
    expect((await runCli(['import', 'p.assay', 'traces.jsonl'], tmp.dir)).code).toBe(0)
    const cli = (...args: string[]) => runCli(['criterion', ...args], tmp.dir)

    expect((await cli('list', 'p.assay')).stdout).toBe('Overall\toverall\tv1\t0 labeled\t(no definition yet)\n')
    const added = await cli(
      'add',
      'p.assay',
      'Diet',
      '--definition',
      'The answer respects every dietary restriction.',
      '--json',
    )
    expect([added.code, added.json()]).toEqual([
      0,
      expect.objectContaining({
        name: 'Diet',
        kind: 'failure_mode',
        version: 1,
        definition: 'The answer respects every dietary restriction.',
      }),
    ])
    expect(await cli('rename', 'p.assay', 'Diet', 'Follows dietary constraints')).toMatchObject({
      code: 0,
      stdout: 'Renamed "Diet" to "Follows dietary constraints".\n',
    })
    expect(await cli('define', 'p.assay', 'Overall', 'The system did what the user asked.')).toMatchObject({
      code: 0,
      stdout: '"Overall" is now at v2: The system did what the user asked.\n',
    })
    const list = await cli('list', 'p.assay', '--json')
    expect((list.json() as { name: string; version: number }[]).map((c) => [c.name, c.version])).toEqual([
      ['Overall', 2],
      ['Follows dietary constraints', 1],
    ])

    expect(await cli('rename', 'p.assay', 'Diet', 'X')).toMatchObject({
      code: 1,
      stderr:
        'assay criterion: There is no criterion named "Diet". Criteria: "Overall", "Follows dietary constraints".\n',
    })
    expect(await cli('add', 'p.assay', 'Overall', '--json')).toMatchObject({
      code: 1,
      stdout: `${JSON.stringify({ error: 'conflict', message: 'A criterion named "Overall" already exists: choose another name, or merge into it.' })}\n`,
    })
    expect(await cli('rename', 'p.assay', 'Overall')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'criterion rename takes PROJECT NAME NEW_NAME, e.g. `assay criterion rename evals.assay "Diet" "Follows dietary constraints"`.',
      ),
    })
    expect(await cli('define', 'p.assay', 'Overall', 'x', '--definition', 'y')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--definition goes with add'),
    })
    expect(await cli('frob', 'p.assay')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('criterion needs an action: list, add, rename or define'),
    })

    // Every change is in the events table.
    const db = new Database(tmp.file('p.assay'), { readonly: true })
    expect(
      db
        .prepare("SELECT kind FROM events WHERE kind LIKE 'criterion.%' OR kind = 'mode.create' ORDER BY id")
        .pluck()
        .all(),
    ).toEqual(['mode.create', 'criterion.rename', 'criterion.version'])
    db.close()
  })
})
