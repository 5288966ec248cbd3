import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { basename, join } from 'node:path'
import { Theme, type RecentProject, type UserSettings } from '../../shared/domain'
import { ModelProfile } from '../../shared/judges'

const MAX_RECENT = 10

interface SettingsFile {
  recent: { path: string; openedAt: string }[]
  user?: Partial<UserSettings>
  /** Model profiles for judges; API keys are never here (see judge/keys.ts). */
  profiles?: unknown[]
}

/**
 * Per-user settings outside any project: recent projects, annotator, keymap, theme, model profiles. Electron
 * passes `app.getPath('userData')`; the CLI and `assay serve` use $ASSAY_HOME or
 * ~/.config/assay, so tests point ASSAY_HOME at a temp folder.
 */
export function createSettingsStore(dir: string) {
  const file = join(dir, 'settings.json')
  const read = (): SettingsFile => {
    if (!existsSync(file)) return { recent: [] }
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SettingsFile>
      return {
        recent: Array.isArray(parsed.recent) ? parsed.recent : [],
        user: isObject(parsed.user) ? parsed.user : {},
        profiles: Array.isArray(parsed.profiles) ? parsed.profiles : [],
      }
    } catch {
      return { recent: [] } // a damaged settings file only loses the recent list, never a project
    }
  }
  const write = (data: SettingsFile): void => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2))
    renameSync(`${file}.tmp`, file)
  }
  const user = (): UserSettings => {
    const saved = read().user ?? {}
    return {
      annotator: typeof saved.annotator === 'string' && saved.annotator.trim() ? saved.annotator : defaultAnnotator(),
      keymap: saved.keymap === 'prodigy' ? 'prodigy' : 'default',
      theme: Theme.safeParse(saved.theme).data ?? 'system',
      checkForUpdates: saved.checkForUpdates !== false,
    }
  }
  return {
    dir,
    recent(): RecentProject[] {
      return read().recent.map((r) => ({ ...r, name: projectName(r.path), exists: existsSync(r.path) }))
    },
    /** The annotator name every label records, the keymap preset, and the theme. */
    user,
    setUser(change: Partial<UserSettings>): UserSettings {
      const data = read()
      write({ ...data, user: { ...data.user, ...change } })
      return user()
    },
    /** Model profiles (a damaged entry is skipped, never fatal). */
    profiles(): ModelProfile[] {
      return (read().profiles ?? []).flatMap((p) => {
        const parsed = ModelProfile.safeParse(p)
        return parsed.success ? [parsed.data] : []
      })
    },
    saveProfile(profile: ModelProfile): ModelProfile[] {
      const data = read()
      const others = (data.profiles ?? []).filter((p) => (p as { id?: unknown }).id !== profile.id)
      write({ ...data, profiles: [...others, profile] })
      return this.profiles()
    },
    deleteProfile(id: string): ModelProfile[] {
      const data = read()
      write({ ...data, profiles: (data.profiles ?? []).filter((p) => (p as { id?: unknown }).id !== id) })
      return this.profiles()
    },
    touchRecent(path: string, at: Date): void {
      const recent = [{ path, openedAt: at.toISOString() }, ...read().recent.filter((r) => r.path !== path)]
      write({ ...read(), recent: recent.slice(0, MAX_RECENT) })
    },
    /** Takes a project out of Recent (it was found damaged): the list offers only files that open. */
    forgetRecent(path: string): void {
      const data = read()
      if (data.recent.some((r) => r.path === path))
        write({ ...data, recent: data.recent.filter((r) => r.path !== path) })
    },
  }
}
export type SettingsStore = ReturnType<typeof createSettingsStore>

/** The settings folder of the CLI and `assay serve`. */
export function defaultSettingsDir(env: NodeJS.ProcessEnv): string {
  return env.ASSAY_HOME || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'assay')
}

function defaultAnnotator(): string {
  try {
    return userInfo().username || 'annotator'
  } catch {
    return 'annotator'
  }
}

export function projectName(path: string): string {
  return basename(path).replace(/\.assay$/i, '')
}

/** A JSON object, whatever its type says: a hand-edited settings file may hold null or a list there. */
function isObject<T>(value: T): value is T & object {
  const v: unknown = value
  return typeof v === 'object' && v !== null
}
