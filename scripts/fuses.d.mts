// Types for scripts/fuses.mjs (a plain-Node electron-builder hook), for the tests that import it.
import type { FuseV1Config } from '@electron/fuses'

/** The subset of electron-builder's AfterPackContext the hook reads. */
export interface FuseHookContext {
  electronPlatformName: string
  appOutDir: string
  arch: number
  packager: { appInfo: { productFilename: string }; executableName?: string }
}

/** The fuses Assay ships with on one platform and architecture. */
export function fuseConfig(platform: NodeJS.Platform, arch: string): FuseV1Config

/** The file whose fuse wire the hook flips. */
export function fusedBinaryPath(context: FuseHookContext): string

/** electron-builder's afterPack hook. */
export default function afterPack(context: FuseHookContext): Promise<void>
