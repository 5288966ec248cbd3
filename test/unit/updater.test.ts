import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { repoRoot } from '../helpers/paths'

/**
 * The update flow with `electron` and `electron-updater` mocked (no Electron binary here): a check at start
 * only in an installed app with the setting on; Help → Check for Updates… always answers; a download never
 * restarts the app while a labeling session is open, and is offered when the session ends.
 */
type Listener = (arg: { version: string } & Error) => void

const mock = vi.hoisted(() => ({
  packaged: true,
  /** The answer the next message box gets (0: its first button). */
  response: 0,
  boxes: [] as { message: string; detail: string; buttons: string[] }[],
  listeners: new Map<string, Listener>(),
  checks: 0,
  installs: 0,
  /** What `checkForUpdates` does: emit an event, as electron-updater does. */
  onCheck: (): void => undefined,
  updater: null as null | Record<string, unknown>,
}))

vi.mock('electron', () => ({
  app: {
    get isPackaged() {
      return mock.packaged
    },
    getVersion: () => '1.2.0',
  },
  dialog: {
    showMessageBox: (...args: unknown[]) => {
      mock.boxes.push(args.at(-1) as (typeof mock.boxes)[number])
      return Promise.resolve({ response: mock.response })
    },
  },
  Menu: { buildFromTemplate: (t: unknown) => t },
  clipboard: { writeText: () => undefined },
}))

vi.mock('electron-updater', () => {
  const autoUpdater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    on: (event: string, listener: Listener) => mock.listeners.set(event, listener),
    checkForUpdates: () => {
      mock.checks++
      mock.onCheck()
      return Promise.resolve(null)
    },
    quitAndInstall: () => {
      mock.installs++
    },
  }
  mock.updater = autoUpdater
  // CommonJS seen from ESM: the module object is the default export.
  return { default: { autoUpdater } }
})

const { createUpdater } = await import('../../electron/app-updater')

const emit = (event: string, arg: object) => mock.listeners.get(event)!(arg as { version: string } & Error)
const messages = () => mock.boxes.map((b) => b.message)
/** Lets the dialogs' promises settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function updater(checkAtStart = true) {
  return createUpdater({ window: () => null, checkAtStart: () => checkAtStart })
}

describe('updates (electron and electron-updater mocked)', () => {
  beforeEach(() => {
    mock.packaged = true
    mock.response = 0
    mock.boxes.length = 0
    mock.checks = 0
    mock.installs = 0
    mock.onCheck = () => undefined
  })

  it('checks at start in an installed app with the setting on, downloading in the background and installing on quit', async () => {
    await updater(true).start()
    expect(mock.checks).toBe(1)
    expect(mock.updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true })
    expect(mock.boxes).toEqual([]) // a check at start finding nothing says nothing
  })

  it('does not check at start with the setting off, nor in a development run', async () => {
    await updater(false).start()
    mock.packaged = false
    await updater(true).start()
    expect(mock.checks).toBe(0)
  })

  it('Help → Check for Updates… says "up to date", or the error with where to download by hand', async () => {
    const help = updater(false)
    mock.onCheck = () => emit('update-not-available', { version: '1.2.0' })
    await help.checkNow()
    mock.onCheck = () => emit('error', new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack'))
    await help.checkNow()
    await settle()
    expect(mock.checks).toBe(2)
    expect(messages()).toEqual(['Assay is up to date', 'Could not check for updates'])
    expect(mock.boxes[0].detail).toBe('Version 1.2.0 is the newest.')
    expect(mock.boxes[1].detail).toMatch(/^net::ERR_INTERNET_DISCONNECTED\n\nCheck your internet connection/)
    expect(mock.boxes[1].detail).toContain('/releases')
  })

  it('Help → Check for Updates… in a development run explains instead of checking', async () => {
    mock.packaged = false
    await updater().checkNow()
    expect(mock.checks).toBe(0)
    expect(messages()).toEqual(['Updates come with the installed app'])
  })

  it('never offers a restart while a labeling session is open; offers it when the session ends; Restart Now installs', async () => {
    const u = updater()
    await u.start()
    u.setLabeling(true)
    emit('update-downloaded', { version: '1.3.0' })
    await settle()
    expect(mock.boxes).toEqual([])
    expect(mock.installs).toBe(0)
    // Help during the session only says when it installs.
    await u.checkNow()
    expect(messages()).toEqual(['Assay 1.3.0 is downloaded'])
    expect(mock.boxes[0].detail).toContain('installed when you quit Assay')
    expect(mock.installs).toBe(0)

    u.setLabeling(false)
    await settle()
    expect(messages().at(-1)).toBe('Assay 1.3.0 is ready to install')
    expect(mock.boxes.at(-1)!.buttons).toEqual(['Restart Now', 'Later'])
    expect(mock.boxes.at(-1)!.detail).toContain('Your labels are already saved')
    expect(mock.installs).toBe(1)
  })

  it('outside a session, offers at once; Later installs on quit and does not ask again at the next session end', async () => {
    const u = updater()
    await u.start()
    mock.response = 1 // Later
    emit('update-downloaded', { version: '1.3.0' })
    await settle()
    expect(messages()).toEqual(['Assay 1.3.0 is ready to install'])
    expect(mock.installs).toBe(0)
    u.setLabeling(true)
    u.setLabeling(false)
    await settle()
    expect(mock.boxes).toHaveLength(1)
    // Help offers it again, and this time the user accepts.
    mock.response = 0
    await u.checkNow()
    await settle()
    expect(messages()).toEqual(['Assay 1.3.0 is ready to install', 'Assay 1.3.0 is ready to install'])
    expect(mock.installs).toBe(1)
  })

  it('does not restart when a session opened while the offer was on screen', async () => {
    const u = updater()
    await u.start()
    let answer: (value: { response: number }) => void = () => undefined
    const { dialog } = await import('electron')
    const spy = vi
      .spyOn(dialog, 'showMessageBox')
      .mockImplementationOnce(() => new Promise((resolve) => (answer = resolve as typeof answer)))
    emit('update-downloaded', { version: '1.3.0' })
    await settle()
    u.setLabeling(true)
    answer({ response: 0 })
    await settle()
    expect(mock.installs).toBe(0)
    spy.mockRestore()
    u.setLabeling(false)
    await settle()
    expect(mock.installs).toBe(1)
  })
})

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [relative(repoRoot, path)] : []
  })
}

describe('update code stays out of `assay serve` and the CLI', () => {
  const UPDATER = /['"]electron-updater['"]|['"]\.{1,2}\/(?:\.\.\/)*app-updater['"]/

  it('only electron/app-updater.ts names electron-updater, and only electron/main.ts imports the updater', () => {
    const files = ['electron', 'shared', 'renderer', 'bin'].flatMap((dir) => sources(join(repoRoot, dir)))
    const naming = files.filter((file) => UPDATER.test(readFileSync(join(repoRoot, file), 'utf8')))
    expect(naming.sort()).toEqual(['electron/app-updater.ts', 'electron/main.ts'])
    expect(readFileSync(join(repoRoot, 'electron/main.ts'), 'utf8')).not.toMatch(/['"]electron-updater['"]/)
  })

  it('the CLI (and `assay serve`, which it starts) reaches neither electron-updater nor electron through its imports', () => {
    const { files, packages } = importGraph(join(repoRoot, 'electron/cli/index.ts'))
    expect(files.has(join(repoRoot, 'electron/server/index.ts'))).toBe(true) // the walk does reach serve
    expect(files.has(join(repoRoot, 'electron/app-updater.ts'))).toBe(false)
    expect([...packages].filter((p) => /^electron(-updater)?(\/|$)/.test(p))).toEqual([])
  })
})

/** Every source file reachable from an entry through static and dynamic imports, and the packages they name. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const source = readFileSync(file, 'utf8')
    for (const [, spec] of source.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      if (!spec.startsWith('.')) {
        packages.add(spec)
        continue
      }
      const base = join(dirname(file), spec)
      const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => {
        try {
          return statSync(f).isFile()
        } catch {
          return false
        }
      })
      if (found && /\.tsx?$/.test(found)) visit(found)
    }
  }
  visit(entry)
  return { files, packages }
}
