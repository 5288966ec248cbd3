import { FuseV1Options, FuseVersion } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { fuseConfig, fusedBinaryPath } from '../../scripts/fuses.mjs'

/**
 * The fuses electron-builder's afterPack hook flips (scripts/fuses.mjs). Once packed they cannot
 * be turned back, so the setting is checked as data here; test/unit/packaging-dir.test.ts checks
 * that the hook writes it into a packed executable.
 */
describe('Electron fuses', () => {
  it.each(['linux', 'darwin', 'win32'] as const)(
    'on %s: no Node mode, no NODE_OPTIONS or inspector, asar only',
    (os) => {
      const config = fuseConfig(os, 'x64')
      expect(config.version).toBe(FuseVersion.V1)
      expect(config[FuseV1Options.RunAsNode]).toBe(false)
      expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
      expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
      expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true)
      expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    },
  )

  it('checks the asar against its embedded hash on macOS and Windows only (Linux has no support)', () => {
    expect(fuseConfig('darwin', 'arm64')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(fuseConfig('win32', 'x64')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(fuseConfig('linux', 'x64')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(false)
  })

  it('re-signs ad hoc only on Apple silicon, where a stale ad-hoc signature stops the app', () => {
    expect(fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true)
    expect(fuseConfig('darwin', 'x64').resetAdHocDarwinSignature).toBe(false)
    expect(fuseConfig('linux', 'arm64').resetAdHocDarwinSignature).toBe(false)
  })

  it('flips the wire in the .app bundle on macOS, the .exe on Windows, the executable on Linux', () => {
    const context = (platform: string, executableName?: string) => ({
      electronPlatformName: platform,
      appOutDir: '/release/x',
      arch: 1,
      packager: { appInfo: { productFilename: 'Assay' }, executableName },
    })
    expect(fusedBinaryPath(context('darwin'))).toBe('/release/x/Assay.app')
    expect(fusedBinaryPath(context('mas'))).toBe('/release/x/Assay.app')
    expect(fusedBinaryPath(context('win32'))).toBe('/release/x/Assay.exe')
    expect(fusedBinaryPath(context('linux', 'assay'))).toBe('/release/x/assay')
  })
})
