import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

/**
 * Where the main window was, remembered per display: each display the window was last closed on keeps
 * its own size, position and maximized state, so a laptop that is docked and undocked gets back the
 * window it had on each screen. Plain Node, no Electron: main.ts passes `screen`'s displays in.
 */

const Rect = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
})
/** A rectangle in screen coordinates (Electron's `Rectangle`). */
export type Rect = z.infer<typeof Rect>

const SavedWindow = z.object({
  /** The normal (not maximized) bounds, so un-maximizing gives back the size the user chose. */
  bounds: Rect,
  maximized: z.boolean(),
  savedAt: z.string(),
})
export type SavedWindow = z.infer<typeof SavedWindow>

const WindowStateFile = z.object({
  version: z.literal(1),
  /** Keyed by Electron's display id. */
  displays: z.record(z.string(), SavedWindow),
})
/** The JSON file in the user-data folder. */
export type WindowStateFile = z.infer<typeof WindowStateFile>

/** The part of Electron's `Display` the placement needs. */
export interface DisplayArea {
  id: number
  workArea: Rect
}

/** Where to open the window, and whether to maximize it once it exists. */
export interface Placement {
  bounds: Rect
  maximized: boolean
}

/** The size Assay opens at the first time, or when the remembered place is on no connected display. */
export const DEFAULT_SIZE = { width: 1280, height: 820 } as const
/** Less of a saved window than this (px, each way) on a display counts as off-screen: it is not restored there. */
const MIN_VISIBLE = 100
/** Displays remembered at most: enough for any desk, bounded for a file nobody reads. */
const MAX_DISPLAYS = 8
export const WINDOW_STATE_FILE = 'window-state.json'

export const emptyWindowState = (): WindowStateFile => ({ version: 1, displays: {} })

/** Parses the saved file; a missing, corrupt or foreign file is an empty state (a window is never worth an error). */
export function parseWindowState(text: string | null): WindowStateFile {
  if (text === null) return emptyWindowState()
  try {
    const parsed = WindowStateFile.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : emptyWindowState()
  } catch {
    return emptyWindowState()
  }
}

/** Reads `window-state.json` from the user-data folder. */
export function readWindowState(dir: string): WindowStateFile {
  try {
    return parseWindowState(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8'))
  } catch {
    return emptyWindowState()
  }
}

/** Writes `window-state.json` atomically (a crash mid-write leaves the previous file). */
export function writeWindowState(dir: string, state: WindowStateFile): void {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, WINDOW_STATE_FILE)
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2))
  renameSync(`${file}.tmp`, file)
}

/** The area two rectangles share (0 when they do not meet). */
function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { width: Math.max(0, width), height: Math.max(0, height) }
}

/** The display that shows most of `bounds` (Electron's `screen.getDisplayMatching`), or null when none shows any. */
export function displayShowing(bounds: Rect, displays: readonly DisplayArea[]): DisplayArea | null {
  let best: DisplayArea | null = null
  let bestArea = 0
  for (const display of displays) {
    const { width, height } = overlap(bounds, display.workArea)
    if (width * height > bestArea) {
      best = display
      bestArea = width * height
    }
  }
  return best
}

/** Fits a window inside a work area: no larger than it, and moved (not shrunk further) until all of it is inside. */
export function clampToWorkArea(bounds: Rect, workArea: Rect): Rect {
  const width = Math.min(bounds.width, workArea.width)
  const height = Math.min(bounds.height, workArea.height)
  const x = Math.min(Math.max(bounds.x, workArea.x), workArea.x + workArea.width - width)
  const y = Math.min(Math.max(bounds.y, workArea.y), workArea.y + workArea.height - height)
  return { x, y, width, height }
}

/** The default size, centred on a work area (and no larger than it). */
export function centred(workArea: Rect): Rect {
  const width = Math.min(DEFAULT_SIZE.width, workArea.width)
  const height = Math.min(DEFAULT_SIZE.height, workArea.height)
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
  }
}

/**
 * Where the window opens: the most recently saved window whose display is still connected and still shows
 * enough of it, clamped to that display's work area; otherwise the default size centred on the primary
 * display (a removed monitor, a changed resolution that leaves the window off-screen, a first start).
 */
export function placeWindow(state: WindowStateFile, displays: readonly DisplayArea[], primary: DisplayArea): Placement {
  const newestFirst = Object.entries(state.displays).sort(([, a], [, b]) => b.savedAt.localeCompare(a.savedAt))
  for (const [id, saved] of newestFirst) {
    const display = displays.find((d) => String(d.id) === id)
    if (!display) continue
    const { width, height } = overlap(saved.bounds, display.workArea)
    if (width < MIN_VISIBLE || height < MIN_VISIBLE) continue
    return { bounds: clampToWorkArea(saved.bounds, display.workArea), maximized: saved.maximized }
  }
  return { bounds: centred(primary.workArea), maximized: false }
}

/**
 * The state after a window closed on a display: that display's entry is replaced, the others kept (the
 * oldest dropped past MAX_DISPLAYS). A window on no display (all off-screen) changes nothing.
 */
export function rememberWindow(
  state: WindowStateFile,
  closed: Placement,
  displays: readonly DisplayArea[],
  at: Date,
): WindowStateFile {
  const display = displayShowing(closed.bounds, displays)
  if (!display) return state
  const entry: SavedWindow = {
    bounds: roundRect(closed.bounds),
    maximized: closed.maximized,
    savedAt: at.toISOString(),
  }
  const others = Object.entries(state.displays)
    .filter(([id]) => id !== String(display.id))
    .sort(([, a], [, b]) => b.savedAt.localeCompare(a.savedAt))
    .slice(0, MAX_DISPLAYS - 1)
  return { version: 1, displays: Object.fromEntries([[String(display.id), entry], ...others]) }
}

// Fractional scale factors can give fractional bounds; the file keeps whole pixels.
const roundRect = (r: Rect): Rect => ({
  x: Math.round(r.x),
  y: Math.round(r.y),
  width: Math.max(1, Math.round(r.width)),
  height: Math.max(1, Math.round(r.height)),
})
