import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * The `assay` command of an installed app (Help → Install the `assay` Command…): a small launcher
 * that starts the app's own executable with {@link CLI_FLAG} before the user's arguments. The app
 * sees the flag first thing (electron/main.ts) and runs the CLI it ships (out/cli/assay.mjs inside
 * app.asar) instead of opening a window. It needs no Node on the machine, and better-sqlite3 —
 * rebuilt for Electron when the installer was made — loads in that same runtime. (VS Code's `code`
 * uses ELECTRON_RUN_AS_NODE instead; Assay turns that fuse off, see scripts/fuses.mjs.)
 */
export interface LauncherTarget {
  platform: NodeJS.Platform
  /** The app's executable (`process.execPath` in the main process). */
  execPath: string
  /** Set when the app runs as an AppImage: the .AppImage file (its mount point changes every run). */
  appImage?: string
  /** Where the launcher goes (a folder on PATH, or one the user adds). */
  binDir: string
}

export interface LauncherFile {
  path: string
  content: string
  executable: boolean
}

/** The first argument that makes the app binary the `assay` command rather than the desktop app. */
export const CLI_FLAG = '--assay-cli'

/**
 * On Linux, Chromium's headless Ozone platform: the CLI opens no window, so it must start on a
 * server or over SSH, where there is no X11 or Wayland display to connect to.
 */
const LINUX_SWITCHES = ['--ozone-platform=headless']

/**
 * The user's arguments when this run is the `assay` command (everything after {@link CLI_FLAG}),
 * or null for a normal desktop start. Electron's argv starts with the executable (and, in a
 * development run, the app folder); Chromium switches a wrapper adds may come before the flag.
 */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_FLAG, 1)
  return at === -1 ? null : argv.slice(at + 1)
}

/** What the CLI run needs of Electron's `app` (the core never imports electron). */
export interface CliHost {
  dock?: { hide: () => void }
  exit: (code: number) => void
}

type CliMain = (argv: string[]) => Promise<number>

function cliMainOf(loaded: unknown): CliMain | null {
  if (typeof loaded !== 'object' || loaded === null || !('main' in loaded)) return null
  return typeof loaded.main === 'function' ? (loaded.main as CliMain) : null
}

const flushed = (stream: NodeJS.WritableStream) => new Promise<void>((resolve) => stream.write('', () => resolve()))

/**
 * The first thing the main process does: when the launcher started this run (argv holds
 * {@link CLI_FLAG}), runs the CLI bundle (`bundle`: out/cli/assay.mjs) on the process's stdio and
 * exits with its code once stdout and stderr are written out (the promise then never settles, so
 * nothing after it starts); otherwise returns at once. An Electron main process never ends by
 * itself, so the exit is explicit.
 */
export async function runCliIfAsked(host: CliHost, argv: readonly string[], bundle: URL): Promise<void> {
  const args = cliArguments(argv)
  if (!args) return
  host.dock?.hide()
  let code = 1
  try {
    const main = cliMainOf(await import(bundle.href))
    if (main) code = await main(args)
    else process.stderr.write(`assay: ${bundle.href} has no main(); reinstall Assay.\n`)
  } catch (error) {
    process.stderr.write(`assay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  host.exit(code)
  // app.exit() ends the process from the event loop; the app's own startup must not run meanwhile.
  return new Promise<void>(() => undefined)
}

const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/**
 * The file that makes the `assay` command. An AppImage is mounted at a new path each time it
 * runs, so its launcher runs the .AppImage file itself, which passes the arguments on.
 */
export function launcherFiles(t: LauncherTarget): LauncherFile[] {
  const header = 'The `assay` command of the Assay app (written by Help → Install the `assay` Command…).'
  if (t.platform === 'win32') {
    return [
      {
        path: join(t.binDir, 'assay.cmd'),
        executable: false,
        // A batch file waits for the program it starts and passes its exit code on.
        content: `@echo off\r\nrem ${header}\r\n"${t.execPath}" ${CLI_FLAG} %*\r\nexit /b %ERRORLEVEL%\r\n`,
      },
    ]
  }
  const program = t.appImage ?? t.execPath
  const switches = t.platform === 'linux' ? [...LINUX_SWITCHES, CLI_FLAG] : [CLI_FLAG]
  return [
    {
      path: join(t.binDir, 'assay'),
      executable: true,
      content: `#!/bin/sh\n# ${header}\nexec ${sh(program)} ${switches.join(' ')} "$@"\n`,
    },
  ]
}

/**
 * Where the launcher goes: ~/.local/bin (on PATH in most Linux and many macOS setups); the app's data folder on
 * Windows.
 */
export function defaultBinDir(platform: NodeJS.Platform, home: string, userData: string): string {
  return platform === 'win32' ? join(userData, 'bin') : join(home, '.local', 'bin')
}

/**
 * Writes the launcher and says how to call it: the path written, and whether that folder is on
 * PATH (if not, the line that adds it).
 */
export function installLauncher(t: LauncherTarget, pathEnv: string | undefined): { command: string; message: string } {
  const files = launcherFiles(t)
  for (const f of files) {
    mkdirSync(join(f.path, '..'), { recursive: true })
    writeFileSync(f.path, f.content)
    if (f.executable) chmodSync(f.path, 0o755)
  }
  const command = files[files.length - 1].path
  const onPath = (pathEnv ?? '')
    .split(t.platform === 'win32' ? ';' : delimiter)
    .some((dir) => dir.replace(/[\\/]+$/, '') === t.binDir)
  const addToPath =
    t.platform === 'win32'
      ? `${t.binDir} is not on your PATH: add it (Settings → "Edit environment variables for your account" → Path), or call ${command} by its full path.`
      : `If your shell does not find \`assay\`, add ${t.binDir} to your PATH (e.g. in ~/.profile or ~/.zshrc: export PATH="${t.binDir}:$PATH"), or call ${command} by its full path.`
  return {
    command,
    message: `Installed the \`assay\` command: ${command}. In a new terminal, try \`assay --help\` or \`assay export PROJECT.assay --out items.csv\`.${onPath ? '' : ` ${addToPath}`}`,
  }
}
