import { Component, createElement, lazy, Suspense, type ComponentType, type ReactNode } from 'react'
import { useHoldKeys } from './keyboard'

/** A component whose code is a separate chunk, with `preload` to fetch it before it is first shown. */
export type LazyComponent<P extends object> = ((props: P) => ReactNode) & Preloadable

/** Anything whose code can be fetched ahead of use. */
export interface Preloadable {
  preload: () => Promise<unknown>
}

/**
 * A screen or dialog loaded on demand (DESIGN §6: the first trace must not wait for every
 * screen's code). Once its chunk has arrived it renders directly, never through React.lazy: a
 * lazy component suspends on its first render even when its code is already there, which would
 * flash the fallback on every screen switch after a preload.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null
  let pending: Promise<{ default: ComponentType<P> }> | null = null
  const preload = () =>
    (pending ??= load().then(
      (component) => {
        loaded = component
        return { default: component }
      },
      (error: unknown) => {
        pending = null // a chunk that failed to arrive is asked for again next time
        throw error
      },
    ))
  const Lazy = lazy(preload)
  const Loaded = (props: P) => (loaded ? createElement(loaded, props) : createElement(Lazy, props))
  return Object.assign(Loaded, { preload })
}

/** While a screen's chunk loads: a quiet line, and every key held for the screen (useHoldKeys). */
function ScreenLoading() {
  useHoldKeys()
  return <p className="muted screen-loading">Loading…</p>
}

/** While a dialog's chunk loads: nothing shown, the keys held for it. */
function DialogLoading() {
  useHoldKeys()
  return null
}

/**
 * Where a lazy screen (or dialog) shows: its fallback holds the keys, and a chunk that cannot be
 * loaded (the server of `assay serve` stopped) says so in place of the screen instead of
 * unmounting the app.
 */
export function LazyBoundary({ children, dialog = false }: { children: ReactNode; dialog?: boolean }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={dialog ? <DialogLoading /> : <ScreenLoading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  )
}

class ChunkErrorBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null }

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) }
  }

  override render() {
    if (this.state.error === null) return this.props.children
    return (
      <div className="error-banner" role="alert">
        <span>This part of Assay failed to load or show ({this.state.error}). Reload the window to try again.</span>
      </div>
    )
  }
}

/** How long after the first screen the other screens' chunks are fetched. */
const PRELOAD_DELAY_MS = 1000

/**
 * Fetches the chunks in the background once the first screen has painted, so that switching
 * screens later never waits (and the keys held by useHoldKeys are a rare case, not the rule).
 */
export function preloadWhenIdle(components: readonly Preloadable[]): void {
  const run = () => {
    void components.reduce<Promise<unknown>>(
      (previous, component) => previous.then(() => component.preload()).catch(() => undefined),
      Promise.resolve(),
    )
  }
  // A second after the first screen (its first keypresses and requests come first), when the page
  // is idle (requestIdleCallback is missing in Safari).
  setTimeout(() => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 })
    else run()
  }, PRELOAD_DELAY_MS)
}
