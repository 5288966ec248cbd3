// Renders the one source drawing, build/icon.svg, into every icon the app needs (under build/,
// generated, not committed): the PNG set build/icons/NxN.png (Linux installers and the window
// icon), build/icon.png (1024 px), build/icon.icns (macOS) and build/icon.ico (Windows).
// Part of `npm run build`; it skips the work when the outputs are newer than the drawing.
import { Resvg } from '@resvg/resvg-js'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import png2icons from 'png2icons'

/** The PNG sizes written to build/icons: the hicolor theme's sizes, up to 1024 for the store-sized Retina icon. */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

const root = fileURLToPath(new URL('..', import.meta.url))
const buildDir = join(root, 'build')
const source = join(buildDir, 'icon.svg')

/** Every file this script writes, relative to the repository. */
export const ICON_OUTPUTS = [
  ...ICON_SIZES.map((size) => `build/icons/${size}x${size}.png`),
  'build/icon.png',
  'build/icon.icns',
  'build/icon.ico',
]

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, shapeRendering: 2 }).render().asPng()
}

function upToDate() {
  const sourceTime = statSync(source).mtimeMs
  return ICON_OUTPUTS.every((file) => {
    const path = join(root, file)
    return existsSync(path) && statSync(path).mtimeMs >= sourceTime
  })
}

/** Writes all icons from build/icon.svg; `force` ignores the up-to-date check. */
export function renderIcons({ force = false } = {}) {
  if (!force && upToDate()) return false
  const svg = readFileSync(source)
  mkdirSync(join(buildDir, 'icons'), { recursive: true })
  const pngs = new Map(ICON_SIZES.map((size) => [size, render(svg, size)]))
  for (const [size, png] of pngs) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), png)
  const largest = pngs.get(1024)
  writeFileSync(join(buildDir, 'icon.png'), largest)
  // png2icons downscales the 1024 px rendering for the sizes inside .icns/.ico; it returns null on failure.
  const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0)
  const ico = png2icons.createICO(largest, png2icons.BICUBIC2, 0, false, true)
  if (!icns || !ico) throw new Error('png2icons could not make icon.icns / icon.ico from build/icon.png')
  writeFileSync(join(buildDir, 'icon.icns'), icns)
  writeFileSync(join(buildDir, 'icon.ico'), ico)
  return true
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now()
  const wrote = renderIcons({ force: process.argv.includes('--force') })
  console.log(
    wrote ? `icons: build/icon.{png,icns,ico} and build/icons/ in ${Date.now() - started} ms` : 'icons: up to date',
  )
}
