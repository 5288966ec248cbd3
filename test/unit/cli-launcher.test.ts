import { spawnSync } from 'node:child_process'
import { copyFileSync, linkSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultBinDir, installLauncher, launcherFiles } from '../../electron/core/cli-launcher'
import { repoRoot, tempDir } from '../helpers/paths'

/**
 * The `assay` command of an installed app (Help → Install the `assay` Command…): launchers that
 * run the app's executable as Node on the CLI inside app.asar. Here Node stands in for Electron
 * run as Node (it ignores ELECTRON_RUN_AS_NODE) and the repository for app.asar.
 */
describe('the `assay` command launcher', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir('assay-launcher-')))
  afterEach(() => tmp.cleanup())

  it('on Windows, a .cmd that runs Assay.exe as Node on the CLI in app.asar', () => {
    const files = launcherFiles({
      platform: 'win32',
      execPath: 'C:\\Program Files\\Assay\\Assay.exe',
      appPath: 'C:\\Program Files\\Assay\\resources\\app.asar',
      binDir: 'C:\\Users\\me\\AppData\\Roaming\\Assay\\bin',
      userData: 'C:\\Users\\me\\AppData\\Roaming\\Assay',
    })
    expect(files).toHaveLength(1)
    expect(files[0].path).toMatch(/assay\.cmd$/)
    expect(files[0].content).toContain(
      'set ELECTRON_RUN_AS_NODE=1\r\n"C:\\Program Files\\Assay\\Assay.exe" "C:\\Program Files\\Assay\\resources\\app.asar',
    )
    expect(files[0].content.endsWith('assay.mjs" %*\r\n')).toBe(true)
  })

  it('says where it goes and whether that folder is on PATH', () => {
    expect(defaultBinDir('linux', '/home/me', '/home/me/.config/Assay')).toBe('/home/me/.local/bin')
    expect(defaultBinDir('win32', 'C:\\Users\\me', 'C:\\Users\\me\\AppData\\Roaming\\Assay')).toMatch(/Assay[\\/]bin$/)
    const target = {
      platform: 'linux' as const,
      execPath: process.execPath,
      appPath: repoRoot,
      binDir: tmp.file('bin'),
      userData: tmp.file('data'),
    }
    expect(installLauncher(target, `/usr/bin:${tmp.file('bin')}/`).message).toBe(
      `Installed the \`assay\` command: ${tmp.file('bin/assay')}. In a new terminal, try \`assay --help\` or \`assay export PROJECT.assay --out items.csv\`.`,
    )
    expect(installLauncher(target, '/usr/bin').message).toContain(
      `If your shell does not find \`assay\`, add ${tmp.file('bin')} to your PATH (e.g. in ~/.profile or ~/.zshrc: export PATH="${tmp.file('bin')}:$PATH"), or call ${tmp.file('bin/assay')} by its full path.`,
    )
    expect(statSync(tmp.file('bin/assay')).mode & 0o777).toBe(0o755)
  })

  it.skipIf(process.platform === 'win32')(
    'an AppImage (mounted elsewhere each run) gets a bootstrap that finds the CLI beside the executable of that run',
    () => {
      // The "mount": an executable with resources/app.asar beside it.
      const mount = tmp.file('mount')
      mkdirSync(join(mount, 'resources'), { recursive: true })
      const exe = join(mount, 'assay')
      try {
        linkSync(process.execPath, exe) // process.execPath is this path, not the original's
      } catch {
        copyFileSync(process.execPath, exe)
      }
      symlinkSync(repoRoot, join(mount, 'resources', 'app.asar'))
      const { command } = installLauncher(
        {
          platform: 'linux',
          execPath: '/tmp/.mount_AssayXYZ/assay',
          appPath: '/tmp/.mount_AssayXYZ/resources/app.asar',
          appImage: exe,
          binDir: tmp.file('bin'),
          userData: tmp.file('data'),
        },
        '',
      )
      expect(readFileSync(command, 'utf8')).not.toContain('.mount_Assay') // nothing of one run's mount point is kept
      const run = spawnSync(command, ['estimate', '--help'], { encoding: 'utf8' })
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(run.stdout).toContain('Usage: assay estimate')
    },
  )

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
