/**
 * File → Export… through the contract, as both shells run it: the desktop app writes to the path
 * its save dialog chose; `assay serve` hands out a one-time download link and streams the file.
 * The files are byte for byte those of `assay export`, and a large export never blocks labeling.
 */
import { readFileSync, existsSync, writeFileSync } from 'node:fs'
import { PassThrough, Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EMPTY_MAPPING } from '../../shared/import'
import { writeDemoProject } from '../../electron/core/demo'
import { DOWNLOAD_TTL_MS } from '../../electron/core/downloads'
import { openProject } from '../../electron/core/db/open'
import { runImport } from '../../electron/core/import/run'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { contractCaller } from '../helpers/services'

describe('export from the app (export.run)', () => {
  let tmp: ReturnType<typeof tempDir>
  let services: Services
  let now = Date.UTC(2026, 0, 1)
  let saveTo: string | null = null
  const call = contractCaller(() => services)
  const start = (shell: 'electron' | 'serve') => {
    services = createServices({
      shell,
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date(now),
      emit: () => undefined,
      demoPath: tmp.file('home/demo.assay'),
      ...(shell === 'electron' ? { saveFile: () => Promise.resolve(saveTo) } : {}),
    })
  }
  /** Everything a download ticket streams. */
  const fetchTicket = async (url: string): Promise<string | null> => {
    const file = services.download(url.replace('/download/', ''))
    if (!file) return null
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    await file.write(out)
    out.end()
    return Buffer.concat(chunks).toString('utf8')
  }

  beforeEach(() => {
    tmp = tempDir()
    now = Date.UTC(2026, 0, 1)
    saveTo = null
  })
  afterEach(() => {
    services.close()
    tmp.cleanup()
  })

  it('desktop: writes the chosen file, byte for byte what `assay export` writes, and says how many rows went where', async () => {
    const project = tmp.file('demo.assay')
    const { items } = writeDemoProject(project, { unlabeled: 50 })
    start('electron')
    await call('project.open', { path: project })

    saveTo = tmp.file('app-items.csv')
    const saved = await call('export.run', { what: 'items', format: 'csv' })
    expect(saved).toEqual({
      via: 'saved',
      path: saveTo,
      message: `Wrote ${items.toLocaleString('en-US')} items to ${saveTo}.`,
    })
    expect((await runCli(['export', project, '--out', tmp.file('cli-items.csv')], tmp.dir)).code).toBe(0)
    expect(readFileSync(saveTo, 'utf8')).toBe(readFileSync(tmp.file('cli-items.csv'), 'utf8'))

    saveTo = tmp.file('app-history.jsonl')
    const history = await call('export.run', { what: 'history', format: 'jsonl' })
    expect(
      (
        await runCli(
          ['export', project, '--history', '--format', 'jsonl', '--out', tmp.file('cli-history.jsonl')],
          tmp.dir,
        )
      ).code,
    ).toBe(0)
    const cliHistory = readFileSync(tmp.file('cli-history.jsonl'), 'utf8')
    expect(readFileSync(saveTo, 'utf8')).toBe(cliHistory)
    expect(history).toMatchObject({
      via: 'saved',
      message: `Wrote ${cliHistory.trim().split('\n').length} labels (the full history) to ${saveTo}.`,
    })

    // Cancelling the dialog writes nothing.
    saveTo = null
    expect(await call('export.run', { what: 'items', format: 'jsonl' })).toEqual({ via: 'cancelled' })
  })

  it("judgy's arrays under an error policy: the CLI's file, and the CLI's account of the error verdicts", async () => {
    const project = tmp.file('errors.assay')
    openProject(project, { mode: 'create' }).db.close()
    const csv = tmp.file('verdicts.csv')
    const rows = ['id,query,label,verdict,split']
    for (let i = 0; i < 6; i++) rows.push(`p${i},q${i},PASS,${i < 5 ? 'PASS' : 'UNKNOWN'},test`)
    for (let i = 0; i < 4; i++) rows.push(`f${i},q${i},FAIL,${i < 3 ? 'FAIL' : 'UNKNOWN'},test`)
    for (let i = 0; i < 7; i++) rows.push(`u${i},q${i},,${i < 2 ? 'UNKNOWN' : 'PASS'},`)
    writeFileSync(csv, `${rows.join('\n')}\n`)
    const mapping = {
      ...EMPTY_MAPPING,
      id: 'id',
      input: 'query',
      labels: [{ field: 'label', criterion: 'Overall', note: null, annotator: 'course' }],
      verdicts: [{ field: 'verdict', judge: 'course judge', criterion: 'Overall', critique: null }],
      splits: [{ field: 'split', criterion: 'Overall' }],
    }
    expect(
      await runImport(project, { file: csv, format: 'csv', mapping, onError: 'abort', duplicates: 'abort' }),
    ).toMatchObject({ committed: true, imported: 17 })
    start('electron')
    await call('project.open', { path: project })

    saveTo = tmp.file('app-judgy.json')
    const saved = await call('export.run', { what: 'judgy', judge: 'course judge', errors: 'fail' })
    const cli = await runCli(
      [
        'export',
        project,
        '--judgy',
        '--judge',
        'course judge',
        '--errors',
        'fail',
        '--out',
        tmp.file('cli-judgy.json'),
      ],
      tmp.dir,
    )
    expect(readFileSync(saveTo, 'utf8')).toBe(readFileSync(tmp.file('cli-judgy.json'), 'utf8'))
    expect(JSON.parse(readFileSync(saveTo, 'utf8'))).toEqual({
      test_labels: [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
      test_preds: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
      unlabeled_preds: [0, 0, 1, 1, 1, 1, 1],
    })
    expect(cli.stderr).toBe(
      'Wrote 4 error verdicts as 0 (1 on human-Pass test items, 1 on human-Fail test items, 2 in production).\n',
    )
    expect(saved).toEqual({
      via: 'saved',
      path: saveTo,
      message: `Wrote judgy's arrays for "course judge" (10 test pairs, 7 production verdicts) to ${saveTo}. Wrote 4 error verdicts as 0 (1 on human-Pass test items, 1 on human-Fail test items, 2 in production).`,
    })

    saveTo = tmp.file('app-judgy-exclude.json')
    const excluded = await call('export.run', { what: 'judgy', judge: 'course judge' })
    expect(JSON.parse(readFileSync(saveTo, 'utf8'))).toEqual({
      test_labels: [1, 1, 1, 1, 1, 0, 0, 0],
      test_preds: [1, 1, 1, 1, 1, 0, 0, 0],
      unlabeled_preds: [1, 1, 1, 1, 1],
    })
    expect(excluded).toMatchObject({
      message: expect.stringContaining(
        'Left out 4 error verdicts (1 on human-Pass test items, 1 on human-Fail test items, 2 in production): judgy takes 0/1 only. Choose "count as Fail"',
      ),
    })
    await expect(call('export.run', { what: 'judgy', judge: 'nobody' })).rejects.toThrow(
      'There is no judge named "nobody". Judges: "course judge".',
    )
  })

  it('serve: a one-time link that streams the same file, works once, and expires after a minute', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 50 })
    start('serve')
    await call('project.open', { path: project })
    expect((await runCli(['export', project, '--format', 'jsonl', '--out', tmp.file('cli.jsonl')], tmp.dir)).code).toBe(
      0,
    )

    const link = await call('export.run', { what: 'items', format: 'jsonl' })
    expect(link).toMatchObject({ via: 'download', filename: 'demo-items.jsonl', message: '' })
    if (link.via !== 'download') throw new Error('expected a download')
    expect(link.url).toMatch(/^\/download\/[A-Za-z0-9_-]{32}$/)
    expect(await fetchTicket(link.url)).toBe(readFileSync(tmp.file('cli.jsonl'), 'utf8'))
    expect(await fetchTicket(link.url)).toBeNull() // once only

    const late = await call('export.run', { what: 'history', format: 'csv' })
    if (late.via !== 'download') throw new Error('expected a download')
    now += DOWNLOAD_TTL_MS + 1
    expect(await fetchTicket(late.url)).toBeNull()
  })

  it('a large export being written does not stop labels from being saved meanwhile', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 2000 })
    start('serve')
    await call('project.open', { path: project })
    const link = await call('export.run', { what: 'items', format: 'csv' })
    if (link.via !== 'download') throw new Error('expected a download')
    const file = services.download(link.url.replace('/download/', ''))!

    // A slow reader (a browser on a slow disk): the export stops at the first full buffer and waits.
    let release: () => void = () => undefined
    let received = 0
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length
        if (received > 64 * 1024) release = done
        else done()
      },
    })
    const writing = file.write(slow)
    await expect.poll(() => received > 64 * 1024).toBe(true)

    // Mid-export, the reviewer labels an item: it is saved.
    const overall = (await call('criteria.list', {})).find((c) => c.kind === 'overall')!
    const session = await call('sessions.create', { criterionId: overall.id, order: 'unlabeled', seed: 1, size: 5 })
    const saved = await call('labels.save', {
      sessionId: session.id,
      itemId: session.items[0].id,
      verdict: 'fail',
      note: 'saved during an export',
    })
    expect(saved.item.label?.verdict).toBe('fail')

    // The export goes on to the end, from the snapshot it started with.
    const drain = setInterval(() => release(), 1)
    const rows = await writing.finally(() => clearInterval(drain))
    expect(rows).toBe((await call('project.current', {}))!.itemCount)
  })

  it('a download the browser abandons ends the export with an error instead of waiting forever', async () => {
    const project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 2000 })
    start('serve')
    await call('project.open', { path: project })
    const link = await call('export.run', { what: 'items', format: 'csv' })
    if (link.via !== 'download') throw new Error('expected a download')
    const stuck = new Writable({ highWaterMark: 1024, write: () => undefined }) // never takes more
    const writing = file(link.url).write(stuck)
    setTimeout(() => stuck.destroy(), 20)
    await expect(writing).rejects.toThrow(
      'The export stopped before its end: the file or download it was writing to was closed.',
    )
    expect(existsSync(project)).toBe(true)
  })

  const file = (url: string) => services.download(url.replace('/download/', ''))!
})
