import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  clampToWorkArea,
  emptyWindowState,
  parseWindowState,
  placeWindow,
  readWindowState,
  rememberWindow,
  WINDOW_STATE_FILE,
  writeWindowState,
  type DisplayArea,
} from '../../electron/window-state'
import { tempDir } from '../helpers/paths'

/**
 * Where the main window opens, from the displays a user has: a laptop (1920×1080, its menu bar taking 40 px)
 * with a 2560×1440 monitor to its right. No Electron: the displays are plain objects.
 */
const laptop: DisplayArea = { id: 1, workArea: { x: 0, y: 40, width: 1920, height: 1040 } }
const monitor: DisplayArea = { id: 2, workArea: { x: 1920, y: 0, width: 2560, height: 1400 } }
const t = (minute: number) => new Date(Date.UTC(2026, 11, 7, 1, minute))

describe('window state', () => {
  it('opens at the default size centred on the primary display the first time', () => {
    expect(placeWindow(emptyWindowState(), [laptop, monitor], laptop)).toEqual({
      bounds: { x: 320, y: 150, width: 1280, height: 820 },
      maximized: false,
    })
  })

  it('remembers each display: the window comes back where it was closed last, and on the laptop alone as it was there', () => {
    let state = emptyWindowState()
    state = rememberWindow(
      state,
      { bounds: { x: 100, y: 90, width: 1000, height: 700 }, maximized: false },
      [laptop],
      t(1),
    )
    state = rememberWindow(
      state,
      { bounds: { x: 2000, y: 50, width: 1600, height: 1000 }, maximized: false },
      [laptop, monitor],
      t(2),
    )
    expect(Object.keys(state.displays).sort()).toEqual(['1', '2'])
    // Docked: the monitor's window was the newer one.
    expect(placeWindow(state, [laptop, monitor], laptop)).toEqual({
      bounds: { x: 2000, y: 50, width: 1600, height: 1000 },
      maximized: false,
    })
    // The monitor unplugged: the laptop's own window, not the default.
    expect(placeWindow(state, [laptop], laptop)).toEqual({
      bounds: { x: 100, y: 90, width: 1000, height: 700 },
      maximized: false,
    })
  })

  it('does not restore onto a removed display: the default size, centred on the primary display', () => {
    const state = rememberWindow(
      emptyWindowState(),
      { bounds: { x: 2500, y: 100, width: 1400, height: 900 }, maximized: true },
      [laptop, monitor],
      t(3),
    )
    expect(state.displays['2']).toMatchObject({ maximized: true })
    expect(placeWindow(state, [laptop], laptop)).toEqual({
      bounds: { x: 320, y: 150, width: 1280, height: 820 },
      maximized: false,
    })
  })

  it('restores the maximized state with the normal bounds underneath', () => {
    const state = rememberWindow(
      emptyWindowState(),
      { bounds: { x: 200, y: 100, width: 1100, height: 800 }, maximized: true },
      [laptop, monitor],
      t(4),
    )
    expect(placeWindow(state, [laptop, monitor], laptop)).toEqual({
      bounds: { x: 200, y: 100, width: 1100, height: 800 },
      maximized: true,
    })
  })

  it('clamps to the work area when the display shrank (a lower resolution), and skips a window hardly on it', () => {
    const small: DisplayArea = { id: 2, workArea: { x: 1920, y: 0, width: 1280, height: 720 } }
    const state = rememberWindow(
      emptyWindowState(),
      { bounds: { x: 2200, y: 300, width: 1600, height: 1000 }, maximized: false },
      [laptop, monitor],
      t(5),
    )
    expect(placeWindow(state, [laptop, small], laptop).bounds).toEqual({ x: 1920, y: 0, width: 1280, height: 720 })
    // Only 50 px of the window left on the display: it would be lost off the edge, so it is not restored there.
    const edge: DisplayArea = { id: 2, workArea: { x: 1920, y: 0, width: 330, height: 1400 } }
    expect(placeWindow(state, [laptop, edge], laptop).bounds).toEqual({ x: 320, y: 150, width: 1280, height: 820 })
    expect(clampToWorkArea({ x: -500, y: -20, width: 900, height: 600 }, laptop.workArea)).toEqual({
      x: 0,
      y: 40,
      width: 900,
      height: 600,
    })
  })

  it('keeps whole pixels and changes nothing for a window closed on no display', () => {
    const state = rememberWindow(
      emptyWindowState(),
      { bounds: { x: 10.4, y: 50.6, width: 999.5, height: 700.2 }, maximized: false },
      [laptop],
      t(6),
    )
    expect(state.displays['1'].bounds).toEqual({ x: 10, y: 51, width: 1000, height: 700 })
    const off = { bounds: { x: 9000, y: 9000, width: 800, height: 600 }, maximized: false }
    expect(rememberWindow(state, off, [laptop], t(7))).toBe(state)
  })

  it('reads a corrupt, foreign or missing file as no saved window, and reads back what it wrote', () => {
    const tmp = tempDir()
    expect(readWindowState(tmp.dir)).toEqual(emptyWindowState())
    for (const text of ['{"version":1,"displays":', 'null', '[1,2]', '{"version":2,"displays":{}}']) {
      writeFileSync(join(tmp.dir, WINDOW_STATE_FILE), text)
      expect(readWindowState(tmp.dir)).toEqual(emptyWindowState())
    }
    expect(
      parseWindowState(
        '{"version":1,"displays":{"1":{"bounds":{"x":0,"y":0,"width":-5,"height":9},"maximized":false,"savedAt":"t"}}}',
      ),
    ).toEqual(emptyWindowState())
    const state = rememberWindow(
      emptyWindowState(),
      { bounds: { x: 100, y: 90, width: 1000, height: 700 }, maximized: true },
      [laptop],
      t(8),
    )
    writeWindowState(tmp.dir, state)
    expect(readWindowState(tmp.dir)).toEqual(state)
    expect(placeWindow(readWindowState(tmp.dir), [laptop], laptop).maximized).toBe(true)
    tmp.cleanup()
  })
})
