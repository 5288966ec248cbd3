// electron-builder's afterPack hook: flips Electron's fuses in the packed executable, before any
// signing (electron-builder signs after afterPack, so the signature covers the flipped bytes).
// Fuses are switches compiled into the Electron binary that no code or environment can turn back.
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses'
import { join } from 'node:path'

/** electron-builder's Arch enum, as the afterPack context passes it. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']

/**
 * The fuses Assay ships with, as data so a unit test can read them. The `assay` command runs the
 * app binary with `--assay-cli` (electron/core/cli-launcher.ts), so RunAsNode is not needed.
 * Embedded asar integrity exists only on macOS and Windows; electron-builder writes the hash it
 * checks. An arm64 Mac refuses a binary whose ad-hoc signature no longer matches, so the fuse
 * change re-signs it ad hoc there (a real signature, when configured, replaces it afterwards).
 */
export function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: false,
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin' || platform === 'win32',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  }
}

/** The file that holds the fuse wire: the .app bundle on macOS (flipFuses finds the framework), else the executable. */
export function fusedBinaryPath(context) {
  const { electronPlatformName: platform, appOutDir, packager } = context
  const product = packager.appInfo.productFilename
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${product}.app`)
  if (platform === 'win32') return join(appOutDir, `${product}.exe`)
  return join(appOutDir, packager.executableName ?? product)
}

/** The afterPack hook itself (electron-builder.yml: `afterPack: scripts/fuses.mjs`). */
export default async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch)
  const binary = fusedBinaryPath(context)
  await flipFuses(binary, fuseConfig(platform, arch))
  console.log(`  • fuses flipped  file=${binary} platform=${platform} arch=${arch}`)
}
