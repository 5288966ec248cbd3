import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * The `assay` command of an installed app (Help → Install the `assay` Command…), made the way VS
 * Code makes `code`: a small launcher that starts the app's own executable with
 * ELECTRON_RUN_AS_NODE=1, so Electron runs as plain Node on the CLI the app ships (bin/assay.mjs
 * → out/cli/assay.mjs inside app.asar). It needs no Node on the machine, and better-sqlite3 —
 * rebuilt for Electron when the installer was made — loads in that same runtime. (This relies on
 * Electron's RunAsNode fuse staying on, which electron-builder leaves as it is.)
 */
export interface LauncherTarget {
  platform: NodeJS.Platform
  /** The app's executable (`process.execPath` in the main process). */
  execPath: string
  /** `app.getAppPath()`: …/resources/app.asar in an installed app. */
  appPath: string
  /** Set when the app runs as an AppImage: the .AppImage file (its mount point changes every run). */
  appImage?: string
  /** Where the launcher goes (a folder on PATH, or one the user adds). */
  binDir: string
  /** Per-user app data, for the AppImage's bootstrap script. */
  userData: string
}

export interface LauncherFile {
  path: string
  content: string
  executable: boolean
}

const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/**
 * The files that make the `assay` command. An AppImage is mounted at a new path each time it
 * runs, so its launcher runs the .AppImage itself, with a bootstrap script (kept in the user's app
 * data) that finds the CLI beside the executable of that run.
 */
export function launcherFiles(t: LauncherTarget): LauncherFile[] {
  const header = 'The `assay` command of the Assay app (written by Help → Install the `assay` Command…).'
  if (t.platform === 'win32') {
    const cli = join(t.appPath, 'bin', 'assay.mjs')
    return [
      {
        path: join(t.binDir, 'assay.cmd'),
        executable: false,
        content: `@echo off\r\nrem ${header}\r\nsetlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${t.execPath}" "${cli}" %*\r\n`,
      },
    ]
  }
  if (t.appImage) {
    const boot = join(t.userData, 'cli', 'assay-appimage.mjs')
    return [
      {
        path: boot,
        executable: false,
        content: `// ${header}\n// Started by the AppImage with ELECTRON_RUN_AS_NODE=1: the CLI is in the resources beside this run's executable.\nimport { dirname, join } from 'node:path'\nimport { pathToFileURL } from 'node:url'\n\nawait import(pathToFileURL(join(dirname(process.execPath), 'resources', 'app.asar', 'bin', 'assay.mjs')).href)\n`,
      },
      {
        path: join(t.binDir, 'assay'),
        executable: true,
        content: `#!/bin/sh\n# ${header}\nELECTRON_RUN_AS_NODE=1 exec ${sh(t.appImage)} ${sh(boot)} "$@"\n`,
      },
    ]
  }
  const cli = join(t.appPath, 'bin', 'assay.mjs')
  return [
    {
      path: join(t.binDir, 'assay'),
      executable: true,
      content: `#!/bin/sh\n# ${header}\nELECTRON_RUN_AS_NODE=1 exec ${sh(t.execPath)} ${sh(cli)} "$@"\n`,
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
