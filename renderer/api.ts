import type { AnyEvent, Bridge, Input, Method, Output } from '../shared/contract'
import type { Envelope, ErrorKind } from '../shared/errors'

declare global {
  interface Window {
    /** Present in the Electron shell (the preload); absent under `assay serve`. */
    assay?: Bridge
  }
}

/** An error envelope, thrown by the client so callers can `try`; the message is for the user. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message)
  }
}

interface Transport {
  call(method: Method, input: unknown): Promise<Envelope<unknown>>
  subscribe(listener: (event: AnyEvent) => void): () => void
  /** A path the core can read a dropped file from: where it is (Electron), or an uploaded copy (serve). */
  fileOnServer(file: File): Promise<Envelope<{ path: string }>>
}

/**
 * The shell's events, listened to from the page's first script on: the ones sent before the app
 * subscribes (it does once its first render is up; the shell opens a project from the command line
 * as soon as the page has loaded, which can be earlier) go to the first listener when it comes.
 */
function eventsKeptForFirstListener(bridge: Bridge): Transport['subscribe'] {
  const listeners = new Set<(event: AnyEvent) => void>()
  let early: AnyEvent[] | null = []
  bridge.onEvent((event) => {
    if (early) early.push(event)
    for (const listener of listeners) listener(event)
  })
  return (listener) => {
    listeners.add(listener)
    const kept = early ?? []
    early = null
    for (const event of kept) listener(event)
    return () => listeners.delete(listener)
  }
}

/** Electron: the preload's `window.assay`, one function per method. */
function ipcTransport(bridge: Bridge): Transport {
  return {
    call(method, input) {
      const [namespace = '', leaf = ''] = method.split('.')
      const group: unknown = Reflect.get(bridge, namespace)
      const fn: unknown = typeof group === 'object' && group !== null ? Reflect.get(group, leaf) : undefined
      if (typeof fn !== 'function')
        return Promise.resolve({ ok: false, error: { kind: 'not_found', message: `Unknown API method "${method}".` } })
      return (fn as (input: unknown) => Promise<Envelope<unknown>>)(input)
    },
    subscribe: eventsKeptForFirstListener(bridge),
    fileOnServer: (file) => {
      const path = bridge.pathForFile(file)
      const found: Envelope<{ path: string }> = path
        ? { ok: true, value: { path } }
        : {
            ok: false,
            error: {
              kind: 'not_found',
              message: `${file.name} is not a file on this computer (dropped from a web page?): save it to a folder first, then drop it again.`,
            },
          }
      return Promise.resolve(found)
    },
  }
}

/** `assay serve`: POST /api/<method> with the launch token; events over server-sent events. */
function httpTransport(): Transport {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem('assay-token', fromUrl)
    url.searchParams.delete('token') // keep the token out of screenshots, bookmarks and history
    window.history.replaceState(null, '', url)
  }
  const token = fromUrl ?? sessionStorage.getItem('assay-token') ?? ''
  return {
    async call(method, input) {
      try {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        })
        return (await res.json()) as Envelope<unknown>
      } catch (error) {
        return {
          ok: false,
          error: {
            kind: 'io',
            message: `Lost the connection to \`assay serve\` (${String(error)}). Is it still running?`,
          },
        }
      }
    },
    subscribe(listener) {
      const source = new EventSource(`/events?token=${encodeURIComponent(token)}`)
      source.onmessage = (message) => listener(JSON.parse(message.data as string) as AnyEvent)
      return () => source.close()
    },
    // The browser never learns where a dropped file is (and the server may be another machine): send its bytes.
    async fileOnServer(file) {
      try {
        const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: file,
        })
        return (await res.json()) as Envelope<{ path: string }>
      } catch (error) {
        return {
          ok: false,
          error: {
            kind: 'io',
            message: `Could not send ${file.name} to \`assay serve\` (${String(error)}). Is it still running?`,
          },
        }
      }
    },
  }
}

const transport: Transport = window.assay ? ipcTransport(window.assay) : httpTransport()

/** The message of anything thrown, for the error banner. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Calls one contract method; resolves to its output or throws ApiError. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const result = await transport.call(method, input)
  if (!result.ok) throw new ApiError(result.error.kind, result.error.message)
  return result.value as Output<M>
}

/** Answers asked for ahead of their use (askAhead), by method and input, each until taken once. */
const ahead = new Map<string, Promise<unknown>>()
let aheadClosed = false
const aheadKey = (method: Method, input: unknown) => `${method} ${JSON.stringify(input)}`

/**
 * Sends a request now whose answer code that has not run yet will want (the page's first
 * requests, renderer/boot.ts): that code takes it with `callOrTake`, once, instead of asking again.
 */
export function askAhead<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const answer = call(method, input)
  // A failure is the taker's to see; an answer nobody takes (no project open) fails quietly.
  answer.catch(() => undefined)
  if (!aheadClosed) ahead.set(aheadKey(method, input), answer)
  return answer
}

/** The answer asked for ahead with this very input, once; undefined when none was (or it was taken or forgotten). */
export function takeAsked<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> | undefined {
  const key = aheadKey(method, input)
  const answer = ahead.get(key)
  ahead.delete(key)
  return answer as Promise<Output<M>> | undefined
}

/** `call`, answered by a request asked ahead with the same input when there is one; if that failed, asked again. */
export function callOrTake<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  return takeAsked(method, input)?.catch(() => call(method, input)) ?? call(method, input)
}

/**
 * Forgets the answers asked ahead and not taken, and keeps none asked from now on: they are out of
 * date (another project was opened, or closed), or nobody will take them (no project to open).
 */
export function forgetAsked(): void {
  aheadClosed = true
  ahead.clear()
}

/**
 * Where `request` shows a failure: the error banner. The store registers it once (the client
 * must not import the store, which imports the client); until then a failure goes to the console.
 */
const banner: { show: (message: string) => void } = { show: (message) => console.error(message) }

/** Points `request`'s failures at the error banner (the app slice calls it when the store is made). */
export function reportErrorsTo(show: (message: string) => void): void {
  banner.show = show
}

/**
 * Calls one contract method and shows a failure in the error banner: resolves to the output, or
 * to undefined when it failed (no output is undefined). The one place callers' errors meet the
 * banner, so they do not each repeat a try/catch; a caller that handles an error its own way
 * (a message in a form, a retry) uses `call`.
 */
export function request<M extends Method>(method: M, input: Input<M>): Promise<Output<M> | undefined> {
  return attempt(() => call(method, input))
}

/** Runs calls that succeed or fail together (one after another, or all at once), as `request` runs one. */
export async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work()
  } catch (error) {
    banner.show(errorText(error))
    return undefined
  }
}

/** `attempt` for callers that test a failure against null (the store's feature slices). */
export const attemptOrNull = <T>(work: () => Promise<T>): Promise<T | null> =>
  attempt(work).then((value) => value ?? null)

/** Server events (DESIGN §events): the listener gets each one; returns the unsubscribe. */
export const subscribe = (listener: (event: AnyEvent) => void): (() => void) => transport.subscribe(listener)

/** Where the core can read a file dropped on the window (see Transport.fileOnServer); throws ApiError. */
export async function fileOnServer(file: File): Promise<string> {
  const result = await transport.fileOnServer(file)
  if (!result.ok) throw new ApiError(result.error.kind, result.error.message)
  return result.value.path
}
