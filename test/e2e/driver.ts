import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core'
import { TestRunner } from 'vitest'
import { findChromium, HEADLESS_CHROMIUM_ARGS } from '../../electron/core/report/pdf'
import { repoRoot } from '../helpers/paths'

/**
 * One driver interface for every e2e test, two ways to get the real renderer:
 * - the Electron app through Playwright's Electron support, where the Electron binary exists
 *   (`npm start` downloads it once, where there is internet);
 * - otherwise `assay serve` in a browser: $CHROMIUM_PATH, a Chromium, Chrome or Edge where they
 *   are usually installed (Debian's /usr/bin/chromium here), or Playwright's `chrome`/`msedge`
 *   channels. ASSAY_E2E_SHELL=serve|electron forces one. The first launch says which it used;
 *   with none, the error says how to get one.
 */
export interface AppDriver {
  shell: 'electron' | 'serve'
  page: Page
  /** Page errors and console errors seen so far; a test asserts there are none. */
  errors: string[]
  /** `errors` plus any error banner the app shows: a passing test ends with none. */
  problems(): Promise<string[]>
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Per-user state folder (recent projects, the demo): a fresh temp folder per test. */
  home: string
  project?: string
}

export const CHROMIUM_ARGS = HEADLESS_CHROMIUM_ARGS
const screenshotDir = join(repoRoot, 'test-results', 'e2e')

export function electronBinary(): string | null {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

export function chosenShell(): 'electron' | 'serve' {
  const forced = process.env.ASSAY_E2E_SHELL
  if (forced === 'electron' || forced === 'serve') return forced
  return electronBinary() ? 'electron' : 'serve'
}

export async function launchApp(options: LaunchOptions): Promise<AppDriver> {
  return chosenShell() === 'electron' ? launchElectron(options) : launchServe(options)
}

let announced = false
/** Says once, on standard error, which shell and browser the e2e tests drive. */
function announce(what: string): void {
  if (announced) return
  announced = true
  process.stderr.write(`e2e: ${what}\n`)
}

/**
 * A headless browser for the serve shell (and for tests that open a saved page): the first of
 * $CHROMIUM_PATH and the usual places of Chromium, Chrome and Edge (`findChromium`), else an
 * installed Chrome or Edge through Playwright's channels. None: an error that says what to do.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium(process.env)
  if (executablePath) {
    announce(`assay serve in ${executablePath}`)
    return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
  }
  for (const channel of ['chrome', 'msedge']) {
    try {
      const browser = await chromium.launch({ channel, headless: true, args: CHROMIUM_ARGS })
      announce(`assay serve in the installed ${channel === 'chrome' ? 'Google Chrome' : 'Microsoft Edge'}`)
      return browser
    } catch {
      // not installed: try the next
    }
  }
  throw new Error(
    'The end-to-end tests found no way to run the app: no Electron binary (run `npm start` once, where there is internet: it downloads Electron) and no Chromium, Chrome or Edge (install one — Debian: `apt-get install chromium`; macOS/Windows: Google Chrome or Microsoft Edge — or set CHROMIUM_PATH to its executable).',
  )
}

async function launchElectron(options: LaunchOptions): Promise<AppDriver> {
  const executablePath = electronBinary()
  if (!executablePath)
    throw new Error(
      'ASSAY_E2E_SHELL=electron but the Electron binary is missing: run `npm start` once (it downloads it).',
    )
  const app: ElectronApplication = await _electron.launch({
    executablePath,
    args: [repoRoot, ...(options.project ? [options.project] : [])],
    env: { ...process.env, ASSAY_HOME: options.home },
  })
  announce(`the Electron app (${executablePath})`)
  const page = await app.firstWindow()
  return wrap('electron', page, () => app.close())
}

async function launchServe(options: LaunchOptions): Promise<AppDriver> {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin', 'assay.mjs'),
      'serve',
      ...(options.project ? [options.project] : []),
      '--port',
      '0',
      '--json',
    ],
    {
      env: { ...process.env, ASSAY_HOME: options.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const { url } = await firstJsonLine(child)
  const browser = await launchBrowser().catch((error: unknown) => {
    child.kill('SIGTERM')
    throw error
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const driver = wrap('serve', page, async () => {
    await browser.close()
    child.kill('SIGTERM')
  })
  await page.goto(url)
  return driver
}

function wrap(shell: AppDriver['shell'], page: Page, close: () => Promise<void>): AppDriver {
  page.setDefaultTimeout(5_000) // a locator that never matches fails the poll around it instead of hanging
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return {
    shell,
    page,
    errors,
    async problems() {
      return [...errors, ...(await page.locator('[role=alert]').allTextContents()).map((t) => `banner: ${t}`)]
    },
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true })
      const path = join(screenshotDir, `${name}-${shell}.png`)
      await page.screenshot({ path })
      return path
    },
    // A test that failed says what the page showed before it closes: CI keeps no browser to look at.
    async close() {
      if (TestRunner.getCurrentTest()?.result?.state === 'fail') console.error(await pageState(page).catch(String))
      await close()
    },
  }
}

/** The page at a failure: screen, focus, what the label bar and banners say, and a screenshot. */
async function pageState(page: Page): Promise<string> {
  const state = await page.evaluate(() => {
    const text = (selector: string) => document.querySelector(selector)?.textContent.trim().slice(0, 120) ?? null
    const focus = document.activeElement
    return {
      screen: text('[aria-current=page]'),
      heading: text('h1') ?? text('h2'),
      focus: focus
        ? `${focus.tagName.toLowerCase()}${focus.id ? `#${focus.id}` : ''} ${focus.getAttribute('aria-label') ?? ''}`
        : null,
      labelBar: text('.label-bar'),
      banners: Array.from(document.querySelectorAll('[role=alert]'), (e) => e.textContent.trim()),
      body: document.body.innerText.replace(/\s+/g, ' ').slice(0, 300),
    }
  })
  mkdirSync(screenshotDir, { recursive: true })
  const shot = join(screenshotDir, `failed-${Date.now()}.png`)
  await page.screenshot({ path: shot })
  return `e2e failure, the page then: ${JSON.stringify(state)}; screenshot ${shot}`
}

export function firstJsonLine(child: ChildProcess): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string }))
    child.once('exit', (code) =>
      reject(new Error(`assay serve exited with ${code} before it printed its address:\n${stderr}`)),
    )
  })
}

/** A per-user settings folder whose settings name the annotator, so labels record a known name. */
export function homeWithAnnotator(home: string, annotator: string, keymap: 'default' | 'prodigy' = 'default'): string {
  mkdirSync(home, { recursive: true })
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ recent: [], user: { annotator, keymap } }))
  return home
}

/**
 * The id of the trace the Label screen shows, once its details have come: while they are on their
 * way the screen says "Loading …" and has no heading, which on a loaded machine can outlast a
 * locator's 5 s.
 */
export async function shownItemId(page: Page): Promise<string> {
  const heading = page.getByTestId('item-view').locator('h2')
  await heading.waitFor({ timeout: 15_000 })
  return (await heading.textContent()) ?? ''
}
