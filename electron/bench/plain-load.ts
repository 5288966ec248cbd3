/**
 * A first page load as a user's browser makes it: Chromium driven over its DevTools pipe with
 * nothing of DevTools switched on but what the measure needs. Playwright, which the other UI rows
 * use, enables the Network and Runtime domains on every page; with them on, Chromium records the
 * JavaScript stack of each request the page makes, and V8 parses the app's whole script a second
 * time to give that stack its source positions (76 ms of a first load in a trace here). Neither a
 * browser without DevTools open nor the desktop app pays that.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { HEADLESS_CHROMIUM_ARGS } from '../core/report/pdf'

/** What the page runs before the app's script: the moment its first trace enters the DOM (`firstTrace`). */
export const WATCH = `globalThis.firstTrace = new Promise((resolve) => {
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid=item-view]')) return
    resolve(performance.now())
    observer.disconnect()
  }).observe(document, { childList: true, subtree: true })
})`

/**
 * Asked once the page has committed: waits for `WATCH`'s moment, or fails after `ms`. The answer
 * to the navigation can come before the new document's `firstTrace` exists; until then it looks
 * again every 20 ms.
 */
const awaitFirstTrace = (ms: number) => `new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('no trace shown in ${ms} ms')), ${ms})
  const wait = () => (globalThis.firstTrace ? globalThis.firstTrace.then(resolve) : setTimeout(wait, 20))
  wait()
})`

/**
 * Launches a new headless Chromium (a new profile: nothing cached), loads `url` in a page of
 * `viewport`, and returns the milliseconds from navigation to the first trace in the page, as the
 * page timed them (`performance.now()` when the trace entered the DOM).
 */
export async function plainFirstLoad(
  browserPath: string,
  url: string,
  viewport: { width: number; height: number },
  timeoutMs: number,
): Promise<number> {
  const profile = mkdtempSync(join(tmpdir(), 'assay-bench-chromium-'))
  const child = spawn(
    browserPath,
    [...HEADLESS_CHROMIUM_ARGS, '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
    // Chromium reads commands from fd 3 and writes answers to fd 4, each a JSON text ended by NUL.
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve()) // not started: the pipe closes and every command fails
  })
  const cdp = pipeSession(child.stdio[3] as Writable, child.stdio[4] as Readable)
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 30_000)
  try {
    const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string }
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string
    }
    const page = (method: string, params: Record<string, unknown> = {}) => cdp.send(method, params, sessionId)
    await page('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false })
    await page('Page.enable') // without it the script below is not run in new documents
    await page('Page.addScriptToEvaluateOnNewDocument', { source: WATCH })
    const navigated = (await page('Page.navigate', { url })) as { errorText?: string }
    if (navigated.errorText) throw new Error(`Chromium could not load ${url}: ${navigated.errorText}`)
    const evaluate = () =>
      page('Runtime.evaluate', { expression: awaitFirstTrace(timeoutMs), awaitPromise: true, returnByValue: true })
    // The navigation's answer may come before the new document exists: asked in about:blank, whose
    // end fails the question, it is asked again in the app's page.
    const evaluated = (await evaluate().catch(evaluate)) as {
      result: { value?: unknown }
      exceptionDetails?: { exception?: { description?: string } }
    }
    if (evaluated.exceptionDetails)
      throw new Error(evaluated.exceptionDetails.exception?.description ?? 'the page failed before its first trace')
    return Number(evaluated.result.value)
  } finally {
    await cdp.send('Browser.close').catch(() => child.kill('SIGKILL'))
    await exited
    clearTimeout(timer)
    rmSync(profile, { recursive: true, force: true })
  }
}

/** Commands over Chromium's pipe: `send` resolves with a command's result or rejects with its error. */
function pipeSession(input: Writable, output: Readable) {
  let next = 0
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  let buffered = ''
  output.setEncoding('utf8')
  output.on('data', (chunk: string) => {
    buffered += chunk
    for (let end = buffered.indexOf('\0'); end !== -1; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as {
        id?: number
        result?: unknown
        error?: { message: string }
      }
      buffered = buffered.slice(end + 1)
      const call = message.id === undefined ? undefined : waiting.get(message.id)
      if (!call || message.id === undefined) continue // an event: none is listened to
      waiting.delete(message.id)
      if (message.error) call.reject(new Error(message.error.message))
      else call.resolve(message.result)
    }
  })
  const closed = () => {
    for (const call of waiting.values()) call.reject(new Error('Chromium closed its DevTools pipe'))
    waiting.clear()
  }
  output.once('close', closed)
  input.on('error', closed)
  return {
    send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
      const id = ++next
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
      })
    },
  }
}
