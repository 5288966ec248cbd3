/**
 * The Report screen on the demo project: its preview, and the HTML, PDF, Markdown and JSON it
 * saves, show the numbers of the Calibrate screen and of `assay estimate`; the saved HTML opened
 * in Chromium makes no request at all; the PDF's first page renders (pdftoppm) and holds the
 * same numbers (pdftotext).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { writeDemoProject } from '../../electron/core/demo'
import { repoRoot } from '../helpers/paths'
import { launchBrowser } from './driver'
import { useE2e } from './setup'

const assay = (...args: string[]) =>
  execFileSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })

describe('Report screen and report files', () => {
  const e2e = useE2e()

  it('previews and saves the report in every format with the numbers of Calibrate and assay estimate; the HTML requests nothing', async () => {
    const project = e2e.tmp.file('demo.assay')
    writeDemoProject(project)
    const app = await e2e.launch({ project, annotator: 'reporter' })
    const { page } = app
    await page.getByTestId('item-count').waitFor()

    await page.keyboard.press('Alt+7')
    const preview = page.getByTestId('report-preview')
    await expect.poll(() => preview.textContent()).toMatch(/Building it records that they were viewed/)
    await page.keyboard.press('b')
    await expect.poll(() => preview.textContent()).toMatch(/corrected success rate θ̂/)
    const cells = await preview.locator('table.estimate td').allTextContents()
    const theta = cells[1].slice(0, 5)
    const interval = /\[\d\.\d{3}, \d\.\d{3}\]/.exec(cells[2])![0]

    // The same numbers on Calibrate (the report showed test results, so Calibrate shows them too) …
    await page.keyboard.press('Alt+6')
    await expect.poll(() => page.getByTestId('theta').textContent()).toBe(theta)
    expect(await page.getByTestId('interval').textContent()).toBe(interval)
    // … and from assay estimate on the report's own counts.
    const json = JSON.parse(assay('report', project, '--format', 'json')) as {
      judges: { estimate: { counts: object } }[]
    }
    const input = e2e.tmp.file('counts.json')
    execFileSync('bash', ['-c', `cat > ${input}`], { input: JSON.stringify(json.judges[0].estimate.counts) })
    const cli = JSON.parse(assay('estimate', '--input', input, '--json')) as {
      theta: number
      lower: number
      upper: number
    }
    expect([theta, interval]).toEqual([cli.theta.toFixed(3), `[${cli.lower.toFixed(3)}, ${cli.upper.toFixed(3)}]`])

    // Save every format with its key.
    await page.keyboard.press('Alt+7')
    await page.keyboard.press('b')
    await expect.poll(() => preview.textContent()).toMatch(/corrected success rate/)
    const saved: Record<string, string> = {}
    for (const [key, format] of [
      ['h', 'html'],
      ['m', 'md'],
      ['j', 'json'],
      ['p', 'pdf'],
    ] as const) {
      const download = page.waitForEvent('download', { timeout: 30_000 })
      await page.keyboard.press(key)
      const file = await download
      expect(file.suggestedFilename()).toBe(`demo-calibration-report.${format}`)
      saved[format] = e2e.tmp.file(file.suggestedFilename())
      await file.saveAs(saved[format])
    }
    for (const format of ['html', 'md'] as const) {
      const text = readFileSync(saved[format], 'utf8')
      expect(text).toContain(theta)
      expect(text).toContain(interval)
    }
    const data = JSON.parse(readFileSync(saved.json, 'utf8')) as {
      schema: string
      judges: { estimate: { theta: number; lower: number; upper: number } }[]
    }
    expect(data.schema).toBe('assay.report/v1')
    expect(data.judges[0].estimate.theta.toFixed(3)).toBe(theta)

    // The PDF: its first page renders, and its text has the numbers.
    const png = e2e.tmp.file('page')
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', saved.pdf, png])
    expect(statSync(`${png}-1.png`).size).toBeGreaterThan(10_000)
    const pdfText = execFileSync('pdftotext', ['-l', '1', saved.pdf, '-'], { encoding: 'utf8' })
    expect(pdfText).toContain('Calibration report: demo')
    expect(pdfText).toContain(theta)

    // The saved HTML in a fresh Chromium: not one request beyond the file itself.
    const browser = await launchBrowser()
    try {
      const reader = await browser.newPage()
      const requests: string[] = []
      reader.on('request', (r) => requests.push(r.url()))
      const url = pathToFileURL(saved.html).href
      await reader.goto(url, { waitUntil: 'networkidle' })
      expect(requests).toEqual([url])
      expect(await reader.locator('svg.histogram').count()).toBe(1)
      expect(await reader.locator('script').count()).toBe(0)
    } finally {
      await browser.close()
    }
    await app.screenshot('report')
    expect(await app.problems()).toEqual([])
  }, 90_000)
})
