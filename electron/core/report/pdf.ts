import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { AppError } from '../../../shared/errors'
import type { PdfPrinter } from './render'

/** Where Chromium, Chrome or Edge usually are on Linux, macOS and Windows. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/microsoft-edge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
]

/** The first Chromium, Chrome or Edge found ($CHROMIUM_PATH first), or null. */
export function findChromium(env: NodeJS.ProcessEnv): string | null {
  return [env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => Boolean(p && existsSync(p))) ?? null
}

/**
 * The flags Playwright launches headless Chromium with for the e2e tests and `assay bench`: as
 * root (no sandbox), without a GPU, and with nothing fetched in the background.
 */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/**
 * PDF through headless Chromium (the CLI and `assay serve`; the desktop app prints with
 * Electron). The HTML is a local file with a CSP that forbids every request.
 */
export function chromiumPrinter(env: NodeJS.ProcessEnv): PdfPrinter {
  return async (html) => {
    const chromium = findChromium(env)
    if (!chromium)
      throw new AppError(
        'unsupported',
        'PDF needs Chromium or Chrome, and none was found: install it (Debian: `apt-get install chromium`), set CHROMIUM_PATH, or write HTML and print it from a browser.',
      )
    const dir = mkdtempSync(join(tmpdir(), 'assay-pdf-'))
    try {
      const input = join(dir, 'report.html')
      const output = join(dir, 'report.pdf')
      writeFileSync(input, html)
      const args = [
        '--headless',
        '--disable-gpu',
        '--no-sandbox',
        '--no-first-run',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${output}`,
        pathToFileURL(input).href,
      ]
      const stderr = await new Promise<string>((resolve, reject) => {
        const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] })
        let err = ''
        child.stderr.on('data', (c: Buffer) => (err += c.toString()))
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
        child.once('error', reject)
        child.once('close', () => {
          clearTimeout(timer)
          resolve(err)
        })
      })
      if (!existsSync(output))
        throw new AppError(
          'io',
          `Chromium (${chromium}) did not write the PDF: ${
            stderr
              .split('\n')
              .filter((l) => !/dbus/i.test(l))
              .slice(-3)
              .join(' ')
              .trim() || 'no message'
          }`,
        )
      return readFileSync(output)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
