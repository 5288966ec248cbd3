import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { createRng } from '../../shared/stats/rng'
import { repoRoot, tempDir } from '../helpers/paths'
import { firstJsonLine, homeWithAnnotator, launchBrowser } from './driver'

interface Ack {
  labelId: number
  itemId: number
  verdict: string
}

/**
 * DESIGN §6: a label acknowledged to the user survives the process being killed at any moment.
 * `assay serve` is killed with SIGKILL at a random moment while the keyboard labels as fast as
 * it can, 20 times; every save the page received an answer for must be in the file, which must
 * pass `PRAGMA integrity_check`. (The serve shell only: it is the process that writes.)
 */
describe('killing the app while labeling', () => {
  const tmp = tempDir('assay-kill-')
  const project = tmp.file('demo.assay')
  const home = homeWithAnnotator(tmp.file('home'), 'kill-test')
  let browser: Browser | undefined
  beforeAll(async () => {
    writeDemoProject(project)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    tmp.cleanup()
  })

  it(
    'loses no acknowledged label and leaves a sound file, over 20 kills at random moments',
    { timeout: 240_000 },
    async () => {
      const rng = createRng(20261127)
      let total = 0
      let killedMidSave = 0
      for (let round = 0; round < 20; round++) {
        const child = spawn(
          process.execPath,
          [join(repoRoot, 'bin', 'assay.mjs'), 'serve', project, '--port', '0', '--json'],
          { env: { ...process.env, ASSAY_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
        )
        const exited = once(child, 'exit')
        const { url } = await firstJsonLine(child)
        const page = await browser!.newPage()
        const acks: Ack[] = []
        let sent = 0
        page.on('request', (request) => {
          if (request.url().endsWith('/api/labels.save')) sent++
        })
        page.on('response', (response) => {
          if (!response.url().endsWith('/api/labels.save')) return
          response.json().then(
            (body: {
              ok: boolean
              value?: { item: { id: number; label: { labelId: number; verdict: string } | null } }
            }) => {
              const label = body.ok ? body.value?.item.label : null
              if (label) acks.push({ labelId: label.labelId, itemId: body.value!.item.id, verdict: label.verdict })
            },
            () => undefined, // no complete answer: the page never learned the label was saved
          )
        })
        await page.goto(url)
        await page.getByTestId('item-count').waitFor()
        await page.keyboard.press('Alt+3')
        await page.locator('.setup-form select option', { hasText: 'Overall' }).waitFor({ state: 'attached' })
        await page.keyboard.press('Control+Enter')
        await page.getByTestId('label-progress').waitFor()

        // Label as fast as the keyboard goes; the process dies at a random moment.
        const killAfter = 100 + rng.nextInt(900)
        const killer = setTimeout(() => child.kill('SIGKILL'), killAfter)
        const serving = { alive: true }
        void exited.then(() => (serving.alive = false))
        while (serving.alive) await page.keyboard.press(rng.nextFloat() < 0.7 ? '1' : '2').catch(() => undefined)
        await exited
        clearTimeout(killer)
        await page.close()
        if (sent > acks.length) killedMidSave++

        const db = new Database(project)
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
          const byId = db.prepare('SELECT item_id AS itemId, verdict FROM labels WHERE id = ?')
          for (const ack of acks)
            expect(
              byId.get(ack.labelId),
              `acknowledged label ${ack.labelId} (round ${round}, killed after ${killAfter} ms)`,
            ).toEqual({ itemId: ack.itemId, verdict: ack.verdict })
        } finally {
          db.close()
        }
        total += acks.length
      }
      console.log(
        `kill test: ${total} acknowledged labels checked over 20 kills; ${killedMidSave} kills came with a save in flight`,
      )
      // The test is only meaningful if it saved labels (at least one per round on average; about
      // 100–120 on this machine) and often killed the process mid-save.
      expect(total).toBeGreaterThanOrEqual(20)
      expect(killedMidSave).toBeGreaterThan(5)
    },
  )
})
