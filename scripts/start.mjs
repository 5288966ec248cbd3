// `npm start`: everything a user's machine needs to run the desktop app from a checkout.
// 1. Fetch the Electron binary if it is missing (it comes from GitHub, so this needs internet).
// 2. Put better-sqlite3 for Electron's ABI into .electron-native/, from a copy of its package, so
//    node_modules keeps the Node build that `npm test` and the `assay` CLI use: the prebuilt
//    binary for this Electron, platform and arch when one is published (prebuild-install, from
//    GitHub), else compiled from source (that needs a C++ toolchain).
// 3. Render the icons, build the app (electron-vite) and open it; extra arguments (a .assay file)
//    are passed on.
// `node scripts/start.mjs --dist` packages installers with electron-builder instead of step 3.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const args = process.argv.slice(2)
const dist = args.includes('--dist')
// npm passes the user's `nodedir` (set to Node's headers on some machines) to scripts; a native
// build for Electron must never see it, or it silently compiles against Node's headers.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
)

const run = (cmd, argv, options = {}) => execFileSync(cmd, argv, { stdio: 'inherit', env, cwd: root, ...options })
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version

function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

/** A failed step, told to the user in one sentence with what to do. */
class StepError extends Error {}

function step(what, advice, fn) {
  try {
    return fn()
  } catch (error) {
    throw new StepError(`${what} failed: ${error.message.split('\n')[0]}\n${advice}`)
  }
}

function ensureElectron() {
  if (electronBinary()) return
  console.log(`Downloading Electron ${electronVersion} (once)…`)
  step(
    `Downloading Electron ${electronVersion}`,
    'It comes from github.com: check your internet connection or proxy (ELECTRON_MIRROR is honoured), then run `npm start` again.',
    () => run(process.execPath, [join(root, 'node_modules/electron/install.js')]),
  )
  if (!electronBinary())
    throw new StepError(
      'The Electron download did not produce a binary. Delete node_modules/electron, run `npm ci`, then `npm start` again.',
    )
}

function ensureElectronSqlite() {
  const outDir = join(root, '.electron-native')
  const target = join(outDir, 'better_sqlite3.node')
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'))
  const sqliteVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
  const stamp = JSON.stringify({
    electron: electronVersion,
    betterSqlite3: sqliteVersion,
    arch: process.arch,
    platform: process.platform,
  })
  const stampFile = join(outDir, 'stamp.json')
  if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return

  const src = join(outDir, 'src')
  rmSync(src, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  cpSync(pkgDir, src, { recursive: true, filter: (p) => !p.startsWith(join(pkgDir, 'build')) })
  if (!downloadPrebuilt(src, sqliteVersion)) compileForElectron(src, sqliteVersion)
  cpSync(join(src, 'build/Release/better_sqlite3.node'), target)
  writeFileSync(stampFile, stamp)
  rmSync(src, { recursive: true, force: true })
}

/** The published better-sqlite3 binary for this Electron's ABI, platform and arch, if there is one. */
function downloadPrebuilt(src, sqliteVersion) {
  console.log(`Fetching better-sqlite3 ${sqliteVersion} prebuilt for Electron ${electronVersion} (once)…`)
  try {
    run(
      process.execPath,
      [
        join(root, 'node_modules/prebuild-install/bin.js'),
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        `--platform=${process.platform}`,
        '--verbose',
      ],
      { cwd: src },
    )
  } catch {
    // No binary published for this combination, or no access to GitHub: compile instead.
  }
  return existsSync(join(src, 'build/Release/better_sqlite3.node'))
}

function compileForElectron(src, sqliteVersion) {
  console.log(
    `No prebuilt binary: compiling better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (about a minute)…`,
  )
  const gyp = [
    join(root, 'node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.env.npm_execpath ?? ''), '../node_modules/node-gyp/bin/node-gyp.js'),
  ].find(existsSync)
  if (!gyp) throw new StepError('node-gyp was not found: run `npm ci` first, then `npm start` again.')
  step(
    `Building better-sqlite3 for Electron ${electronVersion}`,
    "It needs a C++ toolchain (build-essential / Xcode command line tools / Visual Studio Build Tools) and Electron's headers from electronjs.org. Your Node build of better-sqlite3 was not touched.",
    () =>
      run(
        process.execPath,
        [
          gyp,
          'rebuild',
          '--release',
          `--target=${electronVersion}`,
          `--arch=${process.arch}`,
          '--runtime=electron',
          '--dist-url=https://electronjs.org/headers',
        ],
        { cwd: src },
      ),
  )
}

try {
  ensureElectron()
  step('Building the app', 'Run `npm run build` to see the whole error.', () => {
    run(process.execPath, [join(root, 'scripts/icons.mjs')])
    run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'])
  })
  if (dist) {
    // electron-builder rebuilds node_modules' better-sqlite3 for Electron while packaging;
    // the next `npm test` notices and rebuilds it for Node (scripts/ensure-native.mjs).
    run(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), ...args.filter((a) => a !== '--dist')])
  } else {
    ensureElectronSqlite()
    const child = spawn(electronBinary(), [root, ...args], { stdio: 'inherit', env })
    child.on('error', (error) => {
      console.error(`npm start: could not start Electron: ${error.message}`)
      process.exit(1)
    })
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  }
} catch (error) {
  if (!(error instanceof StepError)) throw error
  console.error(`\nnpm start: ${error.message}`)
  process.exit(1)
}
