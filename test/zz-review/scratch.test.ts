import Database from 'better-sqlite3'
import { readdirSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EMPTY_MAPPING, type Mapping } from '../../shared/import'
import { openProject } from '../../electron/core/db/open'
import { createRepos } from '../../electron/core/db/repos'
import { runImport } from '../../electron/core/import/run'
import { dispatch } from '../../electron/core/dispatch'
import { createServices } from '../../electron/core/services'
import { DEFAULT_FILTER } from '../../shared/table-query'
import { tempDir } from '../helpers/paths'

const TEXT: Mapping = { ...EMPTY_MAPPING, id: 'id', input: 'q', output: 'a' }
const fds = () => readdirSync('/proc/self/fd').length

describe('review scratch', () => {
  it('F1 onError=skip + duplicates=abort commits, skipping duplicates', async () => {
    const tmp = tempDir('rv-')
    const project = tmp.file('p.assay')
    openProject(project, { mode: 'create' }).db.close()
    const file = tmp.file('d.csv')
    writeFileSync(file, 'id,q,a\nx,first,1\ny,other,2\nx,second,3\n')
    const r = await runImport(project, { file, format: 'csv', mapping: TEXT, onError: 'skip', duplicates: 'abort' })
    console.log('F1', JSON.stringify({ committed: r.committed, imported: r.imported, dup: r.duplicates, errors: r.errors }))
    tmp.cleanup()
  })

  it('F2 missing file leaks a connection', async () => {
    const tmp = tempDir('rv-')
    const project = tmp.file('p.assay')
    openProject(project, { mode: 'create' }).db.close()
    const before = fds()
    for (let i = 0; i < 5; i++) {
      await runImport(project, { file: tmp.file('missing.csv'), format: 'csv', mapping: TEXT, onError: 'abort', duplicates: 'abort' }).catch((e) => i === 0 && console.log('F2 err', String(e)))
    }
    console.log('F2 fds before', before, 'after', fds(), readdirSync('/proc/self/fd').map((f) => { try { return require('node:fs').readlinkSync('/proc/self/fd/' + f) } catch { return '' } }).filter((p: string) => p.includes('p.assay')))
    tmp.cleanup()
  })

  it('F3 a cleared label breaks items.list; annotators disagree', async () => {
    const tmp = tempDir('rv-')
    const project = tmp.file('p.assay')
    openProject(project, { mode: 'create' }).db.close()
    const file = tmp.file('t.csv')
    writeFileSync(file, 'id,q,a,label\nx,hello,world,pass\ny,foo,bar,fail\n')
    await runImport(project, { file, format: 'csv', mapping: { ...TEXT, labels: [{ field: 'label', criterion: 'Overall', note: null, annotator: 'imported' }] }, onError: 'abort', duplicates: 'abort' })
    const services = createServices({ shell: 'serve', version: 't', settings: { recent: () => [], touchRecent: () => undefined } as never, clock: () => new Date(), emit: () => undefined, demoPath: tmp.file('demo.assay') })
    services.handlers['project.open']({ path: project })
    const db = services.current()!.db
    const repos = createRepos(db)
    // same-connection write: another annotator's defer on x, then an undo on y
    repos.labels.add({ itemId: 1, criterionId: 1, criterionVersion: 1, verdict: 'defer', note: 'n', annotator: 'bob', firstFailingStep: null }, 'now')
    console.log('F3 counts', JSON.stringify(repos.project.counts()))
    const labeled = await dispatch(services.handlers, 'items.list', { offset: 0, limit: 10, filter: { ...DEFAULT_FILTER, label: 'labeled' } })
    console.log('F3 labeled filter', JSON.stringify(labeled))
    repos.labels.add({ itemId: 2, criterionId: 1, criterionVersion: 1, verdict: 'cleared', note: '', annotator: 'imported', firstFailingStep: null }, 'now')
    const list = await dispatch(services.handlers, 'items.list', { offset: 0, limit: 10 })
    console.log('F3 list after undo', JSON.stringify(list).slice(0, 300))
    services.close()
    tmp.cleanup()
  })

  it('F4 id-list cache is stale after a same-connection label write', async () => {
    const tmp = tempDir('rv-')
    const project = tmp.file('p.assay')
    openProject(project, { mode: 'create' }).db.close()
    const file = tmp.file('t.csv')
    writeFileSync(file, 'id,q,a\nx,hello,world\ny,foo,bar\nz,a,b\n')
    await runImport(project, { file, format: 'csv', mapping: TEXT, onError: 'abort', duplicates: 'abort' })
    const { db } = openProject(project, { mode: 'open' })
    const repos = createRepos(db)
    const q = { filter: { ...DEFAULT_FILTER, label: 'unlabeled' as const } }
    console.log('F4 before', repos.items.list(0, 10, q).total)
    repos.project.addCriterion('Overall', 'overall', '', 'now')
    repos.labels.add({ itemId: 1, criterionId: 1, criterionVersion: 1, verdict: 'pass', note: '', annotator: 'me', firstFailingStep: null }, 'now')
    console.log('F4 after label (cached)', repos.items.list(0, 10, q).total, 'truth', db.prepare("SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.item_id=i.id)").pluck().get())
    db.close()
    tmp.cleanup()
  })

  it('F5 metadata filter on booleans and keys with quotes', () => {
    const db = new Database(':memory:')
    const q = "SELECT CAST(json_extract(?, '$.' || json_quote(?)) AS TEXT)"
    console.log('F5 bool', db.prepare(q).pluck().get('{"escalated": true}', 'escalated'))
    try { console.log('F5 quote', db.prepare(q).pluck().get('{"a\\"b": 1}', 'a"b')) } catch (e) { console.log('F5 quote err', String(e)) }
    try { console.log('F5 backslash', db.prepare(q).pluck().get('{"a\\\\b": 1}', 'a\\b')) } catch (e) { console.log('F5 bs err', String(e)) }
    console.log('F5 lower', db.prepare("SELECT instr(lower('ÉCOLE'), lower('é'))").pluck().get(), 'sqlite', db.prepare('select sqlite_version()').pluck().get())
  })
})
