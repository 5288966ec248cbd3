import { useEffect } from 'react'
import type { Theme } from '../shared/domain'
import { attempt, callOrTake } from './api'
import { useStore } from './store'

/** The colours a page shows: a Theme setting resolved against the system's preference. */
export type Palette = 'light' | 'dark'

const SYSTEM_DARK = '(prefers-color-scheme: dark)'

/** `system` follows the operating system (in Electron, nativeTheme drives prefers-color-scheme); the others force. */
export function resolveTheme(setting: Theme, systemDark: boolean): Palette {
  if (setting === 'system') return systemDark ? 'dark' : 'light'
  return setting
}

/**
 * Sets `data-theme` on <html>, which switches every CSS variable of renderer/styles.css at once. main.tsx calls it
 * before the first render (with `system`: the setting is not loaded yet), so a dark system never flashes light.
 */
export function applyTheme(setting: Theme): void {
  const systemDark = window.matchMedia(SYSTEM_DARK).matches
  document.documentElement.dataset.theme = resolveTheme(setting, systemDark)
}

/**
 * Keeps the page's theme in step with the user's setting (loaded once at start, changed on the Settings screen)
 * and, under `system`, with the operating system's switch between light and dark.
 */
export function useTheme(): void {
  const setting = useStore((s) => s.user?.theme ?? 'system')
  useEffect(() => {
    void attempt(() => callOrTake('settings.get', {})).then((user) => {
      if (user) useStore.setState((s) => ({ user: s.user ?? user }))
    })
  }, [])
  useEffect(() => {
    applyTheme(setting)
    if (setting !== 'system') return
    const query = window.matchMedia(SYSTEM_DARK)
    const follow = () => applyTheme(setting)
    query.addEventListener('change', follow)
    return () => query.removeEventListener('change', follow)
  }, [setting])
}
