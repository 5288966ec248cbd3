import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/paths'

/**
 * The icon set `npm run build` renders from build/icon.svg (scripts/icons.mjs), and every place
 * that uses it: installers, `.assay` documents, the window (packed by electron-builder.yml) and the
 * page's favicon. A wrong size or an empty file would only show on a user's desktop.
 */
const read = (path: string) => readFileSync(join(repoRoot, path))

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)]

describe('the icon', () => {
  const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

  it.each(sizes)('build/icons/%ix%i.png is a PNG of that size', (size) => {
    const png = read(`build/icons/${String(size)}x${String(size)}.png`)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(pngSize(png)).toEqual([size, size])
  })

  it('icon.icns holds several sizes (macOS) and icon.ico a 256 px image first (Windows, NSIS)', () => {
    const icns = read('build/icon.icns')
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const types = new Set<string>()
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.add(icns.toString('latin1', at, at + 4))
    expect(types.size).toBeGreaterThanOrEqual(4)
    const ico = read('build/icon.ico')
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(4) // images in the file
    expect(ico[6 + 0]).toBe(0) // width 0 means 256 px in the directory entry
  })

  it('electron-builder.yml uses the rendered files, for the app and for .assay documents', () => {
    const config = read('electron-builder.yml').toString('utf8')
    expect(config).toMatch(/^ {2}icon: build\/icons$/m) // Linux: the folder of NxN.png
    expect(config).toMatch(/^ {2}icon: build\/icon\.icns$/m)
    expect(config).toMatch(/^ {2}icon: build\/icon\.ico$/m)
    expect(config).toMatch(/^ {4}icon: icon$/m) // fileAssociations: build/icon.icns / .ico
    expect(config).toMatch(/^ {2}- build\/icons\/512x512\.png$/m) // the window icon, packed
    for (const file of ['build/icons', 'build/icon.icns', 'build/icon.ico', 'build/icons/512x512.png'])
      expect(existsSync(join(repoRoot, file)), file).toBe(true)
  })

  it('the page shows the same drawing as its favicon, emitted by the renderer build', () => {
    expect(read('renderer/index.html').toString('utf8')).toContain(
      '<link rel="icon" type="image/svg+xml" href="../build/icon.svg" />',
    )
    const built = read('out/renderer/index.html').toString('utf8')
    const href = /<link rel="icon" type="image\/svg\+xml" href="\.\/(assets\/icon-[\w-]+\.svg)"/.exec(built)?.[1]
    expect(href).toBeDefined()
    expect(read(`out/renderer/${href ?? ''}`).equals(read('build/icon.svg'))).toBe(true)
  })
})
