import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron'
import { LINKS } from './menu'

/**
 * Updates for the installed desktop app (electron-updater, from the GitHub releases electron-builder
 * publishes): a check at start when the user's setting allows it, Help → Check for Updates…, a download in
 * the background, then an offer to restart — never while a labeling session is open (the renderer reports
 * it, see `setLabeling`). Only electron/main.ts imports this file, and it loads electron-updater lazily, so
 * neither `assay serve`, the CLI nor a development run ever loads update code.
 */

interface VersionInfo {
  version: string
}

/** The part of electron-updater's `autoUpdater` we use; tests pass a fake. */
export interface AutoUpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  on(
    event: 'update-available' | 'update-not-available' | 'update-downloaded',
    listener: (info: VersionInfo) => void,
  ): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  checkForUpdates(): Promise<unknown>
  quitAndInstall(): void
}

export interface UpdaterOptions {
  /** The window dialogs belong to (null on macOS with every window closed). */
  window: () => BrowserWindow | null
  /** The user's setting: Settings → "Check for updates when Assay starts". */
  checkAtStart: () => boolean
  /** electron-updater's autoUpdater; the default loads the package on first use. */
  load?: () => Promise<AutoUpdaterLike>
}

/** What main.ts calls: at start, from the Help menu, and when the renderer opens or closes a labeling session. */
export interface Updater {
  /** The check at start: only in a packaged app, and only when the setting is on. */
  start(): Promise<void>
  /** Help → Check for Updates…: always answers, with "up to date", the error, or the download. */
  checkNow(): Promise<void>
  /** A labeling session opened or closed; a downloaded update is offered when one closes. */
  setLabeling(open: boolean): void
}

async function loadAutoUpdater(): Promise<AutoUpdaterLike> {
  const loaded = await import('electron-updater')
  // electron-updater is CommonJS whose `autoUpdater` is a lazy getter: Node's ESM loader does not see it as a
  // named export, so it is read from the module object.
  return loaded.default.autoUpdater
}

/** Creates the updater; nothing is loaded or checked until `start` or `checkNow`. */
export function createUpdater(options: UpdaterOptions): Updater {
  const flow = new UpdateFlow(options)
  return {
    start: () => flow.start(),
    checkNow: () => flow.checkNow(),
    setLabeling: (open) => flow.setLabeling(open),
  }
}

class UpdateFlow {
  private updater: Promise<AutoUpdaterLike> | null = null
  private labeling = false
  /** The version downloaded and waiting to install (on quit, or now if the user accepts). */
  private downloaded: string | null = null
  /** The user chose "Later" for this download: it installs on quit, and only Help offers it again. */
  private declined = false
  private offering = false
  /** A check the user asked for: its outcome is said even when there is nothing new. */
  private asked = false

  constructor(private readonly options: UpdaterOptions) {}

  async start(): Promise<void> {
    if (!app.isPackaged || !this.options.checkAtStart()) return
    await this.check()
  }

  async checkNow(): Promise<void> {
    if (!app.isPackaged) {
      this.say(
        'Updates come with the installed app',
        `This is a development run of Assay ${app.getVersion()}: update it with git pull. Installed copies check ${LINKS.releases}.`,
      )
      return
    }
    if (this.downloaded === null) {
      this.asked = true
      await this.check()
    } else if (this.labeling)
      this.say(
        `Assay ${this.downloaded} is downloaded`,
        'It is installed when you quit Assay. Assay offers to restart when your labeling session ends.',
      )
    else await this.offer()
  }

  setLabeling(open: boolean): void {
    const ended = this.labeling && !open
    this.labeling = open
    if (ended && !this.declined) void this.offer()
  }

  private ensure(): Promise<AutoUpdaterLike> {
    const load = this.options.load ?? loadAutoUpdater
    return (this.updater ??= load().then((autoUpdater) => this.listen(autoUpdater)))
  }

  private async check(): Promise<void> {
    let autoUpdater: AutoUpdaterLike
    try {
      autoUpdater = await this.ensure()
    } catch (error) {
      this.updater = null // the next check loads it again
      this.tell('Could not check for updates', updateErrorText(error), 'error')
      return
    }
    // A failed check rejects and also emits `error`, where it is reported.
    await autoUpdater.checkForUpdates().catch(() => undefined)
  }

  private listen(autoUpdater: AutoUpdaterLike): AutoUpdaterLike {
    autoUpdater.autoDownload = true
    autoUpdater.autoInstallOnAppQuit = true
    autoUpdater.on('update-available', ({ version }) =>
      this.tell(
        `Assay ${version} is available`,
        'It is downloading in the background. When it is ready, Assay offers to restart (never during a labeling session).',
      ),
    )
    autoUpdater.on('update-not-available', () =>
      this.tell('Assay is up to date', `Version ${app.getVersion()} is the newest.`),
    )
    autoUpdater.on('error', (error) => {
      if (!this.asked) console.warn(`Update check failed: ${error.message}`)
      this.tell('Could not check for updates', updateErrorText(error), 'error')
    })
    autoUpdater.on('update-downloaded', ({ version }) => {
      this.downloaded = version
      this.declined = false
      void this.offer()
    })
    return autoUpdater
  }

  /** Offers to restart into the downloaded version, unless a labeling session is open (then it waits for its end). */
  private async offer(): Promise<void> {
    if (this.downloaded === null || this.labeling || this.offering) return
    this.offering = true
    const response = await this.show({
      type: 'info',
      message: `Assay ${this.downloaded} is ready to install`,
      detail:
        'Restart Assay to finish the update. Your labels are already saved: each label is committed to the project file before Assay shows it as saved. If you choose Later, the update is installed when you quit Assay.',
      buttons: ['Restart Now', 'Later'],
      defaultId: 0,
      cancelId: 1,
    })
    this.offering = false
    if (response !== 0) this.declined = true
    else await this.installUnlessLabeling()
  }

  /** A session may have opened while the dialog was up: never restart into it (the offer comes back when it ends). */
  private async installUnlessLabeling(): Promise<void> {
    if (this.labeling) return
    const autoUpdater = await this.ensure()
    autoUpdater.quitAndInstall()
  }

  /** Says the outcome of a check the user asked for (a check at start stays silent). */
  private tell(message: string, detail: string, type: MessageBoxOptions['type'] = 'info'): void {
    if (this.asked) this.say(message, detail, type)
    this.asked = false
  }

  private say(message: string, detail: string, type: MessageBoxOptions['type'] = 'info'): void {
    void this.show({ type, message, detail, buttons: ['OK'], defaultId: 0 })
  }

  private async show(box: MessageBoxOptions): Promise<number> {
    const win = this.options.window()
    const result = win ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box)
    return result.response
  }
}

/** A failed check as the user can act on it: what failed, and where to get the new version by hand. */
export function updateErrorText(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error)
  return `${reason.split('\n')[0] ?? reason}\n\nCheck your internet connection and try again, or download the newest version from ${LINKS.releases}.`
}
