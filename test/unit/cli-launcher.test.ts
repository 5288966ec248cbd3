import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  cliArguments,
  defaultBinDir,
  installLauncher,
  launcherFiles,
  runCliIfAsked,
} from '../../electron/core/cli-launcher'
import { repoRoot, tempDir } from '../helpers/paths'

/**
 * The `assay` command of an installed app (Help → Install the `assay` Command…): launchers that
 * start the app's executable with --assay-cli, and the main process's first step that turns such
 * a run into the CLI. Here a small script stands in for the app's executable.
 */
describe('the `assay` command launcher', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-launcher-')))
  afterEach(() => tmp.cleanup())

  it('on Windows, a .cmd that runs Assay.exe with --assay-cli and passes the exit code on', () => {
    const files = launcherFiles({
      platform: 'win32',
      execPath: 'C:\\Program Files\\Assay\\Assay.exe',
      binDir: 'C:\\Users\\me\\AppData\\Roaming\\Assay\\bin',
    })
    expect(files).toHaveLength(1)
    expect(files[0].path).toMatch(/assay\.cmd$/)
    expect(files[0].content).toContain(
      '\r\n"C:\\Program Files\\Assay\\Assay.exe" --assay-cli %*\r\nexit /b %ERRORLEVEL%\r\n',
    )
    expect(files[0].content).not.toContain('ELECTRON_RUN_AS_NODE') // that fuse is off (scripts/fuses.mjs)
  })

  it('on macOS, a shell script that execs the bundle executable; on Linux, without a display too', () => {
    const [mac] = launcherFiles({
      platform: 'darwin',
      execPath: '/Applications/Assay.app/Contents/MacOS/Assay',
      binDir: '/b',
    })
    expect(mac.content.split('\n').at(-2)).toBe(`exec '/Applications/Assay.app/Contents/MacOS/Assay' --assay-cli "$@"`)
    const [linux] = launcherFiles({ platform: 'linux', execPath: "/opt/It's Assay/assay-app", binDir: '/b' })
    expect(linux.content.split('\n').at(-2)).toBe(
      `exec '/opt/It'\\''s Assay/assay-app' --ozone-platform=headless --assay-cli "$@"`,
    )
    expect([mac.path, linux.path, mac.executable]).toEqual(['/b/assay', '/b/assay', true])
  })

  it('an AppImage (mounted elsewhere each run) is launched through the .AppImage file itself', () => {
    const [file] = launcherFiles({
      platform: 'linux',
      execPath: '/tmp/.mount_AssayXYZ/assay-app',
      appImage: '/home/me/Apps/Assay-0.1.0.AppImage',
      binDir: '/b',
    })
    expect(file.content).not.toContain('.mount_Assay')
    expect(file.content).toContain(
      `exec '/home/me/Apps/Assay-0.1.0.AppImage' --ozone-platform=headless --assay-cli "$@"`,
    )
  })

  it('tells a CLI run from a desktop start by the flag, wherever Chromium switches put it', () => {
    expect(cliArguments(['/opt/Assay/assay-app'])).toBeNull()
    expect(cliArguments(['/opt/Assay/assay-app', '/home/me/p.assay'])).toBeNull()
    expect(cliArguments(['--assay-cli'])).toBeNull() // argv[0] is the executable, never the flag
    expect(cliArguments(['Assay', '--assay-cli', 'export', 'p.assay', '--out', 'x.csv'])).toEqual([
      'export',
      'p.assay',
      '--out',
      'x.csv',
    ])
    expect(cliArguments(['electron', '/repo', '--no-sandbox', '--assay-cli'])).toEqual([])
    expect(cliArguments(['Assay', '--assay-cli', 'serve', '--assay-cli'])).toEqual(['serve', '--assay-cli'])
  })

  it.skipIf(process.platform === 'win32')(
    'the launcher hands every argument over unchanged, quotes and spaces too',
    () => {
      const app = tmp.file("It's the app")
      writeFileSync(app, `#!${process.execPath}\nconsole.log(JSON.stringify(process.argv.slice(2)))\n`, { mode: 0o755 })
      const { command } = installLauncher({ platform: 'linux', execPath: app, binDir: tmp.file('bin') }, '')
      const run = spawnSync(command, ['export', "my project's.assay", '--out', 'a b.csv', ''], { encoding: 'utf8' })
      expect(run.stderr).toBe('')
      const argv = JSON.parse(run.stdout) as string[]
      expect(cliArguments([app, ...argv])).toEqual(['export', "my project's.assay", '--out', 'a b.csv', ''])
    },
  )

  it('says where it goes and whether that folder is on PATH', () => {
    expect(defaultBinDir('linux', '/home/me', '/home/me/.config/Assay')).toBe('/home/me/.local/bin')
    expect(defaultBinDir('win32', 'C:\\Users\\me', 'C:\\Users\\me\\AppData\\Roaming\\Assay')).toMatch(/Assay[\\/]bin$/)
    const target = { platform: 'linux' as const, execPath: process.execPath, binDir: tmp.file('bin') }
    expect(installLauncher(target, `/usr/bin:${tmp.file('bin')}/`).message).toBe(
      `Installed the \`assay\` command: ${tmp.file('bin/assay')}. In a new terminal, try \`assay --help\` or \`assay export PROJECT.assay --out items.csv\`.`,
    )
    expect(installLauncher(target, '/usr/bin').message).toContain(
      `If your shell does not find \`assay\`, add ${tmp.file('bin')} to your PATH (e.g. in ~/.profile or ~/.zshrc: export PATH="${tmp.file('bin')}:$PATH"), or call ${tmp.file('bin/assay')} by its full path.`,
    )
    expect(statSync(tmp.file('bin/assay')).mode & 0o777).toBe(0o755)
  })

  describe('the main process, first thing', () => {
    const host = () => ({ dock: { hide: vi.fn() }, exit: vi.fn() })
    const bundle = (code: string, name = 'assay.mjs') => {
      writeFileSync(tmp.file(name), code)
      return pathToFileURL(tmp.file(name))
    }

    it('returns at once for a desktop start, loading nothing', async () => {
      const h = host()
      await runCliIfAsked(h, ['Assay', 'p.assay'], pathToFileURL(tmp.file('missing.mjs')))
      expect([h.exit.mock.calls, h.dock.hide.mock.calls]).toEqual([[], []])
    })

    it("runs the CLI bundle's main on the arguments, then exits with its code (and never resumes the app)", async () => {
      const h = host()
      const url = bundle(`export async function main(args) { globalThis.assayCliArgs = args; return 3 }\n`)
      let resumed = false
      void runCliIfAsked(h, ['Assay', '--assay-cli', 'estimate', '--help'], url).then(() => (resumed = true))
      await vi.waitFor(() => expect(h.exit).toHaveBeenCalledWith(3))
      expect((globalThis as { assayCliArgs?: string[] }).assayCliArgs).toEqual(['estimate', '--help'])
      expect(h.dock.hide).toHaveBeenCalledOnce()
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(resumed).toBe(false)
    })

    it('exits with 1 when the bundle throws or has no main', async () => {
      // Swallows the error messages, calling back as a flushed stream does.
      const written: string[] = []
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk))
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined
        done?.()
        return true
      })
      try {
        const bundles = ['export async function main() { throw new Error("boom") }\n', 'export const x = 1\n']
        for (const [i, code] of bundles.entries()) {
          const h = host()
          void runCliIfAsked(h, ['Assay', '--assay-cli'], bundle(code, `bad${String(i)}.mjs`))
          await vi.waitFor(() => expect(h.exit).toHaveBeenCalledWith(1))
        }
        expect(written.join('')).toMatch(/boom[\s\S]*bad1\.mjs has no main\(\)/)
      } finally {
        stderr.mockRestore()
      }
    })
  })

  it('bin/assay.mjs imports the CLI by URL, so a folder with "#" (or a Windows drive path) still runs it', () => {
    const app = tmp.file('Assay #2')
    mkdirSync(join(app, 'bin'), { recursive: true })
    mkdirSync(join(app, 'out', 'cli'), { recursive: true })
    copyFileSync(join(repoRoot, 'bin', 'assay.mjs'), join(app, 'bin', 'assay.mjs'))
    writeFileSync(
      join(app, 'out', 'cli', 'assay.mjs'),
      'export async function main(args) { console.log(`ran ${args.join(" ")}`); return 0 }\n',
    )
    const run = spawnSync(process.execPath, [join(app, 'bin', 'assay.mjs'), 'estimate', '--help'], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect([run.status, run.stdout]).toEqual([0, 'ran estimate --help\n'])
  })
})
