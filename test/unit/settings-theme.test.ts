/**
 * The Theme setting is stored like the other per-user settings: `system` until chosen, kept across reads, and a
 * hand-edited value the app does not know reads as `system` (never a crash, never a lost annotator).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../electron/core/settings'
import { tempDir } from '../helpers/paths'

describe('theme setting', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => {
    tmp = tempDir('assay-theme-')
  })
  afterEach(() => tmp.cleanup())

  it('is system by default, saved when chosen, and an unknown value reads as system', () => {
    const store = createSettingsStore(tmp.dir)
    expect(store.user().theme).toBe('system')
    expect(store.setUser({ annotator: 'ann' }).theme).toBe('system')
    expect(store.setUser({ theme: 'dark' })).toMatchObject({ annotator: 'ann', theme: 'dark' })
    expect(createSettingsStore(tmp.dir).user().theme).toBe('dark')
    const file = join(tmp.dir, 'settings.json')
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { user: Record<string, unknown> }
    expect(saved.user.theme).toBe('dark')
    writeFileSync(file, JSON.stringify({ ...saved, user: { ...saved.user, theme: 'purple' } }))
    expect(store.user()).toMatchObject({ annotator: 'ann', theme: 'system' })
  })
})
