import { afterEach, beforeEach } from 'vitest'
import { tempDir } from '../helpers/paths'
import { homeWithAnnotator, launchApp, type AppDriver } from './driver'

type TempDir = ReturnType<typeof tempDir>

/** What a test of an e2e file gets from `useE2e`: its own folder, and the app it launched there. */
export interface E2e {
  /** This test's fresh temp folder (removed after the test). */
  readonly tmp: TempDir
  /** The app `launch` started in this test; a test that has not launched one fails here. */
  readonly app: AppDriver
  /**
   * Launches the app with its per-user folder in `tmp` (`home`): with `annotator`, settings that
   * name the annotator (and the keymap), so labels record a known name. Closed after the test.
   */
  launch(options: { project?: string; annotator?: string; keymap?: 'default' | 'prodigy' }): Promise<AppDriver>
}

/**
 * The setup every e2e file shared as a pasted block: a fresh temp folder per test, the app
 * launched in it with its own settings, and after the test — pass or fail — the app (its
 * `assay serve` and browser, or Electron) closed and the folder removed. Call it in a `describe`.
 */
export function useE2e(prefix = 'assay-e2e-'): E2e {
  let tmp: TempDir | null = null
  let app: AppDriver | null = null
  beforeEach(() => {
    tmp = tempDir(prefix)
  })
  afterEach(async () => {
    await app?.close()
    app = null
    tmp?.cleanup()
  })
  const folder = (): TempDir => {
    if (!tmp) throw new Error('useE2e: the temp folder exists only inside a test')
    return tmp
  }
  return {
    get tmp() {
      return folder()
    },
    get app() {
      if (!app) throw new Error('useE2e: launch the app first')
      return app
    },
    async launch({ project, annotator, keymap }) {
      const home =
        annotator === undefined ? folder().file('home') : homeWithAnnotator(folder().file('home'), annotator, keymap)
      app = await launchApp({ home, ...(project === undefined ? {} : { project }) })
      return app
    },
  }
}
