import { getCurrentFuseWire } from '@electron/fuses'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fuseConfig } from '../../scripts/fuses.mjs'
import { repoRoot, tempDir } from '../helpers/paths'

/**
 * `electron-builder --dir` for real, offline: the Electron zip cannot be downloaded here, so it
 * packs a placeholder Electron (`electronDist`: one file named `electron` that carries a fuse wire,
 * as the real binary does) with `npmRebuild: false`. What electron-builder then does is what an
 * installer build does up to the installer format: it resolves electron-builder.yml, packs
 * app.asar, unpacks better-sqlite3's addon, writes app-update.yml and runs the fuses hook.
 * Not checked here: the real Electron binary, the addon built for Electron's ABI (it is Node's
 * build here), installer formats (AppImage/deb/dmg/NSIS), macOS/Windows packing and signing.
 */

/** SENTINEL of @electron/fuses, then wire version 1 and 9 fuses in Electron's default states. */
const FUSE_WIRE = Buffer.concat([
  Buffer.from('#!/bin/sh\necho "placeholder Electron"\n'),
  Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
  Buffer.from([1, 9]),
  Buffer.from('101100001'),
])

interface AsarEntry {
  files?: Record<string, AsarEntry>
  unpacked?: boolean
  size?: number
}

/** app.asar's header: a pickled JSON tree of the archive's files. */
function readAsarHeader(path: string): AsarEntry {
  const fd = openSync(path, 'r')
  try {
    const sizes = Buffer.alloc(16)
    readSync(fd, sizes, 0, 16, 0)
    const jsonLength = sizes.readUInt32LE(12)
    const json = Buffer.alloc(jsonLength)
    readSync(fd, json, 0, jsonLength, 16)
    return JSON.parse(json.toString('utf8')) as AsarEntry
  } finally {
    closeSync(fd)
  }
}

function entryAt(root: AsarEntry, path: string): AsarEntry | undefined {
  let node: AsarEntry | undefined = root
  for (const part of path.split('/').filter(Boolean)) node = node?.files?.[part]
  return node
}

function listFiles(node: AsarEntry, prefix = ''): string[] {
  return Object.entries(node.files ?? {}).flatMap(([name, child]) =>
    child.files ? listFiles(child, `${prefix}/${name}`) : [`${prefix}/${name}`],
  )
}

describe.skipIf(process.platform !== 'linux')('electron-builder --dir with a placeholder Electron', () => {
  const tmp = tempDir('assay-pack-')
  const appOut = tmp.file('release/linux-unpacked')
  const resources = join(appOut, 'resources')
  let header: AsarEntry
  let log = ''

  beforeAll(() => {
    for (const built of ['out/main/index.js', 'out/cli/assay.mjs', 'build/icons/512x512.png'])
      if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run \`npm run build\` first.`)
    mkdirSync(tmp.file('electron-dist'))
    writeFileSync(tmp.file('electron-dist/electron'), FUSE_WIRE, { mode: 0o755 })
    // npm hands scripts the user's `nodedir`; electron-builder must not see it (it rebuilds nothing here anyway).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'),
    )
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        `--${process.arch}`,
        '--publish',
        'never',
        `-c.electronDist=${tmp.file('electron-dist')}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${tmp.file('release')}`,
      ],
      { cwd: repoRoot, env, encoding: 'utf8', timeout: 150_000 },
    )
    log = `${run.stdout}\n${run.stderr}`
    if (run.status !== 0) throw new Error(`electron-builder failed (${String(run.status)}):\n${log}`)
    header = readAsarHeader(join(resources, 'app.asar'))
  }, 180_000)
  afterAll(() => tmp.cleanup())

  it("packs the main process, preload, renderer, the CLI and the icon, and package.json's main", () => {
    const files = listFiles(header).filter((f) => !f.startsWith('/node_modules/'))
    expect(files).toEqual(
      expect.arrayContaining([
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/out/cli/assay.mjs',
        '/bin/assay.mjs',
        '/build/icons/512x512.png',
        '/package.json',
      ]),
    )
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string }
    expect(entryAt(header, pkg.main)?.size).toBeGreaterThan(0)
    // Nothing of the sources, the tests, the source maps of the CLI or other build output.
    expect(files.filter((f) => /^\/(electron|renderer|shared|test|scripts|release)\/|\.map$|\.ts$/.test(f))).toEqual([])
  })

  it("unpacks better-sqlite3's addon beside the asar, and ships no devDependency", () => {
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    expect(entryAt(header, addon)?.unpacked).toBe(true)
    expect(statSync(join(resources, 'app.asar.unpacked', addon)).size).toBeGreaterThan(100_000)
    expect(entryAt(header, 'node_modules/better-sqlite3/lib/index.js')).toBeDefined()
    expect(entryAt(header, 'node_modules/better-sqlite3/deps')).toBeUndefined()
    const modules = Object.keys(entryAt(header, 'node_modules')?.files ?? {})
    expect(modules).toEqual(expect.arrayContaining(['better-sqlite3', 'electron-updater', 'openai', 'zod']))
    expect(modules.filter((m) => ['electron', 'vite', 'vitest', 'electron-builder', '@electron'].includes(m))).toEqual(
      [],
    )
  })

  it('writes the update feed electron-updater reads (GitHub Releases)', () => {
    const feed = readFileSync(join(resources, 'app-update.yml'), 'utf8')
    expect(feed).toMatch(/^provider: github$/m)
    expect(feed).toMatch(/^owner: \S+$/m)
    expect(feed).toMatch(/^repo: \S+$/m)
  })

  it('runs the fuses hook on the executable: the wire now holds scripts/fuses.mjs', async () => {
    expect(log).toContain('fuses flipped')
    const wire = new Map(Object.entries(await getCurrentFuseWire(join(appOut, 'assay-app'))))
    const wanted = new Map(Object.entries(fuseConfig('linux', process.arch)))
    for (let fuse = 0; fuse < 9; fuse++) {
      const setting = wanted.get(String(fuse))
      const expected = setting === undefined ? Number(FUSE_WIRE.at(-9 + fuse)) : setting ? 49 : 48
      expect([fuse, wire.get(String(fuse))]).toEqual([fuse, expected])
    }
  })
})
